/* Cartera web app: CSRF header on HTMX requests, charts from JSON, slider read-outs.
   No inline scripts anywhere (the CSP forbids them); everything starts from here. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  function drawCharts(root) {
    var source = (root || document).querySelector("#cartera-charts");
    if (!source || typeof Plotly === "undefined") { return; }
    var specs = JSON.parse(source.textContent);
    var config = { responsive: true, displaylogo: false,
                   modeBarButtonsToRemove: ["select2d", "lasso2d"] };
    specs.forEach(function (spec) {
      var el = document.getElementById(spec.id);
      if (!el || el.getAttribute("data-drawn") === "true") { return; }
      var layout = Object.assign({}, spec.figure.layout, { title: undefined });
      Plotly.newPlot(el, spec.figure.data, layout, config).then(function () {
        el.setAttribute("data-drawn", "true");
      });
    });
  }

  function sliderReadouts(root) {
    (root || document).querySelectorAll("input[type=range]").forEach(function (input) {
      var out = input.parentNode.querySelector("output");
      if (!out) { return; }
      var lang = document.documentElement.lang || "es";
      var show = function () {
        var v = parseFloat(input.value);
        out.textContent = input.getAttribute("data-percent")
          ? Math.round(v * 100) + " %"
          : v.toLocaleString(lang, { maximumFractionDigits: 0 });
      };
      input.addEventListener("input", show);
      show();
    });
  }

  function start() { drawCharts(document); sliderReadouts(document); }
  document.addEventListener("htmx:afterSettle", function (e) { drawCharts(e.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
