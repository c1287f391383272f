/* big-layer.js: the large-map path's layer (instead of markers.js when the payload says
   renderer "canvas", geo/render/columns.py): the clusters and places of big-grid.js drawn on one
   canvas, and over each one drawn a transparent button that the pointer and the keyboard use
   (Tab reaches them in reading order, Enter opens a place's popup or zooms into a cluster).
   Only what is in view is drawn, so the page holds a few hundred elements, not one per place.
   Same interface as markerLayer: load(), reveal(p, done), drawn(p). */

var BIG_MAX_SPOTS = 1500; /* buttons at most; the canvas draws every item in view */
var BIG_CLUSTER_COLORS = [ /* markercluster's (MarkerCluster.Default.css): ring, disc */
  ["rgba(181,226,140,0.6)", "rgba(110,204,57,0.6)"],
  ["rgba(241,211,87,0.6)", "rgba(240,194,12,0.6)"],
  ["rgba(253,156,115,0.6)", "rgba(241,128,23,0.6)"]
];

function useBigLayer(app) {
  return app.d.renderer === "canvas";
}

/* A count in at most five characters: 999, 12.3k, 123k, 1.2M. */
function shortCount(n) {
  if (n < 1000) return String(n);
  if (n < 1e6) return (n < 1e5 ? (n / 1e3).toFixed(1) : Math.round(n / 1e3)) + "k";
  return (n / 1e6).toFixed(1) + "M";
}

/* The look of a place's count badge, as map.css gives it to markers.js's (.pm-badge). */
function badgeStyle(map) {
  var probe = map.getContainer().appendChild(el("span", "pm-badge"));
  var style = window.getComputedStyle(probe);
  var out = { background: style.backgroundColor, color: style.color,
    font: style.fontWeight + " " + style.fontSize + " " + style.fontFamily };
  probe.remove();
  return out;
}

var BigCanvas = L.Layer.extend({
  initialize: function (options) {
    L.setOptions(this, options);
  },
  onAdd: function (map) {
    var pane = map.getPane("pm-big") || map.createPane("pm-big");
    pane.style.zIndex = 600; /* with the markers, beneath the popups (700) */
    this._box = L.DomUtil.create("div", "pm-big leaflet-zoom-animated", pane);
    this._canvas = L.DomUtil.create("canvas", "pm-big-canvas", this._box);
    this._canvas.style.cssText = "position:absolute;left:0;top:0;pointer-events:none";
    this._spots = L.DomUtil.create("div", "pm-big-spots", this._box);
    this._spots.setAttribute("role", "group");
    this._spots.setAttribute("aria-label", "Protests on the map");
    map.on("moveend resize", this.redraw, this);
    map.on("zoomanim", this._animate, this);
    map.on("zoomstart", this._hideSpots, this);
    this.redraw();
  },
  onRemove: function (map) {
    map.off("moveend resize", this.redraw, this);
    map.off("zoomanim", this._animate, this);
    map.off("zoomstart", this._hideSpots, this);
    L.DomUtil.remove(this._box);
  },
  _hideSpots: function () {
    this._spots.style.visibility = "hidden";
  },
  /* While the zoom animates, the drawing is scaled about the new centre, as Leaflet does for
     its own overlays. */
  _animate: function (e) {
    if (!this._bounds) return;
    var map = this._map, scale = map.getZoomScale(e.zoom, map.getZoom());
    var offset = map._latLngBoundsToNewLayerBounds(this._bounds, e.zoom, e.center).min;
    L.DomUtil.setTransform(this._box, offset, scale);
  },
  redraw: function () {
    var map = this._map;
    if (!map) return;
    var size = map.getSize(), ratio = window.devicePixelRatio || 1;
    this._bounds = map.getBounds();
    L.DomUtil.setPosition(this._box, map.containerPointToLayerPoint([0, 0]));
    var canvas = this._canvas;
    canvas.width = Math.round(size.x * ratio);
    canvas.height = Math.round(size.y * ratio);
    canvas.style.width = size.x + "px";
    canvas.style.height = size.y + "px";
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, size.x, size.y);
    this.items = bigItems(this.options.app, this.options.world, map.getPixelBounds(),
      map.getZoom());
    this.items.forEach(function (item) { this.options.paint(ctx, item); }, this);
    this.options.spots(this._spots, this.items.filter(function (item) {
      return item.x >= 0 && item.y >= 0 && item.x <= size.x && item.y <= size.y;
    }));
    this._spots.style.visibility = "";
  }
});

/* Sets app.loading and app.pending (always false here: drawing takes one pass); load() draws
   again after a change of filters. */
