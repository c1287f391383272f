/* big-grid.js: the large-map path's clusters (geo/render/columns.py chooses that path). The places
   with protests shown are put in a grid of BIG_CELL-pixel cells at the map's zoom, anchored to
   the world (not the view), so a cluster is the same wherever the map is panned. Only the
   cells in view are counted: one pass over the places per redraw, no index to build, so a
   change of filters costs one pass too. Above BIG_LAST_ZOOM every place is drawn on its own. */

var BIG_CELL = 64;      /* px: the side of a cell, about markercluster's 80 px radius */
var BIG_LAST_ZOOM = 13; /* the last zoom with clusters, as markers.js (disableClusteringAtZoom) */

/* The places' points at zoom 0 in Web Mercator pixels (256 px around the world), as Leaflet's
   map.project(latlng, 0) gives them: {x, y}, Float64Arrays; with `place` (each event's place),
   also the events of each place (bigPlaceIndex: start, order). Run where the head block is
   decoded (big-data.js), so in its worker too: it uses nothing else. */
function bigProjection(lats, lons, place) {
  var n = lats.length, x = new Float64Array(n), y = new Float64Array(n);
  var LIMIT = 85.0511287798;
  for (var p = 0; p < n; p++) {
    var lat = Math.max(-LIMIT, Math.min(LIMIT, lats[p])) * Math.PI / 180;
    x[p] = 256 * (0.5 + lons[p] / 360);
    y[p] = 256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + lat / 2)) / (2 * Math.PI));
  }
  var out = { x: x, y: y };
  if (place) {
    var index = bigPlaceIndex(place, n);
    out.start = index.start;
    out.order = index.order;
  }
  return out;
}

/* The events of each place in date order, as data.js's indexPlaces makes them (the events are
   in date order): place p's are order[start[p]] .. order[start[p + 1] - 1]. */
function bigPlaceIndex(place, places) {
  var n = place.length, start = new Int32Array(places + 1), order = new Int32Array(n);
  for (var i = 0; i < n; i++) start[place[i] + 1]++;
  for (var p = 0; p < places; p++) start[p + 1] += start[p];
  var next = start.slice(0, places);
  for (var j = 0; j < n; j++) order[next[place[j]]++] = j;
  return { start: start, order: order };
}

/* app's places indexed as indexPlaces does, from the index made with the head block's points
   (off this thread when there is a worker); false when there is none. */
function bigIndexPlaces(app) {
  var world = BIG_WORLD.get(app.d);
  if (!world || !world.start || world.order.length !== app.n) return false;
  app.places = world.x.length;
  app.placeStart = world.start;
  app.placeOrder = world.order;
  app.placeCount = new Int32Array(app.places); /* events shown at each place (filters) */
  return true;
}

/* The places' points of each head block read (its JSON: the page's payload, app.d). */
var BIG_WORLD = new WeakMap();

function bigWorld(app) {
  return BIG_WORLD.get(app.d);
}

/* The cells in the pixel box `box` ({min: {x, y}, max: {x, y}} at zoom `zoom`, as
   map.getPixelBounds()) and what is in them: a list of items {x, y (container px), count
   (protests), places, place (the first place), cell (the cell's key)} in reading order. Above
   BIG_LAST_ZOOM each place is an item of its own. A view wider than the world shows a place
   once, in the copy of the world nearest the view. */
