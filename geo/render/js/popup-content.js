/* popup-content.js: what a popup says, built when it opens, with text nodes only: one protest,
   the protests at one place, or a related place. */

var MAX_PLACE_LIST = 100;

/* A popup's root: clicks inside it stay inside (its content may be replaced before a click
   reaches the map, which would then take it for a click on the map). Escape: keyboard.js. */
function popupRoot(app, className) {
  var root = el("article", "pm-popup " + className);
  root.addEventListener("click", function (e) { e.stopPropagation(); });
  return root;
}

/* How exact a point is, in words: a precision's words with the place put in. */
function precisionWords(style, city, country) {
  var place = { city: city, country: country };
  return style.words.replace(/\{(city|country)\}/g, function (all, key) {
    return place[key] || style.unknown;
  });
}

function eventContent(app, i) {
  var d = app.d, s = app.s;
  var root = popupRoot(app, "pm-popup-event");
  root.setAttribute("data-event", String(i));
  var h = root.appendChild(el("h2", "pm-popup-title", eventTitle(app, i)));
  h.tabIndex = -1;
  root.appendChild(el("p", "pm-popup-kind", kindStyle(app, i).label));
  var where = root.appendChild(el("p", "pm-popup-place", eventPlace(app, i)));
  if (s[d.address[i]]) where.appendChild(el("span", "pm-popup-address", s[d.address[i]]));
  root.appendChild(el("p", "pm-popup-date"))
    .appendChild(dateNode("span", null, d.day[i], endDay(app, i), false));

  var facts = el("dl", "pm-facts");
  function fact(term, value) {
    if (!value) return;
    facts.appendChild(el("dt", null, term));
    facts.appendChild(el("dd", null, value));
  }
  fact(t("organizer"), s[d.organizer[i]]);
  fact(t("participants"), s[d.participants[i]]);
  fact(t("location"), precisionWords(precisionStyle(app, i), s[d.city[i]], countryName(app, i)));
  fact(t("reportedAs"), reportedPlace(app, i));
  root.appendChild(facts);
  root.appendChild(el("p", "pm-summary", d.summary[i]));
  photos(app, i, root);

  var url = s[d.source_url[i]], title = s[d.source_title[i]];
  if (url || title) {
    var src = root.appendChild(el("p", "pm-source", t("source")));
    src.appendChild(url ? link(url, title || url) : el("span", null, title));
  }
  if (s[d.date_note[i]]) root.appendChild(el("p", "pm-note", t("dateNote", { text: s[d.date_note[i]] })));
  if (d.place_note && s[d.place_note[i]]) {
    root.appendChild(el("p", "pm-note", t("placeNote", { text: s[d.place_note[i]] })));
  }
  var here = app.placeCount[d.place[i]];
  if (here > 1) {
    var all = root.appendChild(
      el("button", "pm-place-button", count("allHere", here)));
    all.type = "button";
    all.addEventListener("click", function () { app.popups.openPlace(d.place[i], true); });
  }
  root.appendChild(linkButton(app, i));
  return root;
}

/* Event i's photos: positions [start, end) in the photo arrays (sorted by event). */
function photoRange(app, i) {
  var ev = app.d.photo_event, lo = 0, hi = ev.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (ev[mid] < i) lo = mid + 1; else hi = mid;
  }
  var end = lo;
  while (end < ev.length && ev[end] === i) end++;
  return [lo, end];
}

function photos(app, i, root) {
  var d = app.d, s = app.s, range = photoRange(app, i);
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
      fig.appendChild(link(src, t("openPhoto")));
    } else {
      fig.classList.add("pm-photo-missing");
      fig.appendChild(el("p", "pm-photo-placeholder", t("photoMissing")));
    }
    var cap = fig.appendChild(el("figcaption", null, s[d.photo_caption[j]]));
    var credit = s[d.photo_credit[j]];
    if (credit) cap.appendChild(el("span", "pm-credit", t("photoCredit", { text: credit })));
    box.appendChild(fig);
  }
}

function placeContent(app, p, events) {
  var d = app.d, first = events[0];
  var root = popupRoot(app, "pm-popup-list");
  root.setAttribute("data-place", String(p));
  var h = root.appendChild(el("h2", "pm-popup-title", eventTitle(app, first)));
  h.tabIndex = -1;
  root.appendChild(el("p", "pm-popup-place", eventPlace(app, first)));
  var last = d.day[first];
  events.forEach(function (j) { last = Math.max(last, endDay(app, j)); });
  var here = count("protests", events.length);
  root.appendChild(el("p", "pm-popup-date", d.day[first] === last ?
    t("hereOn", { protests: here, date: longDate(last) }) :
    t("hereFromTo", { protests: here, from: longDate(d.day[first]), to: longDate(last) })));
  var ol = root.appendChild(el("ol", "pm-place-list"));
  events.slice(0, MAX_PLACE_LIST).forEach(function (j) {
    var what = app.s[d.organizer[j]] || kindStyle(app, j).label;
    var b = el("button", "pm-place-button",
      dateText(d.day[j], endDay(app, j)) + (what ? ": " + what : ""));
    b.type = "button";
    b.setAttribute("data-event", String(j));
    b.addEventListener("click", function () { app.popups.openEvent(j, true); });
    ol.appendChild(el("li")).appendChild(b);
  });
  if (events.length > MAX_PLACE_LIST) {
    root.appendChild(el("p", "pm-note", t("andMore", { n: num(events.length - MAX_PLACE_LIST) })));
  }
  return root;
}

function contextContent(app, c) {
  var root = popupRoot(app, "pm-popup-context");
  var h = root.appendChild(el("h2", "pm-popup-title", c.name));
  h.tabIndex = -1;
  root.appendChild(el("p", "pm-popup-kind", app.d.context_style.label));
  root.appendChild(el("p", "pm-popup-place", [c.city, c.country].filter(Boolean).join(", ")));
  if (c.day !== null) {
    var date = root.appendChild(el("p", "pm-popup-date"));
    var time = date.appendChild(el("time", null, longDate(c.day)));
    time.dateTime = isoDay(c.day);
  }
  var facts = root.appendChild(el("dl", "pm-facts"));
  facts.appendChild(el("dt", null, t("location")));
  var precision = app.d.precision_style[c.precision];
  facts.appendChild(el("dd", null, precisionWords(precision, c.city, c.country)));
  root.appendChild(el("p", "pm-summary", c.summary));
  if (c.source_url) {
    var source = root.appendChild(el("p", "pm-source", t("source")));
    source.appendChild(link(c.source_url, c.source_url));
  }
  return root;
}