function bigLayer(app) {
  var map = app.map, world = bigWorld(app), paths = {}, placed = new Uint8Array(app.places);
  var drawnList = [], firstLoad = true, badge = badgeStyle(map);
  app.loading = false;
  app.pending = false;

  function path(shape) {
    paths[shape] = paths[shape] || new Path2D(shape);
    return paths[shape];
  }

  /* A place as markers.js draws it: the kind's symbol of its first event shown (dashed and
     lighter when approximate), and a badge counting its protests when there are several. */
  function paintPlace(ctx, item) {
    var first = firstShown(app, item.place), style = kindStyle(app, first);
    var approx = precisionStyle(app, first).approximate;
    ctx.save();
    ctx.translate(item.x - 12, item.y - 12);
    ctx.shadowColor = "rgba(0,0,0,0.45)";
    ctx.shadowOffsetY = 1;
    ctx.shadowBlur = 1;
    ctx.globalAlpha = approx ? 0.55 : 1;
    ctx.fillStyle = style.color;
    ctx.fill(path(style.shape));
    ctx.globalAlpha = 1;
    ctx.shadowColor = "transparent";
    ctx.lineWidth = 2;
    ctx.strokeStyle = approx ? style.color : "#fff";
    ctx.setLineDash(approx ? [3, 2] : []);
    ctx.stroke(path(style.shape));
    if (item.count > 1) {
      var text = item.count > 99 ? "99+" : String(item.count);
      ctx.font = badge.font;
      var w = Math.max(16, ctx.measureText(text).width + 6);
      ctx.fillStyle = badge.background;
      ctx.beginPath();
      ctx.roundRect(14, -8, w, 16, 8);
      ctx.fill();
      ctx.fillStyle = badge.color;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(text, 14 + w / 2, 0.5);
    }
    ctx.restore();
  }

  /* A cluster as markercluster draws it: a ring and a disc coloured by size, and its count of
     protests. */
  function paintCluster(ctx, item) {
    var color = BIG_CLUSTER_COLORS[item.count < 10 ? 0 : item.count < 100 ? 1 : 2];
    ctx.fillStyle = color[0];
    ctx.beginPath();
    ctx.arc(item.x, item.y, 20, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = color[1];
    ctx.beginPath();
    ctx.arc(item.x, item.y, 15, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = "#000";
    ctx.font = '12px "Helvetica Neue", Arial, Helvetica, sans-serif';
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(shortCount(item.count), item.x, item.y);
  }

  function paint(ctx, item) {
    if (item.places === 1) paintPlace(ctx, item);
    else paintCluster(ctx, item);
  }

  function spotClick(e) {
    L.DomEvent.stop(e);
    var b = e.currentTarget, byKey = e.detail === 0; /* a click made with the keyboard */
    if (b.hasAttribute("data-place")) {
      app.popups.opener = byKey ? b : null;
      app.popups.openPlace(+b.getAttribute("data-place"), byKey);
      return;
    }
    var bounds = bigCellBounds(app, world, b.getAttribute("data-cell"));
    if (!bounds) return;
    var zoom = Math.max(map.getZoom() + 1,
      Math.min(map.getBoundsZoom(bounds, false, L.point(40, 40)), BIG_LAST_ZOOM + 1));
    if (byKey) map.once("moveend", function () { focusSpot(null); }); /* the first one */
    map.setView(L.latLngBounds(bounds).getCenter(), zoom, { animate: !reducedMotion() });
  }

  function focusSpot(cell) {
    var next = layer._spots.querySelector('[data-key="' + cell + '"]') ||
      layer._spots.querySelector(".pm-spot");
    if (next) next.focus({ preventScroll: true });
  }

  /* One button per item drawn with its centre in view (BIG_MAX_SPOTS at most), in reading
     order; the focus stays on the same place or cluster when they are made again. */
  function spots(box, items) {
    var active = document.activeElement, had = active && box.contains(active) ?
      active.getAttribute("data-key") : null;
    var opener = app.popups && app.popups.opener;
    drawnList.forEach(function (p) { placed[p] = 0; });
    drawnList = [];
    var frag = document.createDocumentFragment();
    items.slice(0, BIG_MAX_SPOTS).forEach(function (item) {
      var b = el("button", "pm-spot");
      b.type = "button";
      b.setAttribute("data-key", item.cell);
      var r = item.places === 1 ? 13 : 20;
      b.style.cssText = "position:absolute;left:" + (item.x - r) + "px;top:" + (item.y - r) +
        "px;width:" + 2 * r + "px;height:" + 2 * r + "px;padding:0;margin:0;border:0;" +
        "border-radius:50%;background:transparent;cursor:pointer;pointer-events:auto";
      if (item.places === 1) {
        b.setAttribute("data-place", String(item.place));
        b.setAttribute("aria-label", placeLabel(app, item.place));
      } else {
        b.setAttribute("data-cell", item.cell);
        b.setAttribute("aria-label", num(item.count) + " " + t("clusterHint"));
      }
      b.title = b.getAttribute("aria-label");
      L.DomEvent.on(b, "click", spotClick);
      L.DomEvent.disableClickPropagation(b);
      frag.appendChild(b);
    });
    layer.items.forEach(function (item) {
      if (item.places === 1) {
        placed[item.place] = 1;
        drawnList.push(item.place);
      }
    });
    box.textContent = "";
    box.appendChild(frag);
    if (had) focusSpot(had);
    if (opener && !opener.isConnected && opener.classList.contains("pm-spot")) {
      app.popups.opener = box.querySelector('[data-key="' + opener.getAttribute("data-key") +
        '"]') || null;
    }
  }

  var layer = new BigCanvas({ app: app, world: world, paint: paint, spots: spots });

  function load() {
    if (!layer._map) layer.addTo(map);
    else layer.redraw();
    app.circles.update();
    if (firstLoad) {
      firstLoad = false;
      requestAnimationFrame(function () { app.resolveReady(app); });
    }
    map.fire("pmloaded"); /* as markers.js: the places of the filters' latest state are drawn */
  }

  map.on("moveend", function () { app.circles.update(); });
  return {
    load: load,
    /* Zoom in until place p is drawn on its own, then call done. */
    reveal: function (p, done) {
      var zoom = bigAloneZoom(app, world, p, map.getZoom());
      if (zoom !== map.getZoom()) {
        map.setView([app.d.place_lat[p], app.d.place_lon[p]], zoom, { animate: false });
      }
      done();
    },
    drawn: function (p) {
      return !!placed[p];
    },
    /* The places' buttons named again (once the venues' names are read: "late_text"). */
    relabel: function () {
      if (!layer._spots) return;
      layer._spots.querySelectorAll(".pm-spot[data-place]").forEach(function (b) {
        var label = placeLabel(app, +b.getAttribute("data-place"));
        b.setAttribute("aria-label", label);
        b.title = label;
      });
    },
    layer: layer
  };
}
