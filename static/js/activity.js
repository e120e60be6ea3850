// Activity pages: the +/- steppers of the work log. The form works without this script.
(function () {
  "use strict";
  document.querySelectorAll("[data-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      const input = button.parentElement.querySelector("input");
      const value = (parseInt(input.value, 10) || 0) + parseInt(button.dataset.step, 10);
      input.value = Math.max(0, Math.min(999, value));
    });
  });
})();
