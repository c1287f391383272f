/* markers.js: one marker per place (events at the same point share it) in a
   Leaflet.markercluster layer, added in chunks; icons by kind and precision, clusters that
   count protests. */

/* A place's marker; its title is set when it is shown. */
var PlaceMarker = L.Marker.extend({
  onAdd: function (map) {
    L.Marker.prototype.onAdd.call(this, map);
    this._icon.setAttribute("data-place", String(this.pmPlace));
    this._icon.title = placeLabel(this.pmApp, this.pmPlace);
    return this;
  }
});

function placeLabel(app, p) {
  var first = firstShown(app, p), here = app.placeCount[p];
  return eventTitle(app, first) + ", " +
    (here > 1 ? count("protests", here) : dateText(app.d.day[first], endDay(app, first)));
}

/* Sets app.cluster, app.markers, app.loading and app.pending; load() puts the places with
   protests shown into the cluster layer (again after a change of filters). */
function markerLayer(app) {
  var map = app.map, icons = {};
  var progress = map.getContainer().appendChild(el("div", "pm-progress"));
  progress.setAttribute("role", "status");
  progress.hidden = true;
  app.loading = false;
  app.pending = false;

  /* A cluster counts protests, not places: the sum over its places of the events shown. */
  function clusterIcon(cluster) {
    var markers = cluster.getAllChildMarkers(), n = 0;
    for (var k = 0; k < markers.length; k++) n += app.placeCount[markers[k].pmPlace];
    var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + num(n) + '<span class="pm-sr"> ' + attr(t("clusterHint")) +
        "</span></span></div>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40)
    });
  }

  /* The icon of a place: the kind and precision of its first event shown, and a count when
     several are shown. Icons are shared: one per (kind, precision, count). */
  function placeIcon(p) {
    var first = firstShown(app, p), count = app.placeCount[p];
    var approx = precisionStyle(app, first).approximate;
    var badge = count > 1 ? (count > 99 ? "99+" : String(count)) : "";
    var key = app.d.kind[first] + "|" + approx + "|" + badge;
    if (!icons[key]) {
      icons[key] = L.divIcon({
        className: "pm-marker" + (approx ? " pm-approx" : ""),
        html: symbolMarkup(kindStyle(app, first), approx) +
          (badge ? '<span class="pm-badge">' + badge + "</span>" : ""),
        iconSize: [24, 24],
        iconAnchor: [12, 12]
      });
    }
    return icons[key];
  }

  function chunkProgress(done, total) {
    if (!app.loading) return; /* markercluster's own call from its onAdd */
    if (done < total) {
      progress.hidden = false;
      progress.textContent = t("placing", {
        protests: count("protests", app.total), percent: num(Math.floor(100 * done / total))
      });
      return;
    }
    setTimeout(function () {
      progress.hidden = true;
      app.loading = false;
      app.circles.update();
      if (app.pending) {
        app.pending = false;
        load();
      } else {
        app.resolveReady(app);
        map.fire("pmloaded"); /* the markers of the filters' latest state are in place */
      }
    }, 0);
  }

  function load() {
    if (app.loading) {
      app.pending = true;
      return;
    }
    app.loading = true;
    var list = [];
    for (var p = 0; p < app.places; p++) {
      if (!app.placeCount[p]) continue;
      app.markers[p].options.icon = placeIcon(p); /* drawn when the marker is added */
      list.push(app.markers[p]);
    }
    app.cluster.clearLayers();
    app.cluster.addLayers(list, true); /* true: no "layeradd" event per marker */
  }

  app.cluster = L.markerClusterGroup({
    chunkedLoading: true,
    chunkInterval: 150,
    chunkDelay: 5,
    chunkProgress: chunkProgress,
    animate: !reducedMotion(),
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    /* Places (not protests) are the markers, so nothing is hidden by not clustering at street
       level, and fewer clustering levels load 100,000 markers about twice as fast. Places
       closer together than a cluster's radius spiderfy at the last clustered zoom (13). */
    disableClusteringAtZoom: 14,
    maxClusterRadius: isWide() ? 80 : 44, /* pixels: on a phone the first view shows places */
    iconCreateFunction: clusterIcon
  }).addTo(map);
  app.cluster.on("click", function (e) {
    app.popups.opener = e.layer.getElement(); /* keys: keyboard.js */
    app.popups.openPlace(e.layer.pmPlace, false);
  });
  app.cluster.on("animationend spiderfied unspiderfied", function () { app.circles.update(); });
  map.on("moveend", function () { app.circles.update(); });

  var markers = new Array(app.places);
  for (var p = 0; p < app.places; p++) {
    var m = new PlaceMarker([app.d.place_lat[p], app.d.place_lon[p]], { keyboard: true });
    m.pmPlace = p;
    m.pmApp = app;
    markers[p] = m;
  }
  app.markers = markers;
  return {
    load: load,
    /* Zoom in until place p's marker is out of its cluster, then call done. */
    reveal: function (p, done) { app.cluster.zoomToShowLayer(markers[p], done); },
    drawn: function (p) { return !!markers[p].getElement(); }
  };
}
