// The REST API as the console calls it: the credential lives in this tab's session storage only (never in a URL, never
// sent anywhere but this origin's API), and event streams are read with fetch so the key travels in a header.

const KEY = 'devicetwins.apiKey';
const TOKEN = 'devicetwins.token';
let unauthorized = () => {};

// An API key (X-Api-Key) or an access token from the OpenID Connect authority (Authorization: Bearer).
export const credential = {
  get key() { return sessionStorage.getItem(KEY); },
  get token() { return sessionStorage.getItem(TOKEN); },
  get present() { return Boolean(this.key || this.token); },
  set(key) { sessionStorage.removeItem(TOKEN); sessionStorage.setItem(KEY, key); },
  setToken(token) { sessionStorage.removeItem(KEY); sessionStorage.setItem(TOKEN, token); },
  clear() { sessionStorage.removeItem(KEY); sessionStorage.removeItem(TOKEN); },
};

export function onUnauthorized(handler) { unauthorized = handler; }

export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

function headers(extra) {
  const result = { Accept: 'application/json', ...extra };
  if (credential.token) result.Authorization = `Bearer ${credential.token}`;
  else if (credential.key) result['X-Api-Key'] = credential.key;
  return result;
}

// Calls the API; answers { data, etag }, or throws a ProblemError carrying the problem details the API returned.
export async function call(path, { method = 'GET', body, contentType = 'application/json', ifMatch, signal, key } = {}) {
  const extra = {};
  if (body !== undefined) extra['Content-Type'] = contentType;
  if (ifMatch) extra['If-Match'] = ifMatch;
  const response = await fetch(path, {
    method,
    // A key being tried at sign-in is sent alone, not beside a stored credential.
    headers: key ? { Accept: 'application/json', 'X-Api-Key': key, ...extra } : headers(extra),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    cache: 'no-store',
  });
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch { /* not a problem document */ }
    if (response.status === 401 && !key) unauthorized();
    throw new ProblemError(response.status, problem);
  }

  const text = await response.text();
  return { data: text ? JSON.parse(text) : null, etag: response.headers.get('ETag') };
}

export async function get(path, options) {
  return (await call(path, options)).data;
}

export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    for (const item of [value].flat()) {
      if (item !== undefined && item !== null && item !== '') search.append(name, item);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// Follows a server-sent event stream: calls onEvent(type, data, id) per event, reconnects with Last-Event-ID after a
// drop (backing off up to 10 s), and reports its state through onState('live' | 'reconnecting' | 'refused', problem).
// Returns a stop function.
export function follow(path, onEvent, onState = () => {}) {
  const controller = new AbortController();
  let lastId = null;
  let stopped = false;
  (async () => {
    let delay = 500;
    while (!stopped) {
      try {
        const extra = { Accept: 'text/event-stream' };
        if (lastId) extra['Last-Event-ID'] = lastId;
        const response = await fetch(path, { headers: headers(extra), signal: controller.signal, cache: 'no-store' });
        if (response.status === 401) { unauthorized(); return; }
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          // A refused request (a bad filter, a device not visible) stays refused: report why and stop.
          let problem = {};
          try { problem = await response.json(); } catch { /* not a problem document */ }
          onState('refused', new ProblemError(response.status, problem));
          return;
        }
        if (!response.ok) throw new ProblemError(response.status, null);
        onState('live');
        delay = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replaceAll('\r\n', '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = parseEvent(block);
            if (!event) continue;
            if (event.id) lastId = event.id;
            onEvent(event.type, JSON.parse(event.data), event.id);
          }
        }
      } catch (error) {
        if (stopped) return;
        console.debug('event stream dropped', path, error);
      }
      if (stopped) return;
      onState('reconnecting');
      await new Promise(resolve => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10000);
    }
  })();
  return () => { stopped = true; controller.abort(); };
}

function parseEvent(block) {
  let type = 'message';
  let id = null;
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  return data.length ? { type, id, data: data.join('\n') } : null;
}
