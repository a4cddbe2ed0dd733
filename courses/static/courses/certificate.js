/* The certificate's print button (a static file: the Content-Security-Policy allows no inline
   script or event handler). */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
