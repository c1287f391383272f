/* search.js: a search box above the filters that finds the protests shown by city, venue,
   organizer, address and words of the report, and opens the one chosen. A combobox: arrows
   move through the results, Enter opens one, Escape closes the list. The index (the texts,
   folded to lower case without accents) is built at the first search, not before. */

var SEARCH_MAX = 12;

function fold(text) {
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function searchBox(app) {
  var d = app.d, s = app.s, form = document.getElementById("pm-filters");
  var box = el("div", "pm-search");
  var label = box.appendChild(el("label", null, t("search")));
  label.htmlFor = "pm-search";
  var input = box.appendChild(el("input"));
  input.type = "search";
  input.id = "pm-search";
  input.placeholder = t("searchPlaceholder");
  input.autocomplete = "off";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", "pm-search-results");
  var list = box.appendChild(el("ul", "pm-search-results"));
  list.id = "pm-search-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", t("search"));
  list.hidden = true;
  var said = box.appendChild(el("p", "pm-sr"));
  said.setAttribute("role", "status");
  form.insertBefore(box, form.children[1] || null);

  var index = null, found = [], active = -1, timer = null;
  function buildIndex() {
    return details(app).then(function () {
      if (index) return;
      index = new Array(app.n);
      for (var i = 0; i < app.n; i++) {
        index[i] = fold([s[d.city[i]], s[d.venue[i]], s[d.organizer[i]], s[d.address[i]],
          s[d.location[i]], countryName(app, i), d.summary[i]].join("\n"));
      }
    });
  }
  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function mark(k) {
    var items = list.children;
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    active = k;
    if (k < 0 || !items[k]) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    items[k].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", items[k].id);
    items[k].scrollIntoView({ block: "nearest" });
  }
  function open(i) {
    close();
    app.popups.zoomToEvent(i, input);
  }
  function run() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    if (!words.length) {
      close();
      said.textContent = "";
      return;
    }
    buildIndex().then(function () {
      found = [];
      var total = 0;
      for (var i = 0; i < app.n; i++) {
        if (!app.shown[i]) continue;
        var text = index[i], ok = true;
        for (var w = 0; w < words.length && ok; w++) ok = text.indexOf(words[w]) >= 0;
        if (!ok) continue;
        total++;
        if (found.length < SEARCH_MAX) found.push(i);
      }
      list.textContent = "";
      found.forEach(function (j, k) {
        var li = list.appendChild(el("li", "pm-search-result"));
        li.id = "pm-search-" + k;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-event", String(j));
        li.appendChild(el("span", "pm-item-title", eventTitle(app, j)));
        li.appendChild(el("span", "pm-item-place",
          dateText(d.day[j], endDay(app, j), true) + " \u00b7 " + eventPlace(app, j)));
        li.addEventListener("click", function () { open(j); });
      });
      active = -1;
      list.hidden = !found.length;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      said.textContent = total ? count("searchResults", total) : t("searchNone");
    });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!found.length || list.hidden) return;
      e.preventDefault();
      var step = e.key === "ArrowDown" ? 1 : -1;
      mark((active + step + found.length) % found.length);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (!list.hidden && found.length) open(found[Math.max(active, 0)]);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      e.stopPropagation(); /* the list closes, not the panel */
      close();
    }
  });
  input.addEventListener("blur", function () {
    setTimeout(function () { if (!box.contains(document.activeElement)) close(); }, 200);
  });
  return { input: input };
}
