/**
 * Workspace escape, the whole corpus: every path template through every tool that takes a path, patterns
 * reaching out through glob and grep, links swapped in after the check, and commands through run_command and
 * gates' `command` checks and Claude Code's Bash (inside the bubblewrap sandbox) — then part of it end to end, through the built CLI
 * against the fake LLM server, scanning every request the model was sent. An attempt escapes when any canary's
 * content comes back (as text, hex, reversed or base64), when a canary's sha256 or the outside listings
 * change, or when a host-side collector on 127.0.0.1 is reached. Positive controls prove the detector sees
 * an escape when there is one (no sandbox).
 */

import {
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refusalOf } from '../../src/agent/claude-code/tool-guard.js';
import { builtinAgents } from '../../src/config/index.js';
import type { SandboxSettings } from '../../src/config/types.js';
import { checkCommand } from '../../src/gate/check-command.js';
import { probeSandbox } from '../../src/tools/sandbox.js';
import { type Tool, toolsFor } from '../../src/tools/tool.js';
import { createWorkspaceTools, type WorkspaceToolsOptions } from '../../src/tools/workspace-tools.js';
import { callTool } from '../tools/tool-workspace.js';
import { runAsClaudeCodeBash } from './claude-code-bash.js';
import { commandTemplates, fill, pathTemplates, pathToolInputs, searchAttempts } from './escape-corpus.js';
import { runEscapeEndToEnd } from './escape-e2e.js';
import { type EscapeFixture, makeEscapeFixture } from './escape-fixture.js';

const sandboxed: SandboxSettings = { mode: 'bubblewrap', network: false, readOnlyPaths: [] };
const unsandboxed: SandboxSettings = { mode: 'none', network: true, readOnlyPaths: [] };

let fixture: EscapeFixture;
let collector: Server;
let port = 0;
let connections = 0;
let clean = '';
const figures = { attempts: 0, tools: new Set<string>(), escapes: [] as string[] };

beforeAll(async () => {
  fixture = makeEscapeFixture();
  clean = fixture.fingerprint();
  collector = createServer((_request, response) => response.end('collected'));
  collector.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  port = (collector.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => collector.close(() => resolve()));
  fixture.cleanup();
  const outcome = figures.escapes.length === 0 ? '0 escapes' : `${figures.escapes.length} ESCAPES`;
  console.log(
    `reliability: escape: ${figures.attempts} attempts through ${figures.tools.size} tools, ${outcome}, ` +
      `canaries ${figures.escapes.length === 0 ? 'unchanged' : 'CHECK THE LIST ABOVE'}`,
  );
});

beforeEach(() => fixture.restage());

const values = () => ({ ...fixture, port });

function tools(options: WorkspaceToolsOptions = {}): Tool[] {
  return createWorkspaceTools({
    env: { PATH: process.env.PATH, HOME: fixture.home, LANG: 'C.UTF-8', USER: 'escape' },
    sandbox: sandboxed,
    killGraceMs: 300,
    commandTimeoutMs: 30_000,
    ...options,
  });
}

/** Records the attempt, and fails it if anything outside leaked, changed or was contacted. */
function judge(tool: string, name: string, output: string): void {
  figures.attempts++;
  figures.tools.add(tool);
  const problems = [
    ...fixture.leaks(output).map((leak) => `leaked ${leak}`),
    ...(fixture.fingerprint() === clean ? [] : ['changed a canary or the outside listing']),
    ...(connections === 0 ? [] : [`reached the host collector ${connections} times`]),
  ];
  if (problems.length > 0) {
    figures.escapes.push(`${tool}: ${name}: ${problems.join('; ')}`);
    connections = 0;
  }
  expect(problems, `${tool} ${name}:\n${output.slice(0, 2_000)}`).toEqual([]);
}

describe('the roles get the tools their permissions allow, and no more', () => {
  it.each(Object.keys(builtinAgents))('%s', (role) => {
    const names = toolsFor(builtinAgents[role]!.permissions, tools()).map((tool) => tool.name);
    expect(names.includes('run_command')).toBe(builtinAgents[role]!.permissions.includes('run'));
    expect(names.includes('write')).toBe(builtinAgents[role]!.permissions.includes('write'));
  });
});

