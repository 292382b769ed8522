// Proposed sites (numbered) and existing maisons/centres de santé (rings) over the territory's communes.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("planning-data").textContent);
  var element = document.getElementById("planning-map");
  if (!data || !element) return;
  var map = L.map(element);
  map.attributionControl.setPrefix(false);
  var points = [];
  var departement = null;
  data.structures_existantes.forEach(function (s) {
    L.circleMarker([s.latitude, s.longitude], { radius: 6, color: "#000", weight: 2, fillColor: "#fff", fillOpacity: 1, className: "existing" })
      .bindTooltip("Existant : " + s.nom).addTo(map);
    points.push([s.latitude, s.longitude]);
  });
  data.sites.forEach(function (s) {
    var icon = L.divIcon({ className: "site-marker", html: "<span>" + s.rang + "</span>", iconSize: [26, 26] });
    L.marker([s.latitude, s.longitude], { icon: icon, title: s.nom })
      .bindPopup("<strong>" + s.rang + ". " + s.nom + "</strong><br>" + s.raisons.join("<br>"))
      .addTo(map);
    points.push([s.latitude, s.longitude]);
  });
  if (points.length) map.fitBounds(points, { padding: [30, 30] }); else map.setView([46.6, 2.4], 6);
  var code = data.territoire && data.territoire.niveau === "departement" ? data.territoire.code : null;
  if (!code && data.sites.length) {
    fetch("/api/territoires/commune/" + data.sites[0].code_insee).then(function (r) { return r.json(); }).then(function (c) {
      var dep = (c.parents || []).filter(function (p) { return p.niveau === "departement"; })[0];
      if (dep) draw(dep.code);
    });
  } else if (code) {
    draw(code);
  }
  function draw(dep) {
    fetch("/api/carte/communes/" + dep + "?profession=" + encodeURIComponent(data.options.profession)).then(function (r) { return r.json(); }).then(function (geo) {
      L.geoJSON(geo, { style: function (f) { return { color: "#999", weight: 0.4, fillColor: f.properties.sous_dense ? "#ef6548" : "#dfe8f3", fillOpacity: 0.6 }; } })
        .addTo(map).bringToBack();
      element.setAttribute("data-ready", "true");
    });
  }
})();
