/* Keyboard and screen-reader help for ipywidgets, in the course book and the live tools.
 *
 * 1. ipywidgets 8 draws RadioButtons and ToggleButtons as loose controls next to a
 *    <label> that is tied to none of them, so a screen reader announces "Embedded,
 *    radio button" without the question it answers (WCAG 1.3.1, 4.1.2). Each such group
 *    gets role="radiogroup" (or "group") and aria-labelledby the widget's own label.
 * 2. Its radio buttons have no name, so each was a Tab stop of its own (six per question)
 *    and the arrow keys did nothing. A shared name per group makes them one native group:
 *    one Tab stop, arrow keys move and choose, and the browser's click on the chosen
 *    button is what ipywidgets sends to the kernel.
 * 3. The self-assessment app: when a council's workspace appears, focus moves to its
 *    heading (tabindex="-1"), so keyboard users start there and screen readers say the
 *    council's name; its "Go to scores and Save" link moves focus, not just the view.
 * Widgets render after page load, so the script watches the page.
 */
(function () {
  "use strict";
  var GROUPS = [
    { widget: ".widget-radio", box: ":scope > .widget-radio-box", role: "radiogroup" },
    { widget: ".widget-toggle-buttons", box: ":scope > div:not(.widget-label)", role: "group" }
  ];
  var counter = 0;
  var shownWorkspaces = new WeakSet();

  function nameGroup(widget, box, role) {
    var label = widget.querySelector(":scope > .widget-label");
    if (!label || !label.textContent.trim() || box.getAttribute("role") === role) return;
    if (!label.id) label.id = "ccin-group-label-" + (++counter);
    box.setAttribute("role", role);
    box.setAttribute("aria-labelledby", label.id);
  }

  function groupRadios(box) {
    if (!box.dataset.ccinName) box.dataset.ccinName = "ccin-radios-" + (++counter);
    box.querySelectorAll('input[type="radio"]:not([name])').forEach(function (input) {
      input.name = box.dataset.ccinName;
    });
  }

  function nameAll(root) {
    GROUPS.forEach(function (kind) {
      root.querySelectorAll(kind.widget).forEach(function (widget) {
        var box = widget.querySelector(kind.box);
        if (box) nameGroup(widget, box, kind.role);
      });
    });
    root.querySelectorAll(".widget-radio-box").forEach(groupRadios);
  }

  function focusOpenedCouncil() {
    document.querySelectorAll(".ccin-workspace").forEach(function (workspace) {
      var heading = workspace.querySelector(".ccin-council-heading");
      var shown = workspace.style.display !== "none" && workspace.getClientRects().length > 0;
      if (!shown) {
        shownWorkspaces.delete(workspace);
      } else if (!shownWorkspaces.has(workspace) && heading && heading.textContent.trim()) {
        shownWorkspaces.add(workspace);
        heading.focus();
      }
    });
  }

  function followSkipLink(event) {
    var link = event.target.closest && event.target.closest("a.ccin-skip");
    var target = link && document.getElementById(link.hash.slice(1));
    if (!target) return;
    event.preventDefault();  // no new history entry: Back still leaves the app
    target.focus();
  }

  function update() {
    nameAll(document);
    focusOpenedCouncil();
  }

  function start() {
    update();
    new MutationObserver(update).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["style"]
    });
    document.addEventListener("click", followSkipLink);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
