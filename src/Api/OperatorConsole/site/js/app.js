// The console's shell: sign-in, the navigation, and one page at a time by the location's hash (#/fleet, #/devices,
// #/devices/{id}, #/alerts). A page's render returns a function that stops its streams and timers.
import { call, credential, onUnauthorized, ProblemError } from './api.js';
import { h, message, replace } from './dom.js';
import * as fleet from './fleet.js';
import * as devices from './devices.js';
import * as device from './device.js';
import * as alerts from './alerts.js';
import * as oidc from './oidc.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signOut = document.getElementById('sign-out');
let stopPage = () => {};
let session = null;
let settings = { oidc: null };

const ranks = { read: 1, write: 2, admin: 3 };

function showSignIn(notice) {
  stopPage();
  stopPage = () => {};
  session = null;
  nav.hidden = true;
  who.hidden = true;
  signOut.hidden = true;
  document.title = 'Sign in · DeviceTwins';
  const key = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('div', { id: 'sign-in-error' }, notice ? message('error', notice) : null);
  const form = h('form', { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('p', {}, 'Use an API key of this platform (the all-in-one start prints where its development key is). It is kept for this browser tab only.'),
    h('label', { for: 'api-key' }, 'API key'),
    key,
    h('button', { type: 'submit', id: 'sign-in' }, 'Sign in'),
    settings.oidc
      ? h('button', { type: 'button', id: 'sign-in-oidc', class: 'secondary', onclick: withAuthority }, `Sign in with ${new URL(settings.oidc.authority).host}`)
      : null,
    error);
  async function withAuthority() {
    replace(error);
    try {
      await oidc.begin(settings.oidc);
    } catch (failure) {
      replace(error, message('error', `Signing in with the authority failed: ${failure.message}`));
    }
  }
  form.addEventListener('submit', async event => {
    event.preventDefault();
    replace(error);
    try {
      const { data } = await call('/api/me', { key: key.value.trim() });
      credential.set(key.value.trim());
      start(data);
    } catch (failure) {
      const text = failure instanceof ProblemError && failure.status === 401
        ? 'The key was refused: check it and try again.'
        : `Signing in failed: ${failure.message}`;
      replace(error, message('error', text));
      key.select();
    }
  });
  replace(main, form);
  key.focus();
}

function start(caller) {
  session = {
    caller,
    canWrite: (ranks[caller.role] ?? 0) >= ranks.write,
  };
  nav.hidden = false;
  who.hidden = false;
  signOut.hidden = false;
  replace(who, `${caller.name} · ${caller.role}${caller.tenant ? ` · tenant ${caller.tenant}` : ''}`);
  route();
}

function route() {
  if (!session) return;
  stopPage();
  const path = location.hash.replace(/^#/, '') || '/fleet';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let page = fleet;
  let argument = null;
  if (parts[0] === 'devices' && parts.length > 1) { page = device; argument = parts[1]; }
  else if (parts[0] === 'devices') page = devices;
  else if (parts[0] === 'alerts') page = alerts;
  const name = page === device ? 'devices' : parts[0] || 'fleet';
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.page === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const view = h('div', { class: 'page' });
  replace(main, view);
  stopPage = page.render(view, session, argument) ?? (() => {});
  main.focus({ preventScroll: true });
}

onUnauthorized(() => {
  // Several calls of a page may be refused at once: the first signs the tab out, the others find it signed out.
  if (!session) return;
  credential.clear();
  showSignIn('Your credential is no longer accepted (a revoked key, an expired token): sign in again.');
});

signOut.addEventListener('click', () => {
  credential.clear();
  location.hash = '';
  showSignIn();
});

window.addEventListener('hashchange', route);

(async () => {
  try {
    settings = (await call('/console/settings.json')).data;
  } catch {
    // Without the settings the console still signs in with a key.
  }

  try {
    if (await oidc.complete(settings.oidc)) {
      start((await call('/api/me')).data);
      return;
    }
  } catch (failure) {
    credential.clear();
    showSignIn(`Signing in with the authority failed: ${failure.message}`);
    return;
  }

  if (!credential.present) { showSignIn(); return; }
  try {
    start((await call('/api/me')).data);
  } catch {
    credential.clear();
    showSignIn();
  }
})();
