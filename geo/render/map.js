/* protest-map page script.
 *
 * Reads the payload (geo/render/payload.py: column arrays and a string table, plain JSON or
 * deflate + base64; a deflated one in two steps, the report texts after the map is drawn),
 * creates the markers in chunks in a Leaflet.markercluster layer, and builds popups, legend,
 * filters and the list. Text from the data only ever reaches the page through textContent,
 * DOM properties and setAttribute: never as HTML.
 */
(function () {
  "use strict";

  var KIND_LABELS = {
    embassy: "Embassy",
    consulate: "Consulate",
    honorary_consulate: "Honorary consulate",
    company_shop: "Company shop",
    public_space: "Public space",
    other: "Other place",
    "": "No venue listed"
  };
  var KIND_COLORS = {
    embassy: "#0b4f8a",
    consulate: "#00745a",
    honorary_consulate: "#a35200",
    company_shop: "#b8282e",
    public_space: "#6f3596",
    other: "#4d4d4d",
    "": "#4d4d4d"
  };
  /* One shape per kind (24 x 24 viewBox): square, diamond, triangle, circle, pentagon, cross. */
  var KIND_SHAPES = {
    embassy: '<rect x="4" y="4" width="16" height="16" rx="2"/>',
    consulate: '<path d="M12 1.5 22.5 12 12 22.5 1.5 12Z"/>',
    honorary_consulate: '<path d="M12 2.5 22 20.5H2Z"/>',
    company_shop: '<circle cx="12" cy="12" r="9"/>',
    public_space: '<path d="M12 2.5l9.5 6.9-3.6 11.1H6.1L2.5 9.4Z"/>',
    other: '<path d="M8.5 2.5h7v6h6v7h-6v6h-7v-6h-6v-7h6Z"/>',
    "": '<circle cx="12" cy="12" r="6.5"/>'
  };
  var STAR = '<path d="M12 1.5l3.1 6.9 7.4.7-5.6 5 1.7 7.4L12 17.6l-6.6 3.9 1.7-7.4-5.6-5 7.4-.7Z"/>';
  var PRECISION = {
    venue: { legend: "exact building", radius: 0, zoom: 17 },
    street: { legend: "street (within about 300 m)", radius: 300, zoom: 15 },
    city: { legend: "city (several km)", radius: 5000, zoom: 11 },
    region: { legend: "region (tens of km)", radius: 50000, zoom: 8 },
    country: { legend: "country", radius: 300000, zoom: 6 },
    "": { legend: "not stated", radius: 0, zoom: 12 }
  };
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var LIST_PAGE = 100;
  var MAX_CIRCLES = 300;
  var MAX_PLACE_LIST = 100;
  var WIDE = "(min-width: 900px)";

  /* ---------- small helpers ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function icon(shape, color, dashed) {
    /* Static markup only: shapes and colours above, never data. */
    return '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">' +
      '<g fill="' + color + '" fill-opacity="' + (dashed ? "0.55" : "1") + '" stroke="' +
      (dashed ? color : "#fff") + '" stroke-width="2"' +
      (dashed ? ' stroke-dasharray="3 2"' : "") + ">" + shape + "</g></svg>";
  }

  function iconNode(shape, color, dashed) {
    var span = el("span", "pm-symbol");
    span.innerHTML = icon(shape, color, dashed);
    return span;
  }

  function kindSymbol(kind, approx) {
    return iconNode(KIND_SHAPES[kind] || KIND_SHAPES.other, KIND_COLORS[kind] || KIND_COLORS.other, approx);
  }

  function isoDay(day) {
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }

  function longDate(day) {
    var d = new Date(day * 86400000);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }

  function shortDate(day) {
    var d = new Date(day * 86400000);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()].slice(0, 3) + " " + d.getUTCFullYear();
  }

  function plural(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }

  function link(url, text) {
    var a = el("a", null, text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener";
    return a;
  }

  function isShown(node) {
    return node.isConnected && node.getClientRects().length > 0 &&
      window.getComputedStyle(node).visibility !== "hidden";
  }

  function setState(state) {
    document.documentElement.setAttribute("data-pm-state", state);
  }

  function reducedMotion() {
    return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function inFrame() {
    try {
      return window.self !== window.top;
    } catch (e) {
      return true;
    }
  }

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
    if (node.getAttribute("data-encoding") !== "deflate") {
      var all = JSON.parse(text);
      return { head: Promise.resolve(all), rest: function () { return Promise.resolve({}); } };
    }
    if (typeof DecompressionStream === "undefined") {
      return { head: Promise.reject(new Error("this browser cannot unpack the map data " +
        "(it lacks DecompressionStream); please open the map in a current browser")) };
    }
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

  /* ---------- Leaflet pieces ---------- */

  /* One marker per place (events at the same point share it); its title is set when shown. */
  var PlaceMarker = L.Marker.extend({
    onAdd: function (map) {
      L.Marker.prototype.onAdd.call(this, map);
      this._icon.setAttribute("data-place", String(this.pmPlace));
      this._icon.title = this.pmApp.placeLabel(this.pmPlace);
      return this;
    }
  });

  var Legend = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      return this.options.node;
    }
  });

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
        var label = on ? "Leave full screen" : "Show full screen";
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

  /* ---------- the application ---------- */

  /* data: the payload's head; readRest: resolves to its tail (the report texts). */
  function App(map, data, outlines, readRest) {
    if (data.format !== 1) {
      throw new Error("map data format " + data.format + " is not supported by this page");
    }
    var self = this;
    this.map = map;
    this.d = data;
    this.n = data.n;
    this.s = data.strings;
    this.shown = new Uint8Array(this.n);
    this.indexPlaces();
    this.loading = false;
    this.pending = false;
    this.listed = 0;
    this.opener = null;
    this.popupEvent = -1;
    this.popupPlace = -1;
    this.readRest = readRest;
    this.rest = null;
    this.ready = new Promise(function (resolve) { self.resolveReady = resolve; });

    var container = map.getContainer();
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", "Map");
    container.setAttribute("aria-describedby", "pm-description");

    this.progress = container.appendChild(el("div", "pm-progress"));
    this.progress.setAttribute("role", "status");
    this.progress.hidden = true;
    this.addBasemap(outlines);
    this.circles = L.layerGroup().addTo(map);
    this.cluster = L.markerClusterGroup({
      chunkedLoading: true,
      chunkInterval: 150,
      chunkDelay: 5,
      chunkProgress: function (done, total) { self.chunkProgress(done, total); },
      animate: !reducedMotion(),
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      /* Places (not protests) are the markers, so nothing is hidden by not clustering at street
         level, and fewer clustering levels load 100,000 markers about twice as fast. Places
         closer together than a cluster's radius spiderfy at the last clustered zoom (13). */
      disableClusteringAtZoom: 14,
      iconCreateFunction: function (cluster) { return self.clusterIcon(cluster); }
    }).addTo(map);
    this.cluster.on("click", function (e) {
      var byKey = !!(e.originalEvent && e.originalEvent.type === "keypress");
      self.opener = byKey ? e.layer.getElement() : null;
      self.openPlace(e.layer.pmPlace, byKey);
    });
    this.cluster.on("animationend spiderfied unspiderfied", function () { self.updateCircles(); });
    map.on("moveend", function () { self.updateCircles(); });

    this.icons = {};
    this.markers = this.makeMarkers();
    this.popup = L.popup({ autoPanPadding: [12, 12], offset: [0, -6], className: "pm-popup-wrap" });
    map.on("popupclose", function (e) { self.popupClosed(e.popup); });

    this.addContext();
    this.legend = this.makeLegend();
    this.filters = this.makeFilters();
    this.setUpPanel();
    this.setUpWheel();
    if (document.fullscreenEnabled) new Fullscreen().addTo(map);
    map.attributionControl.addAttribution(textHtml(data.attribution));
    map.attributionControl.addAttribution(
      '<a href="https://www.naturalearthdata.com/" target="_blank" rel="noopener">' +
      "Outlines: Natural Earth</a>");
    this.fit();
    this.applyFilters();
  }

  /* Plain text as HTML for Leaflet's attribution control (which takes markup). */
  function textHtml(text) {
    var span = el("span", null, text);
    return span.outerHTML;
  }

  /* The report texts, read once (after the map is drawn, or by the first popup before that). */
  App.prototype.details = function () {
    var d = this.d;
    this.rest = this.rest || this.readRest().then(function (tail) {
      Object.assign(d, tail);
      performance.mark("pm-details");
    });
    return this.rest;
  };

  /* A cluster counts protests, not places: the sum over its places of the events shown. */
  App.prototype.clusterIcon = function (cluster) {
    var markers = cluster.getAllChildMarkers(), n = 0;
    for (var k = 0; k < markers.length; k++) n += this.placeCount[markers[k].pmPlace];
    var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + n.toLocaleString("en") +
        '<span class="pm-sr"> protests, select to zoom in</span></span></div>',
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40)
    });
  };

  /* Events of each place in date order, as offsets into one array (placeStart, placeOrder). */
  App.prototype.indexPlaces = function () {
    var d = this.d, places = d.place_lat.length, start = new Int32Array(places + 1);
    for (var i = 0; i < this.n; i++) start[d.place[i] + 1]++;
    for (var p = 0; p < places; p++) start[p + 1] += start[p];
    var next = start.slice(0, places), order = new Int32Array(this.n);
    for (var j = 0; j < this.n; j++) order[next[d.place[j]]++] = j;
    this.places = places;
    this.placeStart = start;
    this.placeOrder = order;
    this.placeCount = new Int32Array(places);
  };

  /* The events of place p that pass the filters, in date order. */
  App.prototype.shownAt = function (p) {
    var out = [];
    for (var k = this.placeStart[p]; k < this.placeStart[p + 1]; k++) {
      if (this.shown[this.placeOrder[k]]) out.push(this.placeOrder[k]);
    }
    return out;
  };

  App.prototype.addBasemap = function (outlines) {
    var pane = this.map.createPane("pm-basemap");
    pane.style.zIndex = 150; /* beneath the tiles (200): seen only where tiles are missing */
    L.geoJSON(outlines, {
      pane: "pm-basemap",
      interactive: false,
      style: { color: "#8a8a80", weight: 0.8, fillColor: "#f3f1e8", fillOpacity: 1 }
    }).addTo(this.map);
    this.map.getContainer().classList.add("pm-has-basemap");
  };

  /* The icon of a place: the kind and precision of its first event shown, and a count when
     several are shown. Icons are shared: one per (kind, precision, count). */
  App.prototype.placeIcon = function (p) {
    var first = this.firstShown(p), count = this.placeCount[p];
    var kind = this.d.kinds[this.d.kind[first]];
    var approx = this.precisionName(this.d.precision[first]) !== "venue";
    var badge = count > 1 ? (count > 99 ? "99+" : String(count)) : "";
    var key = kind + "|" + approx + "|" + badge;
    if (!this.icons[key]) {
      this.icons[key] = L.divIcon({
        className: "pm-marker" + (approx ? " pm-approx" : ""),
        html: icon(KIND_SHAPES[kind] || KIND_SHAPES.other, KIND_COLORS[kind] || KIND_COLORS.other, approx) +
          (badge ? '<span class="pm-badge">' + badge + "</span>" : ""),
        iconSize: [24, 24],
        iconAnchor: [12, 12]
      });
    }
    return this.icons[key];
  };

  App.prototype.firstShown = function (p) {
    for (var k = this.placeStart[p]; k < this.placeStart[p + 1]; k++) {
      if (this.shown[this.placeOrder[k]]) return this.placeOrder[k];
    }
    return this.placeOrder[this.placeStart[p]];
  };

  App.prototype.precisionName = function (code) {
    return this.d.precisions[code];
  };

  App.prototype.makeMarkers = function () {
    var d = this.d, out = new Array(this.places);
    for (var p = 0; p < this.places; p++) {
      var m = new PlaceMarker([d.place_lat[p], d.place_lon[p]], { keyboard: true });
      m.pmPlace = p;
      m.pmApp = this;
      out[p] = m;
    }
    return out;
  };

  App.prototype.title = function (i) {
    return this.s[this.d.venue[i]] || this.s[this.d.city[i]];
  };

  App.prototype.countryName = function (i) {
    return this.d.countries[this.d.country[i]][1];
  };

  App.prototype.place = function (i) {
    var parts = [this.s[this.d.city[i]], this.countryName(i)].filter(Boolean);
    return parts.join(", ");
  };

  App.prototype.placeLabel = function (p) {
    var first = this.firstShown(p), count = this.placeCount[p];
    return this.title(first) + ", " + (count > 1 ? plural(count, "protest") : longDate(this.d.day[first]));
  };

  App.prototype.chunkProgress = function (done, total) {
    if (!this.loading) return; /* markercluster's own call from its onAdd */
    if (done < total) {
      this.progress.hidden = false;
      this.progress.textContent = "Placing " + plural(this.total, "protest") + " on the map: " +
        Math.floor(100 * done / total) + " %";
      return;
    }
    var self = this;
    setTimeout(function () {
      self.progress.hidden = true;
      self.loading = false;
      self.updateCircles();
      if (self.pending) {
        self.pending = false;
        self.loadMarkers();
      } else {
        self.resolveReady(self);
      }
    }, 0);
  };

  /* ---------- filters ---------- */

  App.prototype.makeFilters = function () {
    var self = this, d = this.d, form = document.getElementById("pm-filters");
    var kindTotals = new Array(d.kinds.length).fill(0);
    for (var i = 0; i < this.n; i++) kindTotals[d.kind[i]]++;
    var f = { kinds: [], country: null, from: null, to: null };

    var kinds = el("fieldset", "pm-fieldset");
    kinds.appendChild(el("legend", null, "Kind of place"));
    d.kinds.forEach(function (kind, k) {
      if (!kindTotals[k]) return;
      var label = el("label", "pm-check");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = String(k);
      box.name = "kind";
      label.appendChild(box);
      label.appendChild(kindSymbol(kind, false));
      label.appendChild(el("span", null, KIND_LABELS[kind] || kind));
      kinds.appendChild(label);
      f.kinds.push(box);
    });
    form.appendChild(kinds);

    if (d.countries.length > 1) {
      var wrap = el("p", "pm-field");
      var label = el("label", null, "Country");
      label.htmlFor = "pm-country";
      var select = el("select");
      select.id = "pm-country";
      select.appendChild(new Option("All countries", "-1"));
      d.countries.forEach(function (c, k) { select.appendChild(new Option(c[1] || c[0], String(k))); });
      wrap.appendChild(label);
      wrap.appendChild(select);
      form.appendChild(wrap);
      f.country = select;
    }

    var first = Infinity, last = -Infinity;
    for (var j = 0; j < this.n; j++) {
      if (d.day[j] < first) first = d.day[j];
      if (d.day[j] > last) last = d.day[j];
    }
    this.firstDay = first;
    this.lastDay = last;
    if (last > first) {
      var dates = el("fieldset", "pm-fieldset pm-dates");
      dates.appendChild(el("legend", null, "Dates"));
      f.from = this.dateSlider(dates, "pm-from", "From", first);
      f.to = this.dateSlider(dates, "pm-to", "To", last);
      form.appendChild(dates);
    }

    var reset = el("button", "pm-reset", "Show all");
    reset.type = "button";
    form.appendChild(reset);

    var timer = null;
    function changed(e) {
      if (f.from && f.to && +f.from.value > +f.to.value) {
        if (e && e.target === f.from) f.to.value = f.from.value;
        else f.from.value = f.to.value;
      }
      self.showSliderDates();
      clearTimeout(timer);
      timer = setTimeout(function () { self.applyFilters(); }, e && e.type === "input" ? 150 : 0);
    }
    form.addEventListener("change", changed);
    form.addEventListener("input", changed);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    reset.addEventListener("click", function () {
      f.kinds.forEach(function (box) { box.checked = true; });
      if (f.country) f.country.value = "-1";
      if (f.from) { f.from.value = String(first); f.to.value = String(last); }
      changed();
    });
    return f;
  };

  App.prototype.dateSlider = function (parent, id, text, value) {
    var row = el("p", "pm-field pm-range");
    var label = el("label", null, text);
    label.htmlFor = id;
    var input = el("input");
    input.type = "range";
    input.id = id;
    input.min = String(this.firstDay);
    input.max = String(this.lastDay);
    input.step = "1";
    input.value = String(value);
    var out = el("output", null, longDate(value));
    out.htmlFor = id;
    input.setAttribute("aria-valuetext", longDate(value));
    row.appendChild(label);
    row.appendChild(input);
    row.appendChild(out);
    parent.appendChild(row);
    input.pmOutput = out;
    return input;
  };

  App.prototype.showSliderDates = function () {
    [this.filters.from, this.filters.to].forEach(function (input) {
      if (!input) return;
      var text = longDate(+input.value);
      input.pmOutput.textContent = text;
      input.setAttribute("aria-valuetext", text);
    });
  };

  App.prototype.applyFilters = function () {
    var d = this.d, f = this.filters, n = this.n;
    var kindOn = new Uint8Array(d.kinds.length);
    f.kinds.forEach(function (box) { if (box.checked) kindOn[+box.value] = 1; });
    var country = f.country ? +f.country.value : -1;
    var from = f.from ? +f.from.value : -Infinity;
    var to = f.to ? +f.to.value : Infinity;
    var kindCount = new Array(d.kinds.length).fill(0);
    var precCount = new Array(d.precisions.length).fill(0);
    var total = 0;
    this.placeCount.fill(0);
    for (var i = 0; i < n; i++) {
      var ok = kindOn[d.kind[i]] && (country < 0 || d.country[i] === country) &&
        d.day[i] >= from && d.day[i] <= to;
      this.shown[i] = ok ? 1 : 0;
      if (ok) {
        total++;
        kindCount[d.kind[i]]++;
        precCount[d.precision[i]]++;
        this.placeCount[d.place[i]]++;
      }
    }
    this.total = total;
    this.legend.update(kindCount, precCount);
    var count = document.getElementById("pm-count");
    count.textContent = total === n ? "All " + plural(n, "protest") + " shown." :
      plural(total, "protest") + " of " + n.toLocaleString("en") + " shown.";
    if ((this.popupEvent >= 0 && !this.shown[this.popupEvent]) ||
        (this.popupPlace >= 0 && !this.placeCount[this.popupPlace])) {
      this.map.closePopup();
    }
    this.renderList();
    this.loadMarkers();
  };

  App.prototype.loadMarkers = function () {
    if (this.loading) {
      this.pending = true;
      return;
    }
    this.loading = true;
    var list = [];
    for (var p = 0; p < this.places; p++) {
      if (!this.placeCount[p]) continue;
      this.markers[p].options.icon = this.placeIcon(p); /* drawn when the marker is added */
      list.push(this.markers[p]);
    }
    this.cluster.clearLayers();
    this.cluster.addLayers(list, true); /* true: no "layeradd" event per marker */
  };

  /* ---------- legend ---------- */

  App.prototype.makeLegend = function () {
    var d = this.d;
    var box = el("details", "pm-legend leaflet-control");
    box.open = window.matchMedia(WIDE).matches;
    box.appendChild(el("summary", null, "Legend"));
    var kindCells = [], precCells = [];
    var kinds = el("ul", "pm-legend-list");
    kinds.setAttribute("aria-label", "Kinds of place");
    var totals = new Array(d.kinds.length).fill(0), precTotals = new Array(d.precisions.length).fill(0);
    for (var i = 0; i < this.n; i++) { totals[d.kind[i]]++; precTotals[d.precision[i]]++; }
    d.kinds.forEach(function (kind, k) {
      if (!totals[k]) return;
      var li = el("li");
      li.appendChild(kindSymbol(kind, false));
      li.appendChild(el("span", "pm-legend-label", KIND_LABELS[kind] || kind));
      kindCells[k] = li.appendChild(el("span", "pm-legend-count"));
      kinds.appendChild(li);
    });
    box.appendChild(el("h3", null, "Kind of place"));
    box.appendChild(kinds);
    var precs = el("ul", "pm-legend-list");
    precs.setAttribute("aria-label", "How exact the location is");
    d.precisions.forEach(function (p, k) {
      if (!precTotals[k]) return;
      var li = el("li");
      var approx = p !== "venue";
      var sw = iconNode(KIND_SHAPES.company_shop, "#4d4d4d", approx);
      if (PRECISION[p] && PRECISION[p].radius) sw.classList.add("pm-swatch-area");
      li.appendChild(sw);
      li.appendChild(el("span", "pm-legend-label", (PRECISION[p] || PRECISION[""]).legend));
      precCells[k] = li.appendChild(el("span", "pm-legend-count"));
      precs.appendChild(li);
    });
    box.appendChild(el("h3", null, "Location"));
    box.appendChild(precs);
    box.appendChild(el("p", "pm-legend-note", "Dashed: approximate; a faint circle shows the area."));
    if (d.context.length) {
      var ctx = el("ul", "pm-legend-list");
      var li = el("li");
      li.appendChild(iconNode(STAR, "#111", false));
      li.appendChild(el("span", "pm-legend-label", "Related place, not a protest"));
      ctx.appendChild(li);
      box.appendChild(ctx);
    }
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    new Legend({ node: box }).addTo(this.map);
    return {
      update: function (kindCount, precCount) {
        kindCells.forEach(function (cell, k) { if (cell) cell.textContent = String(kindCount[k]); });
        precCells.forEach(function (cell, k) { if (cell) cell.textContent = String(precCount[k]); });
      },
      node: box
    };
  };

  /* ---------- list and panel ---------- */

  App.prototype.renderList = function () {
    var list = document.getElementById("pm-list");
    list.textContent = "";
    this.listed = 0;
    this.listCursor = 0;
    this.moreList();
  };

  App.prototype.moreList = function () {
    var list = document.getElementById("pm-list");
    var more = document.getElementById("pm-more");
    var frag = document.createDocumentFragment();
    var added = 0, i = this.listCursor;
    for (; i < this.n && added < LIST_PAGE; i++) {
      if (!this.shown[i]) continue;
      frag.appendChild(this.listItem(i));
      added++;
    }
    this.listCursor = i;
    this.listed += added;
    list.appendChild(frag);
    var left = this.total - this.listed;
    more.hidden = left <= 0;
    more.textContent = "Show " + Math.min(left, LIST_PAGE) + " more (" + left.toLocaleString("en") +
      " not listed yet)";
  };

  App.prototype.listItem = function (i) {
    var d = this.d, self = this;
    var li = el("li", "pm-item");
    var b = el("button", "pm-item-button");
    b.type = "button";
    b.setAttribute("data-event", String(i));
    var kind = d.kinds[d.kind[i]];
    b.appendChild(kindSymbol(kind, this.precisionName(d.precision[i]) !== "venue"));
    var text = el("span", "pm-item-text");
    var date = el("time", "pm-item-date", shortDate(d.day[i]));
    date.dateTime = isoDay(d.day[i]);
    text.appendChild(date);
    text.appendChild(el("span", "pm-item-title", this.title(i)));
    text.appendChild(el("span", "pm-item-place", this.place(i) + " · " + (KIND_LABELS[kind] || kind)));
    b.appendChild(text);
    b.addEventListener("click", function () { self.openEvent(i, b); });
    li.appendChild(b);
    return li;
  };

  App.prototype.setUpPanel = function () {
    var self = this;
    var toggle = document.querySelector(".pm-toggle");
    var more = document.getElementById("pm-more");
    this.toggle = toggle;
    more.addEventListener("click", function () {
      var next = document.getElementById("pm-list").children.length;
      self.moreList();
      var item = document.getElementById("pm-list").children[next];
      if (item) item.querySelector("button").focus();
    });
    toggle.addEventListener("click", function () { self.setPanel(!self.panelOpen()); });
    document.querySelector(".pm-skip").addEventListener("click", function (e) {
      e.preventDefault();
      if (!window.matchMedia(WIDE).matches) self.setPanel(true);
      document.getElementById("pm-list").focus();
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && self.panelOpen() && !window.matchMedia(WIDE).matches &&
          document.getElementById("pm-panel").contains(document.activeElement)) {
        self.setPanel(false);
        toggle.focus();
      }
    });
    if (this.d.context.length) this.contextList();
  };

  App.prototype.panelOpen = function () {
    return document.body.classList.contains("pm-panel-open");
  };

  App.prototype.setPanel = function (open) {
    document.body.classList.toggle("pm-panel-open", open);
    this.toggle.setAttribute("aria-expanded", open ? "true" : "false");
    this.toggle.textContent = open ? "Show the map" : "List and filters";
    if (open) document.getElementById("pm-panel").focus({ preventScroll: true });
  };

  App.prototype.contextList = function () {
    var self = this, section = el("section", "pm-context-section");
    section.setAttribute("aria-labelledby", "pm-context-title");
    var h = el("h2", null, "Related places (not protests)");
    h.id = "pm-context-title";
    section.appendChild(h);
    var ul = el("ul", "pm-list");
    this.d.context.forEach(function (c, k) {
      var li = el("li", "pm-item");
      var b = el("button", "pm-item-button");
      b.type = "button";
      b.setAttribute("data-context", String(k));
      b.appendChild(iconNode(STAR, "#111", false));
      var text = el("span", "pm-item-text");
      text.appendChild(el("span", "pm-item-title", c.name));
      text.appendChild(el("span", "pm-item-place", [c.city, c.country].filter(Boolean).join(", ")));
      b.appendChild(text);
      b.addEventListener("click", function () { self.openContext(k, b); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    section.appendChild(ul);
    document.getElementById("pm-panel").appendChild(section);
  };

  /* ---------- opening events ---------- */

  App.prototype.openEvent = function (i, opener) {
    var self = this, d = this.d, p = d.place[i], m = this.markers[p];
    if (!this.shown[i]) return;
    if (!window.matchMedia(WIDE).matches && this.panelOpen()) this.setPanel(false);
    this.opener = opener || null;
    var prec = PRECISION[this.precisionName(d.precision[i])] || PRECISION[""];
    var zoom = Math.min(this.map.getMaxZoom(), Math.max(this.map.getZoom(), prec.zoom));
    this.map.setView([d.place_lat[p], d.place_lon[p]], zoom, { animate: false });
    this.cluster.zoomToShowLayer(m, function () { self.openPopup(i, true); });
  };

  App.prototype.popupSize = function () {
    var size = this.map.getSize();
    this.popup.options.maxWidth = Math.max(200, Math.min(340, size.x - 56));
    this.popup.options.minWidth = Math.min(220, this.popup.options.maxWidth);
    this.popup.options.maxHeight = Math.max(160, size.y - 96);
  };

  /* Builds the content once the report texts are read (App.details), and opens once its photos
     are decoded, so the popup is laid out (and kept on screen) at its real height. */
  App.prototype.showPopup = function (latlng, makeContent, focus) {
    var self = this, token = {}, content = null;
    this.popupToken = token;
    this.details().then(function () {
      if (self.popupToken !== token) return undefined; /* another popup was asked for meanwhile */
      content = makeContent();
      return Promise.all(Array.prototype.map.call(content.querySelectorAll("img"), function (img) {
        return img.decode().catch(function () { /* shown as a broken image; nothing to wait for */ });
      }));
    }).then(function () {
      if (self.popupToken !== token) return; /* another popup was asked for meanwhile */
      self.popupSize();
      self.map.getContainer().classList.add("pm-popup-open");
      self.popup.setLatLng(latlng).setContent(content).openOn(self.map);
      self.updateCircles();
      if (focus) content.querySelector("h2").focus({ preventScroll: true });
    });
  };

  /* One protest's popup, at its place's marker. */
  App.prototype.openPopup = function (i, focus) {
    this.popupEvent = i;
    this.popupPlace = this.d.place[i];
    this.showPopup(this.markers[this.popupPlace].getLatLng(), this.popupContent.bind(this, i),
      focus);
  };

  /* A place's popup: its protest, or the list of its protests by date when there are several. */
  App.prototype.openPlace = function (p, focus) {
    var events = this.shownAt(p);
    if (events.length === 1) return this.openPopup(events[0], focus);
    this.popupEvent = -1;
    this.popupPlace = p;
    this.showPopup(this.markers[p].getLatLng(), this.placeContent.bind(this, p, events), focus);
  };

  App.prototype.openContext = function (k, opener) {
    var c = this.d.context[k];
    if (!window.matchMedia(WIDE).matches && this.panelOpen()) this.setPanel(false);
    this.opener = opener || null;
    var p = PRECISION[this.d.precisions[c.precision]] || PRECISION[""];
    var zoom = Math.max(this.map.getZoom(), Math.min(p.zoom, 9));
    this.map.setView([c.lat, c.lon], zoom, { animate: false });
    this.showContextPopup(k, !!opener);
  };

  App.prototype.showContextPopup = function (k, focus) {
    var c = this.d.context[k];
    this.popupEvent = -1;
    this.popupPlace = -1;
    this.showPopup([c.lat, c.lon], this.contextContent.bind(this, c), focus);
  };

  App.prototype.popupClosed = function (popup) {
    if (popup !== this.popup) return;
    this.popupEvent = -1;
    this.popupPlace = -1;
    this.map.getContainer().classList.remove("pm-popup-open");
    this.updateCircles();
    var opener = this.opener;
    this.opener = null;
    var active = document.activeElement;
    if (opener && (!active || active === document.body || this.map.getContainer().contains(active))) {
      if (isShown(opener)) opener.focus({ preventScroll: true });
      else if (isShown(this.toggle)) this.toggle.focus({ preventScroll: true });
    }
  };

  /* ---------- popups (built when opened, text only) ---------- */

  /* A popup's root: Escape closes it; clicks inside it stay inside (its content may be replaced
     before a click reaches the map, which would then take it for a click on the map). */
  App.prototype.popupRoot = function (className) {
    var self = this, root = el("article", "pm-popup " + className);
    root.addEventListener("keydown", function (e) {
      if (e.key === "Escape") self.map.closePopup();
    });
    root.addEventListener("click", function (e) { e.stopPropagation(); });
    return root;
  };

  App.prototype.popupContent = function (i) {
    var d = this.d, s = this.s, self = this;
    var kind = d.kinds[d.kind[i]];
    var precision = this.precisionName(d.precision[i]);
    var root = this.popupRoot("pm-popup-event");
    root.setAttribute("data-event", String(i));
    var h = root.appendChild(el("h2", "pm-popup-title", this.title(i)));
    h.tabIndex = -1;
    root.appendChild(el("p", "pm-popup-kind", KIND_LABELS[kind] || kind));
    var where = root.appendChild(el("p", "pm-popup-place", this.place(i)));
    if (s[d.address[i]]) where.appendChild(el("span", "pm-popup-address", s[d.address[i]]));
    var when = root.appendChild(el("p", "pm-popup-date"));
    var time = when.appendChild(el("time", null, longDate(d.day[i])));
    time.dateTime = isoDay(d.day[i]);

    var facts = el("dl", "pm-facts");
    function fact(term, value) {
      if (!value) return;
      facts.appendChild(el("dt", null, term));
      facts.appendChild(el("dd", null, value));
    }
    fact("Organizer", s[d.organizer[i]]);
    fact("Participants", s[d.participants[i]]);
    fact("Location", precisionWords(precision, s[d.city[i]], this.countryName(i)));
    root.appendChild(facts);
    root.appendChild(el("p", "pm-summary", d.summary[i]));
    this.photos(i, root);

    var url = s[d.source_url[i]], title = s[d.source_title[i]];
    if (url || title) {
      var src = root.appendChild(el("p", "pm-source", "Source: "));
      src.appendChild(url ? link(url, title || url) : el("span", null, title));
    }
    if (s[d.date_note[i]]) root.appendChild(el("p", "pm-note", "Date: " + s[d.date_note[i]]));
    var here = this.placeCount[d.place[i]];
    if (here > 1) {
      var all = root.appendChild(el("button", "pm-place-button", "All " + here + " protests at this place"));
      all.type = "button";
      all.addEventListener("click", function () { self.openPlace(d.place[i], true); });
    }
    return root;
  };

  function precisionWords(precision, city, country) {
    switch (precision) {
      case "venue": return "Exact building";
      case "street": return "On this street, within about 300 m; not the exact building";
      case "city": return "Somewhere in " + (city || "this city") + "; the point marks the city centre";
      case "region": return "Somewhere in the region around " + (city || "this point");
      case "country": return "Somewhere in " + (country || "this country");
      default: return "Not stated";
    }
  }

  App.prototype.photoRange = function (i) {
    var ev = this.d.photo_event, lo = 0, hi = ev.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (ev[mid] < i) lo = mid + 1; else hi = mid;
    }
    var end = lo;
    while (end < ev.length && ev[end] === i) end++;
    return [lo, end];
  };

  App.prototype.photos = function (i, root) {
    var d = this.d, s = this.s, range = this.photoRange(i);
    if (range[0] === range[1]) return;
    var box = root.appendChild(el("div", "pm-photos"));
    for (var j = range[0]; j < range[1]; j++) {
      var src = s[d.photo_src[j]], fig = el("figure", "pm-photo");
      if (src.slice(0, 11) === "data:image/") {
        var img = el("img");
        img.src = src;
        img.alt = s[d.photo_alt[j]];
        fig.appendChild(img);
      } else if (/^https?:\/\//i.test(src)) {
        fig.classList.add("pm-photo-linked");
        fig.appendChild(link(src, "Open the photo (external site)"));
      } else {
        fig.classList.add("pm-photo-missing");
        fig.appendChild(el("p", "pm-photo-placeholder", "Photo not supplied"));
      }
      var cap = fig.appendChild(el("figcaption", null, s[d.photo_caption[j]]));
      if (s[d.photo_credit[j]]) cap.appendChild(el("span", "pm-credit", "Photo: " + s[d.photo_credit[j]]));
      box.appendChild(fig);
    }
  };

  App.prototype.placeContent = function (p, events) {
    var self = this, d = this.d, first = events[0];
    var root = this.popupRoot("pm-popup-list");
    root.setAttribute("data-place", String(p));
    var h = root.appendChild(el("h2", "pm-popup-title", this.title(first)));
    h.tabIndex = -1;
    root.appendChild(el("p", "pm-popup-place", this.place(first)));
    var last = events[events.length - 1];
    root.appendChild(el("p", "pm-popup-date", plural(events.length, "protest") + " here, " +
      (d.day[first] === d.day[last] ? "on " + longDate(d.day[first]) :
        "from " + longDate(d.day[first]) + " to " + longDate(d.day[last]))));
    var ol = root.appendChild(el("ol", "pm-place-list"));
    events.slice(0, MAX_PLACE_LIST).forEach(function (j) {
      var what = self.s[d.organizer[j]] || KIND_LABELS[d.kinds[d.kind[j]]] || "";
      var b = el("button", "pm-place-button", longDate(d.day[j]) + (what ? ": " + what : ""));
      b.type = "button";
      b.setAttribute("data-event", String(j));
      b.addEventListener("click", function () { self.openPopup(j, true); });
      ol.appendChild(el("li")).appendChild(b);
    });
    if (events.length > MAX_PLACE_LIST) {
      root.appendChild(el("p", "pm-note", "and " + (events.length - MAX_PLACE_LIST).toLocaleString("en") +
        " more: see the list beside the map"));
    }
    return root;
  };

  App.prototype.contextContent = function (c) {
    var root = this.popupRoot("pm-popup-context");
    var h = root.appendChild(el("h2", "pm-popup-title", c.name));
    h.tabIndex = -1;
    root.appendChild(el("p", "pm-popup-kind", "Related place, not a protest"));
    root.appendChild(el("p", "pm-popup-place", [c.city, c.country].filter(Boolean).join(", ")));
    if (c.day !== null) {
      var time = root.appendChild(el("p", "pm-popup-date")).appendChild(el("time", null, longDate(c.day)));
      time.dateTime = isoDay(c.day);
    }
    var facts = root.appendChild(el("dl", "pm-facts"));
    facts.appendChild(el("dt", null, "Location"));
    facts.appendChild(el("dd", null, precisionWords(this.d.precisions[c.precision], c.city, c.country)));
    root.appendChild(el("p", "pm-summary", c.summary));
    if (c.source_url) {
      root.appendChild(el("p", "pm-source", "Source: ")).appendChild(link(c.source_url, c.source_url));
    }
    return root;
  };

  App.prototype.addContext = function () {
    var self = this, d = this.d;
    if (!d.context.length) return;
    var icon = L.divIcon({
      className: "pm-marker pm-context-marker",
      html: '<svg viewBox="0 0 24 24" width="30" height="30" aria-hidden="true" focusable="false">' +
        '<g fill="#111" stroke="#fff" stroke-width="1.6">' + STAR + "</g></svg>",
      iconSize: [30, 30],
      iconAnchor: [15, 15]
    });
    this.contextLayer = L.layerGroup().addTo(this.map);
    d.context.forEach(function (c, k) {
      var p = PRECISION[d.precisions[c.precision]] || PRECISION[""];
      if (p.radius) {
        L.circle([c.lat, c.lon], {
          radius: p.radius, interactive: false, color: "#111", weight: 1, dashArray: "4 4",
          fillColor: "#111", fillOpacity: 0.06
        }).addTo(self.contextLayer);
      }
      var m = L.marker([c.lat, c.lon], { icon: icon, keyboard: true, title: c.name, zIndexOffset: 1000 });
      m.bindTooltip(el("span", null, c.city || c.name), {
        permanent: true, direction: "top", offset: [0, -14], className: "pm-context-label"
      });
      m.on("click", function () { self.showContextPopup(k, false); });
      m.on("add", function () { m.getElement().setAttribute("data-context", String(k)); });
      m.addTo(self.contextLayer);
    });
  };

  /* ---------- uncertainty circles ---------- */

  App.prototype.updateCircles = function () {
    var d = this.d, map = this.map;
    this.circles.clearLayers();
    if (!this.markers) return;
    var b = map.getBounds().pad(0.5);
    var south = b.getSouth(), north = b.getNorth(), west = b.getWest(), east = b.getEast();
    var drawn = 0;
    for (var p = 0; p < this.places && drawn < MAX_CIRCLES; p++) {
      if (!this.placeCount[p]) continue;
      var lat = d.place_lat[p], lon = d.place_lon[p];
      if (lat < south || lat > north || lon < west || lon > east) continue;
      if (p !== this.popupPlace && !this.markers[p].getElement()) continue; /* not on the map */
      var first = this.firstShown(p);
      var prec = PRECISION[this.precisionName(d.precision[first])] || PRECISION[""];
      if (!prec.radius) continue;
      var color = KIND_COLORS[d.kinds[d.kind[first]]] || KIND_COLORS.other;
      this.circles.addLayer(L.circle([lat, lon], {
        radius: prec.radius, interactive: false, color: color, weight: 1, opacity: 0.6,
        dashArray: "4 4", fillColor: color, fillOpacity: 0.08, className: "pm-uncertainty"
      }));
      drawn++;
    }
  };

  /* ---------- view, wheel, errors ---------- */

  App.prototype.fit = function () {
    var d = this.d;
    var south = Infinity, north = -Infinity, west = Infinity, east = -Infinity;
    function add(lat, lon) {
      if (lat < south) south = lat;
      if (lat > north) north = lat;
      if (lon < west) west = lon;
      if (lon > east) east = lon;
    }
    for (var p = 0; p < this.places; p++) add(d.place_lat[p], d.place_lon[p]);
    d.context.forEach(function (c) { add(c.lat, c.lon); });
    if (south === Infinity) return;
    this.map.fitBounds([[south, west], [north, east]], {
      paddingTopLeft: [48, 28], paddingBottomRight: [28, 28], maxZoom: 12, animate: false
    });
    this.clearLegend();
  };

  /* Fold the legend away if it hides a point of the first view. */
  App.prototype.clearLegend = function () {
    var box = this.legend.node;
    if (!box.open) return;
    var map = this.map, d = this.d;
    var c = map.getContainer().getBoundingClientRect(), r = box.getBoundingClientRect();
    var left = r.left - c.left - 24, right = r.right - c.left + 24;
    var top = r.top - c.top - 40, bottom = r.bottom - c.top + 24;
    function hidden(lat, lon) {
      var p = map.latLngToContainerPoint([lat, lon]);
      return p.x >= left && p.x <= right && p.y >= top && p.y <= bottom;
    }
    for (var p = 0; p < this.places; p++) {
      if (hidden(d.place_lat[p], d.place_lon[p])) { box.open = false; return; }
    }
    d.context.forEach(function (ctx) { if (hidden(ctx.lat, ctx.lon)) box.open = false; });
  };

  App.prototype.setUpWheel = function () {
    if (!inFrame()) return;
    var map = this.map, container = map.getContainer();
    map.scrollWheelZoom.disable();
    var hint = el("div", "pm-wheel-hint", "Use Ctrl + scroll to zoom the map, or click it first");
    hint.setAttribute("aria-hidden", "true");
    container.appendChild(hint);
    var timer = null;
    container.addEventListener("wheel", function (e) {
      if (map.scrollWheelZoom.enabled()) return;
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
    function enable() {
      map.scrollWheelZoom.enable();
      hint.classList.remove("pm-visible");
    }
    container.addEventListener("click", enable);
    container.addEventListener("focus", enable);
    container.addEventListener("mouseleave", function () { map.scrollWheelZoom.disable(); });
  };

  function showError(map, error) {
    var box = el("div", "pm-error");
    box.setAttribute("role", "alert");
    box.textContent = "The map could not be drawn: " +
      (error && error.message ? error.message : String(error));
    (map && map.getContainer ? map.getContainer() : document.body).appendChild(box);
  }

  /* ---------- entry point ---------- */

  window.ProtestMap = {
    start: function (map, ids) {
      setState("loading");
      var data = readData(ids.data);
      Promise.all([data.head, readData(ids.basemap).head]).then(function (parts) {
        var app = new App(map, parts[0], parts[1], data.rest);
        window.protestMap = app;
        return app.ready;
      }).then(function (app) {
        setState("ready");
        return new Promise(function (resolve) { requestAnimationFrame(resolve); }).then(function () {
          return app.details(); /* the report texts, once the map is on screen */
        });
      }).catch(function (error) {
        setState("error");
        showError(map, error);
        console.error(error);
      });
    }
  };
})();
