/* timeline.js: above the date sliders, the protests per day, week or month (by the data's span)
   as bars; dragging across the bars sets the range (the sliders stay the keyboard's way), and
   a play button steps the range through time, a bar at a time (not offered to readers who ask
   for less motion). */

var PLAY_STEP_MS = 900;

/* Bars of the days first..last: { start: [day], end: [day], of(day) → bar, unit, byDay }
   (byDay[day - first]: the bar of each day, so that counting a million protests makes no
   Date objects). */
function timeBars(first, last) {
  var span = last - first, unit = span <= 62 ? "Day" : span <= 731 ? "Week" : "Month";
  var start = [], end = [];
  function monthIndex(day) {
    var date = new Date(day * 86400000);
    return date.getUTCFullYear() * 12 + date.getUTCMonth();
  }
  var m0 = monthIndex(first);
  function of(day) {
    if (unit === "Day") return day - first;
    if (unit === "Week") return Math.floor((day - first) / 7);
    return monthIndex(day) - m0;
  }
  var byDay = new Int32Array(span + 1);
  for (var day = first; day <= last; day++) {
    var b = byDay[day - first] = of(day);
    if (start[b] === undefined) start[b] = day;
    end[b] = day;
  }
  return { start: start, end: end, of: of, unit: unit, byDay: byDay };
}

function timeline(app) {
  var f = app.filters, d = app.d;
  if (!f.from) return;
  var bars = timeBars(app.firstDay, app.lastDay), n = bars.start.length;
  var counts = new Array(n).fill(0), top = 1;
  var byDay = bars.byDay, first = app.firstDay, day = d.day;
  for (var i = 0; i < app.n; i++) counts[byDay[day[i] - first]]++;
  counts.forEach(function (c) { top = Math.max(top, c); });
  var NS = "http://www.w3.org/2000/svg", W = 10, H = 40;
  var svg = document.createElementNS(NS, "svg");
  svg.setAttribute("class", "pm-histogram");
  svg.setAttribute("viewBox", "0 0 " + n * W + " " + H);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("histogram", { unit: t("unit" + bars.unit) }));
  var rects = counts.map(function (c, b) {
    var r = document.createElementNS(NS, "rect"), h = c ? Math.max(2, H * c / top) : 0;
    r.setAttribute("x", String(b * W + 1));
    r.setAttribute("width", String(W - 2));
    r.setAttribute("y", String(H - h));
    r.setAttribute("height", String(h));
    r.setAttribute("class", "pm-bar");
    r.appendChild(document.createElementNS(NS, "title")).textContent =
      dateText(bars.start[b], bars.end[b], true) + ": " + count("protests", c);
    return svg.appendChild(r);
  });
  var fieldset = f.from.closest("fieldset");
  fieldset.insertBefore(svg, fieldset.children[1]);

  function update() {
    var from = +f.from.value, to = +f.to.value;
    rects.forEach(function (r, b) {
      r.classList.toggle("pm-in", bars.end[b] >= from && bars.start[b] <= to);
    });
  }
  function setRange(a, b) {
    f.from.value = String(bars.start[Math.min(a, b)]);
    f.to.value = String(bars.end[Math.max(a, b)]);
    f.to.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function barAt(e) {
    var box = svg.getBoundingClientRect();
    return Math.max(0, Math.min(n - 1, Math.floor((e.clientX - box.left) / box.width * n)));
  }
  var from = -1;
  svg.addEventListener("pointerdown", function (e) {
    from = barAt(e);
    svg.setPointerCapture(e.pointerId);
    setRange(from, from);
  });
  svg.addEventListener("pointermove", function (e) {
    if (from >= 0) setRange(from, barAt(e));
  });
  svg.addEventListener("pointerup", function () { from = -1; });
  f.from.form.addEventListener("input", update);
  f.from.form.addEventListener("change", update);
  update();
  if (!reducedMotion()) playButton(fieldset, bars, setRange);
}

function playButton(fieldset, bars, setRange) {
  var button = el("button", "pm-play", t("play"));
  button.type = "button";
  button.setAttribute("aria-pressed", "false");
  var timer = null, at = 0;
  function stop() {
    clearInterval(timer);
    timer = null;
    button.textContent = t("play");
    button.setAttribute("aria-pressed", "false");
  }
  function step() {
    if (at >= bars.start.length) return stop();
    setRange(at, at);
    at++;
    return undefined;
  }
  button.addEventListener("click", function () {
    if (timer) return stop();
    at = 0;
    button.textContent = t("pause");
    button.setAttribute("aria-pressed", "true");
    step();
    timer = setInterval(step, PLAY_STEP_MS);
    return undefined;
  });
  fieldset.appendChild(button);
}
