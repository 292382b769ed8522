// A job in progress: poll its status, move the progress bar, and show the result once it is there
// (reload the page, or go to data-job-done when given).
(function () {
  "use strict";
  document.querySelectorAll("[data-job-status]").forEach(function (panel) {
    var bar = panel.querySelector("progress");
    var step = panel.querySelector("[data-job-step]");
    function poll() {
      fetch(panel.getAttribute("data-job-status"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          bar.value = status.pourcentage;
          bar.textContent = status.pourcentage + " %";
          step.textContent = status.statut + (status.etape ? " — " + status.etape : "") + " (" + status.pourcentage + " %)";
          if (status.termine) {
            var done = panel.getAttribute("data-job-done");
            if (done) { window.location.assign(done); } else { window.location.reload(); }
          } else {
            window.setTimeout(poll, 1500);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
