// Meeting records (meetings app, records part): the print buttons of the 附件2 and 附件3 forms.
(function () {
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();

// The feedback report: share of forms ticking each trait per month (ECharts, served locally).
(function () {
  "use strict";
  const box = document.getElementById("feedback-chart");
  const data = document.getElementById("feedback-series");
  if (!box || !data || typeof echarts === "undefined") {
    return;
  }
  const payload = JSON.parse(data.textContent);
  const chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
    legend: { data: payload.traits.map(function (t) { return t.label; }) },
    xAxis: { type: "category", data: payload.months },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: payload.traits.map(function (t) {
      return { name: t.label, type: "line", data: t.shares };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
