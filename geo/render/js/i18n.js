/* i18n.js: the interface's words in the reader's language (geo/render/i18n/*.json, in the page
   as the element "pm-i18n"): chosen by ?lang= (the language switch), else by the browser's
   languages, else the build's default (build --lang). Numbers and dates go through Intl; the
   data's own text is never translated. */

var LANG = { code: "en", words: {}, english: {}, plural: null, dates: {} };

/* Read the words and choose the language; call before any part asks for words. */
function setUpLanguage(id) {
  var data = JSON.parse(document.getElementById(id).textContent), have = Object.keys(data.words);
  var asked = null;
  try {
    asked = new URLSearchParams(location.search).get("lang");
  } catch (e) { /* no search part to read */ }
  var code = have.indexOf(asked) >= 0 ? asked : null;
  (navigator.languages || [navigator.language]).some(function (tag) {
    var base = String(tag || "").toLowerCase().split("-")[0];
    if (!code && have.indexOf(base) >= 0) code = base;
    return !!code;
  });
  code = code || data.default;
  LANG.code = code;
  LANG.words = data.words[code];
  LANG.english = data.words.en;
  LANG.all = data.words;
  LANG.plural = new Intl.PluralRules(code);
  document.documentElement.lang = code;
  document.querySelectorAll("[data-pm-t]").forEach(function (node) {
    node.textContent = t(node.getAttribute("data-pm-t"));
  });
  document.querySelectorAll("[data-pm-t-label]").forEach(function (node) {
    node.setAttribute("aria-label", t(node.getAttribute("data-pm-t-label")));
  });
}

/* The words of `key`, with {name} slots filled from `vars`; words that follow a number pick
   their plural form by vars.count. */
function t(key, vars) {
  var words = key in LANG.words ? LANG.words[key] : LANG.english[key];
  if (words && typeof words === "object") {
    words = words[LANG.plural.select(vars.count)] || words.other;
  }
  return String(words).replace(/\{(\w+)\}/g, function (all, name) {
    return vars && vars[name] !== undefined ? String(vars[name]) : all;
  });
}

/* "3 protests", in the language: `key` has plural forms and a {n} slot. */
function count(key, n, vars) {
  return t(key, Object.assign({ n: num(n), count: n }, vars || {}));
}

function locale() {
  return LANG.code === "en" ? "en-GB" : LANG.code; /* day month year */
}

function num(n) {
  return n.toLocaleString(locale());
}

function dateFormat(short) {
  var key = short ? "short" : "long";
  LANG.dates[key] = LANG.dates[key] || new Intl.DateTimeFormat(locale(), {
    day: "numeric", month: key, year: "numeric", timeZone: "UTC"
  });
  return LANG.dates[key];
}

/* The kinds' and precisions' words (from geo/schema.py in the payload) in the language. */
function localizeVocabulary(d) {
  var words = LANG.words;
  d.kind_style.forEach(function (style, k) {
    style.label = words["kind." + (d.kinds[k] || "none")] || style.label;
  });
  d.precision_style.forEach(function (style, k) {
    ["legend", "words", "unknown"].forEach(function (field) {
      var key = "precision." + (d.precisions[k] || "none") + "." + field;
      if (key in words) style[field] = words[key];
    });
  });
  d.context_style.label = words.context || d.context_style.label;
  d.precision_swatch.label = words.swatch || d.precision_swatch.label;
}

/* The header's description, in the language (the page's own is English). */
function describeInLanguage(app) {
  if (LANG.code === "en" || !app.n) return;
  var d = app.d, names = d.countries.map(function (c) { return c[1] || c[0]; });
  var when = app.firstDay === app.lastDay ? t("describeOn", { date: longDate(app.firstDay) }) :
    t("describeFromTo", { from: longDate(app.firstDay), to: longDate(app.lastDay) });
  var text = t("describe", {
    protests: count("protests", app.n),
    countries: count("describeCountries", names.length, { names: names.join(", ") }),
    when: when
  }) + " " + t("describeListed");
  document.getElementById("pm-description").textContent = text;
}

/* Leaflet's own controls in the language. */
function localizeControls(map) {
  var container = map.getContainer();
  [["leaflet-control-zoom-in", "zoomIn"], ["leaflet-control-zoom-out", "zoomOut"]].forEach(
    function (pair) {
      var button = container.querySelector("." + pair[0]);
      if (!button) return;
      button.title = t(pair[1]);
      button.setAttribute("aria-label", t(pair[1]));
    });
}

/* The language switch in the header: it reloads the page with ?lang=, keeping the protest. */
function languageSwitch() {
  var header = document.querySelector(".pm-header");
  var label = el("label", "pm-sr", t("languageLabel"));
  label.htmlFor = "pm-lang";
  var select = el("select", "pm-lang");
  select.id = "pm-lang";
  Object.keys(LANG.all).forEach(function (code) {
    var name = LANG.all[code].language; /* a phone's header shows the code: "RU" */
    var option = new Option(isWide() ? name : code.toUpperCase(), code, false, code === LANG.code);
    option.title = name;
    option.lang = code;
    select.appendChild(option);
  });
  select.addEventListener("change", function () {
    var url = new URL(location.href);
    url.searchParams.set("lang", select.value);
    location.href = url.href;
  });
  header.appendChild(label);
  header.appendChild(select);
}
