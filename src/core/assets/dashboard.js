// NPS Loop dashboard: draws the charts from the JSON block the server rendered (the page's CSP allows no inline
// script). Every number is also in the page as HTML tables; the charts only add the picture.
(function () {
  'use strict';

  var source = document.getElementById('dashboard-data');
  if (!source || typeof window.Chart === 'undefined') return;
  var data = JSON.parse(source.textContent || '{}');
  var Chart = window.Chart;
  var css = getComputedStyle(document.documentElement);
  function color(name) {
    return css.getPropertyValue(name).trim();
  }

  Chart.defaults.color = color('--muted');
  Chart.defaults.font.family = css.fontFamily;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  var labels = data.trend.map(function (p) {
    return p.label;
  });

  // Error bars as floating bars [nps − margin, nps + margin] behind the NPS line; the target as a dashed line.
  var low = 0;
  var high = 0;
  data.trend.forEach(function (p) {
    if (p.nps === null) return;
    var m = p.moe || 0;
    low = Math.min(low, p.nps - m);
    high = Math.max(high, p.nps + m);
  });
  low = Math.min(low, data.target);
  high = Math.max(high, data.target);
  new Chart(document.getElementById('trend-chart'), {
    type: 'bar',
    data: {
      labels: labels,
      datasets: [
        {
          type: 'line',
          label: 'NPS',
          order: 1,
          data: data.trend.map(function (p) {
            return p.nps;
          }),
          borderColor: color('--accent'),
          backgroundColor: color('--accent'),
          spanGaps: true,
          tension: 0.25,
          pointRadius: 4,
        },
        {
          type: 'bar',
          label: '95% margin of error',
          order: 2,
          barPercentage: 0.25,
          categoryPercentage: 1,
          data: data.trend.map(function (p) {
            return p.nps === null || p.moe === null ? null : [p.nps - p.moe, p.nps + p.moe];
          }),
          backgroundColor: 'rgba(31, 95, 191, 0.22)',
          borderColor: 'rgba(31, 95, 191, 0.6)',
          borderWidth: 1,
        },
        {
          type: 'line',
          label: 'Target',
          order: 0,
          data: labels.map(function () {
            return data.target;
          }),
          borderColor: color('--target'),
          borderDash: [6, 4],
          pointRadius: 0,
          borderWidth: 2,
        },
      ],
    },
    options: {
      scales: {
        y: {
          suggestedMin: Math.max(-100, Math.floor(low / 10) * 10),
          suggestedMax: Math.min(100, Math.ceil(high / 10) * 10),
          title: { display: true, text: 'NPS' },
        },
      },
      plugins: {
        tooltip: {
          callbacks: {
            afterBody: function (items) {
              var p = data.trend[items[0].dataIndex];
              return p.n + ' answers' + (p.moe === null ? '' : ', ± ' + Math.round(p.moe));
            },
          },
        },
      },
    },
  });

  function shares(key) {
    return data.trend.map(function (p) {
      return p.shares[key];
    });
  }
  new Chart(document.getElementById('shares-chart'), {
    type: 'bar',
    data: {
      labels: labels,
      datasets: [
        { label: 'Detractors %', data: shares('detractors'), backgroundColor: color('--detractor') },
        { label: 'Passives %', data: shares('passives'), backgroundColor: '#b8bfc9' },
        { label: 'Promoters %', data: shares('promoters'), backgroundColor: color('--promoter') },
      ],
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, min: 0, max: 100 } } },
  });

  new Chart(document.getElementById('histogram-chart'), {
    type: 'bar',
    data: {
      labels: data.histogram.map(function (_, score) {
        return String(score);
      }),
      datasets: [
        {
          label: 'Answers',
          data: data.histogram,
          backgroundColor: data.histogram.map(function (_, score) {
            return score >= 9 ? color('--promoter') : score >= 7 ? '#b8bfc9' : color('--detractor');
          }),
        },
      ],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });

  // Changing a select applies the filters at once; the Show button still works without JavaScript.
  var filters = document.getElementById('filters');
  if (filters) {
    Array.prototype.forEach.call(filters.querySelectorAll('select'), function (select) {
      select.addEventListener('change', function () {
        filters.submit();
      });
    });
  }
})();
