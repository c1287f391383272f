/* util.js: small helpers every part uses: DOM nodes, symbols, dates, words, the page's state. */

var WIDE = "(min-width: 900px)";

/* Characters that change the direction of the text around them (payload BIDI_CONTROLS). */
var BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/* An element; with text, as a text node, its direction taken from the text itself and isolated
   from what surrounds it (dir="auto"), so that text from the data cannot reorder the page's. */
function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) {
    node.textContent = text;
    node.dir = "auto";
  }
  return node;
}

/* A value for a double-quoted attribute in markup. */
function attr(text) {
  return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/* The markup of a symbol ({label, color, shape} of geo/schema.py, from the payload): its shape in
   its colour with a white edge; when the point is approximate, the edge is dashed and the
   middle hollow (the colour stays solid: 3:1 or more against the basemap). Values are escaped. */
function symbolMarkup(symbol, dashed, size, stroke) {
  var color = attr(symbol.color), shape = attr(symbol.shape);
  size = size || 24;
  return '<svg viewBox="0 0 24 24" width="' + size + '" height="' + size +
    '" aria-hidden="true" focusable="false">' +
    '<g fill="' + color + '" stroke="#fff" stroke-width="' + (stroke || 2) + '"' +
    (dashed ? ' stroke-dasharray="3 2"' : "") + '><path d="' + shape + '"/></g>' +
    (dashed ? '<path class="pm-hollow" fill="#fff" transform="matrix(.4 0 0 .4 7.2 7.2)" d="' +
      shape + '"/>' : "") + "</svg>";
}

function symbolNode(symbol, dashed) {
  var span = el("span", "pm-symbol");
  span.innerHTML = symbolMarkup(symbol, dashed);
  return span;
}

function isoDay(day) {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

/* A day, or days from `day` to `end`, in words of the language (Intl), as [text] or
   [first, dash, last]; in English "16 December 2011"; "15", "–", "19 December 2011";
   "30 November", " – ", "2 December 2011"; "31 December 2011", " – ", "2 January 2012".
   `short`: months abbreviated. */
function dateParts(day, end, short) {
  var a = new Date(day * 86400000), b = new Date(end * 86400000), format = dateFormat(short);
  if (!(end > day)) return [format.format(a)];
  var first = "", dash = "", last = "";
  format.formatRangeToParts(a, b).forEach(function (part) {
    if (part.source === "endRange" || last) last += part.value;
    else if (part.source === "startRange" || !first) first += part.value;
    else dash += part.value;
  });
  if (!last) return [format.format(a)];
  var sameMonth = a.getUTCFullYear() === b.getUTCFullYear() && a.getUTCMonth() === b.getUTCMonth();
  return [first, sameMonth ? dash.trim() : dash, last];
}

function dateText(day, end, short) {
  return dateParts(day, end, short).join("");
}

/* The day (or days) as <time> elements: one, or two inside a `tag` with the dash between. */
function dateNode(tag, className, day, end, short) {
  var parts = dateParts(day, end, short);
  var node = el(parts.length > 1 ? tag : "time", className, parts.length > 1 ? null : parts[0]);
  if (parts.length === 1) {
    node.dateTime = isoDay(day);
    return node;
  }
  node.appendChild(el("time", null, parts[0])).dateTime = isoDay(day);
  node.appendChild(document.createTextNode(parts[1]));
  node.appendChild(el("time", null, parts[2])).dateTime = isoDay(end);
  return node;
}

function longDate(day) {
  return dateText(day, day, false);
}

/* A link that opens in a new tab. Its text holds no direction controls, so that it cannot show
   an address other than its own; the address itself is its tooltip. */
function link(url, text) {
  var a = el("a", null, String(text).replace(BIDI_CONTROLS, ""));
  a.href = url;
  a.title = url;
  a.target = "_blank";
  a.rel = "noopener";
  return a;
}

/* Plain text as HTML for Leaflet's attribution control (which takes markup). */
function textHtml(text) {
  return el("span", null, text).outerHTML;
}

function isShown(node) {
  return node.isConnected && node.getClientRects().length > 0 &&
    window.getComputedStyle(node).visibility !== "hidden";
}

function isWide() {
  return window.matchMedia(WIDE).matches;
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
