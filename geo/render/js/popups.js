/* popups.js: the one popup: opening it from a marker or from the list (zooming there first),
   keeping it on screen, and giving the focus back when it closes. */

function popups(app) {
  var map = app.map, token = null;
  var popup = L.popup({ autoPanPadding: [12, 12], offset: [0, -6], className: "pm-popup-wrap" });
  var self = {
    event: -1, /* the protest whose popup is open, or -1 */
    place: -1, /* the place whose popup is open, or -1 */
    opener: null /* the button or marker that gets the focus back when the popup closes */
  };

  function fitSize() {
    var size = map.getSize();
    popup.options.maxWidth = Math.max(200, Math.min(340, size.x - 56));
    popup.options.minWidth = Math.min(220, popup.options.maxWidth);
    popup.options.maxHeight = Math.max(160, size.y - 96);
  }

  /* Builds the content once the report texts are read (details), and opens once its photos
     are decoded, so the popup is laid out (and kept on screen) at its real height. */
  function show(latlng, makeContent, focus) {
    var mine = {}, content = null;
    token = mine;
    details(app).then(function () {
      if (token !== mine) return undefined; /* another popup was asked for meanwhile */
      content = makeContent();
      return Promise.all(Array.prototype.map.call(content.querySelectorAll("img"), function (img) {
        /* a broken image is shown as such: nothing to wait for */
        return img.decode().catch(function () {});
      }));
    }).then(function () {
      if (token !== mine) return; /* another popup was asked for meanwhile */
      fitSize();
      map.getContainer().classList.add("pm-popup-open");
      popup.setLatLng(latlng).setContent(content).openOn(map);
      map.fire("pmpopup"); /* opened, or its content replaced (permalink.js) */
      app.circles.update();
      if (focus) content.querySelector("h2").focus({ preventScroll: true });
    });
  }

  function leavePanel(opener) {
    if (!isWide() && app.panel.isOpen()) app.panel.set(false);
    self.opener = opener || null;
  }

  /* One protest's popup, at its place's marker. */
  self.openEvent = function (i, focus) {
    self.event = i;
    self.place = app.d.place[i];
    show(placeLatLng(app, self.place), eventContent.bind(null, app, i), focus);
  };

  /* A place's popup: its protest, or the list of its protests by date when there are several. */
  self.openPlace = function (p, focus) {
    var events = shownAt(app, p);
    if (events.length === 1) return self.openEvent(events[0], focus);
    self.event = -1;
    self.place = p;
    show(placeLatLng(app, p), placeContent.bind(null, app, p, events), focus);
  };

  /* From the list: zoom to how exact the protest's place is, out of its cluster if need be,
     then open its popup. */
  self.zoomToEvent = function (i, opener) {
    var d = app.d, p = d.place[i];
    if (!app.shown[i]) return;
    leavePanel(opener);
    var zoom = Math.min(map.getMaxZoom(), precisionStyle(app, i).zoom);
    map.setView([d.place_lat[p], d.place_lon[p]], zoom, { animate: false });
    app.markerLayer.reveal(p, function () { self.openEvent(i, true); });
  };

  self.showContext = function (k, focus) {
    var c = app.d.context[k];
    self.event = -1;
    self.place = -1;
    show([c.lat, c.lon], contextContent.bind(null, app, c), focus);
  };

  self.zoomToContext = function (k, opener) {
    var c = app.d.context[k];
    leavePanel(opener);
    var zoom = Math.max(map.getZoom(), Math.min(app.d.precision_style[c.precision].zoom, 9));
    map.setView([c.lat, c.lon], zoom, { animate: false });
    self.showContext(k, !!opener);
  };

  map.on("popupclose", function (e) {
    if (e.popup !== popup) return;
    self.event = -1;
    self.place = -1;
    map.getContainer().classList.remove("pm-popup-open");
    app.circles.update();
    var opener = markerNode(app, self.opener), toggle = app.panel.toggle;
    self.opener = null;
    var active = document.activeElement;
    if (opener && (!active || active === document.body || map.getContainer().contains(active))) {
      if (isShown(opener)) opener.focus({ preventScroll: true });
      else if (isShown(toggle)) toggle.focus({ preventScroll: true });
    }
  });
  return self;
}
