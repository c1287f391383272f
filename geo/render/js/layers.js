/* layers.js: what is drawn besides the protests' markers: the country outlines beneath the
   tiles, the faint circles of approximate points, and the related places (context.csv). */

var MAX_CIRCLES = 300;

function addBasemap(map, outlines) {
  var pane = map.createPane("pm-basemap");
  pane.style.zIndex = 150; /* beneath the tiles (200): seen only where tiles are missing */
  L.geoJSON(outlines, {
    pane: "pm-basemap",
    interactive: false,
    style: { color: "#8a8a80", weight: 0.8, fillColor: "#f3f1e8", fillOpacity: 1 }
  }).addTo(map);
  map.getContainer().classList.add("pm-has-basemap");
}

/* The uncertainty circles of the places on the map (at most MAX_CIRCLES, near the view). */
function circleLayer(app) {
  var layer = L.layerGroup().addTo(app.map);
  function update() {
    var d = app.d, map = app.map;
    layer.clearLayers();
    if (!app.markerLayer) return;
    var b = map.getBounds().pad(0.5);
    var south = b.getSouth(), north = b.getNorth(), west = b.getWest(), east = b.getEast();
    var drawn = 0;
    for (var p = 0; p < app.places && drawn < MAX_CIRCLES; p++) {
      if (!app.placeCount[p]) continue;
      var lat = d.place_lat[p], lon = d.place_lon[p];
      if (lat < south || lat > north || lon < west || lon > east) continue;
      if (p !== app.popups.place && !app.markerLayer.drawn(p)) continue; /* not on the map */
      var first = firstShown(app, p);
      var radius = precisionStyle(app, first).radius;
      if (!radius) continue;
      var color = kindStyle(app, first).color;
      layer.addLayer(L.circle([lat, lon], {
        radius: radius, interactive: false, color: color, weight: 1, opacity: 0.6,
        dashArray: "4 4", fillColor: color, fillOpacity: 0.08, className: "pm-uncertainty"
      }));
      drawn++;
    }
  }
  return { update: update };
}

/* The related places: a star each, with its city's name, and the circle of its precision. */
function addContext(app) {
  var d = app.d, style = d.context_style;
  if (!d.context.length) return;
  document.documentElement.style.setProperty("--pm-context-color", style.color);
  var icon = L.divIcon({
    className: "pm-marker pm-context-marker",
    html: symbolMarkup(style, false, 30, 1.6),
    iconSize: [30, 30],
    iconAnchor: [15, 15]
  });
  var layer = L.layerGroup().addTo(app.map);
  d.context.forEach(function (c, k) {
    var radius = d.precision_style[c.precision].radius;
    if (radius) {
      L.circle([c.lat, c.lon], {
        radius: radius, interactive: false, color: style.color, weight: 1, dashArray: "4 4",
        fillColor: style.color, fillOpacity: 0.06
      }).addTo(layer);
    }
    var m = L.marker([c.lat, c.lon],
      { icon: icon, keyboard: true, title: c.name, zIndexOffset: 1000 });
    m.bindTooltip(el("span", null, c.city || c.name), {
      permanent: true, direction: "top", offset: [0, -14], className: "pm-context-label"
    });
    m.on("click", function () {
      app.popups.opener = m.getElement();
      app.popups.showContext(k, false);
    });
    m.on("add", function () { m.getElement().setAttribute("data-context", String(k)); });
    m.addTo(layer);
  });
}
