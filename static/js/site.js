// Site-wide enhancements; every page works without this file.
// 1. The menu button of small screens: without JavaScript the navigation is simply shown (one
//    scrolling row); with it, the button opens and closes the menu and says so (aria-expanded).
// 2. A <select data-navigate> goes to its choice at once; its form's button is the no-JS path.
(function () {
  "use strict";

  function setupMenu(button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    document.documentElement.classList.add("has-menu-button");
    button.hidden = false;

    function toggle(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }

    button.addEventListener("click", function () {
      toggle(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        toggle(false);
        button.focus();
      }
    });
  }

  function setupNavigate(select) {
    var form = select.form;
    if (!form) return;
    var submit = form.querySelector("[data-navigate-submit]");
    if (submit) submit.hidden = true;
    select.addEventListener("change", function () {
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  }

  document.querySelectorAll("[data-menu-button]").forEach(setupMenu);
  document.querySelectorAll("select[data-navigate]").forEach(setupNavigate);
})();
