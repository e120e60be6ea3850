// Small progressive enhancements; pages work without them.
document.addEventListener("change", function (event) {
  // Filter forms marked data-autosubmit submit when a select changes.
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.tagName === "SELECT") {
    form.requestSubmit();
  }
});
document.addEventListener("click", function (event) {
  // Buttons marked data-confirm="question" ask before they act (no inline handlers: the CSP).
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
