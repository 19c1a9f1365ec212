/**
 * The escape corpus's ground: `<root>/workspace` is what the tools may use; `<root>/outside` (a sibling) and
 * `<root>/home` (what HOME points at) hold canary files whose content must never come back, in any encoding,
 * and whose sha256 must never change. The workspace is staged with every kind of way out: symbolic links to
 * files and directories outside (absolute and relative targets, chains, through /proc), a dangling link, and
 * hard links to the canaries. `restage()` puts them back after an attempt that replaced one.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface EscapeFixture {
  root: string;
  workspace: string;
  outside: string;
  home: string;
  /** Unique text in each canary; finding any of it (or an encoding of it) anywhere is an escape. */
  markers: string[];
  /**
   * Empties the workspace and stages it again. Without hard links for commands: a file hard-linked into the
   * workspace before the run is one file under two names, and a command reads it like any workspace file (the
   * documented limit; the tools refuse such files, and inside the sandbox no new link to the outside can be made).
   */
  restage(options?: { hardLinks?: boolean }): void;
  /** sha256 of every canary and the listing of outside and home: any difference is an escape. */
  fingerprint(): string;
  /** Names any marker found in `text`, in any of the encodings a command could print it in. */
  leaks(text: string): string[];
  cleanup(): void;
}

export function makeEscapeFixture(): EscapeFixture {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-escape-')));
  const workspace = join(root, 'workspace');
  const outside = join(root, 'outside');
  const home = join(root, 'home');
  const tag = randomBytes(6).toString('hex');
  const outsideMarker = `CANARY-OUTSIDE-${tag}`;
  const homeMarker = `CANARY-HOME-${tag}`;
  const canaries: Record<string, string> = {
    [join(outside, 'canary.txt')]: `${outsideMarker} the sibling directory's secret\n`,
    [join(outside, 'dir', 'canary.txt')]: `${outsideMarker} in a directory\n`,
    [join(home, 'canary.txt')]: `${homeMarker} in the home directory\n`,
    [join(home, '.ssh', 'id_canary')]: `-----BEGIN KEY-----\n${homeMarker}\n-----END KEY-----\n`,
  };
  for (const [path, content] of Object.entries(canaries)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  const files: Record<string, string> = {
    'inside.txt': 'inside\n',
    'src/app.ts': 'export const app = 1;\n',
    '.git/config': '[core]\n',
    'package.json': '{ "name": "escape-fixture", "private": true }\n',
  };
  const links: Record<string, string> = {
    'link-file-abs': join(outside, 'canary.txt'),
    'link-file-rel': '../outside/canary.txt',
    'link-dir-abs': join(outside, 'dir'),
    'link-dir-rel': '../outside/dir',
    'src/deep-link-rel': '../../outside/dir',
    'chain-1': 'chain-2',
    'chain-2': 'src/chain-3',
    'src/chain-3': join(outside, 'canary.txt'),
    'chain-dir': 'src/hop',
    'src/hop': '../link-dir-rel',
    dangling: join(outside, 'created-through-link.txt'),
    'link-home': join(home, '.ssh'),
    'link-home-file': join(home, '.ssh', 'id_canary'),
    'link-proc': `/proc/self/root${join(outside, 'canary.txt')}`,
    'link-root': '/',
    'link-parent': '..',
  };
  const hardLinks: Record<string, string> = {
    'hardlink.txt': join(outside, 'canary.txt'),
    'src/hardlink-home': join(home, '.ssh', 'id_canary'),
  };
  const restage = (options: { hardLinks?: boolean } = {}) => {
    rmSync(workspace, { recursive: true, force: true });
    mkdirSync(workspace);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), content);
    }
    for (const [path, target] of Object.entries(links)) symlinkSync(target, join(workspace, path));
    if (options.hardLinks === false) return;
    for (const [path, target] of Object.entries(hardLinks)) linkSync(target, join(workspace, path));
  };
  restage();
  const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort().join(',');
  const fingerprint = () =>
    [
      ...Object.keys(canaries).map(
        (path) => `${path}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`,
      ),
      listing(outside),
      listing(home),
    ].join('\n');
  const encodings = [outsideMarker, homeMarker].flatMap((marker) => encodingsOf(marker));
  return {
    root,
    workspace,
    outside,
    home,
    markers: [outsideMarker, homeMarker],
    restage,
    fingerprint,
    leaks: (text) => encodings.filter(({ encoded }) => text.includes(encoded)).map(({ name }) => name),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The marker as text, hex, reversed, and base64 at each of the three alignments a longer text could give it. */
function encodingsOf(marker: string): Array<{ name: string; encoded: string }> {
  const encoded = [
    { name: `${marker} (text)`, encoded: marker },
    { name: `${marker} (hex)`, encoded: Buffer.from(marker).toString('hex') },
    { name: `${marker} (reversed)`, encoded: [...marker].reverse().join('') },
  ];
  for (let shift = 0; shift < 3; shift++) {
    // The inner characters of base64 that do not depend on what came before or after.
    const base64 = Buffer.from(`${'x'.repeat(shift)}${marker}`).toString('base64');
    encoded.push({ name: `${marker} (base64+${shift})`, encoded: base64.slice(4, -4) });
  }
  return encoded;
}
