// Charts drawn from the tables that hold their numbers (Chart.js, served by the app itself). The table stays the
// source and the accessible reading: a screen reader reads it, the chart is drawn above it and hidden from assistive
// technology, and without JavaScript the table alone shows. A table opts in with data-chart="line|bar|doughnut"
// (data-stacked for stacked bars); its head names the series, each body row is one category (its <th>), each cell's
// data-value is the number.
(function () {
  "use strict";
  var COLOURS = ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#4b5563"];

  function numbers(table) {
    var series = Array.prototype.slice.call(table.querySelectorAll("thead th"), 1).map(function (th) {
      return th.textContent.trim();
    });
    var labels = [];
    var values = series.map(function () { return []; });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var head = row.querySelector("th");
      labels.push(head ? head.textContent.trim() : "");
      row.querySelectorAll("td").forEach(function (cell, i) {
        if (i < values.length) {
          var raw = cell.getAttribute("data-value");
          values[i].push(raw === null || raw === "" ? null : Number(raw));
        }
      });
    });
    return { series: series, labels: labels, values: values };
  }

  function draw(table) {
    if (table.dataset.drawn || typeof window.Chart === "undefined") return;
    table.dataset.drawn = "1";
    var kind = table.getAttribute("data-chart");
    var data = numbers(table);
    var box = document.createElement("div");
    box.className = "chart-box";
    box.setAttribute("aria-hidden", "true");
    var canvas = document.createElement("canvas");
    box.appendChild(canvas);
    var holder = table.closest(".table-wrap") || table;
    holder.parentNode.insertBefore(box, holder);
    // the numbers stay one tap away (and in the reading order) instead of doubling the page's length on a phone
    var more = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = table.getAttribute("data-table-label") || "数据表";
    more.appendChild(summary);
    holder.parentNode.insertBefore(more, holder);
    more.appendChild(holder);
    var round = kind === "doughnut";
    new window.Chart(canvas, {
      type: kind,
      data: {
        labels: data.labels,
        datasets: data.series.map(function (name, i) {
          var colour = COLOURS[i % COLOURS.length];
          return {
            label: name,
            data: data.values[i],
            borderColor: round ? "#fff" : colour,
            backgroundColor: round ? data.labels.map(function (_, j) { return COLOURS[j % COLOURS.length]; }) : colour,
            tension: 0.2,
            spanGaps: true,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: round ? {} : {
          x: { stacked: table.hasAttribute("data-stacked") },
          y: { stacked: table.hasAttribute("data-stacked"), beginAtZero: true },
        },
      },
    });
  }

  function drawAll(root) {
    root.querySelectorAll("table[data-chart]").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
