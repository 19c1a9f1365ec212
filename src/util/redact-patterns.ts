/**
 * Known credential shapes. Each rule is one global regex with a literal anchor, so a pass over text without
 * any candidate is a fast scan; a rule may keep a harmless prefix (`Authorization: Bearer `, `user:`) and hide
 * only the credential. Every repetition is bounded (64 Ki characters, far beyond any credential): V8 recurses per
 * repetition of an unbounded one and runs out of stack on a run of millions of characters.
 */
export const REDACTED = '[REDACTED]';
/** Every marker starts with this, `[REDACTED]` and `[REDACTED:NAME]` alike. */
export const REDACTED_MARKER_PREFIX = '[REDACTED';

export interface PatternRule {
  name: string;
  pattern: RegExp;
  /** Replacement for one match; defaults to `[REDACTED]`. */
  replace?: (match: string, ...groups: string[]) => string;
}

/** Bodies of `sk-` keys must mix letters and digits, so `sk-spinner-container-wrapper` stays readable. */
function mixedBody(match: string, body: string): string {
  return /\d/.test(body) && /[A-Za-z]/.test(body) ? REDACTED : match;
}

const keepPrefix = (_match: string, prefix: string) => `${prefix}${REDACTED}`;

export const PATTERN_RULES: readonly PatternRule[] = [
  {
    name: 'pem-private-key',
    // An unterminated block (output cut off) is hidden to the end of the text.
    pattern:
      /-----BEGIN[A-Z0-9 ]{0,64}PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,1048576}?(?:-----END[A-Z0-9 ]{0,64}PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { name: 'anthropic', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,65536}/g },
  {
    name: 'openai',
    pattern: /\bsk-(?:proj-|svcacct-|admin-|None-)?([A-Za-z0-9_-]{20,65536})/g,
    replace: mixedBody,
  },
  { name: 'github', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,65536}|github_pat_[A-Za-z0-9_]{22,65536})/g },
  { name: 'stripe', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,65536}/g },
  { name: 'stripe-webhook', pattern: /\bwhsec_[A-Za-z0-9]{24,65536}/g },
  { name: 'gitlab', pattern: /\bgl(?:pat|dt|ptt|rt)-[A-Za-z0-9_-]{20,65536}/g },
  { name: 'npm', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { name: 'pypi', pattern: /\bpypi-AgE[A-Za-z0-9_-]{40,65536}/g },
  { name: 'huggingface', pattern: /\bhf_[A-Za-z0-9]{30,65536}/g },
  { name: 'sendgrid', pattern: /\bSG\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{16,64}/g },
  { name: 'digitalocean', pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/g },
  { name: 'shopify', pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g },
  { name: 'aws-access-key', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { name: 'slack', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,65536}/g },
  { name: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,65536}\.eyJ[A-Za-z0-9_-]{8,65536}\.[A-Za-z0-9_-]{0,65536}/g },
  {
    name: 'authorization-header',
    // Placeholders stay readable: `<token>`, `${key}`, `YOUR_KEY`.
    pattern:
      /(\b(?:Authorization|Proxy-Authorization)["']?\s{0,64}[:=]\s{0,64}["']?(?:Bearer|Basic|Token|Bot)\s{1,64})(?![A-Z_]+\b)[A-Za-z0-9][^\s"',;)]{7,65536}/gi,
    replace: keepPrefix,
  },
  { name: 'bearer', pattern: /(\bBearer\s{1,64})[A-Za-z0-9._~+/-]{16,65536}={0,2}/g, replace: keepPrefix },
  {
    name: 'url-credentials',
    pattern: /(:\/\/[^\s/:@]{1,65536}:)(?![$<{])[^\s/@]{1,65536}(?=@)/g,
    replace: keepPrefix,
  },
  {
    // `password = "…"`, `"api_key": "…"`, `client_secret: '…'` in code and config files. The value must mix
    // letters and digits, so `token: "test-token"` and `lastToken = "?Interpolation"` stay readable.
    name: 'secret-assignment',
    pattern:
      /((?:api[_-]?key|secret|token|password|passwd|passphrase|access[_-]?key|private[_-]?key)["']?\s{0,64}[:=]\s{0,64}["'])(?!\[REDACTED|\$\{|\{\{)([^"'\s]{8,65536})(?=["'])/gi,
    replace: (match, prefix, value) =>
      /\d/.test(value ?? '') && /[A-Za-z]/.test(value ?? '') ? `${prefix}${REDACTED}` : match,
  },
  {
    // A credential field of a JSON data file (credentials.json, .docker/config.json): `"password": "…"`, whatever
    // the value looks like, unless it is a placeholder (`${VAR}`, `<token>`, `{{ secret }}`, `test-token`). The key
    // must end with the credential word (`db_password`, `client_secret`), so `"tokenType"` is not one.
    name: 'credential-json-field',
    pattern:
      /("[\w.-]{0,48}?(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|auth)"\s{0,16}:\s{0,16}")(?!\[REDACTED|\$\{|\{\{|<)([^"\s]{4,65536})(?=")/gi,
    replace: credentialValue,
  },
  {
    // The same as a line of a YAML, INI or rc file: `password: …`, `password = …` (.pypirc), `_authToken=…` and
    // `_auth=…` (.npmrc). Only a whole line (`token: value` and an optional comment), so code (`const token = …`,
    // `password: hashed,`) is left to the rule above.
    name: 'credential-line-field',
    pattern:
      /^([ \t]{0,64}(?:-[ \t]{1,8})?[\w./:@-]{0,128}?(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|_auth)[ \t]{0,16}[:=][ \t]{0,16}["']?)(?=[A-Za-z0-9])([^\s"',;]{4,65536})(?=["']?[ \t]*(?:#.*)?$)/gim,
    replace: credentialValue,
  },
  {
    // .netrc: `machine host login user password secret`, on one line or several.
    name: 'netrc-password',
    pattern:
      /(^[ \t]{0,64}(?:machine[ \t]{1,16}\S{1,256}|default)(?:[ \t\r\n]{1,16}(?:login|account|port)[ \t]{1,16}\S{1,256}){0,3}[ \t\r\n]{1,16}password[ \t]{1,16})(\S{1,65536})/gm,
    replace: keepPrefix,
  },
];

function credentialValue(match: string, prefix: string, value: string): string {
  return isPlaceholderValue(value) ? match : `${prefix}${REDACTED}`;
}

/** Values a credential field holds in examples and documentation, not secrets. */
function isPlaceholderValue(value: string): boolean {
  return (
    /^(?:x+|\*+|\.+|changeme|example|placeholder|redacted|secret|password|your[\w-]*|my[\w-]*|test[\w-]*|dummy[\w-]*|fake[\w-]*|required|optional|string|undefined)$/i.test(
      value,
    ) ||
    // An identifier or call in code (`token = getToken()`, `password: process.env.DB_PASSWORD`).
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$|[()[\]]/.test(value) ||
    /^[A-Z_]+$/.test(value)
  );
}

/** `allowed`: matches to leave as they are (what the rules find in the user's allowed paths). */
export function applyPatternRules(
  text: string,
  rules: readonly PatternRule[] = PATTERN_RULES,
  allowed?: ReadonlySet<string>,
): string {
  let result = text;
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    const replace = rule.replace;
    result =
      replace === undefined && (allowed === undefined || allowed.size === 0)
        ? result.replace(rule.pattern, REDACTED)
        : result.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
            if (allowed?.has(match)) return match;
            if (replace === undefined) return REDACTED;
            return replace(match, ...rest.filter((part): part is string => typeof part === 'string'));
          });
  }
  return result;
}
