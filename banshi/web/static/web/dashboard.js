/* 数据看板: the dashboard's charts, drawn with the project's own ECharts from the data in
   <script type="application/json" id="dashboard-charts"> (the CSP allows 'self' only). Every
   bar, point and funnel step opens the ledger behind it (its row's `url`). */
(function () {
  "use strict";

  function pluck(items, key) {
    return items.map(function (item) { return item[key]; });
  }

  function draw(id, option, onClick) {
    var node = document.getElementById(id);
    if (!node) return null;
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option);
    if (onClick) chart.on("click", onClick);
    node.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function go(rows, key) {
    return function (params) {
      var row = rows[params.dataIndex];
      var url = row && (key && params.seriesIndex === 1 ? row[key] : row.url);
      if (url) window.location.href = url;
    };
  }

  function start() {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var narrow = window.matchMedia("(max-width: 719px)").matches;
    var grid = { left: 8, right: 24, top: 36, bottom: 8, containLabel: true };
    var axis = { trigger: "axis", axisPointer: { type: "shadow" } };

    draw("chart-days", {
      tooltip: { trigger: "axis" }, grid: grid, legend: { top: 0 },
      xAxis: { type: "category", data: pluck(data.trend.days, "name") },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { type: "bar", name: "收到(件)", data: pluck(data.trend.days, "collected"), cursor: "pointer" },
        { type: "line", name: "答复(件)", data: pluck(data.trend.days, "resolved"), symbolSize: 6 }
      ]
    }, go(data.trend.days));

    draw("chart-weeks", {
      tooltip: { trigger: "axis" }, grid: grid,
      xAxis: { type: "category", data: pluck(data.trend.weeks, "name"), boundaryGap: false },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "line", name: "收到(件)", data: pluck(data.trend.weeks, "value"),
                 areaStyle: { opacity: 0.15 }, symbolSize: 7, cursor: "pointer" }]
    }, go(data.trend.weeks));

    draw("chart-funnel", {
      tooltip: { trigger: "item", formatter: "{b}：{c} 件" },
      series: [{ type: "funnel", left: "10%", width: "80%", top: 8, bottom: 8, sort: "none",
                 minSize: "20%", label: { formatter: "{b} {c}" },
                 data: data.funnel.map(function (s) { return { name: s.name, value: s.value }; }) }]
    }, go(data.funnel));

    var streets = data.streets;
    draw("chart-streets", {
      tooltip: axis, legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category",
               data: streets.map(function (s) { return (s.led ? "★" : "") + s.name; }),
               axisLabel: { interval: 0, rotate: narrow || streets.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: "诉求(件)", data: pluck(streets, "value"), cursor: "pointer" },
               { type: "bar", name: "超期(件)", data: pluck(streets, "overdue"), cursor: "pointer",
                 itemStyle: { color: "#c8281e" } }]
    }, go(streets, "overdue_url"));

    function bars(id, rows) {
      draw(id, {
        tooltip: axis, grid: grid,
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: pluck(rows, "name"),
                 axisLabel: { width: narrow ? 90 : 160, overflow: "truncate" } },
        series: [{ type: "bar", name: "诉求(件)", data: pluck(rows, "value"),
                   label: { show: true, position: "right" }, cursor: "pointer" }]
      }, go(rows));
    }
    bars("chart-levels", data.levels);
    bars("chart-categories", data.categories);
    bars("chart-aspects", data.aspects);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
