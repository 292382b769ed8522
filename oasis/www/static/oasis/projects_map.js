// Projects on a map: département outlines (offline, no base tiles) and one marker per project, coloured by stage.
(function () {
  "use strict";
  var container = document.getElementById("projects-map");
  if (!container || typeof L === "undefined") return;
  var status = document.getElementById("map-status");
  var COLORS = {
    "prise-de-contact": "#6a6af4", "conseil-1er-niveau": "#6a6af4", "definition-besoin": "#000091",
    "accompagnement-cible": "#000091", "projet-sante-depose": "#b34000", "comite-regional": "#b34000",
    "valide": "#18753c", "a-revoir": "#c9191e", "refuse": "#c9191e", "ouvert": "#18753c", "suivi": "#18753c",
    "suspendu": "#888888", "abandonne": "#888888"
  };
  var map = L.map(container, { zoomSnap: 0.25 }).setView([46.6, 2.4], 5.4);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Contours IGN Admin Express");
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }
  fetch(container.dataset.outlines).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
    if (data) L.geoJSON(data, { style: { color: "#999", weight: 0.7, fill: false }, interactive: false }).addTo(map);
  });
  fetch(container.dataset.url, { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var p = feature.properties;
        return L.circleMarker(latlng, {
          radius: 7, color: p.en_retard ? "#c9191e" : "#fff", weight: p.en_retard ? 3 : 1,
          fillColor: COLORS[p.etape] || "#000091", fillOpacity: 0.9
        }).bindPopup('<a href="/projets/' + p.id + '/">' + escapeHtml(p.nom) + "</a><br>" + escapeHtml(p.commune) +
          "<br>" + escapeHtml(p.etape_libelle) + (p.en_retard ? "<br><strong>action en retard</strong>" : ""));
      }
    }).addTo(map);
    var count = data.features.length;
    if (count) map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: 9, animate: false });
    status.textContent = count + " projet" + (count > 1 ? "s" : "") + " sur la carte ; cerclés de rouge : action en retard.";
  }).catch(function () {
    status.textContent = "La carte des projets n'a pas pu être chargée.";
  });
})();
