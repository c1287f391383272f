/* data.js: the payload (geo/render/payload.py): reading it from its element, and what the other
   parts ask of it: places and their events, titles, places, kinds and precisions. */

var FORMAT = 3; /* the payload layout this script reads (payload.FORMAT) */

/* A data element's base64 text as a stream of bytes, decoded a slice at a time as it is read. */
function base64Bytes(text) {
  var SLICE = 1 << 18; /* characters, a multiple of 4: about 10 ms of inflating */
  var at = 0;
  return new ReadableStream({
    pull: function (controller) {
      if (at >= text.length) {
        controller.close();
        return;
      }
      var binary = atob(text.slice(at, at + SLICE));
      at += SLICE;
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      controller.enqueue(bytes);
    }
  }, { highWaterMark: 0 });
}

function joinBytes(chunks, size) {
  var out = new Uint8Array(size), at = 0;
  chunks.forEach(function (chunk) {
    out.set(chunk, at);
    at += chunk.length;
  });
  return out;
}

/* A data element's JSON (geo/render/payload.py): { head: Promise, rest: function }.
   Plain JSON is parsed at once. Deflated JSON is inflated as a stream; when the element has
   data-head="N", its first N bytes, closed with "}", are the head (all the map needs to draw),
   and rest() inflates the remaining keys (the report texts) only when asked. */
function readData(id) {
  var node = document.getElementById(id), text = node.textContent;
  var encoding = node.getAttribute("data-encoding");
  if (encoding === "json") {
    var all = JSON.parse(text);
    return { head: Promise.resolve(all), rest: function () { return Promise.resolve({}); } };
  }
  if (typeof DecompressionStream === "undefined") {
    return { head: Promise.reject(new Error(t("noDecompression"))) };
  }
  if (encoding === "columns") return readColumns(node); /* big-data.js */
  var split = node.hasAttribute("data-head") ? +node.getAttribute("data-head") : Infinity;
  var reader = base64Bytes(text).pipeThrough(new DecompressionStream("deflate")).getReader();
  var decoder = new TextDecoder(), chunks = [], size = 0, rest = null;
  /* Read until `limit` bytes are inflated; with `pause`, let the page draw and take input
     every `pause` ms meanwhile. */
  function readTo(limit, pause) {
    var since = performance.now();
    function step() {
      if (size >= limit) return Promise.resolve();
      if (pause && performance.now() - since > pause) {
        return new Promise(function (resolve) { setTimeout(resolve, 0); }).then(function () {
          since = performance.now();
          return step();
        });
      }
      return reader.read().then(function (r) {
        if (r.done) return undefined;
        chunks.push(r.value);
        size += r.value.length;
        return step();
      });
    }
    return step();
  }
  var head = readTo(split).then(function () {
    var bytes = joinBytes(chunks, size);
    if (split === Infinity) return JSON.parse(decoder.decode(bytes));
    chunks = [bytes.subarray(split)];
    size -= split;
    return JSON.parse(decoder.decode(bytes.subarray(0, split)) + "}");
  });
  return {
    head: head,
    rest: function () {
      if (split === Infinity) return head.then(function () { return {}; }); /* all in head */
      rest = rest || head.then(function () { return readTo(Infinity, 12); }).then(function () {
        return JSON.parse("{" + decoder.decode(joinBytes(chunks, size)).slice(1));
      });
      return rest;
    }
  };
}

/* The report texts, read once (after the map is drawn, or by the first popup before that). */
function details(app) {
  var d = app.d;
  app.rest = app.rest || app.readRest().then(function (tail) {
    Object.assign(d, tail);
    performance.mark("pm-details");
  });
  return app.rest;
}

/* Events of each place in date order, as offsets into one array (placeStart, placeOrder). */
function indexPlaces(app) {
  var d = app.d, n = app.n, places = d.place_lat.length, start = new Int32Array(places + 1);
  for (var i = 0; i < n; i++) start[d.place[i] + 1]++;
  for (var p = 0; p < places; p++) start[p + 1] += start[p];
  var next = start.slice(0, places), order = new Int32Array(n);
  for (var j = 0; j < n; j++) order[next[d.place[j]]++] = j;
  app.places = places;
  app.placeStart = start;
  app.placeOrder = order;
  app.placeCount = new Int32Array(places); /* events shown at each place (set by the filters) */
}

/* The events of place p that pass the filters, in date order. */
function shownAt(app, p) {
  var out = [];
  for (var k = app.placeStart[p]; k < app.placeStart[p + 1]; k++) {
    if (app.shown[app.placeOrder[k]]) out.push(app.placeOrder[k]);
  }
  return out;
}

function firstShown(app, p) {
  for (var k = app.placeStart[p]; k < app.placeStart[p + 1]; k++) {
    if (app.shown[app.placeOrder[k]]) return app.placeOrder[k];
  }
  return app.placeOrder[app.placeStart[p]];
}

/* Where place p's marker stands. */
function placeLatLng(app, p) {
  return L.latLng(app.d.place_lat[p], app.d.place_lon[p]);
}

function eventTitle(app, i) {
  return app.s[app.d.venue[i]] || app.s[app.d.city[i]];
}

/* The last day of event i: its day, unless it spans days (payload "span", [] when none does). */
function endDay(app, i) {
  return app.d.span.length ? app.d.day[i] + app.d.span[i] : app.d.day[i];
}

/* The source's own words for event i's place, when they say more than the city and country. */
function reportedPlace(app, i) {
  var said = app.s[app.d.location[i]];
  function fold(text) {
    return text.toLowerCase().replace(/[\s,.;]+/g, " ").trim();
  }
  var shown = [app.s[app.d.city[i]], eventPlace(app, i)].map(fold);
  return said && shown.indexOf(fold(said)) < 0 ? said : "";
}

function countryName(app, i) {
  return app.d.countries[app.d.country[i]][1];
}

function eventPlace(app, i) {
  var city = app.s[app.d.city[i]], region = app.d.region ? app.s[app.d.region[i]] : "";
  if (region && region.toLowerCase() === (city || "").toLowerCase()) region = "";
  return [city, region, countryName(app, i)].filter(Boolean).join(", ");
}

/* How event i's kind and precision are shown: {label, color, shape} and
   {legend, words, unknown, approximate, radius, zoom} (geo/schema.py). */
function kindStyle(app, i) {
  return app.d.kind_style[app.d.kind[i]];
}

function precisionStyle(app, i) {
  return app.d.precision_style[app.d.precision[i]];
}
