// The settings preview, live: as the admin types, the email and survey page frames and the email's text part are
// rendered again from the draft (debounced). Without this script the "Update preview" button does the same.
(function () {
  'use strict';
  var form = document.getElementById('preview-draft');
  if (!form) return;
  var emailFrame = document.getElementById('preview-email');
  var pageFrame = document.getElementById('preview-page');
  var subject = document.getElementById('preview-subject');
  var text = document.getElementById('preview-text');
  var status = document.getElementById('preview-status');
  var timer;

  function query() {
    var params = new URLSearchParams();
    var data = new FormData(form);
    data.forEach(function (value, name) {
      if (name !== '_csrf' && name !== 'to' && typeof value === 'string') params.append(name, value);
    });
    return params.toString();
  }

  function refresh() {
    var q = query();
    emailFrame.src = '/dashboard/settings/preview/email?' + q;
    pageFrame.src = '/dashboard/settings/preview/survey?' + q;
    fetch('/dashboard/settings/preview/email.json?' + q, { credentials: 'same-origin' })
      .then(function (res) {
        return res.json().then(function (body) {
          return { ok: res.ok, body: body };
        });
      })
      .then(function (r) {
        if (!r.ok) {
          status.textContent = (r.body.error && r.body.error.message) || 'The preview could not be rendered.';
          return;
        }
        status.textContent = '';
        subject.textContent = r.body.subject;
        text.textContent = r.body.text;
      })
      .catch(function () {
        status.textContent = 'The preview could not be updated.';
      });
  }

  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
