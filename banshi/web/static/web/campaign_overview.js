/* 活动总览: the campaign page's charts, drawn with the project's own copy of ECharts from the
   data in <script type="application/json" id="campaign-charts"> (the CSP allows 'self' only). */
(function () {
  "use strict";

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) return null;
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option);
    node.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function pluck(items, key) {
    return items.map(function (item) { return item[key]; });
  }

  function start() {
    var source = document.getElementById("campaign-charts");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var grid = { left: 8, right: 24, top: 36, bottom: 8, containLabel: true };
    var axis = { trigger: "axis", axisPointer: { type: "shadow" } };

    function bars(id, rows, series) {
      draw(id, {
        tooltip: axis, grid: grid,
        legend: series.length > 1 ? { top: 0 } : undefined,
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: pluck(rows, "name") },
        series: series.map(function (s) {
          return { type: "bar", name: s.name, data: pluck(rows, s.key),
                   label: { show: true, position: "right" } };
        })
      });
    }

    bars("chart-meetings", data.meetings, [{ name: "会议(次)", key: "value" }]);
    bars("chart-study", data.study.filter(function (r) { return r.activities > 0; }),
         [{ name: "活动(次)", key: "activities" }, { name: "人次", key: "person_times" }]);
    bars("chart-speakers", data.speakers,
         [{ name: "宣讲(场)", key: "lectures" }, { name: "听众(人次)", key: "person_times" }]);
    draw("chart-venues", {
      tooltip: { trigger: "item", formatter: "{b}：{c} 人次 ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: data.venues,
                 label: { formatter: "{b}\n{c}人次" } }]
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
