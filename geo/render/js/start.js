/* start.js: start-up. ProtestMap.start, given the map and the ids of the data elements, reads
   the payload, makes the page's state (window.protestMap) and each part in turn, and says on
   <html data-pm-state> whether the map is loading, ready or failed. */

/* The page's state, shared by the parts: the map, the payload's head (d, with the report texts
   added once read), which events pass the filters (shown, placeCount, total), and the parts
   (markerLayer, circles, popups, legend, filters, panel, list). readRest: resolves to the
   payload's tail. */
function App(map, d, outlines, readRest) {
  if (d.format !== FORMAT) {
    throw new Error("map data format " + d.format + " is not supported by this page");
  }
  var app = this;
  this.map = map;
  this.d = d;
  this.n = d.n;
  this.s = d.strings;
  this.shown = new Uint8Array(this.n);
  this.total = 0;
  localizeVocabulary(d);
  if (!bigIndexPlaces(this)) indexPlaces(this);
  /* Strings of head columns in the tail (payload "late_text": the venues' names when they are
     many): until the tail is read, titles say the city (eventTitle); then they are said again. */
  this.readRest = !d.late_text ? readRest : function () {
    return readRest().then(function (tail) {
      app.list.retitle();
      if (app.markerLayer.relabel) app.markerLayer.relabel();
      return tail;
    });
  };
  this.rest = null;
  this.ready = new Promise(function (resolve) { app.resolveReady = resolve; });

  var container = map.getContainer();
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", t("map"));
  container.setAttribute("aria-describedby", "pm-description");

  addBasemap(map, outlines);
  this.circles = circleLayer(this);
  this.markerLayer = useBigLayer(this) ? bigLayer(this) : markerLayer(this);
  this.popups = popups(this);
  addContext(this);
  this.legend = makeLegend(this);
  this.filters = makeFilters(this);
  this.panel = panel(this);
  this.list = eventList(this);
  setUpWheel(map);
  setUpKeys(this);
  setUpFrameLinks(this);
  if (document.fullscreenEnabled) new Fullscreen().addTo(map);
  map.attributionControl.addAttribution(textHtml(d.attribution));
  map.attributionControl.addAttribution(
    '<a href="https://www.naturalearthdata.com/" target="_blank" rel="noopener">' +
    attr(t("outlines")) + "</a>");
  describeInLanguage(this);
  languageSwitch();
  localizeControls(map);
  fit(this);
  applyFilters(this);
  setUpPermalinks(this);
  setUpPrint(this);
  searchBox(this);
  /* on a large map the histogram comes after the first frame: the clusters first */
  if (useBigLayer(this)) {
    this.ready.then(function () { setTimeout(function () { timeline(app); }, 0); });
  } else {
    timeline(this);
  }
  downloads(this);
}

function showError(map, error) {
  var box = el("div", "pm-error");
  box.setAttribute("role", "alert");
  box.textContent = t("failed", { text: error && error.message ? error.message : String(error) });
  (map && map.getContainer ? map.getContainer() : document.body).appendChild(box);
}

window.ProtestMap = {
  start: function (map, ids) {
    setState("loading");
    setUpLanguage(ids.i18n);
    var data = readData(ids.data);
    Promise.all([data.head, readData(ids.basemap).head]).then(function (parts) {
      var app = new App(map, parts[0], parts[1], data.rest);
      window.protestMap = app;
      return app.ready;
    }).then(function (app) {
      setState("ready");
      return new Promise(function (resolve) { requestAnimationFrame(resolve); }).then(function () {
        return details(app); /* the report texts, once the map is on screen */
      });
    }).catch(function (error) {
      setState("error");
      showError(map, error);
      console.error(error);
    });
  }
};
