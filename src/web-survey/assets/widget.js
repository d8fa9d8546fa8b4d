/* NPS Loop in-app web survey. No framework; everything lives in a shadow root with a constructed style sheet,
   so neither the host page's CSS nor its CSP (no inline styles) gets in the way. */
(function () {
  var d = document;
  var n = (window.NpsLoop = window.NpsLoop || { q: [] });
  if (n.ready) return;
  n.ready = true;
  var api = (n.base || '') + '/widget/v1/' + n.portal + '/';
  var who = null;
  var host = null;
  var before = null;

  var CSS =
    ':host{all:initial}' +
    '.box{position:fixed;z-index:2147483000;right:16px;bottom:16px;width:380px;max-width:calc(100vw - 32px);max-height:calc(100vh - 32px);overflow:auto;box-sizing:border-box;' +
    'background:#fff;color:#1d2330;border:1px solid #c4c9d1;border-top:4px solid var(--nl-accent,#1f5fbf);border-radius:8px;box-shadow:0 8px 28px rgba(0,0,0,.2);' +
    'font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:16px;animation:nl-in .25s ease-out}' +
    '@media (prefers-reduced-motion:reduce){.box{animation:none}}' +
    '@keyframes nl-in{from{transform:translateY(24px);opacity:0}to{transform:none;opacity:1}}' +
    '@media (max-width:480px){.box{right:0;left:0;bottom:0;width:auto;max-width:none;border-radius:8px 8px 0 0}}' +
    '.box:focus{outline:none}.head{display:flex;justify-content:space-between;align-items:center;gap:8px;margin:0 0 8px}' +
    '.title{font-size:13px;font-weight:600;color:#4a5260;margin:0}' +
    'fieldset{border:0;margin:0;padding:0;min-width:0}legend{font-weight:600;padding:0;margin:0 0 8px}' +
    '.scale{display:grid;grid-template-columns:repeat(11,1fr);gap:4px}' +
    '@media (max-width:480px){.scale{grid-template-columns:repeat(6,1fr)}}' +
    '.scale label{position:relative;display:block}' +
    '.scale input{position:absolute;opacity:0;width:100%;height:100%;margin:0;cursor:pointer}' +
    '.scale span{display:flex;align-items:center;justify-content:center;min-height:36px;border:1px solid #8a919c;border-radius:4px;font-weight:600}' +
    '.scale input:checked+span{background:var(--nl-accent,#1f5fbf);border-color:var(--nl-accent,#1f5fbf);color:#fff}' +
    '.scale input:focus-visible+span,button:focus-visible,textarea:focus-visible{outline:3px solid var(--nl-accent,#1f5fbf);outline-offset:2px}' +
    '.ends{display:flex;justify-content:space-between;gap:8px;font-size:13px;color:#4a5260;margin:4px 0 12px}' +
    'label.t{display:block;font-weight:600;margin:8px 0 4px}textarea{box-sizing:border-box;width:100%;min-height:56px;font:inherit;color:inherit;border:1px solid #8a919c;border-radius:4px;padding:6px}' +
    '.opt{font-weight:400;color:#4a5260}.err{color:#b3261e;margin:4px 0 0}' +
    '.actions{display:flex;justify-content:flex-end;gap:8px;margin-top:12px}' +
    'button{font:inherit;border-radius:4px;padding:8px 14px;min-height:36px;cursor:pointer}' +
    '.send{background:var(--nl-accent,#1f5fbf);border:1px solid var(--nl-accent,#1f5fbf);color:#fff;font-weight:600}' +
    '.later{background:#fff;border:1px solid #8a919c;color:#1d2330}' +
    '.x{background:none;border:0;color:#4a5260;font-size:22px;line-height:1;padding:4px 8px;min-height:0}';

  function el(tag, attrs, text) {
    var e = d.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }

  function post(path, body) {
    var payload = { userHash: who.userHash };
    if (who.email) payload.email = who.email;
    else payload.hubspotContactId = who.hubspotContactId;
    for (var k in body) payload[k] = body[k];
    return fetch(api + path, {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    }).then(function (r) {
      return r.ok ? r.json() : null;
    });
  }

  function close() {
    if (host) host.remove();
    host = null;
    if (before && before.isConnected && before.focus) before.focus();
  }

  function show(s) {
    var t = s.texts;
    before = d.activeElement;
    host = el('div', { 'data-nps-loop': '' });
    host.style.setProperty('--nl-accent', s.color);
    var root = host.attachShadow({ mode: 'open' });
    if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    }
    var box = el('section', {
      class: 'box',
      role: 'dialog',
      'aria-labelledby': 'nl-title nl-q',
      tabindex: '-1',
      lang: s.lang,
    });
    var head = el('div', { class: 'head' });
    head.appendChild(el('p', { class: 'title', id: 'nl-title' }, t.title));
    var x = el('button', { type: 'button', class: 'x', 'aria-label': t.dismiss }, '\u00d7');
    head.appendChild(x);
    box.appendChild(head);

    var form = el('form', { novalidate: '' });
    var fs = el('fieldset', { 'aria-describedby': 'nl-ends' });
    fs.appendChild(el('legend', { id: 'nl-q' }, t.question));
    var scale = el('div', { class: 'scale' });
    for (var i = 0; i <= 10; i++) {
      var lab = el('label');
      lab.appendChild(el('input', { type: 'radio', name: 'score', value: String(i), 'aria-label': String(i) }));
      lab.appendChild(el('span', { 'aria-hidden': 'true' }, String(i)));
      scale.appendChild(lab);
    }
    fs.appendChild(scale);
    var ends = el('div', { class: 'ends', id: 'nl-ends' });
    ends.appendChild(el('span', {}, t.low));
    ends.appendChild(el('span', {}, t.high));
    fs.appendChild(ends);
    form.appendChild(fs);
    var err = el('p', { class: 'err', id: 'nl-err', role: 'alert' });
    form.appendChild(err);

    function area(id, label) {
      var l = el('label', { class: 't', for: id }, label + ' ');
      l.appendChild(el('span', { class: 'opt' }, '(' + t.optional + ')'));
      form.appendChild(l);
      form.appendChild(el('textarea', { id: id, name: id, maxlength: '5000', rows: '2' }));
    }
    area('nl-comment', t.reason);
    if (t.followUp) area('nl-followup', t.followUp);

    var actions = el('div', { class: 'actions' });
    var later = el('button', { type: 'button', class: 'later' }, t.dismiss);
    actions.appendChild(later);
    actions.appendChild(el('button', { type: 'submit', class: 'send' }, t.submit));
    form.appendChild(actions);
    box.appendChild(form);
    root.appendChild(box);
    d.body.appendChild(host);

    function dismiss() {
      post('dismiss', { invitationId: s.invitationId }).catch(function () {});
      close();
    }
    x.addEventListener('click', dismiss);
    later.addEventListener('click', dismiss);
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') {
        e.preventDefault();
        if (form.isConnected) dismiss();
        else close();
      }
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var picked = root.querySelector('input[name=score]:checked');
      if (!picked) {
        err.textContent = t.scoreMissing;
        fs.setAttribute('aria-invalid', 'true');
        root.querySelector('input[name=score]').focus();
        return;
      }
      var f = root.getElementById('nl-followup');
      post('answer', {
        invitationId: s.invitationId,
        score: Number(picked.value),
        comment: root.getElementById('nl-comment').value,
        followUp: f ? f.value : '',
      })
        .then(function (r) {
          if (!r) throw new Error('not recorded');
          form.remove();
          x.setAttribute('aria-label', t.close);
          var done = el('div', { role: 'status', tabindex: '-1', id: 'nl-done' });
          done.appendChild(el('p', { class: 'title' }, t.thanks));
          done.appendChild(el('p', {}, t.thanksBody));
          box.appendChild(done);
          box.removeAttribute('aria-labelledby');
          box.setAttribute('aria-label', t.thanks);
          x.removeEventListener('click', dismiss);
          x.addEventListener('click', close);
          done.focus();
        })
        .catch(function () {
          err.textContent = t.failed;
        });
    });
    box.focus();
  }

  function identify(o) {
    if (!o || typeof o.userHash !== 'string' || (!o.email && !o.hubspotContactId) || host) return;
    who = { email: o.email, hubspotContactId: o.hubspotContactId, userHash: o.userHash };
    post('due', {})
      .then(function (r) {
        if (r && r.due && !host) show(r);
      })
      .catch(function () {});
  }

  var queued = n.q || [];
  n.q = [];
  n.identify = identify;
  for (var i = 0; i < queued.length; i++) identify(queued[i]);
})();
