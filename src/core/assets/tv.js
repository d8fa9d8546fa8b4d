// NPS Loop TV view: renders the data the server embedded, then fetches /api/insights/tv every minute and renders
// again. Text goes in with textContent only. A revoked link (401) blanks the screen and says so; a failed
// refresh keeps the last numbers on screen, marked with the time they are from.
(function () {
  'use strict';

  var REFRESH_MS = 60 * 1000;
  var key = new URLSearchParams(window.location.search).get('key');
  var sparkline = null;
  var lastGood = null;
  var MINUS = '\u2212';

  function byId(id) {
    return document.getElementById(id);
  }
  function nps(v) {
    if (v === null || v === undefined) return '–';
    var r = Math.round(v);
    return r < 0 ? MINUS + Math.abs(r) : String(r);
  }
  function signed(v) {
    var r = Math.round(v);
    return r > 0 ? '+' + r : r < 0 ? MINUS + Math.abs(r) : '0';
  }
  function clock(d) {
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(d) {
    var h = d.headline;
    byId('tv-nps').textContent = nps(h.nps);
    byId('tv-moe').textContent = h.marginOfError === null ? '' : '± ' + Math.round(h.marginOfError);
    var change = byId('tv-change');
    var c = h.change;
    change.className = 'tv-change ' + c.direction;
    change.textContent =
      c.difference === null
        ? 'No earlier answers to compare with'
        : (c.direction === 'up' ? '▲ ' : c.direction === 'down' ? '▼ ' : '▶ ') +
          signed(c.difference) +
          ' vs previous 90 days' +
          (c.significant ? '' : ' (within the noise)');
    byId('tv-meta').textContent =
      h.n + ' answers · target ' + nps(h.target) + (h.tooFew ? ' · too few answers to trust' : '');
    byId('tv-today').textContent = String(d.answers.today);
    byId('tv-week').textContent = String(d.answers.thisWeek);

    var comments = byId('tv-comment-list');
    comments.replaceChildren();
    if (d.promoterComments.length === 0)
      comments.appendChild(el('li', 'tv-empty', 'No promoter comments in the last 30 days yet.'));
    d.promoterComments.forEach(function (x) {
      var li = el('li', '', '“' + x.comment + '”');
      li.appendChild(el('span', 'who', x.who + (x.company ? ', ' + x.company : '') + ' · ' + x.score + '/10'));
      comments.appendChild(li);
    });

    // Heroes: only owners who earned promoters at or above the company's NPS; when none does, promoter quotes.
    var heroes = byId('tv-hero-list');
    heroes.replaceChildren();
    var celebrating = d.heroes.length > 0;
    byId('tv-heroes-title').textContent = celebrating ? 'NPS heroes' : 'More from promoters';
    byId('tv-heroes-rule').textContent = celebrating
      ? 'Owners who earned promoters with an NPS at or above ours (' + nps(d.heroesBar) + '), by promoters earned'
      : '';
    d.heroes.forEach(function (x) {
      var li = el('li');
      li.appendChild(el('span', 'name', x.label));
      li.appendChild(el('span', 'score', nps(x.nps)));
      li.appendChild(document.createTextNode(' · ' + x.promoters + ' promoters' + (x.tooFew ? ' · few answers' : '')));
      heroes.appendChild(li);
    });
    if (!celebrating) {
      if (d.promoterQuotes.length === 0)
        heroes.appendChild(el('li', 'tv-empty', 'More promoter quotes will show here.'));
      d.promoterQuotes.forEach(function (x) {
        var li = el('li', 'quote', '“' + x.comment + '”');
        li.appendChild(el('span', 'who', x.who));
        heroes.appendChild(li);
      });
    }

    drawSparkline(d.sparkline);
  }

  function drawSparkline(points) {
    if (typeof window.Chart === 'undefined') return;
    var labels = points.map(function (p) {
      return p.bucket;
    });
    var values = points.map(function (p) {
      return p.nps;
    });
    if (sparkline) {
      sparkline.data.labels = labels;
      sparkline.data.datasets[0].data = values;
      sparkline.update('none');
      return;
    }
    sparkline = new window.Chart(byId('tv-sparkline'), {
      type: 'line',
      data: {
        labels: labels,
        datasets: [
          {
            data: values,
            borderColor: '#79c0ff',
            borderWidth: 6,
            pointRadius: 0,
            tension: 0.3,
            spanGaps: true,
            fill: false,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { display: false }, y: { display: false, suggestedMin: -20, suggestedMax: 80 } },
      },
    });
  }

  function status(text, stale) {
    var s = byId('tv-status');
    s.textContent = text;
    s.className = 'tv-footer' + (stale ? ' stale' : '');
  }

  function revoked() {
    var main = document.querySelector('main');
    var message = el('p', 'tv-revoked', 'This TV link was revoked or is no longer valid. Ask an admin for a new one.');
    main.replaceChildren(message);
    main.className = '';
  }

  function refresh() {
    var headers = { accept: 'application/json' };
    if (key) headers['x-tv-key'] = key;
    fetch('/api/insights/tv', { headers: headers, cache: 'no-store', credentials: 'same-origin' })
      .then(function (res) {
        if (res.status === 401 || res.status === 403) {
          revoked();
          return null;
        }
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (d) {
        if (!d) return;
        render(d);
        lastGood = new Date();
        status('Updated ' + clock(lastGood) + ' · refreshes every minute', false);
        window.setTimeout(refresh, REFRESH_MS);
      })
      .catch(function () {
        status(
          'Could not refresh at ' +
            clock(new Date()) +
            (lastGood ? '; numbers from ' + clock(lastGood) : '') +
            ' · trying again in a minute',
          true,
        );
        window.setTimeout(refresh, REFRESH_MS);
      });
  }

  var initial = byId('tv-data');
  if (initial) {
    render(JSON.parse(initial.textContent || '{}'));
    lastGood = new Date();
    status('Updated ' + clock(lastGood) + ' · refreshes every minute', false);
  }
  window.setTimeout(refresh, REFRESH_MS);
})();
