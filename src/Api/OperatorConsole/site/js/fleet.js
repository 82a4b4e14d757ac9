// Fleet: devices by status, the intake's records/s and consumer lag (every 2 s), and the active alerts, live.
import { follow, get } from './api.js';
import { alertTable } from './alert-table.js';
import { h, message, number, replace, time } from './dom.js';

export function render(view, session) {
  document.title = 'Fleet · DeviceTwins';
  const figures = h('dl', { class: 'figures', id: 'fleet-figures' });
  const freshness = h('p', { class: 'muted', id: 'fleet-freshness' });
  const notice = h('div');
  const table = alertTable(session, { activeOnly: true, caption: 'Active alerts' });
  const state = h('span', { class: 'live', id: 'alerts-live' }, 'connecting');
  replace(view,
    h('h1', {}, 'Fleet'),
    figures,
    freshness,
    notice,
    h('h2', {}, 'Active alerts ', state),
    table.element);

  const figure = (label, value, id) => [h('div', { class: 'figure', id }, h('dt', {}, label), h('dd', {}, value))];
  async function refresh() {
    try {
      const stats = await get('/api/fleet/stats');
      replace(figures,
        figure('Devices', number(stats.devices), 'figure-devices'),
        figure('Online', number(stats.online), 'figure-online'),
        figure('Offline', number(stats.offline), 'figure-offline'),
        figure('Alerting', number(stats.alerting), 'figure-alerting'),
        figure('Active alerts', number(stats.activeAlerts), 'figure-active-alerts'),
        figure('Records/s', stats.recordsPerSecond === null ? '—' : number(stats.recordsPerSecond, 1), 'figure-rate'),
        figure('Consumer lag', stats.consumerLag === null ? '—' : number(stats.consumerLag), 'figure-lag'));
      replace(freshness, `Index as of ${time(stats.asOf)} (written behind, within ${stats.staleness.replace(/^PT/, '').toLowerCase()}); intake from ${stats.silos ?? '—'} silo(s).`);
      replace(notice);
    } catch (failure) {
      replace(notice, message('error', `The fleet figures could not be read: ${failure.message}`));
    }
  }

  refresh();
  const timer = setInterval(refresh, 2000);
  get('/api/alerts?state=active&limit=200')
    .then(page => table.set(page.items))
    .catch(failure => replace(notice, message('error', `The active alerts could not be read: ${failure.message}`)));
  const stop = follow('/api/alerts/stream', (type, alert) => { if (type === 'alert') table.upsert(alert); }, s => replace(state, s));
  return () => { clearInterval(timer); stop(); };
}
