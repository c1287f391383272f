/* legend.js: the legend (kinds of place and how exact the locations are, with counts that
   follow the filters), folded away when it would hide a point of the first view. */

var Legend = L.Control.extend({
  options: { position: "topright" },
  onAdd: function () {
    return this.options.node;
  }
});

/* Adds the legend to the map; returns { node, update(kindCount, precisionCount) }. */
function makeLegend(app) {
  var d = app.d;
  var box = el("details", "pm-legend leaflet-control");
  box.open = isWide();
  box.appendChild(el("summary", null, t("legend")));
  var kindCells = [], precCells = [];
  var kinds = el("ul", "pm-legend-list");
  kinds.setAttribute("aria-label", t("kindsOfPlace"));
  var totals = new Array(d.kinds.length).fill(0);
  var precTotals = new Array(d.precisions.length).fill(0);
  for (var i = 0; i < app.n; i++) { totals[d.kind[i]]++; precTotals[d.precision[i]]++; }
  d.kind_style.forEach(function (style, k) {
    if (!totals[k]) return;
    var li = el("li");
    li.appendChild(symbolNode(style, false));
    li.appendChild(el("span", "pm-legend-label", style.label));
    kindCells[k] = li.appendChild(el("span", "pm-legend-count"));
    kinds.appendChild(li);
  });
  box.appendChild(el("h2", null, t("kindOfPlace")));
  box.appendChild(kinds);
  var precs = el("ul", "pm-legend-list");
  precs.setAttribute("aria-label", d.precision_swatch.label);
  d.precision_style.forEach(function (style, k) {
    if (!precTotals[k]) return;
    var li = el("li");
    var swatch = symbolNode(d.precision_swatch, style.approximate);
    if (style.radius) swatch.classList.add("pm-swatch-area");
    li.appendChild(swatch);
    li.appendChild(el("span", "pm-legend-label", style.legend));
    precCells[k] = li.appendChild(el("span", "pm-legend-count"));
    precs.appendChild(li);
  });
  box.appendChild(el("h2", null, t("location")));
  box.appendChild(precs);
  box.appendChild(el("p", "pm-legend-note", t("legendNote")));
  if (d.context.length) {
    var ctx = el("ul", "pm-legend-list");
    var li = el("li");
    li.appendChild(symbolNode(d.context_style, false));
    li.appendChild(el("span", "pm-legend-label", d.context_style.label));
    ctx.appendChild(li);
    box.appendChild(ctx);
  }
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);
  new Legend({ node: box }).addTo(app.map);
  return {
    update: function (kindCount, precCount) {
      kindCells.forEach(function (cell, k) { if (cell) cell.textContent = num(kindCount[k]); });
      precCells.forEach(function (cell, k) { if (cell) cell.textContent = num(precCount[k]); });
    },
    node: box
  };
}

/* Fold the legend away if it hides a point of the first view. */
function clearLegend(app) {
  var box = app.legend.node;
  if (!box.open) return;
  var map = app.map, d = app.d;
  var c = map.getContainer().getBoundingClientRect(), r = box.getBoundingClientRect();
  var left = r.left - c.left - 24, right = r.right - c.left + 24;
  var top = r.top - c.top - 40, bottom = r.bottom - c.top + 24;
  function hidden(lat, lon) {
    var p = map.latLngToContainerPoint([lat, lon]);
    return p.x >= left && p.x <= right && p.y >= top && p.y <= bottom;
  }
  for (var p = 0; p < app.places; p++) {
    if (hidden(d.place_lat[p], d.place_lon[p])) { box.open = false; return; }
  }
  d.context.forEach(function (ctx) { if (hidden(ctx.lat, ctx.lon)) box.open = false; });
}
