import { describe, expect, it } from 'vitest';
import { pathCitation } from '../../src/gate/path-citation.js';

describe('pathCitation in a code span', () => {
  it.each([
    ['src/auth.js', { path: 'src/auth.js' }],
    ['src/auth.js:42', { path: 'src/auth.js', line: 42 }],
    ['src/auth.js:42:7', { path: 'src/auth.js', line: 42 }],
    ['src/auth.js:10-20', { path: 'src/auth.js', line: 10 }],
    ['lib/a.ts#L3', { path: 'lib/a.ts', line: 3 }],
    ['lib/a.ts#L3-L9', { path: 'lib/a.ts', line: 3 }],
    ['package.json', { path: 'package.json' }],
    ['auth.ts', { path: 'auth.ts' }],
    ['App.tsx', { path: 'App.tsx' }],
    ['foo.test.ts', { path: 'foo.test.ts' }],
    ['README.md', { path: 'README.md' }],
    ['math.h', { path: 'math.h' }],
    ['.env', { path: '.env' }],
    ['.github/workflows/ci.yml', { path: '.github/workflows/ci.yml' }],
    ['src/routes/', { path: 'src/routes/' }],
    ['./lib', { path: './lib' }],
    ['../shared/util.ts', { path: '../shared/util.ts' }],
    ['/etc/nginx/nginx.conf', { path: '/etc/nginx/nginx.conf' }],
    ['src/node.js', { path: 'src/node.js' }],
    ['@scope/pkg/index.js', { path: '@scope/pkg/index.js' }],
    // Line 0 is no line: the path is cited, not a line of it.
    ['src/auth.js:0', { path: 'src/auth.js' }],
  ])('%j is a path', (text, expected) => {
    expect(pathCitation(text, 'code')).toEqual({ kind: 'path', text, ...expected });
  });

  it.each([
    ['createHmac', 'a library symbol'],
    ['parseToken', 'a symbol'],
    ['MAX_RETRIES', 'a constant'],
    ['crypto.createHmac', 'a dotted member'],
    ['Session.refresh', 'a dotted member'],
    ['process.env', 'a member named like a dotfile'],
    ['foo()', 'a call'],
    ['res.json()', 'a call named like a file'],
    ['foo(bar.js)', 'a call with a file argument'],
    ['https://example.com/a.js', 'a URL'],
    ['file:///tmp/a.js', 'a URL'],
    ['example.com/a.js', 'a host'],
    ['www.example.com', 'a host'],
    ['Node.js', 'a product'],
    ['Next.js', 'a product'],
    ['vue.js', 'a product'],
    ['1.2.3', 'a version'],
    ['v1.2.3', 'a version'],
    ['async/await', 'two words'],
    ['application/json', 'a media type'],
    ['@types/node', 'a package'],
    ['/login', 'a route'],
    ['/usr/bin/env', 'a command path without extension'],
    ['~/.bashrc', "the user's home"],
    ['npm test', 'a command'],
    ['--json', 'an option'],
    ['fetch', 'a word'],
    ['e.g.', 'an abbreviation'],
    ['', 'nothing'],
    ['/', 'a slash'],
    ['scripts/Dockerfile', 'a file without an extension: too like a word to tell'],
  ])('%j is not a path (%s)', (text, _why) => {
    expect(pathCitation(text, 'code')).toBeUndefined();
  });
});

describe('pathCitation in prose', () => {
  it.each([
    ['src/auth.js', { path: 'src/auth.js' }],
    ['src/auth.js:42', { path: 'src/auth.js', line: 42 }],
    ['test/fixtures/data.weird', { path: 'test/fixtures/data.weird' }],
  ])('%j is a path', (text, expected) => {
    expect(pathCitation(text, 'prose')).toEqual({ kind: 'path', text, ...expected });
  });

  it.each([
    'package.json',
    'Node.js',
    'createHmac',
    'src/routes/',
    './lib',
    'and/or',
    'https://example.com/docs/page.html',
    'example.com/page.html',
    '1.2/3.4',
  ])('%j is not a path (prose needs a `/` and an extension)', (text) => {
    expect(pathCitation(text, 'prose')).toBeUndefined();
  });
});
