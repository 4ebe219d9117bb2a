/* Cartera report: draw the charts, sort and filter the tables. No network access. */
(function () {
  "use strict";

  function drawCharts() {
    var source = document.getElementById("cartera-charts");
    if (!source || typeof Plotly === "undefined") { return; }
    var specs = JSON.parse(source.textContent);
    var config = { responsive: true, displaylogo: false,
                   modeBarButtonsToRemove: ["select2d", "lasso2d"] };
    specs.forEach(function (spec) {
      var el = document.getElementById(spec.id);
      if (!el) { return; }
      Plotly.newPlot(el, spec.figure.data, spec.figure.layout, config).then(function () {
        el.setAttribute("data-drawn", "true");
      });
    });
  }

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : null;
    if (numeric) {
      var n = raw === null ? NaN : parseFloat(raw);
      return isNaN(n) ? null : n;
    }
    return (raw === null ? cell.textContent : raw).toLowerCase();
  }

  function sortBy(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-kind") !== "text";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      if (x === y) { return 0; }
      if (x === null) { return 1; }   /* undefined values last either way */
      if (y === null) { return -1; }
      var order = numeric ? x - y : x.localeCompare(y, document.documentElement.lang);
      return ascending ? order : -order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(th.parentNode.children, function (h) {
      h.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function sortableTables() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("th").forEach(function (th) {
        th.addEventListener("click", function () { sortBy(table, th); });
        th.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th); }
        });
      });
    });
  }

  function filters() {
    document.querySelectorAll("input.filter").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-table"));
      if (!table) { return; }
      input.addEventListener("input", function () {
        var q = input.value.trim().toLowerCase();
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) === -1;
        });
      });
    });
  }

  function start() { drawCharts(); sortableTables(); filters(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
