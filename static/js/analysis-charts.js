/* Charts of the segmentation pages (Chart.js from static/vendor). No external plugins:
   `kamGuides` draws labelled reference lines (thresholds, mean ± σ) over a chart. */
(function () {
  "use strict";
  const guides = {
    id: "kamGuides",
    afterDatasetsDraw(chart, _args, options) {
      const { ctx, chartArea: area, scales } = chart;
      (options.lines || []).forEach((line) => {
        const scale = scales[line.axis === "y" ? "y" : "x"];
        const at = scale.getPixelForValue(line.value);
        if (!isFinite(at)) return;
        ctx.save();
        ctx.strokeStyle = line.color || "#333";
        ctx.lineWidth = line.width || 2;
        ctx.setLineDash(line.dash || [6, 4]);
        ctx.beginPath();
        if (line.axis === "y") { ctx.moveTo(area.left, at); ctx.lineTo(area.right, at); }
        else { ctx.moveTo(at, area.top); ctx.lineTo(at, area.bottom); }
        ctx.stroke();
        if (line.label) {
          ctx.setLineDash([]);
          ctx.font = "600 12px system-ui, sans-serif";
          const width = ctx.measureText(line.label).width + 8;
          const x = line.axis === "y" ? area.right - width - 4 : Math.min(at + 4, area.right - width);
          const y = line.axis === "y" ? at - 18 : area.top + 4 + (line.row || 0) * 20;
          ctx.fillStyle = "rgba(255,255,255,.85)";
          ctx.fillRect(x, y, width, 16);
          ctx.fillStyle = line.color || "#333";
          ctx.fillText(line.label, x + 4, y + 12);
        }
        ctx.restore();
      });
    },
  };

  const CLASS_COLOURS = { A: "#1e8449", B: "#d4ac0d", C: "#c0392b" };
  const pct = (v) => v + " %";
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_m, key) => values[key]);
  const narrow = () => window.matchMedia("(max-width: 575.98px)").matches;
  // Responsive in a box with a set height (.chart-box): the chart follows the box, not an aspect ratio.
  const base = () => ({ responsive: true, maintainAspectRatio: false, animation: false });
  const ticks = () => ({ autoSkip: true, maxRotation: narrow() ? 60 : 0, font: { size: narrow() ? 10 : 12 } });

  function pareto(el, points, t) {
    new Chart(el, {
      type: "line",
      data: { datasets: [
        { label: t.cumulative, data: points, borderColor: "#1f4e79", backgroundColor: "rgba(31,78,121,.12)", fill: true, pointRadius: 0, borderWidth: 2.5, tension: 0 },
        { label: t.equal, data: [{ x: 0, y: 0 }, { x: 100, y: 100 }], borderColor: "#98a2ad", borderDash: [4, 4], pointRadius: 0, borderWidth: 1.5, fill: false },
      ] },
      options: { ...base(), parsing: true,
        scales: {
          x: { type: "linear", min: 0, max: 100, title: { display: !narrow(), text: t.accounts_share }, ticks: { ...ticks(), callback: pct } },
          y: { min: 0, max: 100, title: { display: !narrow(), text: t.cumulative }, ticks: { ...ticks(), callback: pct } },
        },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 18 } },
          tooltip: { callbacks: { label: (c) => fill(t.pareto_point, { x: c.parsed.x.toFixed(1), y: c.parsed.y.toFixed(1) }) } },
          kamGuides: { lines: [{ axis: "y", value: 80, label: "80 %", color: "#7b8794", width: 1 }] } },
      },
      plugins: [guides],
    });
  }

  function histogram(el, h, t) {
    const width = h.labels.length > 1 ? parseFloat(h.labels[1]) - parseFloat(h.labels[0]) : 0.05;
    const cv = h.method === "cv";
    const colour = (i) => {
      if (!cv) return "#5d8aa8";
      const low = i * width;
      return low < h.x ? "#52a36d" : low < h.y ? "#e0b12f" : "#d66a5e";
    };
    const lines = cv ? [
      { axis: "x", value: h.x / width - 0.5, label: `X ≤ ${h.x}`, color: "#1e8449" },
      { axis: "x", value: h.y / width - 0.5, label: `Y ≤ ${h.y}`, color: "#b9770e", row: 1 },  // below X's: no overlap
    ] : [];
    new Chart(el, {
      type: "bar",
      data: { labels: h.labels, datasets: [{ label: t.accounts, data: h.counts, backgroundColor: h.counts.map((_c, i) => colour(i)), barPercentage: 1, categoryPercentage: 0.95 }] },
      options: { ...base(),
        scales: { x: { ticks: ticks(), title: { display: true, text: t.cv_bins, font: { size: narrow() ? 10 : 12 } } },
                  y: { beginAtZero: true, ticks: { ...ticks(), precision: 0 }, title: { display: !narrow(), text: t.accounts } } },
        plugins: { legend: { display: false }, kamGuides: { lines: lines } } },
      plugins: [guides],
    });
  }

  function monthly(el, data) {
    const { series, mean, std, labels: t } = data;
    new Chart(el, {
      type: "bar",
      data: { labels: series.display || series.labels, datasets: [{ label: t.monthly, data: series.values, backgroundColor: "#2e86c1" }] },
      options: { ...base(),
        scales: { x: { ticks: ticks() }, y: { ticks: { ...ticks(), callback: (v) => v.toLocaleString() } } },
        plugins: { legend: { display: false },
          kamGuides: { lines: [
            { axis: "y", value: mean, label: fill(t.mean, { value: Math.round(mean).toLocaleString() }), color: "#1f4e79", dash: [] },
            { axis: "y", value: mean + std, label: `+σ ${Math.round(mean + std).toLocaleString()}`, color: "#b9770e" },
            { axis: "y", value: mean - std, label: `−σ ${Math.round(mean - std).toLocaleString()}`, color: "#b9770e" },
          ] } } },
      plugins: [guides],
    });
  }

  function history(el, rows, t) {
    new Chart(el, {
      type: "bar",
      data: { labels: rows.map((r) => r.label), datasets: [{ label: t.value, data: rows.map((r) => r.value), backgroundColor: rows.map((r) => CLASS_COLOURS[r.abc] || "#888") }] },
      options: { ...base(), layout: { padding: { top: 18 } },
        scales: { x: { ticks: ticks() }, y: { beginAtZero: true, ticks: { ...ticks(), callback: (v) => v.toLocaleString() } } },
        plugins: { legend: { display: false },
          tooltip: { callbacks: { afterLabel: (c) => fill(t.class, { name: rows[c.dataIndex].cell }) } } } },
      plugins: [{ id: "classLabels", afterDatasetsDraw(chart) {
        const { ctx } = chart;
        chart.getDatasetMeta(0).data.forEach((bar, i) => {
          ctx.save(); ctx.font = "700 12px system-ui, sans-serif"; ctx.fillStyle = "#1d2733"; ctx.textAlign = "center";
          ctx.fillText(rows[i].cell, bar.x, bar.y - 4); ctx.restore();
        });
      } }],
    });
  }

  window.kamAnalysisCharts = { pareto, histogram, monthly, history };
})();
