// On a phone a table becomes one card per row (site.css, max-width 480px): each cell shows its column's heading,
// copied here from the table's head, so a row reads as "案号：哈环立〔2026〕4号" instead of a column one
// character wide. Tables swapped in by htmx are labelled as they arrive.
(function () {
  "use strict";
  function label(root) {
    root.querySelectorAll(".table-wrap table").forEach(function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (headings[column] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", headings[column]);
          column += cell.colSpan || 1;
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:afterSwap", function (event) { label(event.target); });
})();
