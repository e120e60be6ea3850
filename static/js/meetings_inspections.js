// Meeting inspections (§7): the live total on the acceptance form, the score trend on the
// archive (ECharts, served locally) and the print buttons.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  const form = document.getElementById("acceptance-form");
  if (form) {
    const max = Number(form.dataset.maxRating || 5);
    const total = document.getElementById("live-total");
    const update = function () {
      let sum = 0;
      let complete = true;
      form.querySelectorAll("[data-item]").forEach(function (row) {
        const checked = row.querySelector("input[type=radio]:checked");
        const cell = row.querySelector("[data-points]");
        if (!checked) {
          complete = false;
          cell.textContent = "";
          return;
        }
        const points = Math.round((Number(row.dataset.weight) * Number(checked.value) / max) * 10) / 10;
        cell.textContent = points.toFixed(1);
        sum += points;
      });
      total.textContent = (Math.round(sum * 10) / 10).toFixed(1) + (complete ? "" : " …");
    };
    form.addEventListener("change", update);
    update();
  }

  const box = document.getElementById("inspection-chart");
  const data = document.getElementById("inspection-series");
  if (box && data && typeof echarts !== "undefined") {
    const series = JSON.parse(data.textContent);
    if (!series.length) {
      box.style.display = "none";
      return;
    }
    const chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: series.map(function (s) { return s.name; }) },
      xAxis: { type: "time" },
      yAxis: { type: "value", min: 0, max: 100, name: box.dataset.scoreLabel },
      series: series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, showSymbol: true };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
})();
