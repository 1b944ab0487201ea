/* Layout checks evaluated inside a page by tests/browser/audit.py. Synchronous on purpose:
   with JavaScript disabled the page has no timers, but Playwright's evaluate still runs this.
   Each function returns plain data (lists of problems as strings, or measurements). */
window.consultLayout = (function () {
  "use strict";
  var MIN_TARGET = 44;
  var SLACK = 0.5;  // sub-pixel rounding
  var TARGETS = "a[href], button, input:not([type=hidden]), select, summary";
  var INTERACTIVE = "a[href], button, input, select, textarea, summary, label";
  var FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, " +
    "[tabindex]:not([tabindex='-1'])";

  function describe(el) {
    var text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    var name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ?
        "." + el.className.trim().split(/\s+/).join(".") : "");
    if (el.type && el.tagName === "INPUT") { name += "[type=" + el.type + "]"; }
    return name + (text ? " \"" + text.slice(0, 40).replace(/\s+/g, " ") + "\"" : "");
  }

  /* Rendered and on screen: not display:none, not inside a closed <details>, not the
     visually-hidden 1px pattern, not parked off-screen like the skip link. */
  function shown(el) {
    if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true})) { return false; }
    var rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) { return false; }
    if (rect.width <= 1 && rect.height <= 1) { return false; }
    var style = getComputedStyle(el);
    if (style.visibility === "hidden") { return false; }
    var right = rect.right + window.scrollX;
    return right > 0 && rect.left + window.scrollX < document.documentElement.scrollWidth;
  }

  function blockAncestor(el) {
    var parent = el.parentElement;
    while (parent && getComputedStyle(parent).display === "inline") {
      parent = parent.parentElement;
    }
    return parent || document.body;
  }

  /* WCAG 2.5.8's inline exception: a link laid out inline within a sentence (its block holds
     words that belong to no control) is as tall as the line and is exempt. A link alone in a
     paragraph or list item, or next to other links with only separators ("·", "›") between
     them, is not in a sentence and must be big enough. */
  function inSentence(el) {
    if (getComputedStyle(el).display !== "inline") { return false; }
    var block = blockAncestor(el);
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var words = "";
    while (walker.nextNode()) {
      var node = walker.currentNode;
      var owner = node.parentElement;
      var control = owner.closest(INTERACTIVE);
      if (control && control !== block && block.contains(control)) { continue; }
      if (!owner.getClientRects().length) { continue; }
      words += " " + node.data;
    }
    return /\p{L}{2,}/u.test(words);
  }

  /* The element whose box is the tap target: a radio button or checkbox is tapped through
     its label (the input alone is a 22 px box). */
  function targetsOf(root) {
    var found = [];
    root.querySelectorAll(TARGETS).forEach(function (el) {
      if (el.tagName === "INPUT" && (el.type === "radio" || el.type === "checkbox")) {
        if (el.labels && el.labels.length) {
          el.labels.forEach(function (label) { found.push(label); });
          return;
        }
      }
      found.push(el);
    });
    return found;
  }

  /* The size a finger gets: an inline link broken over two lines is two short boxes, not
     one tall one, so the biggest of its line boxes counts. */
  function targetBox(el) {
    if (getComputedStyle(el).display !== "inline") { return el.getBoundingClientRect(); }
    var best = {width: 0, height: 0};
    Array.prototype.forEach.call(el.getClientRects(), function (r) {
      if (r.width * r.height > best.width * best.height) { best = r; }
    });
    return best;
  }

  function tapTargets() {
    var problems = [];
    var seen = new Set();
    targetsOf(document).forEach(function (el) {
      if (seen.has(el) || !shown(el)) { return; }
      seen.add(el);
      var rect = targetBox(el);
      if (rect.width + SLACK >= MIN_TARGET && rect.height + SLACK >= MIN_TARGET) { return; }
      if (inSentence(el)) { return; }
      problems.push(describe(el) + " is " + Math.round(rect.width) + "x" +
        Math.round(rect.height) + " px");
    });
    return problems;
  }

  function overflow() {
    var root = document.documentElement;
    return {scrollWidth: root.scrollWidth, viewport: root.clientWidth};
  }

  function scrolledAncestor(el) {
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      var x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll") { return p; }
    }
    return null;
  }

  /* Controls pushed out of the viewport or cut by an overflow:hidden box. */
  function clipped() {
    var problems = [];
    var width = document.documentElement.clientWidth;
    targetsOf(document).forEach(function (el) {
      if (!shown(el) || scrolledAncestor(el)) { return; }
      var rect = el.getBoundingClientRect();
      if (rect.left < -SLACK || rect.right > width + SLACK) {
        problems.push(describe(el) + " spans " + Math.round(rect.left) + "–" +
          Math.round(rect.right) + " px of " + width);
      }
      for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        var style = getComputedStyle(p);
        if (style.overflowX !== "hidden" && style.overflowX !== "clip") { continue; }
        var box = p.getBoundingClientRect();
        if (box.width > 1 && (rect.left < box.left - SLACK || rect.right > box.right + SLACK)) {
          problems.push(describe(el) + " is cut by " + describe(p));
        }
      }
    });
    return problems;
  }

  function zoomText(percent) {
    document.documentElement.style.fontSize = percent ? percent + "%" : "";
    return document.documentElement.getBoundingClientRect().width;  // forces a layout
  }

  function headings() {
    return Array.prototype.map.call(
      document.querySelectorAll("h1, h2, h3, h4, h5, h6"),
      function (h) {
        return {level: Number(h.tagName[1]), text: h.textContent.trim().slice(0, 60),
                rendered: h.getClientRects().length > 0};
      }).filter(function (h) { return h.rendered; });
  }

  /* Every error message is announced with its field, every invalid field has its message. */
  function errorsTied() {
    var problems = [];
    var described = new Set();
    document.querySelectorAll("[aria-describedby]").forEach(function (el) {
      el.getAttribute("aria-describedby").split(/\s+/).forEach(function (id) {
        described.add(id);
        if (!document.getElementById(id)) {
          problems.push(describe(el) + " is described by missing #" + id);
        }
      });
    });
    document.querySelectorAll("form .error").forEach(function (el) {
      if (!el.id || !described.has(el.id)) {
        problems.push("error message " + describe(el) + " is tied to no field");
      }
    });
    document.querySelectorAll("[aria-invalid=true]").forEach(function (el) {
      if (!el.getAttribute("aria-describedby")) {
        problems.push(describe(el) + " is invalid without a message tied to it");
      }
    });
    return problems;
  }

  /* Focus indicator: what the element looks like focused, to compare with unfocused. */
  function focusStyle(el) {
    var style = getComputedStyle(el);
    return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow,
            style.borderColor, style.backgroundColor, style.textDecorationLine].join("|");
  }

  var before = null;

  function rememberFocusStyles() {
    before = [];
    document.querySelectorAll(FOCUSABLE).forEach(function (el) {
      if (!el.disabled) { before.push({el: el, style: focusStyle(el)}); }
    });
    return before.length;
  }

  function indexOf(el) {
    for (var i = 0; i < before.length; i++) { if (before[i].el === el) { return i; } }
    return -1;
  }

  /* After a Tab: the focused element, and whether it looks different from unfocused. */
  function focused() {
    var el = document.activeElement;
    if (!el || el === document.body) { return null; }
    var i = indexOf(el);
    return {index: i, name: describe(el), visible: shown(el),
            changed: i < 0 || before[i].style !== focusStyle(el)};
  }

  /* The elements the Tab walk did not reach, focused in turn from script (the keyboard
     was used last, so :focus-visible applies as it would on tabbing). */
  function focusRest(reached) {
    var problems = [];
    before.forEach(function (entry, i) {
      if (reached.indexOf(i) >= 0 || !shown(entry.el)) { return; }
      entry.el.focus({preventScroll: true});
      if (document.activeElement === entry.el && focusStyle(entry.el) === entry.style) {
        problems.push(describe(entry.el));
      }
    });
    return problems;
  }

  /* Everything measured at normal text size, in one call. */
  function measure() {
    return {width: overflow(), smallTargets: tapTargets(), headings: headings(),
            untiedErrors: errorsTied(), focusable: rememberFocusStyles()};
  }

  /* Text at percent% of its size: the page width and the controls pushed out or cut. */
  function zoomed(percent) {
    zoomText(percent);
    return {width: overflow(), clipped: clipped()};
  }

  return {measure: measure, zoomed: zoomed, tapTargets: tapTargets, overflow: overflow, clipped: clipped, zoomText: zoomText,
          headings: headings, errorsTied: errorsTied,
          rememberFocusStyles: rememberFocusStyles, focused: focused, focusRest: focusRest};
}());