describe.each(Object.keys(pathToolInputs))('%s: paths that lead out', (tool) => {
  it.each(pathTemplates.map((template) => [template.name, template.path] as const))(
    '%s',
    async (name, template) => {
      const result = await callTool(
        tools(),
        tool,
        pathToolInputs[tool]!(fill(template, values())),
        fixture.workspace,
      );
      judge(tool, name, result.output);
    },
  );
});

describe('glob and grep: patterns that reach out', () => {
  it.each(searchAttempts.map((attempt) => [attempt.name, attempt] as const))('%s', async (name, attempt) => {
    const input = Object.fromEntries(
      Object.entries(attempt.input).map(([key, value]) => [
        key,
        typeof value === 'string' ? fill(value, values()) : value,
      ]),
    );
    const result = await callTool(tools(), attempt.tool, input, fixture.workspace);
    judge(attempt.tool, name, result.output);
    // No outside file is even named (the patterns themselves come back in "no files match …").
    const listed = result.output.split('\n').filter((line) => !/^no (files match|matches for) /.test(line));
    expect(listed.filter((line) => line.includes('canary.txt'))).toEqual([]);
  });
});

describe('links swapped in after the check', () => {
  const prepare = () => {
    writeFileSync(join(fixture.workspace, 'victim.txt'), 'CANARY word inside\n');
    mkdirSync(join(fixture.workspace, 'victim-dir'), { recursive: true });
    writeFileSync(join(fixture.workspace, 'victim-dir', 'canary.txt'), 'CANARY word inside\n');
  };
  const swaps = {
    'a file by a link out': () => {
      rmSync(join(fixture.workspace, 'victim.txt'));
      symlinkSync(join(fixture.outside, 'canary.txt'), join(fixture.workspace, 'victim.txt'));
    },
    'a file by a hard link out': () => {
      rmSync(join(fixture.workspace, 'victim.txt'));
      linkSync(join(fixture.outside, 'canary.txt'), join(fixture.workspace, 'victim.txt'));
    },
    'a directory by a link out': () => {
      rmSync(join(fixture.workspace, 'victim-dir-moved'), { recursive: true, force: true });
      renameSync(join(fixture.workspace, 'victim-dir'), join(fixture.workspace, 'victim-dir-moved'));
      symlinkSync(join(fixture.outside, 'dir'), join(fixture.workspace, 'victim-dir'));
    },
  };
  const cases: Array<[string, keyof typeof swaps, Record<string, unknown>]> = [
    ['read', 'a file by a link out', { path: 'victim.txt' }],
    ['edit', 'a file by a link out', { path: 'victim.txt', old: 'CANARY', new: 'ESCAPED' }],
    ['write', 'a file by a link out', { path: 'victim.txt', content: 'ESCAPED' }],
    ['grep', 'a file by a link out', { pattern: 'CANARY', path: 'victim.txt' }],
    ['read', 'a file by a hard link out', { path: 'victim.txt' }],
    ['edit', 'a file by a hard link out', { path: 'victim.txt', old: 'CANARY', new: 'ESCAPED' }],
    ['grep', 'a file by a hard link out', { pattern: 'CANARY', path: 'victim.txt' }],
    ['read', 'a directory by a link out', { path: 'victim-dir/canary.txt' }],
    ['edit', 'a directory by a link out', { path: 'victim-dir/canary.txt', old: 'CANARY', new: 'ESCAPED' }],
    ['write', 'a directory by a link out', { path: 'victim-dir/new.txt', content: 'ESCAPED' }],
    ['grep', 'a directory by a link out', { pattern: 'CANARY', path: 'victim-dir' }],
    ['glob', 'a directory by a link out', { pattern: '**', path: 'victim-dir' }],
    ['list', 'a directory by a link out', { path: 'victim-dir' }],
  ];
  it.each(cases)('%s, with %s', async (tool, swap, input) => {
    prepare();
    let swapped = false;
    const swapping = tools({
      _internal: {
        afterPathCheck: () => {
          if (swapped) return;
          swapped = true;
          swaps[swap]();
        },
      },
    });
    const result = await callTool(swapping, tool, input, fixture.workspace);
    expect(swapped).toBe(true);
    judge(tool, `swap ${swap}`, result.output);
    rmSync(join(fixture.workspace, 'victim-dir'), { recursive: true, force: true });
    rmSync(join(fixture.workspace, 'victim.txt'), { force: true });
  });
});

