// Slow actions (a plan, a PDF, a search over France) say they are working: any form or link marked
// data-busy="Calcul en cours…" shows that text in a live region once submitted or followed.
(function () {
  "use strict";
  function announce(element) {
    var note = document.createElement("p");
    note.className = "fr-text--sm oasis-busy-note";
    note.setAttribute("role", "status");
    note.textContent = element.getAttribute("data-busy");
    element.insertAdjacentElement("afterend", note);
    document.body.classList.add("oasis-busy");
    element.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
  }
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () { announce(form); });
  });
  document.querySelectorAll("a[data-busy]").forEach(function (link) {
    link.addEventListener("click", function () { if (!link.hasAttribute("download")) announce(link); });
  });
  // A page shown again from the browser's cache (back button) is not busy any more.
  window.addEventListener("pageshow", function () {
    document.body.classList.remove("oasis-busy");
    document.querySelectorAll(".oasis-busy-note").forEach(function (n) { n.remove(); });
  });
})();
