/* The bureau's charts: each .chart-canvas names a <script type="application/json"> spec (no
   inline script, the site's CSP forbids it). Without JavaScript, or without ECharts, the table
   view below each chart stays open. */
(function () {
  "use strict";
  var COLORS = ["#2f6fd0", "#e07b00", "#2e8b57", "#8e44ad", "#c62828", "#607d8b"];
  var STATE = { missing: "#c62828", weak: "#e07b00", strong: "#2e8b57" };

  function num(v) { return v === null || v === undefined ? null : Number(v); }

  function option(kind, spec) {
    var base = { color: COLORS, tooltip: { trigger: kind === "treemap" || kind === "chain" ? "item" : "axis" },
                 grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true } };
    if (kind === "line" || kind === "stack" || kind === "bars") {  /* bars: grouped, not stacked */
      base.legend = { top: 0 };
      base.xAxis = { type: "category", data: spec.categories };
      base.yAxis = { type: "value", name: spec.unit };
      base.series = spec.series.map(function (s, i) {
        return kind === "line"
          ? { name: s.name, type: "line", data: s.data.map(num), connectNulls: false,
              lineStyle: i ? { type: "dashed" } : {}, symbolSize: 6 }
          : { name: s.name, type: "bar", stack: kind === "stack" ? "sales" : undefined, data: s.data.map(num) };
      });
    } else if (kind === "hbar") {
      base.xAxis = { type: "value" };  /* the unit is in the chart's caption */
      base.yAxis = { type: "category", data: spec.categories.slice().reverse() };
      base.series = [{ name: spec.series[0].name, type: "bar", data: spec.series[0].data.map(num).reverse(),
                       label: { show: true, position: "right" } }];
    } else if (kind === "treemap") {
      base.series = [{ type: "treemap", roam: false, nodeClick: false, breadcrumb: { show: false },
                       data: spec.items, label: { show: true, formatter: "{b}: {c}" } }];
    } else if (kind === "chain") {
      var n = spec.nodes.length;
      base.series = [{
        type: "graph", layout: "none", symbol: "roundRect", symbolSize: [120, 44], edgeSymbol: ["none", "arrow"],
        label: { show: true, formatter: function (p) { return p.data.name + "\n" + p.data.label; } },
        data: spec.nodes.map(function (node, i) {
          return { name: node.name, label: node.label, value: node.value, x: i * 160, y: (i % 2) * 40,
                   itemStyle: { color: STATE[node.state] || "#607d8b",
                                borderType: node.state === "missing" ? "dashed" : "solid",
                                borderColor: "#333", borderWidth: node.state === "missing" ? 2 : 0 } };
        }),
        links: spec.nodes.slice(1).map(function (node, i) { return { source: i, target: i + 1 }; }),
        lineStyle: { width: 2, color: "#999" }
      }];
      base.grid = undefined;
      if (!n) { return null; }
    }
    return base;
  }

  /* The destinations on the operator's installed base map (an approved one: docs/bureau.md),
     fetched once; the features are keyed by their ISO code, the tooltip names the country. */
  function mapOption(spec) {
    var labels = {};
    var max = 0;
    spec.items.forEach(function (item) { labels[item.name] = item.label; max = Math.max(max, num(item.value)); });
    return {
      tooltip: { trigger: "item", formatter: function (p) {
        return labels[p.name] ? labels[p.name] + ": " + p.value + " " + spec.unit : ""; } },
      visualMap: { min: 0, max: max || 1, left: 8, bottom: 8, text: [spec.unit, ""], calculable: false,
                   inRange: { color: ["#dbe7f8", "#2f6fd0"] } },
      series: [{ type: "map", map: "dualcirc-world", nameProperty: spec.codeProperty, roam: false,
                 emphasis: { label: { show: false } },
                 itemStyle: { areaColor: "#f2f4f7", borderColor: "#b8bec8", borderWidth: 0.5 },
                 data: spec.items.map(function (item) { return { name: item.name, value: num(item.value) }; }) }]
    };
  }

  function show(canvas, opt) {
    canvas.hidden = false;
    var chart = window.echarts.init(canvas, null, { renderer: "svg" });
    chart.setOption(opt);
    window.addEventListener("resize", function () { chart.resize(); });
    var table = canvas.parentNode.querySelector("details.chart-table");
    if (table) { table.open = false; }
    canvas.parentNode.classList.add("chart-drawn");
  }

  function draw(canvas) {
    var el = document.getElementById(canvas.dataset.spec);
    if (!el || !window.echarts) { return; }
    var spec = JSON.parse(el.textContent);
    if (canvas.dataset.chart === "map") {
      fetch(spec.url, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (geo) {
          if (!window.echarts.getMap("dualcirc-world")) { window.echarts.registerMap("dualcirc-world", geo); }
          show(canvas, mapOption(spec));
        })
        .catch(function () { /* no map: the table view stays open */ });
      return;
    }
    var opt = option(canvas.dataset.chart, spec);
    if (opt) { show(canvas, opt); }
  }

  function start() { document.querySelectorAll(".chart-canvas[data-spec]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
