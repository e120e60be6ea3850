// Activity dashboard: the daily trend of fill rate and visits per agent (ECharts, served locally).
(function () {
  "use strict";
  const box = document.getElementById("activity-chart");
  const data = document.getElementById("activity-series");
  if (!box || !data || typeof echarts === "undefined") {
    return;
  }
  const series = JSON.parse(data.textContent);
  const chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [box.dataset.fillLabel, box.dataset.visitsLabel] },
    xAxis: { type: "category", data: series.map(function (row) { return row.date; }) },
    yAxis: [
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      { type: "value", min: 0 }
    ],
    series: [
      {
        name: box.dataset.fillLabel,
        type: "line",
        data: series.map(function (row) {
          return row.fill_rate === null ? null : Math.round(row.fill_rate * 1000) / 10;
        })
      },
      {
        name: box.dataset.visitsLabel,
        type: "line",
        yAxisIndex: 1,
        data: series.map(function (row) { return row.visits_per_agent; })
      }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