describe('commands, inside the sandbox', () => {
  beforeEach(() => fixture.restage({ hardLinks: false }));
  beforeAll(() => {
    const availability = probeSandbox();
    if (!availability.available)
      throw new Error(`the escape corpus needs bubblewrap: ${availability.reason}`);
  });

  it.each(commandTemplates)('run_command: %s', async (template) => {
    const result = await callTool(
      tools(),
      'run_command',
      { command: fill(template, values()) },
      fixture.workspace,
    );
    judge('run_command', template, result.output);
  });

  it.each(commandTemplates)("claude-code Bash (rewritten into phasewise's sandbox): %s", async (template) => {
    const output = await runAsClaudeCodeBash(fill(template, values()), {
      workspace: fixture.workspace,
      env: { PATH: process.env.PATH, HOME: fixture.home, LANG: 'C.UTF-8', USER: 'escape' },
      settings: sandboxed,
    });
    expect(output).not.toMatch(/^refused/);
    judge('claude-code Bash', template, output);
  });

  it.each(commandTemplates)('gate command check: %s', async (template) => {
    const outcome = await checkCommand(
      { command: fill(template, values()), workspace: fixture.workspace, timeoutMs: 30_000, expectExit: 0 },
      {
        abortSignal: new AbortController().signal,
        env: { PATH: process.env.PATH, HOME: fixture.home, LANG: 'C.UTF-8' },
        sandbox: sandboxed,
      },
    );
    judge('gate command', template, `${outcome.message}\n${JSON.stringify(outcome.evidence)}`);
  });
});

