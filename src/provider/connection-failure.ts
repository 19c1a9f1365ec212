/**
 * A call that never reached the API: what the cause under the SDK's "Cannot connect to API" means, and what to
 * do about it. `bad port` alone tells a user nothing; "fetch refuses port 6000 as unsafe" does. Which causes are
 * worth another attempt is decided here too: a refused or dropped connection may come back, a host name that
 * does not resolve, a blocked port, a malformed URL or a refused certificate will not.
 */

export interface ConnectionFailure {
  /** The cause as the system names it (`ECONNREFUSED`, `ENOTFOUND`, `bad port`, `CERT_HAS_EXPIRED`...). */
  code: string;
  /** What the cause means here, in words. */
  meaning: string;
  /** What to do about it. */
  hint: string;
  retryable: boolean;
}

interface Endpoint {
  /** The provider's name as configured, for the key to fix (`models.providers.<name>.base_url`). */
  provider: string;
  /** The URL the call tried, already safe to show (see `displayUrl`). */
  url: string | undefined;
}

const TLS_CERTIFICATE = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The failure under `error` (walking its causes) when it is one of connecting, else undefined. */
export function connectionFailure(error: unknown, endpoint: Endpoint): ConnectionFailure | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 6; depth++) {
    const found = describe(current, endpoint);
    if (found !== undefined) return found;
    current = current.cause;
  }
  return undefined;
}

function describe(error: Error, endpoint: Endpoint): ConnectionFailure | undefined {
  const code = (error as { code?: unknown }).code;
  const baseUrl = `models.providers.${endpoint.provider}.base_url`;
  const where = hostOf(endpoint.url);
  switch (code) {
    case 'ECONNREFUSED':
      return {
        code,
        meaning: `nothing is listening at ${where ?? 'that address'} (connection refused)`,
        hint: `is the server running? If it is, check the host and port in ${baseUrl}`,
        retryable: true,
      };
    case 'ENOTFOUND':
      return {
        code,
        meaning: `the host name ${hostNameOf(endpoint.url) ?? '(unknown)'} does not resolve`,
        hint: `check the spelling of the host in ${baseUrl}, and that this machine has a network and DNS`,
        retryable: false,
      };
    case 'EAI_AGAIN':
      return {
        code,
        meaning: `the host name ${hostNameOf(endpoint.url) ?? '(unknown)'} could not be looked up just now (DNS unavailable)`,
        hint: 'check that this machine is online and its DNS works',
        retryable: true,
      };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return {
        code,
        meaning: `${where ?? 'the server'} did not accept the connection in time`,
        hint: 'is the host reachable from here (a firewall, VPN or proxy in the way)?',
        retryable: true,
      };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return {
        code,
        meaning: `there is no route to ${where ?? 'the host'} (network unreachable)`,
        hint: 'check that this machine is online and can reach that network',
        retryable: true,
      };
  }
  if (typeof code === 'string' && TLS_CERTIFICATE.has(code)) {
    return {
      code,
      meaning: `the server's TLS certificate was not accepted (${code})`,
      hint: `for a private or self-signed certificate, point NODE_EXTRA_CA_CERTS at its CA file; otherwise check the host in ${baseUrl}`,
      retryable: false,
    };
  }
  if (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    /wrong version number|packet length too long/i.test(error.message)
  ) {
    return {
      code: typeof code === 'string' ? code : 'TLS',
      meaning: 'the server does not speak TLS on that port (https:// to a plain http:// server?)',
      hint: `use http:// in ${baseUrl} if the server has no TLS`,
      retryable: false,
    };
  }
  return fetchRefusal(error, endpoint);
}

/**
 * A request fetch would not even send, reported by message only (undici gives these no code): a blocked port,
 * credentials in the URL, a URL that does not parse. The AI SDK passes the last two through unwrapped.
 */
export function fetchRefusal(error: unknown, endpoint: Endpoint): ConnectionFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const baseUrl = `models.providers.${endpoint.provider}.base_url`;
  if (error.message === 'bad port') {
    const port = portOf(endpoint.url);
    return {
      code: 'bad port',
      meaning: `fetch refuses to connect to port ${port ?? '(this port)'}: it is on the Fetch standard's list of unsafe ports (such as 1, 9, 6000, 6665–6669)`,
      hint: `serve the API on another port, and change ${baseUrl} to match`,
      retryable: false,
    };
  }
  if (/includes credentials/.test(error.message)) {
    return {
      code: 'credentials in URL',
      meaning: 'the URL carries a user name or password, which fetch refuses to send',
      hint: `remove "user:password@" from ${baseUrl}; give the key through api_key_env instead`,
      retryable: false,
    };
  }
  if (error.message === 'Invalid URL' || /^Failed to parse URL/.test(error.message)) {
    return {
      code: 'invalid URL',
      meaning: 'it is not a valid URL (a port is a number from 1 to 65535)',
      hint: `fix ${baseUrl}, e.g. http://127.0.0.1:11434/v1`,
      retryable: false,
    };
  }
  return undefined;
}

/**
 * A URL as it may be shown: no user name or password, no query or fragment (gateways put keys in either). Text
 * that does not parse (an out-of-range port) is cut down the same way by pattern.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return withoutUserinfo(url).replace(/[?#].*$/, '');
  }
}

/** Blanks `user:password@` out of every URL in `text` (fetch repeats the URL, credentials and all). */
export function withoutUserinfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@?#]*@/gi, '$1');
}

/** `host:port` of a URL, the default port spelled out, read by pattern so a bad port still shows. */
function hostOf(url: string | undefined): string | undefined {
  const match = url === undefined ? null : /^([a-z]+):\/\/([^/?#]+)/i.exec(url);
  if (match === null) return undefined;
  const [, scheme, authority] = match;
  if (/:\d+$/.test(authority!)) return authority;
  return `${authority}:${scheme!.toLowerCase() === 'https' ? 443 : 80}`;
}

function hostNameOf(url: string | undefined): string | undefined {
  return hostOf(url)?.replace(/:\d+$/, '');
}

function portOf(url: string | undefined): string | undefined {
  return hostOf(url)?.replace(/^.*:/, '');
}
