// The charts of monitoring data (Chart.js, served by the app itself): each canvas with data-series="<id>" is drawn
// from the numbers the page holds in the element of that id (json_script) — the point page's one, a party's page's
// one per day. Valid values as the line (broken where nothing came or the value was invalid), each invalid HJ 212
// flag and the clock-skewed values as points of their own, the limit as a dashed line, and the periods the
// enterprise marked as shaded spans. The table under it holds the same data for a screen reader or no JavaScript.
(function () {
  "use strict";
  var FLAG_COLOURS = ["#c2410c", "#7c3aed", "#b45309", "#be185d", "#0e7490", "#4b5563"];

  // shades the marked spans (by index) behind the data
  var markedSpans = {
    id: "markedSpans",
    beforeDatasetsDraw: function (chart, _args, options) {
      var spans = options.spans || [];
      if (!spans.length) return;
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = "rgba(202, 138, 4, 0.18)";
      spans.forEach(function (span) {
        var left = x.getPixelForValue(span[0]), right = x.getPixelForValue(span[1]);
        var half = x.width / Math.max(1, chart.data.labels.length) / 2;
        ctx.fillRect(Math.max(area.left, left - half), area.top, Math.min(area.right, right + half) - Math.max(area.left, left - half), area.bottom - area.top);
      });
      ctx.restore();
    },
  };

  function drawAll() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-series"));
      if (source) draw(canvas, JSON.parse(source.textContent));
    });
  }

  function draw(canvas, data) {
    var datasets = [{
      label: data.validLabel, data: data.valid, borderColor: "#1f5fa8", backgroundColor: "#1f5fa8",
      pointRadius: data.labels.length > 200 ? 0 : 2, borderWidth: 1.5, spanGaps: false, tension: 0,
    }];
    data.invalid.forEach(function (set, i) {
      var colour = FLAG_COLOURS[i % FLAG_COLOURS.length];
      datasets.push({
        label: set.label, data: set.data, showLine: false, pointStyle: "crossRot", pointRadius: 4,
        borderColor: colour, backgroundColor: colour,
      });
    });
    if (data.skewed.length) {
      datasets.push({
        label: data.skewedLabel, data: data.skewed, showLine: false, pointStyle: "triangle", pointRadius: 4,
        borderColor: "#4b5563", backgroundColor: "#9ca3af",
      });
    }
    if (data.limit !== null) {
      datasets.push({
        label: data.limitLabel, data: data.labels.map(function () { return data.limit; }), borderColor: "#b91c1c",
        borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false,
      });
    }
    if (data.marks.length) {
      // a legend entry for the shading: an empty set in its colour
      datasets.push({ label: data.marksLabel, data: [], backgroundColor: "rgba(202, 138, 4, 0.35)", borderColor: "rgba(202, 138, 4, 0.35)" });
    }
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      plugins: [markedSpans],
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, parsing: true,
        interaction: { mode: "nearest", intersect: false },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12, usePointStyle: true } },
          markedSpans: { spans: data.marks },
        },
        scales: {
          x: { ticks: { autoSkip: true, maxTicksLimit: 6, maxRotation: 0 } },
          y: { beginAtZero: true, title: { display: true, text: data.unit } },
        },
      },
    });
  }
  document.addEventListener("DOMContentLoaded", drawAll);
})();
