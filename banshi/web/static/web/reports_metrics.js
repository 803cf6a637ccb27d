/* 办理指标 · 单位页: the monthly trend and the rank history, drawn with the project's own
   copy of ECharts from <script type="application/json" id="unit-trend"> (no inline script:
   the CSP allows 'self' only). */
(function () {
  "use strict";

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) return;
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option);
    node.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var source = document.getElementById("unit-trend");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var grid = { left: 8, right: 16, top: 40, bottom: 8, containLabel: true };
    var series = [{ type: "bar", name: "收到(件)", yAxisIndex: 1, data: data.received,
                    itemStyle: { opacity: 0.35 } }];
    data.rates.forEach(function (r) {
      series.push({ type: "line", name: r.name, data: r.data, connectNulls: false,
                    symbolSize: 6 });
    });
    draw("chart-trend", {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: [{ type: "value", min: 0, max: 100, name: "%" },
              { type: "value", minInterval: 1, name: "件", splitLine: { show: false } }],
      series: series
    });
    draw("chart-rank", {
      tooltip: { trigger: "axis" },
      grid: grid,
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", inverse: true, min: 1, max: Math.max(data.of, 1),
               minInterval: 1, name: "名次" },
      series: [{ type: "line", name: "名次", data: data.ranks, connectNulls: false,
                 symbolSize: 8, label: { show: true, position: "top" } }]
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
