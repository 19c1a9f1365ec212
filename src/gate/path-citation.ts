/**
 * Whether a piece of a report names a workspace path (`src/auth.js`, `src/auth.js:42`, `lib/a.ts#L3`,
 * `package.json`, `src/routes/`) — the rule the `grounding` check counts citations by. Pure.
 *
 * - In prose, a token must contain a `/` and end in an extension (`Node.js` alone is a name).
 * - In a code span, a file has a `/` or ends in a known file extension (`package.json`, `auth.ts`); a path
 *   without an extension must look like a directory (`src/routes/`, `./lib`): `async/await` is not one.
 * - Never: a URL (`https://…`) or a host (`example.com/a.js`), a call (`foo()`, `res.json()`), a dotted member
 *   (`crypto.createHmac`, `process.env`), a version (`1.2.3`), a path in the user's home (`~/.bashrc`), a
 *   product named like a file (`Node.js`, `Next.js`).
 */
export interface PathCitation {
  kind: 'path';
  /** As written, for messages. */
  text: string;
  path: string;
  line?: number;
  introduced?: true;
}

/** Where the text was found: an inline code span, or a token of prose. */
export type CitationPlace = 'code' | 'prose';

/** Extensions a backticked name without a `/` must end in to count as a file (`package.json`, `auth.ts`). */
const FILE_EXTENSIONS = new Set(
  (
    'js mjs cjs jsx ts mts cts tsx json jsonc md mdx txt yaml yml toml ini cfg conf env lock html htm css scss ' +
    'sass less vue svelte astro py pyi rb go rs java kt kts scala swift c h cc cpp cxx hpp cs fs php pl sh bash ' +
    'zsh fish ps1 bat sql graphql gql proto xml svg csv tsv gradle properties dockerfile tf hcl ex exs erl hs ' +
    'ml clj dart lua r jl nim zig sol wasm ipynb rst adoc tex'
  ).split(' '),
);

/** Products and libraries named like files; written alone, they are names (`src/node.js` is still a file). */
const NAMES_LIKE_FILES = new Set(
  'node.js next.js nuxt.js vue.js react.js express.js three.js d3.js chart.js ember.js backbone.js nest.js'.split(
    ' ',
  ),
);

const LINE_SUFFIX = /(?::(\d+)(?:[-–]\d+)?(?::\d+)?|#L(\d+)(?:-L?\d+)?)$/;
const PATH_BODY = /^(?:\.{1,2}\/|\/)?[\w@+~.-][\w@.+~-]*(?:\/[\w@.+~-]+)*\/?$/;
const DOMAIN = /^[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|app|co|gov|edu|sh|me|info)$/i;

/** The path `text` cites, or undefined when it does not look like one (see the rule above). */
export function pathCitation(text: string, place: CitationPlace): PathCitation | undefined {
  if (text.includes('://') || text.startsWith('~')) return undefined;
  const suffix = LINE_SUFFIX.exec(text);
  const body = suffix === null ? text : text.slice(0, suffix.index);
  if (!PATH_BODY.test(body) || !/[A-Za-z]/.test(body)) return undefined;
  if (place === 'prose' && !body.includes('/')) return undefined;
  const segments = body.split('/').filter((segment) => segment !== '' && segment !== '.');
  const first = segments[0] ?? '';
  if (DOMAIN.test(first) || segments.length === 0) return undefined;
  const last = segments[segments.length - 1] ?? '';
  const extension = /\.([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*)$/.exec(last)?.[1]?.toLowerCase();
  const looksLikePath =
    extension === undefined
      ? place === 'code' && isDirectoryLike(body)
      : place === 'prose' || body.includes('/') || isFileName(body, extension);
  if (!looksLikePath) return undefined;
  const line = Number(suffix?.[1] ?? suffix?.[2] ?? Number.NaN);
  return { kind: 'path', text, path: body, ...(Number.isInteger(line) && line > 0 ? { line } : {}) };
}

/**
 * A name without a `/`: a known extension, and not a product's name. `env` only as a dotfile (`.env`): written
 * after an identifier it is a member (`process.env`).
 */
function isFileName(name: string, extension: string): boolean {
  if (!FILE_EXTENSIONS.has(extension) || NAMES_LIKE_FILES.has(name.toLowerCase())) return false;
  return extension !== 'env' || name.startsWith('.');
}

/** `src/routes/`, `./lib`; not `/login` (a route more often than a directory) nor `async/await`. */
function isDirectoryLike(body: string): boolean {
  return /^\.{1,2}\/./.test(body) || (/[^/]\/$/.test(body) && !body.startsWith('/'));
}
