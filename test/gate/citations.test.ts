import { describe, expect, it } from 'vitest';
import { extractCitations } from '../../src/gate/citations.js';

const texts = (report: string, symbols = true) =>
  extractCitations(report, { symbols }).map((citation) =>
    citation.kind === 'path'
      ? `path ${citation.path}${citation.line === undefined ? '' : `@${citation.line}`}`
      : `symbol ${citation.parts.join('+')}`,
  );

describe('extractCitations', () => {
  it('finds paths in prose, with line numbers in every common spelling', () => {
    const report = [
      'The login lives in src/auth.js:42, see also lib/util/token.ts#L7 and (test/auth.test.js).',
      'Config: [settings](config/app.yaml:3:9). Ranges: src/db.js:10-20.',
    ].join('\n');
    expect(texts(report)).toEqual([
      'path src/auth.js@42',
      'path lib/util/token.ts@7',
      'path test/auth.test.js',
      'path config/app.yaml@3',
      'path src/db.js@10',
    ]);
  });

  it('takes backticked files, directories and dotfiles, but not Node.js, async/await or version numbers', () => {
    const report =
      'Built on Node.js and Vue.js. Read `package.json`, `src/`, `./lib` and `.github/workflows/ci.yml`; ' +
      'uses `async/await`, version 1.2/3.4.';
    expect(texts(report)).toEqual([
      'path package.json',
      'path src/',
      'path ./lib',
      'path .github/workflows/ci.yml',
    ]);
  });

  it('takes backticked code symbols, not plain words, commands or URLs', () => {
    const report =
      'Call `parseToken` then `Session.refresh()`; `MAX_RETRIES` caps it. Run `npm test`. ' +
      'Not `fetch`, `true` or `https://example.com/a.js`, nor https://example.com/docs/page.html.';
    expect(texts(report)).toEqual(['symbol parseToken', 'symbol Session+refresh', 'symbol MAX_RETRIES']);
    expect(texts(report, false)).toEqual([]);
  });

  it('skips fenced code (its imports are relative to the file) but reads JSON blocks', () => {
    const report = [
      '```js',
      "import { x } from './lib/x.js'; // src/never.js",
      '```',
      '```json',
      '[{ "file": "src/auth.js", "line": 3 }]',
      '```',
      'and `src/after.js`',
    ].join('\n');
    expect(texts(report)).toEqual(['path src/auth.js', 'path src/after.js']);
  });

  it('marks citations of blocks that speak of creating something as introduced', () => {
    const report = [
      '- `src/tokens.js` (new): `signJwt`.',
      '- `src/auth.js`: unchanged, uses `createSessionStore`.',
      '- `src/server.js`: add `requireAuth`',
      '  and `logout()`.',
      '',
      'Paragraph naming `src/auth.js` again.',
    ].join('\n');
    const introduced = extractCitations(report, { symbols: true })
      .filter((citation) => citation.introduced)
      .map((citation) => citation.text);
    expect(introduced).toEqual(['src/tokens.js', 'signJwt', 'src/server.js', 'requireAuth', 'logout()']);
  });

  it('lists each citation once', () => {
    expect(texts('src/a.js and src/a.js again, `src/a.js`, src/a.js:4')).toEqual([
      'path src/a.js',
      'path src/a.js@4',
    ]);
  });
});
