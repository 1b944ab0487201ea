/* Consult: "N characters left" under every field with a maxlength. Without this script the
   maxlength attribute and the server's message remain; nothing else depends on it. The words
   come translated from the page (#counter-texts, macro counter_texts in _macros.html). */
(function () {
  "use strict";
  var texts = document.getElementById("counter-texts");
  var live = document.getElementById("counter-status");
  if (!texts || !live || !window.JSON) { return; }
  var forms = JSON.parse(texts.getAttribute("data-left") || "{}");
  var lang = document.documentElement.lang || "en";
  var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  var numbers = null;  // grouped as the server's Babel formats them (4 945, 4,945), Latin digits
  try { numbers = new Intl.NumberFormat(lang + "-u-nu-latn"); } catch (error) { numbers = null; }

  function message(left) {
    // The server's message for a sample number in the same plural category as left.
    var sample = left === 1 ? "1" : "100";
    if (rules) {
      var category = rules.select(left);
      Object.keys(forms).some(function (n) {
        if (rules.select(Number(n)) === category) { sample = n; return true; }
        return false;
      });
    }
    return (forms[sample] || "").replace("%(num)s", numbers ? numbers.format(left) : String(left));
  }

  function band(left, near) {
    return left <= 0 ? 3 : left <= 10 ? 2 : left <= near ? 1 : 0;
  }

  function attach(field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!(max > 0) || !field.id) { return; }
    var near = Math.max(20, Math.round(max / 10));  // the warning starts here
    var counter = document.createElement("p");
    counter.id = field.id + "-counter";
    counter.className = "counter";
    field.parentNode.insertBefore(counter, field.nextSibling);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    var shown = band(max - field.value.length, near);

    function update() {
      var left = max - field.value.length;
      var now = band(left, near);
      counter.textContent = message(left);
      counter.className = now ? "counter warn" : "counter";
      // Screen readers hear the count on focus (aria-describedby), and while typing only
      // when it crosses into the warning, the last ten, or the limit: never every key.
      if (now > shown) { live.textContent = counter.textContent; }
      shown = now;
    }

    field.addEventListener("input", update);
    update();
  }

  var fields = document.querySelectorAll("textarea[maxlength], input[maxlength]");
  for (var i = 0; i < fields.length; i += 1) { attach(fields[i]); }
}());
