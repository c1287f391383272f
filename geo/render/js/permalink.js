/* permalink.js: one address per protest, map.html#<id> (the payload's "id"): opening it opens
   the protest, zoomed to how exact its place is; opening a popup puts its protest in the
   address (a history entry, so back and forward work); a "copy link" button in the popup. */

/* Index of the protest with this id, or -1 (once the payload's tail is read). */
function eventById(app, id) {
  if (!app.byId) {
    app.byId = new Map();
    (app.d.id || []).forEach(function (value, i) { app.byId.set(value, i); });
  }
  var i = app.byId.get(id);
  return i === undefined ? -1 : i;
}

function protestUrl(app, i) {
  return location.href.replace(/#.*$/, "") + "#" + encodeURIComponent(app.d.id[i]);
}

/* Open the protest with this id (showing every protest again first if the filters hide it);
   resolves to its index, or -1 when there is none. Exposed as protestMap.openProtest(id). */
function openProtest(app, id) {
  return details(app).then(function () {
    var i = eventById(app, id);
    if (i < 0) return -1;
    app.ready.then(function () {
      if (app.shown[i]) return app.popups.zoomToEvent(i, null);
      app.map.once("pmloaded", function () { app.popups.zoomToEvent(i, null); });
      return app.filters.reset();
    });
    return i;
  });
}

/* The "copy link" button of event i's popup: the link goes to the clipboard, or, where the
   clipboard is refused (a frame without permission), is shown selected to copy by hand. */
function linkButton(app, i) {
  var box = el("p", "pm-permalink");
  var button = box.appendChild(el("button", "pm-copy", t("copyLink")));
  button.type = "button";
  var said = box.appendChild(el("span", "pm-copied"));
  said.setAttribute("role", "status");
  button.addEventListener("click", function () {
    var url = protestUrl(app, i);
    function byHand() {
      var input = el("input", "pm-link-text");
      input.readOnly = true;
      input.value = url;
      input.setAttribute("aria-label", t("linkByHand"));
      box.replaceChild(input, button);
      input.focus();
      input.select();
      said.textContent = t("linkByHand");
    }
    if (!navigator.clipboard || !navigator.clipboard.writeText) return byHand();
    navigator.clipboard.writeText(url).then(function () {
      said.textContent = t("linkCopied");
    }, byHand);
    return undefined;
  });
  return box;
}

/* Keep the address and the popup in step, both ways. */
function setUpPermalinks(app) {
  var map = app.map, following = false;
  function idInAddress() {
    try {
      return decodeURIComponent(location.hash.slice(1));
    } catch (e) {
      return "";
    }
  }
  function go(hash) {
    if (following || location.hash === hash) return;
    try {
      history.pushState(null, "", hash || location.pathname + location.search);
    } catch (e) { /* an opaque origin (a sandboxed frame) may refuse it: no address then */ }
  }
  map.on("pmpopup", function () {
    var i = app.popups.event;
    if (i >= 0 && app.d.id) go("#" + encodeURIComponent(app.d.id[i]));
  });
  map.on("popupclose", function () {
    if (!following && location.hash) go("");
  });
  function follow() {
    var id = idInAddress();
    following = true;
    var done = id ? openProtest(app, id) : Promise.resolve(map.closePopup());
    done.then(function () { setTimeout(function () { following = false; }, 0); });
  }
  window.addEventListener("popstate", follow);
  if (idInAddress()) follow();
  app.openProtest = function (id) { return openProtest(app, id); };
}
