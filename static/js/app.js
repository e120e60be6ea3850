// Small progressive enhancements; pages work without them.
document.addEventListener("change", function (event) {
  // Filter forms marked data-autosubmit submit when a select changes.
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.tagName === "SELECT") {
    form.requestSubmit();
  }
});
