/* print.js: what a printed page shows below the map: every protest the filters show (not only
   the list's first page), each with its dates, place and source. Built when printing starts. */

function printList(app) {
  var d = app.d, s = app.s, old = document.querySelector(".pm-print-list");
  var ol = el("ol", "pm-print-list");
  for (var i = 0; i < app.n; i++) {
    if (!app.shown[i]) continue;
    var li = ol.appendChild(el("li"));
    li.appendChild(dateNode("span", "pm-item-date", d.day[i], endDay(app, i), false));
    li.appendChild(document.createTextNode(": "));
    li.appendChild(el("strong", null, eventTitle(app, i)));
    li.appendChild(document.createTextNode(", " + eventPlace(app, i)));
    var url = s[d.source_url[i]], title = s[d.source_title[i]];
    if (url || title) {
      li.appendChild(el("span", "pm-print-source",
        t("source") + [title, url].filter(Boolean).join(" \u2013 ")));
    }
  }
  if (old) old.replaceWith(ol);
  else document.querySelector(".pm-list-section").appendChild(ol);
  app.map.invalidateSize({ animate: false });
}

function setUpPrint(app) {
  function ready() {
    printList(app);
  }
  window.addEventListener("beforeprint", ready);
  window.matchMedia("print").addEventListener("change", function (e) {
    if (e.matches) ready();
    else app.map.invalidateSize({ animate: false });
  });
}
