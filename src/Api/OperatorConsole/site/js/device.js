// Device: reported, desired and delta side by side with their metadata, live from the twin's change stream; desired and
// tags edited conditionally on the version (a 412 says the twin changed meanwhile); a chart per metric; its alerts with
// acknowledge, its rules, and its commands (send, cancel, follow their states).
import { call, follow, get, ProblemError } from './api.js';
import { alertTable } from './alert-table.js';
import { ago, h, json, message, number, replace, time } from './dom.js';
import { metricChart } from './metric-chart.js';

export function render(view, session, id) {
  document.title = `${id} · DeviceTwins`;
  const path = `/api/devices/${encodeURIComponent(id)}`;
  let twin = null;
  let etag = null;
  // The version an edit started from: a change arriving live meanwhile makes the write a 412, not a silent overwrite.
  let desiredBase = null;
  let tagsBase = null;
  const charts = new Map();
  const commands = new Map();

  const state = h('span', { class: 'live', id: 'twin-live' }, 'connecting');
  const facts = h('p', { class: 'muted', id: 'twin-facts' });
  const notice = h('div', { id: 'device-notice' });
  const metrics = h('div', { class: 'metrics-grid', id: 'metrics' });
  const reported = h('pre', { id: 'reported', tabindex: 0, 'aria-label': 'Reported document' });
  const desired = h('pre', { id: 'desired', tabindex: 0, 'aria-label': 'Desired document' });
  const delta = h('pre', { id: 'delta', tabindex: 0, 'aria-label': 'Delta: desired values the device has not reported yet' });
  const reportedMeta = h('div');
  const desiredMeta = h('div');
  const desiredNotice = h('div', { id: 'desired-notice' });
  const tagsNotice = h('div', { id: 'tags-notice' });
  const tagsView = h('div', { id: 'tags' });
  const alerts = alertTable(session, { showDevice: false, caption: 'Alerts of this device' });
  const rules = h('div', { id: 'rules' });
  const commandRows = h('tbody');
  const commandNotice = h('div', { id: 'command-notice' });

  const patch = h('textarea', { id: 'desired-patch', rows: 5, spellcheck: 'false', placeholder: '{"interval": 30}', onfocus: () => { desiredBase ??= etag; } });
  const desiredEditor = session.canWrite
    ? h('form', { class: 'editor', id: 'desired-editor', onsubmit: applyDesired },
      h('label', { for: 'desired-patch' }, 'Change desired (JSON merge patch: null deletes)'),
      patch,
      h('button', { type: 'submit', id: 'apply-desired' }, 'Apply'),
      desiredNotice)
    : null;
  const tagsText = h('textarea', { id: 'tags-editor', rows: 4, spellcheck: 'false', onfocus: () => { tagsBase ??= etag; } });
  const tagsEditor = session.canWrite
    ? h('form', { class: 'editor', id: 'tags-form', onsubmit: saveTags },
      h('label', { for: 'tags-editor' }, 'Tags (JSON object of strings)'),
      tagsText,
      h('button', { type: 'submit', id: 'save-tags' }, 'Save tags'),
      tagsNotice)
    : null;
  const commandName = h('input', { id: 'command-name', required: true, placeholder: 'reboot', spellcheck: 'false' });
  const commandPayload = h('textarea', { id: 'command-payload', rows: 2, spellcheck: 'false', placeholder: '{"delay": 5}' });
  const commandTimeout = h('input', { id: 'command-timeout', value: 'PT5M', spellcheck: 'false' });
  const commandForm = session.canWrite
    ? h('form', { class: 'editor inline', id: 'command-form', onsubmit: sendCommand },
      h('div', { class: 'field' }, h('label', { for: 'command-name' }, 'Command'), commandName),
      h('div', { class: 'field wide' }, h('label', { for: 'command-payload' }, 'Payload (JSON, optional)'), commandPayload),
      h('div', { class: 'field' }, h('label', { for: 'command-timeout' }, 'Timeout'), commandTimeout),
      h('div', { class: 'field actions' }, h('button', { type: 'submit', id: 'send-command' }, 'Send')))
    : null;

  replace(view,
    h('p', {}, h('a', { href: '#/devices' }, '← Devices')),
    h('h1', {}, id, ' ', state),
    facts,
    notice,
    h('h2', {}, 'Metrics'),
    metrics,
    h('h2', {}, 'State'),
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'reported-title' }, h('h3', { id: 'reported-title' }, 'Reported'), reported, reportedMeta),
      h('section', { 'aria-labelledby': 'desired-title' }, h('h3', { id: 'desired-title' }, 'Desired'), desired, desiredMeta, desiredEditor),
      h('section', { 'aria-labelledby': 'delta-title' }, h('h3', { id: 'delta-title' }, 'Delta'), delta, h('p', { class: 'muted', id: 'convergence' }))),
    h('h2', {}, 'Tags'),
    tagsView,
    tagsEditor,
    h('h2', {}, 'Alerts'),
    alerts.element,
    h('h2', {}, 'Commands'),
    commandForm,
    commandNotice,
    h('table', { class: 'grid', id: 'commands' },
      h('caption', { class: 'visually-hidden' }, 'Commands of this device'),
      h('thead', {}, h('tr', {}, ['Command', 'State', 'Created', 'Updated', 'Attempt', 'Result', ''].map(t => h('th', { scope: 'col' }, t)))),
      commandRows),
    h('h2', {}, 'Rules'),
    rules);

  function show(next, nextEtag) {
    if (twin && next.version < twin.version) return;
    twin = next;
    etag = nextEtag ?? `"${next.version}"`;
    replace(facts, `Version ${number(twin.version)} · ${number(twin.messageCount)} record${twin.messageCount === 1 ? '' : 's'} · first seen ${time(twin.firstSeen)} · last seen ${ago(twin.lastSeen)}`);
    replace(reported, json(twin.reported));
    replace(desired, json(twin.desired));
    replace(delta, json(twin.delta));
    replace(view.querySelector('#convergence'), `Convergence: ${twin.convergence}${twin.pendingSince ? ` since ${time(twin.pendingSince)}` : ''}`);
    replace(reportedMeta, metadata('Reported metadata', twin.metadata.reported));
    replace(desiredMeta, metadata('Desired metadata', twin.metadata.desired));
    replace(tagsView, Object.keys(twin.tags).length
      ? Object.entries(twin.tags).map(([k, v]) => h('span', { class: 'tag' }, `${k}:${v}`))
      : h('span', { class: 'muted' }, 'No tags.'));
    if (tagsEditor && tagsBase === null) tagsText.value = json(twin.tags);
    for (const [name, reading] of Object.entries(twin.metrics)) metric(name, reading);
  }

  function metric(name, reading) {
    let entry = charts.get(name);
    if (!entry) {
      const value = h('span', { class: 'value' });
      const at = h('span', { class: 'muted at' });
      const plot = h('div', { class: 'chart', role: 'img', 'aria-label': `Chart of ${name}` });
      const card = h('section', { class: 'metric-card', id: `metric-${name}`, 'aria-label': name }, h('h3', {}, name), h('p', {}, value, ' ', at), plot);
      metrics.append(card);
      entry = { value, at, chart: metricChart(plot, name) };
      charts.set(name, entry);
    }
    replace(entry.value, number(reading.value, 3));
    replace(entry.at, `at ${time(reading.ts)}`);
    entry.chart.latest(reading.ts, reading.value);
  }

  function metadata(caption, entries) {
    const rows = Object.entries(entries ?? {});
    if (!rows.length) return null;
    return h('table', { class: 'grid small' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ['Property', 'Last updated', 'Source'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map(([property, m]) => h('tr', {},
        h('td', {}, property),
        h('td', {}, time(m.lastUpdated)),
        h('td', {}, m.source, m.topic ? ` ${m.topic}[${m.partition}]@${m.offset}` : '')))));
  }

  async function applyDesired(event) {
    event.preventDefault();
    replace(desiredNotice);
    let body;
    try { body = JSON.parse(patch.value); } catch (error) { replace(desiredNotice, message('error', `Not JSON: ${error.message}`)); return; }
    try {
      const result = await call(`${path}/desired`, { method: 'PATCH', body, contentType: 'application/merge-patch+json', ifMatch: desiredBase ?? etag });
      show(result.data, result.etag);
      patch.value = '';
      desiredBase = null;
      replace(desiredNotice, message('ok', `Desired changed: version ${result.data.version}.`));
    } catch (failure) {
      replace(desiredNotice, conflictOr(failure, 'Changing desired failed'));
    }
  }

  async function saveTags(event) {
    event.preventDefault();
    replace(tagsNotice);
    let body;
    try { body = JSON.parse(tagsText.value); } catch (error) { replace(tagsNotice, message('error', `Not JSON: ${error.message}`)); return; }
    try {
      const result = await call(`${path}/tags`, { method: 'PUT', body, ifMatch: tagsBase ?? etag });
      tagsBase = null;
      show(result.data, result.etag);
      replace(tagsNotice, message('ok', 'Tags saved.'));
    } catch (failure) {
      replace(tagsNotice, conflictOr(failure, 'Saving the tags failed'));
    }
  }

  function conflictOr(failure, what) {
    if (failure instanceof ProblemError && failure.status === 412) {
      return h('div', { class: 'message error', role: 'alert' },
        'Changed meanwhile: the twin has a newer version than the one shown. Reload it and try again. ',
        h('button', { type: 'button', class: 'reload', onclick: reload }, 'Reload'));
    }
    return message('error', `${what}: ${failure.message}`);
  }

  async function reload() {
    try {
      const result = await call(path);
      twin = null;
      desiredBase = null;
      tagsBase = null;
      show(result.data, result.etag);
      if (tagsEditor) tagsText.value = json(result.data.tags);
      replace(desiredNotice);
      replace(tagsNotice);
    } catch (failure) {
      replace(notice, message('error', `The twin could not be read: ${failure.message}`));
    }
  }

  function drawCommands() {
    const list = [...commands.values()].sort((a, b) => new Date(b.createdAt) - new Date(a.createdAt));
    replace(commandRows, list.length ? list.map(c => h('tr', { dataset: { command: c.id, state: c.state } },
      h('td', {}, c.name, c.payload ? h('code', { class: 'muted' }, ` ${JSON.stringify(c.payload)}`) : null),
      h('td', { class: 'state' }, h('span', { class: `badge command-${c.state}` }, c.state)),
      h('td', {}, time(c.createdAt)),
      h('td', {}, time(c.updatedAt)),
      h('td', {}, number(c.attempt)),
      h('td', {}, c.result ? h('code', {}, JSON.stringify(c.result)) : '—'),
      h('td', {}, session.canWrite && c.state === 'queued'
        ? h('button', { type: 'button', class: 'cancel', 'aria-label': `Cancel ${c.name}`, onclick: () => cancel(c) }, 'Cancel')
        : null)))
      : h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No command.')));
  }

  function upsertCommand(command) {
    const known = commands.get(command.id);
    if (known && new Date(known.updatedAt) > new Date(command.updatedAt)) return;
    commands.set(command.id, command);
    drawCommands();
  }

  async function sendCommand(event) {
    event.preventDefault();
    replace(commandNotice);
    const body = { name: commandName.value.trim(), timeout: commandTimeout.value.trim() || undefined };
    if (commandPayload.value.trim()) {
      try { body.payload = JSON.parse(commandPayload.value); } catch (error) { replace(commandNotice, message('error', `Payload is not JSON: ${error.message}`)); return; }
    }
    try {
      const { data } = await call(`${path}/commands`, { method: 'POST', body });
      upsertCommand(data);
      replace(commandNotice, message('ok', `Command ${data.name} ${data.state}.`));
    } catch (failure) {
      replace(commandNotice, message('error', `Sending failed: ${failure.message}`));
    }
  }

  async function cancel(command) {
    replace(commandNotice);
    try {
      upsertCommand((await call(`${path}/commands/${encodeURIComponent(command.id)}`, { method: 'DELETE' })).data);
    } catch (failure) {
      replace(commandNotice, message('error', `Cancelling failed: ${failure.message}`));
    }
  }

  let alertsDue = null;
  function refreshAlerts() {
    // Telemetry can raise or clear alerts: read them again shortly after a change, at most once a second.
    if (alertsDue) return;
    alertsDue = setTimeout(async () => {
      alertsDue = null;
      try { alerts.set(await get(`${path}/alerts`)); } catch { /* the next change tries again */ }
    }, 1000);
  }

  async function refreshWindows() {
    try {
      const windows = await get(`${path}/aggregates`);
      const byMetric = new Map();
      for (const w of windows) {
        const shortest = byMetric.get(w.metric);
        if (!shortest || w.windowSeconds < shortest[0].windowSeconds) byMetric.set(w.metric, [w]);
        else if (w.windowSeconds === shortest[0].windowSeconds) shortest.push(w);
      }
      for (const [name, list] of byMetric) {
        if (!charts.has(name) && twin?.metrics[name]) metric(name, twin.metrics[name]);
        charts.get(name)?.chart.windows(list.sort((a, b) => new Date(a.end) - new Date(b.end)));
      }
    } catch { /* windows are an extra: the next refresh tries again */ }
  }

  get(`${path}/rules`).then(list => replace(rules, list.length
    ? h('table', { class: 'grid small' },
      h('caption', { class: 'visually-hidden' }, 'Rules in force'),
      h('thead', {}, h('tr', {}, ['Rule', 'Detector', 'Watching', 'Severity', 'Parameters'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map(r => h('tr', {}, h('td', {}, r.name), h('td', {}, r.detector), h('td', {}, r.watching.join(', ')), h('td', {}, r.severity), h('td', {}, h('code', {}, JSON.stringify(r.parameters)))))))
    : h('p', { class: 'muted' }, 'No rule applies.'))).catch(() => {});
  get(`${path}/commands`).then(list => { for (const c of list) upsertCommand(c); drawCommands(); }).catch(() => drawCommands());
  get(`${path}/alerts`).then(list => alerts.set(list)).catch(() => {});
  refreshWindows();
  const windowsTimer = setInterval(refreshWindows, 10000);

  const stop = follow(`${path}/changes`, (type, data) => {
    if (type === 'twin') { show(data); refreshAlerts(); }
    else if (type === 'command') upsertCommand(data);
  }, (s, problem) => {
    replace(state, s);
    if (problem?.status === 404) replace(notice, message('error', `No device '${id}' is known (it has sent nothing yet, or it is another tenant's).`));
    else if (problem) replace(notice, message('error', problem.message));
  });

  return () => {
    stop();
    clearInterval(windowsTimer);
    clearTimeout(alertsDue);
    for (const entry of charts.values()) entry.chart.dispose();
  };
}
