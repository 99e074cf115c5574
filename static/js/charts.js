/* Draws each <canvas data-chart="kind" data-chart-data="id"> of the page, from the JSON that
   json_script wrote under that id: no inline script (docs/operations.md, "Browser security headers").
   Pages load Chart.js (and, for the segmentation charts, analysis-charts.js) before this file. */
(function () {
  "use strict";
  const PALETTE = ["#1f4e79", "#2e86c1", "#48c9b0", "#f5b041", "#af7ac5", "#ec7063", "#85929e"];
  const analysis = () => window.kamAnalysisCharts;

  const draw = {
    // An account's monthly revenue by product line (Sales tab).
    "sales-monthly": (canvas, data) => {
      data.datasets.forEach((d, i) => { d.backgroundColor = PALETTE[i % PALETTE.length]; });
      new Chart(canvas, {
        type: "bar", data: data,
        options: { maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: (v) => v.toLocaleString() } } },
          plugins: { legend: { position: "bottom" } } },
      });
    },
    // A survey's average score per month.
    "survey-months": (canvas, data) => {
      new Chart(canvas, {
        type: "line",
        data: { labels: data.labels, datasets: [{ label: data.label, data: data.averages, borderColor: "#1f4e79", tension: 0.2 }] },
        options: { maintainAspectRatio: false, scales: { y: { min: 1, max: 5 } }, plugins: { legend: { display: false } } },
      });
    },
    "analysis-pareto": (canvas, data) => analysis().pareto(canvas, data.pareto, data.labels),
    "analysis-cv": (canvas, data) => analysis().histogram(canvas, data.histogram, data.labels),
    "analysis-monthly": (canvas, data) => analysis().monthly(canvas, data),
    "analysis-history": (canvas, data) => analysis().history(canvas, data.history, data.labels),
  };

  function read(id) {
    const el = id && document.getElementById(id);
    if (!el) return null;
    const data = JSON.parse(el.textContent);
    return typeof data === "string" ? JSON.parse(data) : data;  // a view may hand over JSON text
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const chart = draw[canvas.dataset.chart];
      const data = read(canvas.dataset.chartData);
      if (chart && data) chart(canvas, data);
    });
  });
})();