describe('the sandbox keeps what commands need', () => {
  const run = async (command: string, options: WorkspaceToolsOptions = {}, signal?: AbortSignal) =>
    (await callTool(tools(options), 'run_command', { command }, fixture.workspace, signal)).output;

  it('node runs, and a server on 127.0.0.1 answers a fetch from the same sandbox (the demo smoke test)', async () => {
    const output = await run(`node --input-type=module <<'EOF'
import { createServer } from 'node:http';
const server = createServer((q, r) => r.end('pong')).listen(0, '127.0.0.1', async () => {
  const answer = await fetch('http://127.0.0.1:' + server.address().port);
  console.log('smoke', await answer.text());
  server.close();
});
EOF`);
    expect(output).toMatch(/^\[exit code 0/);
    expect(output).toContain('smoke pong');
  });

  it('node --test and git work in the workspace; HOME is an empty directory', async () => {
    writeFileSync(
      join(fixture.workspace, 'ok.test.mjs'),
      "import test from 'node:test';\ntest('ok', () => {});\n",
    );
    const output = await run(
      'node --test ok.test.mjs | grep -c "^# pass 1"; echo "home=$HOME"; ls -A "$HOME" | wc -l; git --version',
    );
    rmSync(join(fixture.workspace, 'ok.test.mjs'));
    expect(output).toMatch(/^\[exit code 0/);
    expect(output).toContain('1\nhome=/tmp/home\n0\ngit version');
  });

  it('sees only its own processes, and no capabilities', async () => {
    const output = await run("ls /proc | grep -c '^[0-9]'; grep CapEff /proc/self/status");
    const [count] = output.split('\n').slice(1);
    expect(Number(count)).toBeLessThan(10);
    expect(output).toContain('CapEff:\t0000000000000000');
  });

  it('reaches the host network only when allowed', async () => {
    const fetchCommand = `node -e "fetch('http://127.0.0.1:${port}/').then((r) => r.text()).then(console.log)"`;
    expect(await run(fetchCommand)).not.toContain('collected');
    expect(connections).toBe(0);
    expect(await run(fetchCommand, { sandbox: { ...sandboxed, network: true } })).toContain('collected');
    expect(connections).toBeGreaterThan(0);
    connections = 0;
  });

  it.each([
    ['a timeout', 'sleep 997.1 & setsid sleep 997.1 & sleep 997.1', { commandTimeoutMs: 500 }],
    [
      'the exit, with jobs left behind',
      '(sleep 997.2 &); setsid sleep 997.2 & nohup sleep 997.2 >/dev/null 2>&1 &',
      {},
    ],
  ] as const)(
    'stops everything it started on %s, a new session included',
    async (_label, command, options) => {
      const started = Date.now();
      await run(command, options);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(processesRunning(command.match(/997\.\d/)![0])).toEqual([]);
    },
  );

  it('stops everything when the phase is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('phase timed out')), 400);
    const output = await run('setsid sleep 997.3 & sleep 997.3', {}, controller.signal);
    expect(output).toMatch(/^\[aborted/);
    expect(processesRunning('997.3')).toEqual([]);
  });
});

describe('the claude-code runtime guard: the path templates through Read, Write, Edit, Glob and Grep', () => {
  const allowed = ['Read', 'Write', 'Edit', 'Glob', 'Grep'];
  const field = (tool: string) => (tool === 'Glob' || tool === 'Grep' ? 'path' : 'file_path');
  it.each(
    allowed.flatMap((tool) => pathTemplates.map((template) => [tool, template.name, template.path] as const)),
  )('%s: %s', async (tool, name, template) => {
    const path = fill(template, values());
    const refusal = await refusalOf({ tool, input: { [field(tool)]: path, pattern: '*' } }, allowed, {
      path: fixture.workspace,
      root: fixture.workspace,
    });
    // Allowed only where phasewise's own read tool finds a workspace file or directory: never a way out.
    if (refusal === undefined) {
      const read = await callTool(
        tools(),
        tool === 'Glob' || tool === 'Grep' ? 'list' : 'read',
        { path },
        fixture.workspace,
      );
      judge(`claude-code ${tool}`, name, read.output);
      expect(read.output).not.toMatch(/outside the workspace|symbolic link|hard links/);
    } else {
      judge(`claude-code ${tool}`, name, refusal);
    }
  });
});

describe('positive controls: the detector sees an escape when there is one', () => {
  it('without the sandbox, cat ../outside/canary.txt leaks, and the judge would say so', async () => {
    const result = await callTool(
      tools({ sandbox: unsandboxed }),
      'run_command',
      { command: 'cat ../outside/canary.txt | base64 -w0' },
      fixture.workspace,
    );
    expect(fixture.leaks(result.output).length).toBeGreaterThan(0);
  });

  it('a hard link already in the workspace is still readable by a command: the known limit (docs)', async () => {
    const result = await callTool(tools(), 'run_command', { command: 'cat hardlink.txt' }, fixture.workspace);
    expect(fixture.leaks(result.output).length).toBeGreaterThan(0);
  });
});

describe('end to end: the CLI, a scripted model making escape calls, the fake LLM server', () => {
  it('sends the model no canary, changes none, and journals none', async () => {
    const outcome = await runEscapeEndToEnd(fixture);
    for (const attempt of outcome.attempts) {
      figures.attempts++;
      figures.tools.add(attempt.name);
    }
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(outcome.unexpected).toEqual([]);
    expect(outcome.requestCount).toBeGreaterThan(5);
    const leaks = fixture.leaks(outcome.everything);
    if (leaks.length > 0) figures.escapes.push(`end to end: ${leaks.join(', ')}`);
    expect(leaks).toEqual([]);
    expect(fixture.fingerprint()).toBe(clean);
    expect(outcome.refusals).toBeGreaterThan(outcome.attempts.length / 2);
  }, 120_000);
});

describe('positive control end to end: the same run without a sandbox is caught', () => {
  it('sandbox: auto where bwrap is missing warns once, and the scan finds the canaries the commands read', async () => {
    const control = makeEscapeFixture();
    try {
      const outcome = await runEscapeEndToEnd(control, {
        sandbox: 'auto',
        env: { PATH: pathWithout('bwrap', control.root) },
      });
      expect(outcome.stderr.match(/commands run WITHOUT a sandbox/g)).toHaveLength(1);
      expect(control.leaks(outcome.everything).length).toBeGreaterThan(0);
    } finally {
      control.cleanup();
    }
  }, 120_000);
});

/** A PATH with everything the current one has except `name`: a directory of links, made under `root`. */
function pathWithout(name: string, root: string): string {
  const bin = join(root, 'bin-without');
  mkdirSync(bin, { recursive: true });
  for (const directory of (process.env.PATH ?? '').split(':')) {
    let entries: string[] = [];
    try {
      entries = readdirSync(directory);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry === name) continue;
      try {
        symlinkSync(join(directory, entry), join(bin, entry));
      } catch {
        // The first directory on PATH wins, as it would.
      }
    }
  }
  return bin;
}

/** Host processes whose command line holds `marker` (pids in the sandbox are not the host's). */
function processesRunning(marker: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (commandLine.includes(marker) && state !== 'Z') found.push(`${entry}: ${commandLine}`);
    } catch {
      // Gone.
    }
  }
  return found;
}
