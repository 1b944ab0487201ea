/* Consult: keep what is typed on a survey page in the server draft between page submits.
   Without this script each page is saved when the participant continues; nothing else
   depends on it. The server answers JSON to posts that carry autosave=1 (surveys/autosave.py). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData) { return; }
  var WAIT = 1500;  // ms after the last change: a pause in typing, not every key
  var timer = null, dirty = false, busy = false, again = false, submitting = false;

  function show(state) {
    var text = status.getAttribute("data-" + state) || "";
    // The same words again are not rewritten, so screen readers are not told twice.
    if (status.textContent !== text) { status.textContent = text; }
    status.className = "autosave-status " + state;
  }

  function save(leaving) {
    clearTimeout(timer);
    if (!dirty || submitting) { return; }
    if (busy && !leaving) { again = true; return; }  // one save at a time, in order
    dirty = false;
    busy = true;
    var data = new FormData(form);
    data.append("autosave", "1");
    var sent;
    try {
      sent = fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin", keepalive: !!leaving,
        headers: {"Accept": "application/json"}
      });
    } catch (error) {  // a body too large to send while the page closes
      sent = Promise.reject(error);
    }
    sent.then(function (response) {
      if (response.status === 200) { show("saved"); }
      else if (response.status === 422) { show("partial"); }
      else { throw new Error(response.status); }
    }).catch(function () {
      dirty = true;  // try again at the next change, when back online, or when leaving
      show("failed");
    }).then(function () {
      busy = false;
      if (again) { again = false; save(false); }
    });
  }

  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, WAIT);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    // The page submit saves (and may count) the answers itself: no draft after it.
    submitting = true;
    clearTimeout(timer);
  });
  window.addEventListener("online", function () { save(false); });
  window.addEventListener("pagehide", function () { save(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pageshow", function () { submitting = false; });
}());
