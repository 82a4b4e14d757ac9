// A table of alerts, newest raise first, each with why it was raised (and cleared) and, for a caller who may write, an
// Acknowledge button: used by the Fleet page (active only), the Alerts page and a Device page.
import { call } from './api.js';
import { h, message, number, replace, time } from './dom.js';

export function alertTable(session, { activeOnly = false, showDevice = true, caption = 'Alerts', limit = 200 } = {}) {
  const alerts = new Map();
  const body = h('tbody');
  const notice = h('div', { class: 'notice' });
  const element = h('div', { class: 'alert-table' },
    notice,
    h('table', { class: 'grid' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {},
        showDevice ? h('th', { scope: 'col' }, 'Device') : null,
        h('th', { scope: 'col' }, 'Rule'),
        h('th', { scope: 'col' }, 'Severity'),
        h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, 'Raised'),
        h('th', { scope: 'col' }, 'Why'),
        h('th', { scope: 'col' }, 'Cleared'),
        session.canWrite ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')) : null)),
      body));

  function draw() {
    const rows = [...alerts.values()]
      .filter(a => !activeOnly || a.state !== 'cleared')
      .sort((a, b) => new Date(b.raisedAt) - new Date(a.raisedAt))
      .slice(0, limit)
      .map(row);
    replace(body, rows.length ? rows : h('tr', {}, h('td', { colspan: 8, class: 'empty' }, activeOnly ? 'No active alert.' : 'No alert.')));
  }

  function row(alert) {
    const raise = alert.raise ?? { value: alert.value, eventTime: alert.eventTime, reason: alert.reason };
    const clear = alert.clear;
    return h('tr', { dataset: { alert: alert.id, state: alert.state } },
      showDevice ? h('td', {}, h('a', { href: `#/devices/${encodeURIComponent(alert.deviceId)}` }, alert.deviceId)) : null,
      h('td', {}, alert.rule, alert.metric ? h('span', { class: 'muted' }, ` · ${alert.metric}`) : null, alert.flapping ? h('span', { class: 'badge' }, 'flapping') : null),
      h('td', {}, h('span', { class: `badge severity-${alert.severity}` }, alert.severity)),
      h('td', { class: 'state' }, h('span', { class: `badge state-${alert.state}` }, alert.state)),
      h('td', {}, time(alert.raisedAt)),
      h('td', { class: 'why' }, `${number(raise.value)} at ${time(raise.eventTime)}: ${raise.reason}`),
      h('td', {}, clear ? `${time(alert.clearedAt)}: ${clear.reason}` : '—'),
      session.canWrite
        ? h('td', {}, alert.state === 'raised'
          ? h('button', { type: 'button', class: 'ack', 'aria-label': `Acknowledge ${alert.rule} on ${alert.deviceId}`, onclick: () => acknowledge(alert) }, 'Acknowledge')
          : null)
        : null);
  }

  async function acknowledge(alert) {
    replace(notice);
    try {
      const { data } = await call(`/api/alerts/${encodeURIComponent(alert.id)}/ack`, { method: 'POST' });
      upsert(data);
    } catch (failure) {
      replace(notice, message('error', `Acknowledging failed: ${failure.message}`));
    }
  }

  function upsert(alert) {
    const known = alerts.get(alert.id);
    // A stream event may be older than what a page already shows (an acknowledgement answered before its event).
    if (known && rank(known) > rank(alert)) return;
    alerts.set(alert.id, alert);
    draw();
  }

  function set(list) {
    alerts.clear();
    for (const alert of list) alerts.set(alert.id, alert);
    draw();
  }

  draw();
  return { element, upsert, set };
}

const order = { raised: 0, acknowledged: 1, cleared: 2 };
function rank(alert) { return order[alert.state] ?? 0; }
