/* list.js: the side panel (a sheet on narrow screens, opened by "List and filters") and its
   lists: the protests shown, LIST_PAGE at a time, and the related places. */

var LIST_PAGE = 100;

/* The list of the protests shown; render() starts it afresh, more() adds a page. */
function eventList(app) {
  var list = document.getElementById("pm-list"), more = document.getElementById("pm-more");
  var listed = 0, cursor = 0;

  function item(i) {
    var d = app.d, style = kindStyle(app, i);
    var li = el("li", "pm-item");
    var b = el("button", "pm-item-button");
    b.type = "button";
    b.setAttribute("data-event", String(i));
    b.appendChild(symbolNode(style, precisionStyle(app, i).approximate));
    var text = el("span", "pm-item-text");
    text.appendChild(dateNode("span", "pm-item-date", d.day[i], endDay(app, i), true));
    text.appendChild(el("span", "pm-item-title", eventTitle(app, i)));
    text.appendChild(el("span", "pm-item-place", eventPlace(app, i) + " · " + style.label));
    b.appendChild(text);
    b.addEventListener("click", function () { app.popups.zoomToEvent(i, b); });
    li.appendChild(b);
    return li;
  }

  function addPage() {
    var frag = document.createDocumentFragment();
    var added = 0, i = cursor;
    for (; i < app.n && added < LIST_PAGE; i++) {
      if (!app.shown[i]) continue;
      frag.appendChild(item(i));
      added++;
    }
    cursor = i;
    listed += added;
    list.appendChild(frag);
    var left = app.total - listed;
    more.hidden = left <= 0;
    more.textContent = t("showMore", { count: num(Math.min(left, LIST_PAGE)), n: num(left) });
  }

  more.addEventListener("click", function () {
    var next = list.children.length;
    addPage();
    var added = list.children[next];
    if (added) added.querySelector("button").focus();
  });
  return {
    render: function () {
      list.textContent = "";
      listed = 0;
      cursor = 0;
      addPage();
    },
    /* The items' titles said again (once the venues' names are read: payload "late_text"). */
    retitle: function () {
      list.querySelectorAll(".pm-item-button[data-event]").forEach(function (b) {
        var title = b.querySelector(".pm-item-title");
        if (title) title.textContent = eventTitle(app, +b.getAttribute("data-event"));
      });
    }
  };
}

/* The panel: { toggle, isOpen(), set(open) }; also the skip link and Escape on narrow screens. */
function panel(app) {
  var node = document.getElementById("pm-panel"), toggle = document.querySelector(".pm-toggle");
  var self = {
    toggle: toggle,
    isOpen: function () {
      return document.body.classList.contains("pm-panel-open");
    },
    set: function (open) {
      document.body.classList.toggle("pm-panel-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = t(open ? "showMap" : "listAndFilters");
      if (open) node.focus({ preventScroll: true });
    }
  };
  toggle.addEventListener("click", function () { self.set(!self.isOpen()); });
  document.querySelector(".pm-skip").addEventListener("click", function (e) {
    e.preventDefault();
    if (!isWide()) self.set(true);
    document.getElementById("pm-list").focus();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && self.isOpen() && !isWide() && node.contains(document.activeElement)) {
      self.set(false);
      toggle.focus();
    }
  });
  if (app.d.context.length) contextList(app, node);
  return self;
}

function contextList(app, node) {
  var section = el("section", "pm-context-section");
  section.setAttribute("aria-labelledby", "pm-context-title");
  var h = el("h2", null, t("relatedPlaces"));
  h.id = "pm-context-title";
  section.appendChild(h);
  var ul = el("ul", "pm-list");
  app.d.context.forEach(function (c, k) {
    var li = el("li", "pm-item");
    var b = el("button", "pm-item-button");
    b.type = "button";
    b.setAttribute("data-context", String(k));
    b.appendChild(symbolNode(app.d.context_style, false));
    var text = el("span", "pm-item-text");
    text.appendChild(el("span", "pm-item-title", c.name));
    text.appendChild(el("span", "pm-item-place", [c.city, c.country].filter(Boolean).join(", ")));
    b.appendChild(text);
    b.addEventListener("click", function () { app.popups.zoomToContext(k, b); });
    li.appendChild(b);
    ul.appendChild(li);
  });
  section.appendChild(ul);
  node.appendChild(section);
}
