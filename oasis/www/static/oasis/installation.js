// « Où m'installer ? »: « Autour de moi » asks the browser's position only when clicked, sends it once; the server
// answers with the nearest commune (the shared address carries the commune, never the position). « Copier le lien ».
(function () {
  "use strict";
  var button = document.getElementById("autour-de-moi");
  var form = document.getElementById("recherche-installation");
  var status = document.getElementById("position-etat");
  if (button && form && navigator.geolocation) {
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "Recherche de votre position…";
      navigator.geolocation.getCurrentPosition(function (where) {
        var field = document.getElementById("position");
        field.disabled = false;
        field.value = where.coords.latitude.toFixed(4) + "," + where.coords.longitude.toFixed(4);
        var first = document.getElementById("lieu-1");
        if (first) first.value = "";
        form.submit();
      }, function () {
        status.textContent = "Position indisponible : tapez le nom du lieu.";
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
    });
  }
  if (form) {
    // The address to share carries only the places typed: empty comparison fields are left out.
    form.addEventListener("submit", function () {
      form.querySelectorAll('input[name="lieu"]').forEach(function (input) {
        if (!input.value.trim()) input.disabled = true;
      });
    });
  }
  var copy = document.getElementById("copier-lien");
  if (copy && navigator.clipboard) {
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.getAttribute("data-lien")).then(function () {
        copy.textContent = "Lien copié";
      });
    });
  } else if (copy) {
    copy.hidden = true;
  }
})();
