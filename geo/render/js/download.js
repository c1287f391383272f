/* download.js: "Get the data": the protests shown, as GeoJSON or CSV, made in the page from its
   own payload (a Blob; nothing is fetched). CSV cells a spreadsheet would run as a formula get
   a ' in front (as geo/export/files.py does). */

var DATA_FIELDS = ["id", "date", "end_date", "city", "region", "country", "venue_name", "venue_kind",
  "precision", "address", "organizer", "participants", "summary", "source_url", "source_title",
  "date_note", "lat", "lon"];

/* Event i as a flat record of DATA_FIELDS, named as in events.geojson (country: its ISO code);
   the report texts must have been read. */
function eventRecord(app, i) {
  var d = app.d, s = app.s, p = d.place[i];
  return {
    id: d.id[i], date: isoDay(d.day[i]), end_date: isoDay(endDay(app, i)),
    city: s[d.city[i]], region: d.region ? s[d.region[i]] : "", country: d.countries[d.country[i]][0],
    venue_name: s[d.venue[i]], venue_kind: d.kinds[d.kind[i]], precision: d.precisions[d.precision[i]],
    address: s[d.address[i]], organizer: s[d.organizer[i]], participants: s[d.participants[i]],
    summary: d.summary[i], source_url: s[d.source_url[i]], source_title: s[d.source_title[i]],
    date_note: s[d.date_note[i]], lat: d.place_lat[p], lon: d.place_lon[p]
  };
}

function shownEvents(app) {
  var out = [];
  for (var i = 0; i < app.n; i++) if (app.shown[i]) out.push(i);
  return out;
}

function geojsonText(app) {
  return JSON.stringify({
    type: "FeatureCollection",
    features: shownEvents(app).map(function (i) {
      var r = eventRecord(app, i);
      return { type: "Feature", id: r.id, geometry: { type: "Point", coordinates: [r.lon, r.lat] },
        properties: r };
    })
  });
}

function csvCell(value) {
  if (typeof value === "number") return String(value);
  var text = String(value || "");
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

function csvText(app) {
  var lines = [DATA_FIELDS.join(",")];
  shownEvents(app).forEach(function (i) {
    var r = eventRecord(app, i);
    lines.push(DATA_FIELDS.map(function (k) { return csvCell(r[k]); }).join(","));
  });
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

function saveFile(name, type, text) {
  var url = URL.createObjectURL(new Blob([text], { type: type }));
  var a = el("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
}

function downloads(app) {
  var box = el("div", "pm-tools");
  box.appendChild(el("span", "pm-tools-label", t("getData")));
  [["GeoJSON", t("downloadGeoJSON"), "protests.geojson", "application/geo+json", geojsonText],
    ["CSV", t("downloadCSV"), "protests.csv", "text/csv;charset=utf-8", csvText]
  ].forEach(function (kind) {
    var button = box.appendChild(el("button", "pm-tool", kind[0]));
    button.type = "button";
    button.setAttribute("aria-label", kind[1]);
    button.addEventListener("click", function () {
      details(app).then(function () { saveFile(kind[2], kind[3], kind[4](app)); });
    });
  });
  var count = document.getElementById("pm-count");
  count.parentNode.insertBefore(box, count.nextSibling);
}
