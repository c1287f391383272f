/* keyboard.js: markers, clusters and related places work with Enter and Space as with a click
   (a cluster zooms or spiderfies, then its first marker takes the focus); Escape closes the
   popup from anywhere inside it; the popup's close button is a button, not a link. */

/* The cluster of app.cluster drawn as `node`, or null. */
function clusterOf(app, node) {
  var found = null;
  app.cluster._featureGroup.eachLayer(function (layer) {
    if (layer._icon === node && layer.getAllChildMarkers) found = layer;
  });
  return found;
}

/* Zoom into (or spiderfy) a cluster as a click would, then focus the marker, or the smaller
   cluster, that now holds its first place. */
function openCluster(app, cluster) {
  var first = cluster.getAllChildMarkers()[0], map = app.map, done = false;
  function focusFirst() {
    if (done) return;
    done = true;
    var shown = app.cluster.getVisibleParent(first);
    var node = shown && shown.getElement && shown.getElement();
    if (node) node.focus({ preventScroll: true });
  }
  app.cluster.once("spiderfied", focusFirst);
  map.once("moveend", function () { setTimeout(focusFirst, 0); });
  app.cluster._zoomOrSpiderfy({ layer: cluster });
}

/* Open what a marker element shows: a place, a related place or a cluster. */
function openMarker(app, node) {
  if (node.hasAttribute("data-place")) {
    app.popups.opener = node;
    app.popups.openPlace(+node.getAttribute("data-place"), true);
  } else if (node.hasAttribute("data-context")) {
    app.popups.opener = node;
    app.popups.showContext(+node.getAttribute("data-context"), true);
  } else {
    var cluster = clusterOf(app, node);
    if (cluster) openCluster(app, cluster);
  }
}

/* The element now drawn for the marker that `node` was (moving the map may redraw a marker:
   then the focus goes to its new element, or to the cluster that now holds it). */
function markerNode(app, node) {
  if (!node || node.isConnected) return node;
  if (node.hasAttribute("data-place")) {
    var shown = app.cluster.getVisibleParent(app.markers[+node.getAttribute("data-place")]);
    return (shown && shown.getElement && shown.getElement()) || node;
  }
  if (node.hasAttribute("data-context")) {
    return document.querySelector(".pm-context-marker[data-context='" +
      (+node.getAttribute("data-context")) + "']") || node;
  }
  return node;
}

function setUpKeys(app) {
  var map = app.map;
  map.getContainer().addEventListener("keydown", function (e) {
    var node = e.target;
    if ((e.key !== "Enter" && e.key !== " ") || !node.classList ||
        !node.classList.contains("leaflet-marker-icon")) return;
    e.preventDefault(); /* no scrolling on Space, no keypress for Leaflet */
    openMarker(app, node);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && e.target.closest && e.target.closest(".leaflet-popup")) {
      e.preventDefault();
      map.closePopup();
    }
  });
  map.on("popupopen", function (e) {
    var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (!close || close.pmButton) return;
    close.pmButton = true;
    close.removeAttribute("href");
    close.tabIndex = 0;
    close.setAttribute("aria-label", t("closePopup"));
    close.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        map.closePopup();
      }
    });
  });
}
