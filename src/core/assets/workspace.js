// Settings workspace, trigger rule form: when the object or pipeline changes, the pipeline and stage lists are
// rebuilt from the portal's pipelines (the page's JSON block), so the server round trip ("Show the pipelines and
// stages of my choice", kept for browsers without JavaScript) is not needed.
(function () {
  'use strict';
  var dataEl = document.getElementById('pipeline-data');
  if (!dataEl) return;
  var catalog = JSON.parse(dataEl.textContent || '{}');
  var objectSelect = document.querySelector('select[name$=".objectType"]');
  var pipelineSelect = document.querySelector('select[name$=".pipelineId"]');
  var stageSelect = document.querySelector('select[name$=".stageId"]');
  if (!objectSelect || !pipelineSelect || !stageSelect) return;
  var refresh = document.getElementById('refresh-choices');
  if (refresh && refresh.parentElement) refresh.parentElement.hidden = true;

  function fill(select, options, keep) {
    var current = keep ? select.value : '';
    select.textContent = '';
    options.forEach(function (o) {
      var opt = document.createElement('option');
      opt.value = o.value;
      opt.textContent = o.label;
      if (o.value === current) opt.selected = true;
      select.appendChild(opt);
    });
  }

  function stagesOf(pipelines, pipelineId) {
    if (pipelineId !== '*') {
      var found = pipelines.filter(function (p) {
        return p.id === pipelineId;
      })[0];
      return found ? found.stages : [];
    }
    var seen = {};
    var list = [];
    pipelines.forEach(function (p) {
      p.stages.forEach(function (s) {
        if (seen[s.id]) seen[s.id].label += ', ' + s.label + ' (' + p.label + ')';
        else list.push((seen[s.id] = { id: s.id, label: s.label + ' (' + p.label + ')' }));
      });
    });
    return list;
  }

  function pipelines() {
    return catalog[objectSelect.value] || [];
  }

  function refillStages(keep) {
    var options = [{ value: '', label: 'Choose a stage' }].concat(
      stagesOf(pipelines(), pipelineSelect.value).map(function (s) {
        return { value: s.id, label: s.label };
      }),
    );
    fill(stageSelect, options, keep);
  }

  objectSelect.addEventListener('change', function () {
    var options = (objectSelect.value === 'deal' ? [{ value: '*', label: 'Any deal pipeline' }] : []).concat(
      pipelines().map(function (p) {
        return { value: p.id, label: p.label };
      }),
    );
    fill(pipelineSelect, options, false);
    refillStages(false);
  });
  pipelineSelect.addEventListener('change', function () {
    refillStages(false);
  });
})();