function bigItems(app, world, box, zoom) {
  var scale = Math.pow(2, zoom), span = 256 * scale, count = app.placeCount;
  var left = box.min.x, right = box.max.x, top = box.min.y, bottom = box.max.y;
  var items = [], p, x, y;
  if (zoom > BIG_LAST_ZOOM) {
    for (p = 0; p < app.places; p++) {
      if (!count[p]) continue;
      x = bigWrap(world.x[p] * scale, left, right, span);
      y = world.y[p] * scale;
      if (x < left - BIG_CELL || x > right + BIG_CELL || y < top - BIG_CELL ||
        y > bottom + BIG_CELL) continue;
      items.push({ x: x - left, y: y - top, count: count[p], places: 1, place: p, cell: "p" + p });
    }
    return bigSort(items);
  }
  var gx = Math.floor(left / BIG_CELL), gy = Math.floor(top / BIG_CELL);
  var w = Math.floor(right / BIG_CELL) - gx + 1, h = Math.floor(bottom / BIG_CELL) - gy + 1;
  var total = new Float64Array(w * h), places = new Int32Array(w * h);
  var first = new Int32Array(w * h), sx = new Float64Array(w * h), sy = new Float64Array(w * h);
  /* cells around the world: a whole number, so that cell keys are too (at a quarter zoom the
     world is no whole number of cells: the last one is narrower) */
  var nx = Math.ceil(span / BIG_CELL);
  var x0 = gx * BIG_CELL, y0 = gy * BIG_CELL, x1 = x0 + w * BIG_CELL, y1 = y0 + h * BIG_CELL;
  var wx = world.x, wy = world.y;
  for (p = 0; p < app.places; p++) {
    if (!count[p]) continue;
    y = wy[p] * scale;
    if (y < y0 || y >= y1) continue;
    x = wx[p] * scale;
    if (x < x0 || x >= x1) {
      x = bigWrap(x, x0, x1, span);
      if (x < x0 || x >= x1) continue;
    }
    /* x - x0 and y - y0 are not negative: | 0 floors them */
    var k = ((x - x0) / BIG_CELL | 0) + w * ((y - y0) / BIG_CELL | 0);
    if (!places[k]) first[k] = p;
    places[k]++;
    total[k] += count[p];
    sx[k] += x;
    sy[k] += y;
  }
  for (var c = 0; c < w * h; c++) {
    if (!places[c]) continue;
    var single = places[c] === 1;
    items.push({
      x: (single ? sx[c] : sx[c] / places[c]) - left,
      y: (single ? sy[c] : sy[c] / places[c]) - top,
      count: total[c], places: places[c], place: first[c],
      cell: single ? "p" + first[c] : zoom + ":" + (((gx + c % w) % nx) + nx) % nx + ":" +
        (gy + Math.floor(c / w))
    });
  }
  return bigSort(items);
}

/* x, or x moved by a whole world when that brings it into [lo, hi). */
function bigWrap(x, lo, hi, span) {
  if (x < lo && x + span < hi) return x + span;
  if (x >= hi && x - span >= lo) return x - span;
  return x;
}

function bigSort(items) {
  return items.sort(function (a, b) {
    return Math.floor(a.y / BIG_CELL) - Math.floor(b.y / BIG_CELL) || a.x - b.x || a.y - b.y;
  });
}

/* The shown places in place p's cell at `zoom` (p itself included), at most `limit`. */
function bigCellMates(app, world, p, zoom, limit) {
  var f = Math.pow(2, zoom) / BIG_CELL, count = app.placeCount, out = [];
  var cx = Math.floor(world.x[p] * f), cy = Math.floor(world.y[p] * f);
  for (var q = 0; q < app.places && out.length < limit; q++) {
    if (count[q] && Math.floor(world.x[q] * f) === cx && Math.floor(world.y[q] * f) === cy) {
      out.push(q);
    }
  }
  return out;
}

/* The zoom at which place p is drawn on its own: the first from `zoom` up where no other
   shown place shares its cell (BIG_LAST_ZOOM + 1 at most). */
function bigAloneZoom(app, world, p, zoom) {
  var z = zoom;
  while (z <= BIG_LAST_ZOOM && bigCellMates(app, world, p, z, 2).length > 1) z++;
  return z;
}

/* The bounds of the shown places in the cell `cell` ("zoom:x:y", x counted from longitude
   -180), as [[south, west],
   [north, east]]. */
function bigCellBounds(app, world, cell) {
  var part = cell.split(":").map(Number), f = Math.pow(2, part[0]) / BIG_CELL, d = app.d;
  var south = Infinity, north = -Infinity, west = Infinity, east = -Infinity;
  for (var p = 0; p < app.places; p++) {
    if (!app.placeCount[p]) continue;
    var cx = Math.floor(world.x[p] * f), cy = Math.floor(world.y[p] * f);
    if (cx !== part[1] || cy !== part[2]) continue;
    south = Math.min(south, d.place_lat[p]);
    north = Math.max(north, d.place_lat[p]);
    west = Math.min(west, d.place_lon[p]);
    east = Math.max(east, d.place_lon[p]);
  }
  return south === Infinity ? null : [[south, west], [north, east]];
}
