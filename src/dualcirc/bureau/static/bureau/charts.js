/* The bureau's charts: each .chart-canvas names a <script type="application/json"> spec (no
   inline script, the site's CSP forbids it). Without JavaScript, or without ECharts, the table
   view below each chart stays open. */
(function () {
  "use strict";
  var COLORS = ["#2f6fd0", "#e07b00", "#2e8b57", "#8e44ad", "#c62828", "#607d8b"];
  var STATE = { missing: "#c62828", weak: "#e07b00", strong: "#2e8b57" };

  function num(v) { return v === null || v === undefined ? null : Number(v); }

  /* How wide the longest of some numbers is once ECharts prints it beside a bar (12 px text). */
  function labelRoom(values) {
    var longest = 0;
    values.forEach(function (v) { if (v !== null) { longest = Math.max(longest, String(v).length); } });
    return 8 + 7 * longest;
  }

  /* About how wide ECharts' 12 px text is: a Chinese character 12 px, anything else 7 (a
     generous guess, so an estimate errs towards one row too many rather than an overlap). */
  function textWidth(text) {
    var w = 0;
    for (var i = 0; i < text.length; i++) { w += text.charCodeAt(i) > 0x2e80 ? 12 : 7; }
    return w;
  }

  /* How many rows a plain legend of these names takes in `width` px (icon 25, gaps 5 and 10). */
  function legendRows(names, width) {
    var rows = 1, used = 0;
    names.forEach(function (name) {
      var item = 40 + textWidth(String(name));
      if (used && used + item > width - 10) { rows += 1; used = 0; }
      used += item;
    });
    return rows;
  }

  /* The option for a chart `width` px wide: the bars' labels, the categories' names and the
     chain's nodes are fitted to it, so a phone's narrow chart clips and overlaps no text. */
  function option(kind, spec, width, canvas) {
    width = width || 600;  /* not laid out yet (a closed panel): a laptop's chart */
    var narrow = width < 480;
    var base = { color: COLORS, tooltip: { trigger: kind === "treemap" || kind === "chain" ? "item" : "axis" },
                 grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true } };
    if (kind === "line" || kind === "stack" || kind === "bars") {  /* bars: grouped, not stacked */
      /* The legend wraps onto as many rows as the width needs (every name whole); the plot
         starts below them, so the unit printed above the axis stays clear of the legend. */
      base.legend = { top: 0 };
      base.grid.top = 24 * legendRows(spec.series.map(function (s) { return s.name; }), width) + 32;
      base.xAxis = { type: "category", data: spec.categories };
      base.yAxis = { type: "value", name: spec.unit, nameTextStyle: { align: "left" } };
      base.series = spec.series.map(function (s, i) {
        return kind === "line"
          ? { name: s.name, type: "line", data: s.data.map(num), connectNulls: false,
              lineStyle: i ? { type: "dashed" } : {}, symbolSize: 6 }
          : { name: s.name, type: "bar", stack: kind === "stack" ? "sales" : undefined, data: s.data.map(num) };
      });
    } else if (kind === "hbar") {
      var values = spec.series[0].data.map(num);
      base.grid.right = Math.max(24, labelRoom(values));  /* each bar's value stays in view */
      base.xAxis = { type: "value", splitNumber: narrow ? 3 : 5, axisLabel: { hideOverlap: true } };  /* the unit is in the chart's caption */
      /* A long name (a country, a channel) gives way to the bars: cut with "…" past a third. */
      base.yAxis = { type: "category", data: spec.categories.slice().reverse(),
                     axisLabel: { width: Math.round(width * (narrow ? 0.34 : 0.3)), overflow: "truncate" } };
      base.series = [{ name: spec.series[0].name, type: "bar", data: values.slice().reverse(),
                       label: { show: true, position: "right" } }];
    } else if (kind === "treemap") {
      base.series = [{ type: "treemap", roam: false, nodeClick: false, breadcrumb: { show: false },
                       data: spec.items, label: { show: true, formatter: "{b}: {c}" } }];
    } else if (kind === "chain") {
      var n = spec.nodes.length;
      if (!n) { return null; }
      /* Left to right where every node fits side by side at a readable width, else top to
         bottom (a phone), the canvas growing to hold them; a name longer than its node ends in "…". */
      var vertical = width < 120 * n + 16 * (n + 1);
      var nodeW = vertical ? Math.min(300, width - 72) : Math.min(180, Math.floor((width - 24) / n) - 16);
      var step = vertical ? 68 : (width - 24 - nodeW) / Math.max(n - 1, 1);
      var xSpan = vertical ? 24 : (n - 1) * step;
      var ySpan = vertical ? (n - 1) * step : 40;
      canvas.style.height = vertical ? ySpan + 100 + "px" : "";
      base.series = [{
        type: "graph", layout: "none", symbol: "roundRect", symbolSize: [nodeW, 44], nodeScaleRatio: 0,
        edgeSymbol: ["none", "arrow"],
        /* The box is as big as the nodes' spread, so ECharts draws them at 1:1 (a box of another
           shape would stretch the view one way, and the nodes with it). */
        left: Math.round((width - xSpan) / 2), width: xSpan, height: ySpan,
        top: vertical ? 50 : Math.round(((canvas.clientHeight || 220) - ySpan) / 2),
        label: { show: true, width: nodeW - 12, overflow: "truncate",
                 formatter: function (p) { return p.data.name + "\n" + p.data.label; } },
        data: spec.nodes.map(function (node, i) {
          return { name: node.name, label: node.label, value: node.value,
                   x: vertical ? (i % 2) * xSpan : i * step, y: vertical ? i * step : (i % 2) * 40,
                   itemStyle: { color: STATE[node.state] || "#607d8b",
                                borderType: node.state === "missing" ? "dashed" : "solid",
                                borderColor: "#333", borderWidth: node.state === "missing" ? 2 : 0 } };
        }),
        links: spec.nodes.slice(1).map(function (node, i) { return { source: i, target: i + 1 }; }),
        lineStyle: { width: 2, color: "#999" }
      }];
      base.grid = undefined;
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

  /* build(width) gives the option for the canvas's width: drawn now, and again when the window
     resizes (a phone turned sideways), since labels and the chain's layout follow the width. */
  function show(canvas, build) {
    canvas.hidden = false;
    var opt = build(canvas.clientWidth);
    if (!opt) { canvas.hidden = true; return; }
    var chart = window.echarts.init(canvas, null, { renderer: "svg" });
    chart.setOption(opt);
    var drawnFor = canvas.clientWidth;
    window.addEventListener("resize", function () {
      if (canvas.clientWidth !== drawnFor) {
        drawnFor = canvas.clientWidth;
        chart.setOption(build(drawnFor), true);
      }
      chart.resize();
    });
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
          show(canvas, function () { return mapOption(spec); });
        })
        .catch(function () { /* no map: the table view stays open */ });
      return;
    }
    show(canvas, function (width) { return option(canvas.dataset.chart, spec, width, canvas); });
  }

  function start() { document.querySelectorAll(".chart-canvas[data-spec]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
