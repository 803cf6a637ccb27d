/* Questionnaire results: one ECharts bar chart per choice or rating question, drawn from the
   JSON the page carries (#survey-charts); no inline script (the CSP forbids it). */
(function () {
  "use strict";
  var data = document.getElementById("survey-charts");
  if (!data || typeof window.echarts === "undefined") { return; }
  JSON.parse(data.textContent).forEach(function (chart) {
    var box = document.getElementById("chart-" + chart.id);
    if (!box) { return; }
    var instance = window.echarts.init(box, null, { renderer: "canvas" });
    instance.setOption({
      color: ["#c8281e"],
      grid: { left: 8, right: 24, top: 12, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: chart.labels,
               axisLabel: { width: 120, overflow: "truncate" } },
      series: [{ type: "bar", data: chart.counts, barMaxWidth: 22,
                 label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  });
}());
