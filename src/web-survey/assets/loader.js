/* NPS Loop web survey loader. Stable URL, cached briefly: it only points at the current, immutable widget build. */
(function () {
  var s = document.currentScript;
  var n = (window.NpsLoop = window.NpsLoop || { q: [] });
  if (!n.q) n.q = [];
  if (!n.identify)
    n.identify = function (o) {
      n.q.push(o);
    };
  n.portal = n.portal || (s && s.getAttribute('data-portal'));
  n.base = n.base || (s ? s.src.replace(/\/widget\/v1\/loader\.js.*$/, '') : '');
  var w = document.createElement('script');
  w.async = true;
  w.src = n.base + '__WIDGET_PATH__';
  (document.head || document.documentElement).appendChild(w);
})();
