/* filters.js: the filters (kind of place, country, two date sliders) and what a change of them
   does: which events are shown, counts, legend, list and markers. */

/* Builds the form; returns its inputs { kinds: [checkbox], country, from, to } (null when
   there is nothing to choose) and reset(), which shows all. Sets app.firstDay, app.lastDay. */
function makeFilters(app) {
  var d = app.d, n = app.n, form = document.getElementById("pm-filters");
  var kindTotals = new Array(d.kinds.length).fill(0);
  for (var i = 0; i < n; i++) kindTotals[d.kind[i]]++;
  var f = { kinds: [], country: null, from: null, to: null };

  var kinds = el("fieldset", "pm-fieldset");
  kinds.appendChild(el("legend", null, t("kindOfPlace")));
  d.kind_style.forEach(function (style, k) {
    if (!kindTotals[k]) return;
    var label = el("label", "pm-check");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = String(k);
    box.name = "kind";
    label.appendChild(box);
    label.appendChild(symbolNode(style, false));
    label.appendChild(el("span", null, style.label));
    kinds.appendChild(label);
    f.kinds.push(box);
  });
  form.appendChild(kinds);

  if (d.countries.length > 1) {
    var wrap = el("p", "pm-field");
    var label = el("label", null, t("country"));
    label.htmlFor = "pm-country";
    var select = el("select");
    select.id = "pm-country";
    select.appendChild(new Option(t("allCountries"), "-1"));
    d.countries.forEach(function (c, k) {
      select.appendChild(new Option(c[1] || c[0], String(k)));
    });
    wrap.appendChild(label);
    wrap.appendChild(select);
    form.appendChild(wrap);
    f.country = select;
  }

  var first = Infinity, last = -Infinity;
  for (var j = 0; j < n; j++) {
    if (d.day[j] < first) first = d.day[j];
    if (endDay(app, j) > last) last = endDay(app, j);
  }
  app.firstDay = first;
  app.lastDay = last;
  if (last > first) {
    var dates = el("fieldset", "pm-fieldset pm-dates");
    dates.appendChild(el("legend", null, t("dates")));
    f.from = dateSlider(dates, "pm-from", t("from"), first, last, first);
    f.to = dateSlider(dates, "pm-to", t("to"), first, last, last);
    form.appendChild(dates);
  }

  var reset = el("button", "pm-reset", t("showAll"));
  reset.type = "button";
  form.appendChild(reset);

  var timer = null;
  function changed(e) {
    if (f.from && f.to && +f.from.value > +f.to.value) {
      if (e && e.target === f.from) f.to.value = f.from.value;
      else f.from.value = f.to.value;
    }
    [f.from, f.to].forEach(showSliderDate);
    clearTimeout(timer);
    timer = setTimeout(function () { applyFilters(app); }, e && e.type === "input" ? 150 : 0);
  }
  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  f.reset = function () {
    f.kinds.forEach(function (box) { box.checked = true; });
    if (f.country) f.country.value = "-1";
    if (f.from) { f.from.value = String(first); f.to.value = String(last); }
    changed();
  };
  reset.addEventListener("click", f.reset);
  return f;
}

function dateSlider(parent, id, text, min, max, value) {
  var row = el("p", "pm-field pm-range");
  var label = el("label", null, text);
  label.htmlFor = id;
  var input = el("input");
  input.type = "range";
  input.id = id;
  input.min = String(min);
  input.max = String(max);
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
}

function showSliderDate(input) {
  if (!input) return;
  var text = longDate(+input.value);
  input.pmOutput.textContent = text;
  input.setAttribute("aria-valuetext", text);
}

/* Mark the events that pass the filters (app.shown, app.placeCount, app.total), then bring
   the legend, the count, the popup, the list and the markers up to date. A protest that spans
   days passes the dates when any of its days is in the range. */
function applyFilters(app) {
  var d = app.d, f = app.filters, n = app.n, shown = app.shown, placeCount = app.placeCount;
  var kindOn = new Uint8Array(d.kinds.length);
  f.kinds.forEach(function (box) { if (box.checked) kindOn[+box.value] = 1; });
  var country = f.country ? +f.country.value : -1;
  var from = f.from ? +f.from.value : -Infinity;
  var to = f.to ? +f.to.value : Infinity;
  var kindCount = new Array(d.kinds.length).fill(0);
  var precCount = new Array(d.precisions.length).fill(0);
  var total = 0;
  placeCount.fill(0);
  for (var i = 0; i < n; i++) {
    var ok = kindOn[d.kind[i]] && (country < 0 || d.country[i] === country) &&
      d.day[i] <= to && endDay(app, i) >= from;
    shown[i] = ok ? 1 : 0;
    if (ok) {
      total++;
      kindCount[d.kind[i]]++;
      precCount[d.precision[i]]++;
      placeCount[d.place[i]]++;
    }
  }
  app.total = total;
  app.legend.update(kindCount, precCount);
  document.getElementById("pm-count").textContent = total === n ?
    t("allShown", { protests: count("protests", n) }) :
    t("someShown", { protests: count("protests", total), n: num(n) });
  var open = app.popups;
  if ((open.event >= 0 && !shown[open.event]) || (open.place >= 0 && !placeCount[open.place])) {
    app.map.closePopup();
  }
  app.list.render();
  app.markerLayer.load();
}
