/* Live messages and the app's place in the URL, for the kit's Voila apps.
 *
 * 1. A widget the app marks `ccin-live` (each message area beside a control) is made
 *    a polite status region, so screen readers hear "Saved version 3" where it
 *    appears. The region exists before any message, as live regions must.
 * 2. The app writes the open council and section (the checklist theme shown) into a
 *    hidden `.ccin-location` element; this copies them into the page's query string
 *    as `council` and `section` (not `theme`: Voila reads `?theme=` as the page's
 *    colour theme and fails to load an unknown one) with replaceState, so
 *    a reload, or Back from another page, opens the app where the officer was
 *    (Voila hands the query string to the kernel, which reopens that council).
 *    replaceState, not pushState: Back still leaves the app rather than stepping
 *    through every theme the officer looked at.
 * 3. A button's icon (Font Awesome's glyph, drawn by CSS) is hidden from screen
 *    readers, so "Save" is announced as "Save", not with a private-use character
 *    before it; the button's words name it.
 */
(function () {
  "use strict";

  function markLive(root) {
    root.querySelectorAll(".ccin-live:not([aria-live])").forEach(function (el) {
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
    });
  }

  function hideIcons(root) {
    root.querySelectorAll("button i.fa:not([aria-hidden])").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
    });
  }

  var lastPlace = null;

  function syncPlace() {
    var marker = document.querySelector(".ccin-location");
    if (!marker) return;
    var council = marker.getAttribute("data-council") || "";
    var section = marker.getAttribute("data-section") || "";
    var place = council + "\u0000" + section;
    if (place === lastPlace) return;
    lastPlace = place;
    var url = new URL(window.location.href);
    url.searchParams.delete("council");
    url.searchParams.delete("section");
    if (council) url.searchParams.set("council", council);
    if (council && section) url.searchParams.set("section", section);
    window.history.replaceState(window.history.state, "", url.toString());
  }

  function update() {
    markLive(document);
    hideIcons(document);
    syncPlace();
  }

  function start() {
    update();
    new MutationObserver(update).observe(document.body, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ["data-council", "data-section"]
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
