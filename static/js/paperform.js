// The print button of the forms (附件N) pages: the browser's print dialog (no inline handler: the CSP).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-paperform-print]")) {
    window.print();
  }
});
