/* embed.js: the map inside an article's iframe, on a touch screen and in a sandbox. One finger
   scrolls the article (a hint says to use two), two fingers move and zoom the map; a link that
   the frame may not open (sandboxed without allow-popups) says so and offers its address. */

function setUpTouch(map) {
  if (!L.Browser.touch) return;
  var container = map.getContainer();
  map.dragging.disable(); /* two fingers still move the map: Leaflet's touch zoom pans too */
  container.classList.add("pm-touch-scroll"); /* touch-action: pan-x pan-y */
  var hint = el("div", "pm-wheel-hint pm-touch-hint", t("touchHint"));
  hint.setAttribute("aria-hidden", "true");
  container.appendChild(hint);
  var timer = null;
  container.addEventListener("touchmove", function (e) {
    if (e.touches.length !== 1) {
      hint.classList.remove("pm-visible");
      return;
    }
    hint.classList.add("pm-visible");
    clearTimeout(timer);
    timer = setTimeout(function () { hint.classList.remove("pm-visible"); }, 1500);
  }, { passive: true });
}

/* Links that open a new tab: inside a frame, opened with window.open, so that a refusal (a
   sandbox without allow-popups) is seen: the link's address is then shown to copy. */
function setUpFrameLinks(app) {
  if (!inFrame()) return;
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[target=_blank]");
    if (!a) return;
    e.preventDefault();
    var opened = null;
    try {
      opened = window.open(a.href, "_blank");
    } catch (err) { /* refused */ }
    if (opened) {
      opened.opener = null;
      return;
    }
    var box = a.parentNode.querySelector(".pm-link-refused") || el("span", "pm-link-refused");
    box.textContent = "";
    box.setAttribute("role", "status");
    box.appendChild(el("span", null, t("sandboxLink")));
    var input = box.appendChild(el("input", "pm-link-text"));
    input.readOnly = true;
    input.value = a.href;
    input.setAttribute("aria-label", t("sandboxLink"));
    a.insertAdjacentElement("afterend", box);
    input.focus();
    input.select();
  }, true); /* capture: a popup keeps its clicks to itself */
}
