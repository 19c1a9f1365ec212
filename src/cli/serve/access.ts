/**
 * Who may use `phasewise serve`: with a token (required off loopback), a request carries it in the cookie set by
 * a first `?token=` visit or in `Authorization: Bearer`; without one it is refused (401). A form post must come
 * from the dashboard's own pages: the per-server CSRF token in the form, no foreign Origin, no cross-site
 * Sec-Fetch-Site (403). On loopback the Host header must name loopback, so a rebound DNS name cannot read pages.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'phasewise_token';

export interface AccessRules {
  /** Required on every request when set. */
  token: string | undefined;
  /** The per-server token every form carries. */
  csrf: string;
  /** Bound to a loopback address: the Host header must be a loopback name. */
  loopback: boolean;
}

export type AccessVerdict =
  | { kind: 'allowed' }
  | { kind: 'token-from-query'; path: string }
  | { kind: 'refused'; status: 401 | 403; message: string };

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const loopbackHost = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

export function checkAccess(request: IncomingMessage, url: URL, rules: AccessRules): AccessVerdict {
  if (rules.loopback && !loopbackHost.test(request.headers.host ?? '')) {
    return { kind: 'refused', status: 403, message: 'this dashboard answers to a loopback host name only' };
  }
  if (rules.token === undefined) return { kind: 'allowed' };
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && sameSecret(fromQuery, rules.token) && request.method === 'GET') {
    url.searchParams.delete('token');
    return { kind: 'token-from-query', path: `${url.pathname}${url.search}` };
  }
  const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (sameSecret(bearer, rules.token) || sameSecret(cookie(request, TOKEN_COOKIE), rules.token)) {
    return { kind: 'allowed' };
  }
  return {
    kind: 'refused',
    status: 401,
    message: 'a token is required: open the address `phasewise serve` printed (it ends in ?token=…)',
  };
}

/** A form post from one of the dashboard's own pages, carrying the server's CSRF token. */
export function checkFormOrigin(
  request: IncomingMessage,
  csrfField: string | undefined,
  rules: AccessRules,
): AccessVerdict {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    return {
      kind: 'refused',
      status: 403,
      message: `a cross-site form post is refused (Sec-Fetch-Site: ${site})`,
    };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host}`) {
    return { kind: 'refused', status: 403, message: 'a form post from another origin is refused' };
  }
  if (!sameSecret(csrfField, rules.csrf)) {
    return {
      kind: 'refused',
      status: 403,
      message: 'the form is stale or forged: reload the page and answer again',
    };
  }
  return { kind: 'allowed' };
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
