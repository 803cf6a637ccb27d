/* 征集工作统计: the three charts, drawn with the project's own copy of ECharts from the data
   the page hands over in <script type="application/json" id="collection-charts"> (no inline
   script: the CSP allows 'self' only). A bar or point opens the ledger behind it. */
(function () {
  "use strict";

  function open(urls) {
    return function (params) {
      var url = urls[params.dataIndex];
      if (url) window.location.href = url;
    };
  }

  function draw(id, option, urls) {
    var node = document.getElementById(id);
    if (!node) return null;
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option);
    if (urls) chart.on("click", open(urls));
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function pluck(items, key) {
    return items.map(function (item) { return item[key]; });
  }

  function start() {
    var source = document.getElementById("collection-charts");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var narrow = window.matchMedia("(max-width: 719px)").matches;
    var grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

    var channels = data.channels.filter(function (c) { return c.value > 0; });
    if (!channels.length) channels = data.channels;
    draw("chart-channels", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: grid,
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: pluck(channels, "name") },
      series: [{ type: "bar", name: "诉求(件)", data: pluck(channels, "value"),
                 label: { show: true, position: "right" }, cursor: "pointer" }]
    }, pluck(channels, "url"));

    draw("chart-weeks", {
      tooltip: { trigger: "axis" },
      grid: grid,
      xAxis: { type: "category", data: pluck(data.weeks, "name"), boundaryGap: false },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "line", name: "诉求(件)", data: pluck(data.weeks, "value"),
                 areaStyle: { opacity: 0.15 }, symbolSize: 7, cursor: "pointer" }]
    }, pluck(data.weeks, "url"));

    var selected = {};
    data.streets.series.forEach(function (s) { selected[s.name] = s.shown; });
    draw("chart-streets", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { type: "scroll", top: 0, selected: selected },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.streets.names,
               axisLabel: { interval: 0, rotate: narrow || data.streets.names.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.streets.series.map(function (s) {
        return { type: "bar", name: s.name, data: s.data, cursor: "pointer" };
      })
    }, data.streets.urls);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
