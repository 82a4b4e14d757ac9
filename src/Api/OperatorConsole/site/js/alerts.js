// Alerts: active and recent across the fleet (the caller's tenant's), live from the alert stream, acknowledged from the list.
import { follow, get } from './api.js';
import { alertTable } from './alert-table.js';
import { h, message, replace } from './dom.js';

export function render(view, session) {
  document.title = 'Alerts · DeviceTwins';
  const notice = h('div');
  const state = h('span', { class: 'live', id: 'alerts-live' }, 'connecting');
  const all = alertTable(session, { caption: 'Active and recent alerts, newest raise first' });
  replace(view, h('h1', {}, 'Alerts ', state), notice, all.element);
  get('/api/alerts?state=all&limit=200')
    .then(page => all.set(page.items))
    .catch(failure => replace(notice, message('error', `The alerts could not be read: ${failure.message}`)));
  return follow('/api/alerts/stream', (type, alert) => { if (type === 'alert') all.upsert(alert); }, s => replace(state, s));
}
