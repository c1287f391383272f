/* controls.js: the map's own controls and view: full screen, the first view that fits every
   point, and the wheel inside an article's iframe. */

var Fullscreen = L.Control.extend({
  options: { position: "topleft" },
  onAdd: function () {
    var bar = el("div", "leaflet-bar pm-fullscreen");
    var button = el("button", null);
    button.type = "button";
    button.innerHTML = '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" ' +
      'focusable="false"><path d="M3 9V3h6M15 3h6v6M21 15v6h-6M9 21H3v-6" fill="none" ' +
      'stroke="currentColor" stroke-width="2.4"/></svg>';
    function update() {
      var on = !!document.fullscreenElement;
      var label = t(on ? "leaveFullScreen" : "fullScreen");
      button.setAttribute("aria-label", label);
      button.title = label;
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
    update();
    L.DomEvent.on(button, "click", function (e) {
      L.DomEvent.stop(e);
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    });
    document.addEventListener("fullscreenchange", update);
    L.DomEvent.disableClickPropagation(bar);
    bar.appendChild(button);
    return bar;
  }
});

/* The first view: every place and related place, then the legend folded if it hides one. */
function fit(app) {
  var d = app.d;
  var south = Infinity, north = -Infinity, west = Infinity, east = -Infinity;
  function add(lat, lon) {
    if (lat < south) south = lat;
    if (lat > north) north = lat;
    if (lon < west) west = lon;
    if (lon > east) east = lon;
  }
  for (var p = 0; p < app.places; p++) add(d.place_lat[p], d.place_lon[p]);
  d.context.forEach(function (c) { add(c.lat, c.lon); });
  if (south === Infinity) return;
  var map = app.map, snap = map.options.zoomSnap, wide = isWide();
  map.options.zoomSnap = 0.25; /* the closest view that holds them all, on a phone too */
  map.fitBounds([[south, west], [north, east]], {
    paddingTopLeft: wide ? [48, 28] : [40, 20], paddingBottomRight: wide ? [28, 28] : [16, 16],
    maxZoom: 12, animate: false
  });
  map.options.zoomSnap = snap;
  clearLegend(app);
}

/* In an iframe the wheel scrolls the article: it zooms the map only with Ctrl/Cmd held, or
   after a click on the map, until the pointer or the focus leaves the frame (same-origin or
   not). One finger scrolls the article too; two move and zoom the map (setUpTouch). */
function setUpWheel(map) {
  if (!inFrame()) return;
  var container = map.getContainer();
  map.scrollWheelZoom.disable();
  var hint = el("div", "pm-wheel-hint", t("wheelHint"));
  hint.setAttribute("aria-hidden", "true");
  container.appendChild(hint);
  var timer = null;
  container.addEventListener("wheel", function (e) {
    if (map.scrollWheelZoom.enabled()) {
      active();
      return;
    }
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      var at = map.mouseEventToContainerPoint(e);
      map.setZoomAround(at, map.getZoom() + (e.deltaY < 0 ? 1 : -1));
      return;
    }
    hint.classList.add("pm-visible");
    clearTimeout(timer);
    timer = setTimeout(function () { hint.classList.remove("pm-visible"); }, 1500);
  }, { passive: false });
  /* A cross-origin frame is not told when the pointer leaves it: the wheel rule comes back
     after IDLE ms without the pointer moving over the map. */
  var IDLE = 2000, idle = null;
  function active() {
    clearTimeout(idle);
    idle = setTimeout(disable, IDLE);
  }
  function enable() {
    map.scrollWheelZoom.enable();
    hint.classList.remove("pm-visible");
    active();
  }
  container.addEventListener("mousemove", function () {
    if (map.scrollWheelZoom.enabled()) active();
  });
  container.addEventListener("click", enable);
  container.addEventListener("focus", enable);
  function disable() {
    map.scrollWheelZoom.disable();
  }
  container.addEventListener("mouseleave", disable);
  document.documentElement.addEventListener("mouseleave", disable); /* out of the frame */
  window.addEventListener("blur", disable);
  setUpTouch(map);
}
