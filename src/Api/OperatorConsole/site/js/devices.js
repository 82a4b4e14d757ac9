// Devices: the fleet query's filters (tags, status, metric comparisons, last seen) with paging, live from the fleet
// query stream. Page n follows the first n pages of matches (the stream tracks the first `limit` devices by id).
import { follow, query } from './api.js';
import { ago, h, message, number, replace, statusBadge, time } from './dom.js';

const pageSizes = [25, 50, 100];
const maxTracked = 1000;

export function render(view, session, _argument, filters = readFilters()) {
  document.title = 'Devices · DeviceTwins';
  const devices = new Map();
  let truncated = false;
  let page = filters.page;
  const state = h('span', { class: 'live', id: 'devices-live' }, 'connecting');
  const notice = h('div', { id: 'devices-notice' });
  const body = h('tbody');
  const summary = h('p', { class: 'muted', id: 'devices-summary' });
  const previous = h('button', { type: 'button', id: 'previous-page' }, 'Previous page');
  const next = h('button', { type: 'button', id: 'next-page' }, 'Next page');

  const tags = input('filter-tags', 'Tags', filters.tags, 'site:plant-a, model:t1000');
  const metrics = input('filter-metrics', 'Metrics', filters.metrics, 'temperature>80, humidity<=20');
  const after = input('filter-after', 'Last seen after', filters.after, '', 'datetime-local');
  const before = input('filter-before', 'Last seen before', filters.before, '', 'datetime-local');
  const status = h('select', { id: 'filter-status', name: 'status' },
    ['', 'online', 'offline', 'alerting'].map(s => h('option', { value: s, selected: s === filters.status }, s || 'any')));
  const size = h('select', { id: 'filter-size', name: 'size' },
    pageSizes.map(s => h('option', { value: s, selected: s === filters.size }, String(s))));
  const form = h('form', { class: 'filters', 'aria-label': 'Device filters' },
    tags.field, metrics.field,
    h('div', { class: 'field' }, h('label', { for: 'filter-status' }, 'Status'), status),
    after.field, before.field,
    h('div', { class: 'field' }, h('label', { for: 'filter-size' }, 'Per page'), size),
    h('div', { class: 'field actions' }, h('button', { type: 'submit', id: 'apply-filters' }, 'Apply'), h('button', { type: 'reset', id: 'clear-filters' }, 'Clear')));

  replace(view,
    h('h1', {}, 'Devices ', state),
    form,
    notice,
    h('table', { class: 'grid', id: 'devices' },
      h('caption', { class: 'visually-hidden' }, 'Devices matching the filters'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Device'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Last seen'),
        h('th', { scope: 'col' }, 'Alerts'), h('th', { scope: 'col' }, 'Tags'), h('th', { scope: 'col' }, 'Latest metrics'))),
      body),
    h('div', { class: 'pager' }, previous, summary, next));

  let stop = () => {};
  function open() {
    stop();
    devices.clear();
    replace(notice);
    const parameters = {
      tag: split(filters.tags),
      metric: split(filters.metrics),
      status: filters.status,
      lastSeenAfter: instant(filters.after),
      lastSeenBefore: instant(filters.before),
      limit: Math.min(filters.size * page, maxTracked),
    };
    stop = follow(`/api/fleet/changes${query(parameters)}`, (type, data) => {
      if (type === 'snapshot') {
        devices.clear();
        for (const device of data.items) devices.set(device.deviceId, device);
        truncated = data.truncated;
      } else if (type === 'added' || type === 'changed') {
        devices.set(data.deviceId, data);
      } else if (type === 'removed') {
        devices.delete(data.deviceId);
      }
      draw();
    }, (s, problem) => {
      replace(state, s);
      if (problem) replace(notice, message('error', `${problem.problem.title ?? 'Refused'}: ${problem.message}`));
    });
  }

  function draw() {
    const sorted = [...devices.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
    const start = (page - 1) * filters.size;
    const shown = sorted.slice(start, start + filters.size);
    replace(body, shown.length ? shown.map(row) : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No device matches.')));
    replace(summary, shown.length ? `Page ${page}: devices ${start + 1}-${start + shown.length}${truncated || sorted.length > start + filters.size ? ', more follow' : ''}` : `Page ${page}`);
    previous.disabled = page <= 1;
    next.disabled = !(sorted.length > start + filters.size || (truncated && filters.size * (page + 1) <= maxTracked));
  }

  function row(device) {
    return h('tr', { dataset: { device: device.deviceId } },
      h('td', {}, h('a', { href: `#/devices/${encodeURIComponent(device.deviceId)}` }, device.deviceId)),
      h('td', {}, statusBadge(device.status)),
      h('td', { title: time(device.lastSeen) }, ago(device.lastSeen)),
      h('td', {}, number(device.activeAlerts)),
      h('td', { class: 'tags' }, Object.entries(device.tags).map(([k, v]) => h('span', { class: 'tag' }, `${k}:${v}`))),
      h('td', { class: 'metrics' }, Object.entries(device.metrics).map(([k, v]) => h('span', { class: 'metric' }, `${k} ${number(v)}`))));
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    filters = { tags: tags.control.value.trim(), metrics: metrics.control.value.trim(), status: status.value, after: after.control.value, before: before.control.value, size: Number(size.value), page: 1 };
    page = 1;
    writeFilters(filters);
    open();
  });
  form.addEventListener('reset', () => setTimeout(() => form.requestSubmit(), 0));
  previous.addEventListener('click', () => { page -= 1; writeFilters({ ...filters, page }); open(); });
  next.addEventListener('click', () => { page += 1; writeFilters({ ...filters, page }); open(); });

  open();
  return () => stop();
}

function input(id, label, value, placeholder, type = 'text') {
  const control = h('input', { id, name: id, type, value, placeholder: placeholder || null, spellcheck: 'false' });
  return { control, field: h('div', { class: 'field' }, h('label', { for: id }, label), control) };
}

function split(text) {
  return (text || '').split(',').map(s => s.trim()).filter(Boolean);
}

function instant(local) {
  return local ? new Date(local).toISOString() : '';
}

// The filters live in this tab's session, so the back button and a reload keep them (never the key).
function readFilters() {
  try {
    const saved = JSON.parse(sessionStorage.getItem('devicetwins.deviceFilters') ?? 'null');
    if (saved) return saved;
  } catch { /* a damaged entry: start empty */ }
  return { tags: '', metrics: '', status: '', after: '', before: '', size: pageSizes[0], page: 1 };
}

function writeFilters(filters) {
  sessionStorage.setItem('devicetwins.deviceFilters', JSON.stringify(filters));
}
