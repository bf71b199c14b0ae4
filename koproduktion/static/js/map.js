/*
 * Maps of ideas, progressively enhanced (docs/maps.md): without JavaScript the server's drawing
 * (an SVG with numbered places) and the list of places stand where the map goes, and a place is
 * chosen from the town's gazetteer or typed as latitude/longitude. Here Leaflet takes the
 * drawing's place, the list folds away (it stays one click off), and the hints about clicking
 * the map appear.
 *
 * <div class="map" data-map data-tiles="{tile url}" data-features-id="{json_script id}"
 *      data-pick-lat="id_latitude" data-pick-lon="id_longitude" data-bounds="s,w,n,e"
 *      data-zoom-in="…" data-zoom-out="…" data-close-popup="…" data-picked="…"></div>
 *
 * The data-zoom-in … data-picked texts are the page's own, in its language: Leaflet's built-in
 * labels ("Zoom in", "Close popup", "Marker") are English only.
 */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  // Bidi controls (U+202A-U+202E, U+2066-U+2069) in a stored title would reorder the popup;
  // they are dropped, and the title is isolated from the status line next to it.
  function isolated(text) {
    return "<bdi>" + escapeHtml(String(text).replace(/[\u202A-\u202E\u2066-\u2069]/g, "")) + "</bdi>";
  }

  function setUp(element) {
    var text = element.dataset;
    // Leaflet guesses its icons' folder from its stylesheet, which fails once the static files
    // carry hashes in their names; the page names the icons instead.
    if (text.icon) {
      L.Icon.Default.imagePath = "";
      L.Icon.Default.mergeOptions({
        iconUrl: text.icon, iconRetinaUrl: text.icon2x, shadowUrl: text.iconShadow
      });
    }
    var drawing = element.previousElementSibling;
    if (drawing && drawing.hasAttribute("data-map-static")) { drawing.hidden = true; }
    var list = element.nextElementSibling;
    if (list && list.hasAttribute("data-map-list")) { list.open = false; }
    element.hidden = false;
    var around = element.closest("fieldset") || element.parentNode;
    Array.prototype.forEach.call(around.querySelectorAll("[data-map-hint]"), function (hint) {
      hint.hidden = false;
    });
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false });
    L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && text.closePopup) { close.setAttribute("aria-label", text.closePopup); close.title = text.closePopup; }
    });
    var tiles = element.dataset.tiles;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    var bounds = null;
    if (element.dataset.bounds) {
      var b = element.dataset.bounds.split(",").map(Number);
      bounds = L.latLngBounds([b[0], b[1]], [b[2], b[3]]);
    }
    var features = null;
    if (element.dataset.featuresId) {
      var data = document.getElementById(element.dataset.featuresId);
      features = data ? JSON.parse(data.textContent) : null;
    }
    var layer = L.geoJSON(features, {
      // Each marker is named by its idea, not "Marker".
      pointToLayer: function (feature, latlng) {
        return L.marker(latlng, { alt: String(feature.properties.title || ""), title: String(feature.properties.title || "") });
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        marker.bindPopup('<a href="' + encodeURI(p.url) + '">' + isolated(p.title) + "</a><br>" +
          escapeHtml(p.status_label));
      }
    }).addTo(map);
    if (features && features.features.length) {
      map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
    } else if (bounds) {
      map.fitBounds(bounds);
    } else {
      map.setView([51.16, 10.45], 6);
    }

    var latInput = element.dataset.pickLat && document.getElementById(element.dataset.pickLat);
    var lonInput = element.dataset.pickLon && document.getElementById(element.dataset.pickLon);
    if (latInput && lonInput) {
      var picked = null;
      function place(latlng) {
        if (picked) { picked.setLatLng(latlng); } else { picked = L.marker(latlng, { alt: text.picked || "" }).addTo(map); }
      }
      if (latInput.value && lonInput.value) {
        place([Number(latInput.value), Number(lonInput.value)]);
        map.setView([Number(latInput.value), Number(lonInput.value)], 16);
      }
      map.on("click", function (event) {
        // The fields may sit folded away; they show what the click set.
        var folded = latInput.closest("details");
        if (folded) { folded.open = true; }
        latInput.value = event.latlng.lat.toFixed(6);
        lonInput.value = event.latlng.lng.toFixed(6);
        place(event.latlng);
      });
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
