// Attendance pages: roll call counters and "mark all present", print buttons.
// The pages work without this script; it only saves taps.
(function () {
  "use strict";

  function rollCall(form) {
    const rows = Array.from(form.querySelectorAll(".rc-row"));
    const unmarkedBadge = document.getElementById("rc-unmarked");

    function recount() {
      const counts = {};
      let unmarked = 0;
      rows.forEach(function (row) {
        const checked = row.querySelector("input[type=radio]:checked");
        if (checked) {
          counts[checked.value] = (counts[checked.value] || 0) + 1;
        }
        if (row.classList.contains("rc-unmarked")) {
          unmarked += 1;
        }
      });
      document.querySelectorAll("[data-count-status]").forEach(function (badge) {
        badge.querySelector("span").textContent = counts[badge.dataset.countStatus] || 0;
      });
      if (unmarkedBadge) {
        unmarkedBadge.querySelector("span").textContent = unmarked;
      }
    }

    // "Unmarked" stays as saved in the database until the form is saved.
    form.addEventListener("change", recount);

    const allPresent = form.querySelector("[data-all-present]");
    if (allPresent) {
      allPresent.addEventListener("click", function () {
        rows.forEach(function (row) {
          const present = row.querySelector("input.st-present");
          if (present && !present.disabled) {
            present.checked = true;
            row.querySelectorAll("input[type=checkbox]").forEach(function (box) {
              box.checked = false;
            });
          }
        });
        recount();
      });
    }
    recount();
  }

  document.querySelectorAll("form[data-roll-call]").forEach(rollCall);

  // Month grid: a day cell opens that record and its history.
  const grid = document.getElementById("month-grid");
  if (grid) {
    grid.addEventListener("click", function (event) {
      const cell = event.target.closest("tbody td");
      if (!cell || cell.classList.contains("tot") || cell.classList.contains("off") ||
          cell.classList.contains("out")) {
        return;
      }
      const row = cell.closest("tr");
      const index = Array.prototype.indexOf.call(row.children, cell);
      const head = grid.tHead.rows[0].children[index];
      if (head && head.dataset.d && row.dataset.agent) {
        window.location.href = grid.dataset.recordUrl + row.dataset.agent + "/" + head.dataset.d + "/";
      }
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
