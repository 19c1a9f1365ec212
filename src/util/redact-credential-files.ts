/**
 * Well-known credential files, by name, and the secret values they hold. Each value is then a KNOWN secret, like a
 * `.env` value: hidden as written and in every form redact-encodings.ts knows (reversed, case-changed, spaced out,
 * hex, URL-encoded, base64), which the shape rules alone would miss. Parsed without executing anything; a file over
 * MAX_FILE_BYTES (no credential file is that large) is skipped, as is anything past MAX_VALUES_PER_FILE.
 */
import { readFileSync, statSync } from 'node:fs';

export type CredentialKind =
  | 'credentials.json'
  | '.npmrc'
  | '.netrc'
  | '.pypirc'
  | '.git-credentials'
  | '.aws/credentials'
  | '.docker/config.json'
  | 'private key';

/** Hidden directories the workspace walk enters only for the credential files they hold. */
export const CREDENTIAL_DIRECTORIES: ReadonlySet<string> = new Set(['.aws', '.docker']);

const MAX_FILE_BYTES = 64 * 1024;
const MAX_VALUES_PER_FILE = 200;
const MAX_PRIVATE_KEY_LINES = 16;
const MIN_VALUE_LENGTH = 8;
/** `${NPM_TOKEN}`, `<token>`, `{{ secret }}`, `xxxxxxxx`, `********`, `NPM_TOKEN`: a reference, not the value. */
const PLACEHOLDER = /\$\{|^<.*>$|\{\{|^(?:[xX]+|\*+|\.+)$|^[A-Z][A-Z0-9_]*$/;
const PRIVATE_KEY_FILE = /^(?:id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?|.+\.(?:pem|key))$/;
/** A field whose name ends with a credential word: `password`, `_authToken`, `aws_secret_access_key`, `auth`. */
const CREDENTIAL_KEY =
  /(?:password|passwd|passphrase|secret|token|auth|api[_-]?key|apikey|private[_-]?key|access[_-]?key|credentials?)$/i;

/** The kind of credential file `name` is, in a directory named `directoryName`; undefined for any other file. */
export function credentialKindOf(name: string, directoryName: string): CredentialKind | undefined {
  if (name === 'credentials.json' || name === '.npmrc' || name === '.pypirc' || name === '.git-credentials')
    return name;
  if (name === '.netrc' || name === '_netrc') return '.netrc';
  if (name === 'credentials' && directoryName === '.aws') return '.aws/credentials';
  if (name === 'config.json' && directoryName === '.docker') return '.docker/config.json';
  return PRIVATE_KEY_FILE.test(name) ? 'private key' : undefined;
}

/** The secret values of one credential file (none when it is missing, too large or unreadable). */
export function readCredentialValues(path: string, kind: CredentialKind): string[] {
  let text: string;
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return [];
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const values = valuesOf(text, kind).flatMap(withDecodedForms);
  return [...new Set(values)]
    .filter(
      (value) => value.length >= MIN_VALUE_LENGTH && (kind === 'private key' || !PLACEHOLDER.test(value)),
    )
    .slice(0, MAX_VALUES_PER_FILE);
}

function valuesOf(text: string, kind: CredentialKind): string[] {
  switch (kind) {
    case 'credentials.json':
    case '.docker/config.json':
      return jsonFieldValues(text);
    case '.npmrc':
    case '.pypirc':
    case '.aws/credentials':
      return iniFieldValues(text);
    case '.netrc':
      return netrcPasswords(text);
    case '.git-credentials':
      return urlPasswords(text);
    case 'private key':
      return privateKeyLines(text);
  }
}

function jsonFieldValues(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON after all (a template, a comment): its `"password": "…"` lines read like an INI file's.
    return iniFieldValues(text.replace(/^\s*"([^"]+)"\s*:\s*"([^"]*)",?\s*$/gm, '$1=$2'));
  }
  const values: string[] = [];
  const visit = (value: unknown, key: string, depth: number) => {
    if (typeof value === 'string') {
      if (CREDENTIAL_KEY.test(key)) values.push(value);
    } else if (value !== null && typeof value === 'object' && depth < 16) {
      for (const [name, item] of Object.entries(value)) visit(item, name, depth + 1);
    }
  };
  visit(parsed, '', 0);
  return values;
}

/** `key = value` and `key: value` lines; an .npmrc key is scoped by registry (`//host/:_authToken`). */
function iniFieldValues(text: string): string[] {
  const values: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*[#;[]/.test(line)) continue;
    // `=` first: an .npmrc key holds a `:` (`//host/:_authToken=…`); `key: value` for the rest.
    const field = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(line) ?? /^\s*([^:\s]+)\s*:\s+(.*?)\s*$/.exec(line);
    if (field === null) continue;
    const key = field[1]!.split(':').at(-1)!.replace(/\W+$/, '');
    if (CREDENTIAL_KEY.test(key)) values.push(field[2]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return values;
}

/** `machine host login user password secret`, on one line or several. */
function netrcPasswords(text: string): string[] {
  const words = text.split(/\s+/);
  return words.flatMap((word, index) =>
    (word === 'password' || word === 'account') && index + 1 < words.length ? [words[index + 1]!] : [],
  );
}

/** `https://user:password@host` lines. */
function urlPasswords(text: string): string[] {
  return [...text.matchAll(/[a-z][\w+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/gi)].map((match) => match[1]!);
}

/**
 * Base64 lines of a private key block (a certificate holds none): all of a short key's, and MAX_PRIVATE_KEY_LINES
 * spread over a long one's (its first lines are largely the public modulus). Every line is one more form to look
 * for in every text: past a few dozen the pass over a megabyte grows from about 90 to over 300 ms. The block as
 * written is hidden whole by the PEM rule, and its lines reversed or base64-encoded read as high-entropy anyway.
 */
function privateKeyLines(text: string): string[] {
  const block = /-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----([\s\S]*?)-----END/.exec(text);
  if (block === null) return [];
  const lines = block[1]!.split(/\r?\n/).filter((line) => /^[A-Za-z0-9+/=]{16,}$/.test(line.trim()));
  if (lines.length <= MAX_PRIVATE_KEY_LINES) return lines;
  const step = (lines.length - 1) / MAX_PRIVATE_KEY_LINES;
  return Array.from({ length: MAX_PRIVATE_KEY_LINES }, (_, index) => lines[1 + Math.floor(index * step)]!);
}

/** A URL-encoded password as the program uses it; the `user:password` inside a base64 `auth` field. */
function withDecodedForms(value: string): string[] {
  const forms = [value];
  try {
    const decoded = decodeURIComponent(value);
    if (decoded !== value) forms.push(decoded);
  } catch {
    // Not URL-encoded.
  }
  if (/^[A-Za-z0-9+/]{8,}={0,2}$/.test(value) && value.length % 4 === 0) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const pair = /^[\x20-\x7e]+:([\x20-\x7e]+)$/.exec(decoded);
    if (pair !== null) forms.push(pair[1]!);
  }
  return forms;
}
