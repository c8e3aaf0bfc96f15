/* Charts of the leadership dashboard; the numbers come from json_script, every bar links to its list. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var links = JSON.parse(document.getElementById("dashboard-links").textContent);
  var L = data.labels;
  // On paper the data tables stand next to the charts.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  if (typeof Chart === "undefined") return;
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', sans-serif";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;

  function go(params) {
    var q = new URLSearchParams(params);
    if (links.plan && !q.has("plan")) q.set("plan", links.plan);
    if (links.unit && !q.has("unit")) q.set("unit", links.unit);
    window.location.href = links.tasks + "?" + q.toString();
  }
  function shortLabel(v) {
    var l = String(this.getLabelForValue(v));
    var max = window.innerWidth < 576 ? 18 : 40;
    return l.length > max ? l.slice(0, max - 1) + "…" : l;
  }
  function num(v) { return v === null || v === undefined ? "–" : v.toLocaleString("vi-VN"); }

  data.subjects.forEach(function (s) {
    var rankEl = document.getElementById("rank-" + s.key);
    var scoreEl = document.getElementById("score-" + s.key);
    var openData = function () { var d = document.getElementById("data-" + s.key); if (d) { d.open = true; d.scrollIntoView(); } };
    if (rankEl) {
      var maxOut = Math.max.apply(null, s.out_of.filter(Boolean).concat([1]));
      new Chart(rankEl, {
        type: "line",
        data: { labels: s.years, datasets: [{ label: L.rank, data: s.rank, borderColor: "#0d6efd", backgroundColor: "#0d6efd", spanGaps: true }] },
        options: {
          onClick: openData,
          layout: { padding: { top: 18, right: 12 } },
          scales: { y: { reverse: true, min: 1, suggestedMax: maxOut, title: { display: true, text: L.rank } } },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: function (c) { return L.rank + ": " + c.raw + "/" + s.out_of[c.dataIndex]; } } }
          }
        },
        plugins: [{
          id: "rankLabels",
          afterDatasetsDraw: function (chart) {
            var ctx = chart.ctx, meta = chart.getDatasetMeta(0);
            ctx.save(); ctx.font = "12px sans-serif"; ctx.fillStyle = "#212529"; ctx.textAlign = "center";
            meta.data.forEach(function (pt, i) {
              if (s.rank[i] !== null) ctx.fillText(s.rank[i] + "/" + s.out_of[i], pt.x, pt.y - 8);
            });
            ctx.restore();
          }
        }]
      });
    }
    if (scoreEl) {
      new Chart(scoreEl, {
        type: "line",
        data: {
          labels: s.years,
          datasets: [
            { label: L.score, data: s.score, borderColor: "#0d6efd", backgroundColor: "#0d6efd" },
            { label: L.median, data: s.median, borderColor: "#6c757d", backgroundColor: "#6c757d", borderDash: [6, 4] },
            { label: L.best, data: s.best, borderColor: "#198754", backgroundColor: "#198754", borderDash: [2, 3] }
          ]
        },
        options: {
          onClick: openData,
          plugins: { tooltip: { callbacks: {
            label: function (c) {
              var extra = c.datasetIndex === 2 ? " (" + s.best_province[c.dataIndex] + ")" : "";
              return c.dataset.label + ": " + num(c.raw) + extra;
            }
          } } }
        }
      });
    }
  });

  var st = document.getElementById("chart-status");
  if (st && data.status.units.length) {
    new Chart(st, {
      type: "bar",
      data: {
        labels: data.status.units,
        datasets: data.status.datasets.map(function (d) {
          return { label: d.label, data: d.data, backgroundColor: d.color, maxBarThickness: 36 };
        })
      },
      options: {
        indexAxis: "y",
        scales: { x: { stacked: true }, y: { stacked: true, ticks: { autoSkip: false } } },
        onClick: function (e, els) {
          if (!els.length) return;
          var el = els[0];
          if (data.status.unit_ids[el.index] == null) return;
          go({ unit: data.status.unit_ids[el.index], status: data.status.datasets[el.datasetIndex].key });
        }
      }
    });
  }
  var od = document.getElementById("chart-overdue");
  if (od) {
    new Chart(od, {
      type: "bar",
      data: { labels: data.overdue_units.labels, datasets: [{ label: L.overdue, data: data.overdue_units.data, backgroundColor: "#dc3545" }] },
      options: {
        indexAxis: "y", plugins: { legend: { display: false } }, scales: { y: { ticks: { autoSkip: false } } },
        onClick: function (e, els) { if (els.length && data.overdue_units.ids[els[0].index] != null) go({ overdue: 1, unit: data.overdue_units.ids[els[0].index] }); }
      }
    });
  }
  var cp = document.getElementById("chart-compliance");
  if (cp) {
    var c = data.compliance;
    new Chart(cp, {
      type: "bar",
      data: {
        labels: c.labels,
        datasets: [
          { label: L.on_time, data: c.on_time, backgroundColor: "#198754" },
          { label: L.late, data: c.late, backgroundColor: "#ffc107" },
          { label: L.missing, data: c.missing, backgroundColor: "#dc3545" },
          { label: L.not_due, data: c.not_due, backgroundColor: "#adb5bd" }
        ].map(function (d) { d.maxBarThickness = 36; return d; })
      },
      options: {
        indexAxis: "y",
        scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: shortLabel } } },
        onClick: function (e, els) { if (els.length) window.location.href = c.urls[els[0].index]; }
      }
    });
  }
})();
