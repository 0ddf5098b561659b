/* Phones and print (issue 11).
 *
 * 1. The ☰ menu. pydata-sphinx-theme 0.17.x adds its own hidden `.primary-toggle` in the
 *    top header and wires only the first `.primary-toggle` in the page (querySelector), so the
 *    sphinx-book-theme button the reader sees gets no handler and opens nothing
 *    (pydata-sphinx-theme issue #2451). sphinx-book-theme's wide-screen fix has the same
 *    flaw. Every other toggle passes its click to the wired one, which opens the menu dialog
 *    on a phone and folds the sidebar away on a wide screen; the dialog closes with Escape
 *    and gives focus back to the button.
 * 2. Scroll boxes. Wide tables, code and notebook output scroll inside their own box; a box
 *    that scrolls is a labelled region the keyboard can reach.
 * 3. Print. CSS cannot open <details>, so they are opened before printing and put back after.
 */
(function () {
  "use strict";

  var LABEL = "Menu: the course's pages and search";

  // The tooltip shows on hover and focus; after a press the button keeps focus, so the
  // tooltip stayed over the page until the reader clicked elsewhere. A press hides it
  // until the pointer or the focus leaves the button.
  function quietAfterPress(button) {
    var Tooltip = window.bootstrap && window.bootstrap.Tooltip;
    var tip = Tooltip && Tooltip.getInstance(button);
    if (!tip) return;
    tip.hide();
    tip.disable();
    var wake = function () {
      tip.enable();
      button.removeEventListener("mouseleave", wake);
      button.removeEventListener("blur", wake);
    };
    button.addEventListener("mouseleave", wake);
    button.addEventListener("blur", wake);
  }

  function wireMenuButtons() {
    var toggles = document.querySelectorAll(".primary-toggle");
    if (toggles.length < 2) return;
    var wired = toggles[0];
    var dialog = document.getElementById("pst-primary-sidebar-modal");
    var sidebar = document.getElementById("pst-primary-sidebar");
    Array.prototype.slice.call(toggles, 1).forEach(function (button) {
      button.setAttribute("aria-label", LABEL);
      // The theme's tooltip said "Toggle primary sidebar": the same words as the label now.
      button.setAttribute("data-bs-original-title", LABEL);
      button.addEventListener("show.bs.tooltip", function () {
        var tip = window.bootstrap.Tooltip.getInstance(button);
        if (tip) tip.setContent({ ".tooltip-inner": LABEL });
      });
      button.setAttribute("aria-haspopup", "dialog");
      if (sidebar) button.setAttribute("aria-controls", "pst-primary-sidebar");
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        button.focus();
        wired.click();
        var open = dialog && dialog.open;
        var shown = open || (sidebar && !sidebar.classList.contains("pst-sidebar-hidden"));
        button.setAttribute("aria-expanded", shown ? "true" : "false");
        quietAfterPress(button);
      });
      if (dialog) {
        dialog.addEventListener("close", function () {
          button.setAttribute("aria-expanded", "false");
        });
      }
    });
    // Escape closes the menu wherever the focus is (the theme listens inside the dialog only).
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && dialog && dialog.open) {
        event.preventDefault();
        dialog.close();
      }
    });
  }

  var SCROLLERS = [
    ".pst-scrollable-table-container", ".ccin-table-scroll", ".cell_output .output",
    ".cell_output .widget-html-content", ".bd-article .highlight pre",
  ].join(", ");

  function nameOf(box) {
    var tables = box.querySelectorAll("table");
    var caption = tables.length === 1 ? tables[0].querySelector("caption") : null;
    if (tables.length > 1) return "Results (scroll sideways)";
    if (caption && caption.textContent.trim()) return caption.textContent.trim() + " (scrolls sideways)";
    if (box.querySelector("table")) return "Table (scrolls sideways)";
    if (box.tagName === "PRE") return "Code (scrolls sideways)";
    return "Output (scrolls sideways)";
  }

  function labelScrollBoxes() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls) {
        box.classList.add("ccin-scroll-region");
        box.tabIndex = 0;
        if (box.tagName !== "PRE") box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", nameOf(box));
      } else if (box.classList.contains("ccin-scroll-region")) {
        box.classList.remove("ccin-scroll-region");
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  var opened = [];

  function openDetailsForPrint() {
    document.querySelectorAll(".bd-article details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  }

  function restoreDetails() {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  }

  function start() {
    wireMenuButtons();
    labelScrollBoxes();
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(labelScrollBoxes, 200);
    });
    window.addEventListener("load", labelScrollBoxes);
    // Widgets draw their output after load: label the boxes they add too.
    var main = document.getElementById("main-content");
    if (main && window.MutationObserver) {
      var pending = false;
      new MutationObserver(function () {
        if (pending) return;
        pending = true;
        requestAnimationFrame(function () {
          pending = false;
          labelScrollBoxes();
        });
      }).observe(main, { subtree: true, childList: true });
    }
    window.addEventListener("beforeprint", openDetailsForPrint);
    window.addEventListener("afterprint", restoreDetails);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
