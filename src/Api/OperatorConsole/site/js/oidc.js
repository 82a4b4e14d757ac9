// Sign-in with the platform's OpenID Connect authority: authorization code with PKCE, the access token kept in this tab's
// session storage like an API key. The code comes back in the address once and is taken out of it at once.
import { credential } from './api.js';

const PENDING = 'devicetwins.oidcPending';

export function redirectUri() {
  return `${location.origin}/`;
}

export async function begin(oidc) {
  const metadata = await discover(oidc.authority);
  const verifier = random();
  const state = random();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(metadata.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: redirectUri(),
    scope: oidc.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

// Finishes a sign-in the authority answered (?code= or ?error=); true when a token was obtained, false when there is
// no answer in the address; throws with the reason otherwise.
export async function complete(oidc) {
  const answer = new URLSearchParams(location.search);
  if (!answer.has('code') && !answer.has('error')) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname + location.hash);
  if (answer.has('error')) throw new Error(`the authority refused: ${answer.get('error_description') ?? answer.get('error')}`);
  if (!pending || pending.state !== answer.get('state')) throw new Error('the answer does not belong to this sign-in (state)');
  if (!oidc) throw new Error('this platform no longer signs in with an authority');
  const metadata = await discover(oidc.authority);
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: answer.get('code'),
      redirect_uri: redirectUri(),
      client_id: oidc.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`the authority's token endpoint answered ${response.status}`);
  const tokens = await response.json();
  if (!tokens.access_token) throw new Error('the authority sent no access token');
  credential.setToken(tokens.access_token);
  return true;
}

async function discover(authority) {
  const response = await fetch(`${authority}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`the authority's discovery document answered ${response.status}`);
  return response.json();
}

function random() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
