/* Consult: vote on comments without reloading the page. Without this script the same
   buttons post a plain form and the page reloads; nothing else depends on it. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("vote") || form.classList.contains("big")) {
      return;
    }
    var button = event.submitter;
    if (!button || button.name !== "vote" || !window.fetch || !window.FormData) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    data.set("vote", button.value);
    var status = document.getElementById("vote-status");
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (result) {
      form.querySelectorAll("button[name=vote]").forEach(function (b) {
        b.setAttribute("aria-pressed", b.value === result.vote ? "true" : "false");
        var count = b.querySelector("b");
        if (count) { count.textContent = result[b.value]; }
      });
      if (status) { status.textContent = result.message; }
    }).catch(function () {
      // Let the server answer the plain way (an expired form, a lost connection).
      var chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = "vote";
      chosen.value = button.value;
      form.appendChild(chosen);
      form.submit();
    }).finally(function () {
      form.removeAttribute("aria-busy");
    });
  });
}());
