// APL map: départements coloured by their mean APL, then a département's communes on demand.
// No base tiles: the map works offline. Data come from /api/carte/… (GeoJSON with provenance).
(function () {
  "use strict";
  var COLORS = ["#a50f15", "#ef6548", "#fdd49e", "#9ecae1", "#2171b5"];
  var GP_BOUNDS = [1.5, 2.5, 3.5, 4.5];
  // A popup pans clear of the zoom buttons (top left) and stays narrower than a phone's screen.
  var POPUP = { autoPanPaddingTopLeft: [56, 96], autoPanPaddingBottomRight: [16, 16], maxWidth: 280 };
  var container = document.getElementById("map");
  var status = document.getElementById("status");
  var professionSelect = document.getElementById("profession");
  var varianteSelect = document.getElementById("variante");
  var structuresBox = document.getElementById("show-structures");
  var sourceSelect = document.getElementById("source");
  var map = L.map(container, { preferCanvas: false, zoomSnap: 0.25 }).setView([46.6, 2.4], 5.6);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Contours IGN Admin Express · APL : DREES (officielle), OASIS (estimation)");
  var departementsLayer = null, communesLayer = null, structuresLayer = L.layerGroup().addTo(map);
  var meta = null, loadedDepartement = null;

  function fmt(value, digits) {
    if (value === null || value === undefined) return "non disponible";
    return value.toLocaleString("fr-FR", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  function bounds() {
    if (meta && meta.bornes_classes) return meta.bornes_classes;
    return GP_BOUNDS;
  }
  function official() { return sourceSelect.value === "officielle" && meta && meta.officielle; }
  function valueOf(p) { return official() ? p.apl_officielle : p.apl; }
  function departementStyle(f) {
    return { color: "#555", weight: 0.8, fillColor: colorFor(valueOf(f.properties)), fillOpacity: loadedDepartement ? 0.25 : 0.8 };
  }
  var highlighted = {};  // communes of the chosen set (a project's territory), outlined
  function communeStyle(f) {
    var under = f.properties.sous_dense, vivier = f.properties.vivier;
    var style = { color: under ? "#67000d" : (vivier ? "#b34000" : "#777"), weight: under ? 2 : (vivier ? 1.5 : 0.4), dashArray: vivier ? "4 3" : null, fillColor: colorFor(valueOf(f.properties)), fillOpacity: 0.85, className: "commune" };
    if (highlighted[f.properties.code]) { style.color = "#000091"; style.weight = 3; style.className = "commune commune-ensemble"; }
    return style;
  }
  function colorFor(value) {
    if (value === null || value === undefined) return "#cccccc";
    var b = bounds(), i = 0;
    while (i < b.length && value >= b[i]) i++;
    return COLORS[i];
  }
  function params() {
    return "profession=" + encodeURIComponent(professionSelect.value) + "&variante=" + encodeURIComponent(varianteSelect.value);
  }
  function legend() {
    var b = bounds(), digits = b[0] < 10 ? 1 : 0, rows = [];
    var labels = ["moins de " + fmt(b[0], digits)];
    for (var i = 0; i < b.length - 1; i++) labels.push(fmt(b[i], digits) + " à " + fmt(b[i + 1], digits));
    labels.push(fmt(b[b.length - 1], digits) + " et plus");
    rows.push("<strong>" + (official() ? "APL officielle " + meta.officielle.annee + " (DREES)" : "APL estimée (OASIS)") + "</strong> — " + (meta ? meta.unite : ""));
    labels.forEach(function (label, i) {
      rows.push('<div><span class="swatch" style="background:' + COLORS[i] + '"></span>' + label + "</div>");
    });
    rows.push('<div><span class="swatch" style="background:#cccccc"></span>non calculé</div>');
    rows.push('<div class="muted">Cerclées : communes sous-denses selon l\'arrêté de l\'ARS, sinon l\'APL officielle de la DREES (règle nationale), sinon l\'estimation OASIS ; en pointillé : vivier, où l\'ARS décide.</div>');
    document.getElementById("legend").innerHTML = rows.join("");
  }
  function provenance() {
    if (!meta) return;
    var offre = meta.offre || {};
    document.getElementById("provenance").textContent =
      "APL estimée (OASIS) : " + professionSelect.options[professionSelect.selectedIndex].text.toLowerCase() +
      " (" + varianteSelect.options[varianteSelect.selectedIndex].text.toLowerCase() + ")" +
      " ; offre : " + (offre.source === "bpe" ? "BPE " + offre.millesime + " (activité imputée)" : "activité importée " + (offre.millesime || "")) +
      " ; temps de trajet : " + meta.temps_de_trajet + " ; moyenne nationale " + fmt(meta.apl_moyen_national, 2) + "." +
      (meta.officielle ? " APL officielle : " + meta.officielle.source + "." : " Aucune APL officielle importée pour cette profession.");
    var option = sourceSelect.querySelector('option[value="officielle"]');
    option.disabled = !meta.officielle;
    if (!meta.officielle && sourceSelect.value === "officielle") sourceSelect.value = "modele";
  }
  function popup(p, isCommune) {
    var html = "<strong>" + p.nom + "</strong> (" + p.code + ")";
    if (meta && meta.officielle) html += "<br>APL officielle " + meta.officielle.annee + " (DREES) : " + fmt(p.apl_officielle, 2);
    html += "<br>APL estimée (OASIS) : " + fmt(p.apl, 2) + " " + (meta ? meta.unite : "");
    if (isCommune) {
      html += "<br>Population : " + fmt(p.population, 0);
      if (p.verdict) html += "<br>Commune <strong>" + p.verdict + "</strong> : " + p.verdict_libelle;
      if (p.maisons_de_sante || p.centres_de_sante) html += "<br>Maisons de santé : " + p.maisons_de_sante + " · centres de santé : " + p.centres_de_sante;
      html += '<br><a href="/territoires/commune/' + p.code + '/etat-des-lieux/">État des lieux</a>';
    } else {
      if (p.part_sous_dense !== null && p.part_sous_dense !== undefined) html += "<br>Population en commune sous-dense : " + fmt(100 * p.part_sous_dense, 0) + " % (arrêté de l'ARS, sinon APL officielle, sinon estimation)";
      html += '<br><a href="/territoires/departement/' + p.code + '/etat-des-lieux/">État des lieux</a>';
    }
    return html;
  }
  function answer(r) {
    // A refusal (429: too many computations from this address) says why in « detail »: shown instead of the layer.
    if (r.ok) return r.json();
    return r.json().catch(function () { return {}; }).then(function (d) {
      throw new Error(typeof d.detail === "string" ? d.detail : "Chargement impossible (erreur " + r.status + ").");
    });
  }
  function refused(e) { status.textContent = e.message; }
  function loadDepartements() {
    status.textContent = "Chargement des départements…";
    return fetch("/api/carte/departements?" + params()).then(answer).then(function (data) {
      meta = data.oasis;
      if (departementsLayer) map.removeLayer(departementsLayer);
      departementsLayer = L.geoJSON(data, {
        style: departementStyle,
        onEachFeature: function (f, layer) {
          layer.bindTooltip(f.properties.nom + " : " + fmt(valueOf(f.properties), 2));
          layer.on("click", function () { loadCommunes(f.properties.code, layer.getBounds()); });
        }
      }).addTo(map);
      legend(); provenance();
      status.textContent = "Départements affichés.";
      container.setAttribute("data-ready", "departements");
    }).catch(refused);
  }
  function loadCommunes(code, zoomTo) {
    status.textContent = "Chargement des communes…";
    return fetch("/api/carte/communes/" + encodeURIComponent(code) + "?" + params()).then(answer).then(function (data) {
      meta = data.oasis;
      loadedDepartement = code;
      if (communesLayer) map.removeLayer(communesLayer);
      structuresLayer.clearLayers();
      if (departementsLayer) departementsLayer.setStyle({ fillOpacity: 0.25 });
      communesLayer = L.geoJSON(data, {
        style: communeStyle,
        onEachFeature: function (f, layer) {
          layer.bindPopup(popup(f.properties, true), POPUP);
          layer.bindTooltip(f.properties.nom);
          if (f.properties.maisons_de_sante || f.properties.centres_de_sante) {
            var pt = f.properties.point;
            L.circleMarker([pt[1], pt[0]], { radius: 6, color: "#000", weight: 2, fillColor: "#fff", fillOpacity: 1, className: "structure" })
              .bindTooltip(f.properties.nom + " : " + f.properties.maisons_de_sante + " maison(s), " + f.properties.centres_de_sante + " centre(s) de santé")
              .addTo(structuresLayer);
          }
        }
      }).addTo(map);
      (meta.structures_finess || []).forEach(function (s) {
        L.circleMarker([s.point[1], s.point[0]], { radius: 5, color: "#000091", weight: 2, fillColor: "#cacafb", fillOpacity: 1, className: "structure-finess" })
          .bindTooltip(s.nom + " — " + s.categorie + (s.ouverture ? ", ouverte le " + s.ouverture : "") + " (FINESS " + s.finess + ")")
          .addTo(structuresLayer);
      });
      loadValidated(code);
      if (!structuresBox.checked) map.removeLayer(structuresLayer);
      if (zoomTo) map.fitBounds(zoomTo); else map.fitBounds(communesLayer.getBounds());
      legend(); provenance();
      status.textContent = data.features.length + " communes affichées (" + code + ").";
      container.setAttribute("data-ready", "communes-" + code);
    }).catch(refused);
  }
  // Projects validated by the committee, not yet open: the count for everyone, the projects for those who follow them.
  var validatedNote = document.getElementById("validated-note");
  function loadValidated(code) {
    return fetch("/carte/projets-valides.json?departement=" + encodeURIComponent(code), { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (data) {
      if (!data || loadedDepartement !== code) return;
      data.projets.forEach(function (p) {
        L.circleMarker([p.point[1], p.point[0]], { radius: 8, color: "#18753c", weight: 3, dashArray: "3 3", fillColor: "#b8fec9", fillOpacity: 0.9, className: "projet-valide" })
          .bindTooltip("Projet validé, pas encore ouvert : " + p.nom + " (" + p.commune + "), validé le " + p.valide_le)
          .addTo(structuresLayer);
      });
      if (validatedNote) {
        validatedNote.textContent = data.total
          ? data.total + " projet(s) validé(s) par le comité, pas encore ouvert(s), dans ce département" +
            (data.projets.length < data.total ? " (" + data.projets.length + " que vous suivez, sur la carte)." : ".")
          : "Aucun projet validé en attente d'ouverture dans ce département.";
      }
      container.setAttribute("data-validated", String(data.projets.length));
    });
  }
  function goTo(niveau, code) {
    return fetch("/api/territoires/" + niveau + "/" + encodeURIComponent(code) + "/emprise").then(function (r) {
      if (!r.ok) throw new Error("territoire inconnu");
      return r.json();
    }).then(function (box) {
      var b = L.latLngBounds([box.sud, box.ouest], [box.nord, box.est]);
      highlighted = {};
      (box.communes || []).forEach(function (c) { highlighted[c] = true; });
      if (box.departements.length <= 3) return loadCommunes(box.departements[0], b);
      map.fitBounds(b);
    }).catch(function (e) { status.textContent = "Territoire introuvable."; });
  }
  function reload() {
    var code = loadedDepartement;
    loadDepartements().then(function () { if (code) loadCommunes(code, map.getBounds()); });
  }
  professionSelect.addEventListener("change", reload);
  varianteSelect.addEventListener("change", reload);
  sourceSelect.addEventListener("change", function () {
    if (departementsLayer) departementsLayer.setStyle(departementStyle);
    if (communesLayer) communesLayer.setStyle(communeStyle);
    legend();
  });
  structuresBox.addEventListener("change", function () {
    if (structuresBox.checked) structuresLayer.addTo(map); else map.removeLayer(structuresLayer);
  });
  var search = document.getElementById("map-search"), list = document.getElementById("map-suggestions"), timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    var q = search.value.trim();
    if (q.length < 2) { list.hidden = true; return; }
    timer = setTimeout(function () {
      fetch("/api/recherche?limit=8&q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (items) {
        list.innerHTML = "";
        items.forEach(function (item) {
          var li = document.createElement("li"), a = document.createElement("a");
          a.href = "#"; a.textContent = item.nom + " — " + item.contexte;
          a.addEventListener("click", function (e) { e.preventDefault(); list.hidden = true; search.value = item.nom; goTo(item.niveau, item.code); });
          li.appendChild(a); list.appendChild(li);
        });
        list.hidden = items.length === 0;
      });
    }, 150);
  });
  loadDepartements().then(function () {
    var target = container.getAttribute("data-territoire");
    if (target) {
      var parts = target.split(":"), niveaux = { com: "commune", epci: "epci", dep: "departement", reg: "region", set: "set" };
      if (niveaux[parts[0]]) goTo(niveaux[parts[0]], parts[1]);
    }
  });
})();
