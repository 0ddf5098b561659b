/* Name the groups of ipywidgets' radio and toggle buttons for screen readers.
 *
 * ipywidgets 8 draws RadioButtons and ToggleButtons as loose controls next to a
 * <label> that is tied to none of them, so a screen reader announces "Embedded,
 * radio button" without the question it answers (WCAG 1.3.1, 4.1.2). This script,
 * loaded by the kit's Voila template and by the course book, gives each such group
 * role="radiogroup" (or "group") and points aria-labelledby at the widget's own
 * description label. Widgets render after page load, so it watches the page.
 */
(function () {
  "use strict";
  var GROUPS = [
    { widget: ".widget-radio", box: ":scope > .widget-radio-box", role: "radiogroup" },
    { widget: ".widget-toggle-buttons", box: ":scope > div:not(.widget-label)", role: "group" }
  ];
  var counter = 0;

  function nameGroup(widget, box, role) {
    var label = widget.querySelector(":scope > .widget-label");
    if (!label || !label.textContent.trim() || box.getAttribute("role") === role) return;
    if (!label.id) label.id = "ccin-group-label-" + (++counter);
    box.setAttribute("role", role);
    box.setAttribute("aria-labelledby", label.id);
  }

  function nameAll(root) {
    GROUPS.forEach(function (kind) {
      root.querySelectorAll(kind.widget).forEach(function (widget) {
        var box = widget.querySelector(kind.box);
        if (box) nameGroup(widget, box, kind.role);
      });
    });
  }

  function start() {
    nameAll(document);
    new MutationObserver(function () { nameAll(document); })
      .observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
