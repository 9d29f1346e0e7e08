// The analysis page's controls, as assistive technology should read them: Dash's radio items are marked up as a
// list box of options around native radio buttons, and its dropdowns take focus on a hidden field. Here radio
// groups become radio groups named by their legend, a dropdown's own labelled button takes the focus, and the
// records table's page buttons get names. Only inside .analisis; nothing else on other pages.
(function () {
  "use strict";
  var PAGER = {
    "first-page": ["Halaman pertama", "First page"], "previous-page": ["Halaman sebelumnya", "Previous page"],
    "next-page": ["Halaman berikutnya", "Next page"], "last-page": ["Halaman terakhir", "Last page"]
  };

  function fix(root) {
    var en = (document.documentElement.lang || "id") === "en" ? 1 : 0;
    root.querySelectorAll(".dash-radioitems[role=listbox]").forEach(function (group) {
      group.setAttribute("role", "radiogroup");
      var legend = group.closest("fieldset") && group.closest("fieldset").querySelector("legend");
      if (legend) {
        legend.id = legend.id || group.id + "-legend";
        group.setAttribute("aria-labelledby", legend.id);
      }
    });
    root.querySelectorAll(".dash-radioitems [role=option], .dash-radioitems [aria-selected]").forEach(function (option) {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    });
    root.querySelectorAll(".dash-dropdown-wrapper").forEach(function (wrapper) {
      var target = wrapper.querySelector(".dash-dropdown-focus-target");
      var button = wrapper.querySelector("button.dash-dropdown");
      if (target && button && target.tabIndex !== -1) {
        target.tabIndex = -1;
        button.tabIndex = 0;
        var label = button.id && document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
        if (label) {
          label.id = label.id || button.id + "-label";
          var named = button.getAttribute("aria-labelledby") || "";
          if (named.indexOf(label.id) < 0) button.setAttribute("aria-labelledby", (label.id + " " + named).trim());
        }
      }
    });
    Object.keys(PAGER).forEach(function (cls) {
      root.querySelectorAll(".a-drill button." + cls).forEach(function (b) { b.setAttribute("aria-label", PAGER[cls][en]); });
    });
  }

  if (location.pathname.indexOf("/analisis") !== 0) return;  // the wall runs for months: no observer there
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      var page = document.querySelector(".analisis");
      if (page) fix(page);
    });
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ["role", "aria-selected", "tabindex"]});
})();
