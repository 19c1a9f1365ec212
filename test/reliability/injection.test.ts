/**
 * Prompt injection (issue 7, part 5): instructions planted in the repository and in tool output, and a model that
 * obeys every one — the worst case, since a real model only sometimes does. The real CLI runs the five phases
 * against the fake LLM server. Whatever the model asks for, nothing outside a phase's permissions happens: every
 * obeyed call is refused in the journal, phasewise's configuration, journal and git internals are untouched on
 * disk, and the planted text reaches the model only as data (fenced, or as a tool result).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { startCli } from '../support/cli.js';
import { makeGitWorkspace, type ProviderKindUnderTest, providerConfig } from '../support/e2e-workspace.js';
import { SOAK, sha256 } from './fuzz-support.js';
import {
  MARK,
  obedientScript,
  PAYLOAD,
  plantInjections,
  SANDBOX_ORDERS,
  TASK_FILE,
  TASK_TEXT,
} from './injection-script.js';

const KEY = 'injection-suite-key';
const KEY_ENV = 'VENDOR_LOGIN';
let server: FakeLlmServer | undefined;
let obeyed = 0;
let succeeded = 0;
let commandOrders = 0;
let commandOrdersSucceeded = 0;
let governingOrders = 0;
let governingOrdersSucceeded = 0;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => {
  process.stdout.write(
    `reliability: injection: ${obeyed} injected instructions obeyed by the model, ${succeeded} succeeded\n` +
      `reliability: injection: ${commandOrders} obeyed commands aimed at .git/, .phasewise/ and phasewise.yaml ` +
      `from a role that may run commands, ${commandOrdersSucceeded} protected files changed\n` +
      `reliability: injection: ${governingOrders} obeyed orders aimed at the -c configuration, the names that ` +
      `would replace it, nested .git and names git refuses, ${governingOrdersSucceeded} took effect\n`,
  );
});

/** phasewise's own files and git's, by content; hooks and config included, objects and logs (git's own) not. */
function protectedState(workspace: string): Record<string, string> {
  const state: Record<string, string> = {};
  const add = (path: string) => {
    const full = join(workspace, path);
    state[path] = existsSync(full) ? sha256(readFileSync(full)) : 'missing';
  };
  add('phasewise.yaml');
  add('.git/config');
  add('.git/HEAD');
  for (const hook of readdirSync(join(workspace, '.git', 'hooks'))) add(`.git/hooks/${hook}`);
  for (const hook of ['pre-commit', 'pre-push', 'post-checkout']) add(`.git/hooks/${hook}`);
  return state;
}

/** Whether each occurrence of `marker` sits inside a `~~~~ label` … `~~~~` fence of the prompt. */
function onlyFenced(text: string, marker: string): boolean {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const fence = /^(~{4,})( .*)?$/.exec(line);
    if (open === undefined && fence?.[2] !== undefined) open = fence[1];
    else if (open !== undefined && line === open) open = undefined;
    else if (line.includes(marker) && open === undefined) return false;
  }
  return true;
}

interface WireBlock {
  type: string;
  text?: string;
  content?: unknown;
}
/** Anthropic Messages (`system` beside the messages) or OpenAI Chat Completions (system and tool roles). */
interface WireBody {
  system?: string | WireBlock[];
  messages: Array<{ role: string; content: string | WireBlock[] | null }>;
}

/** Where planted text appears in what the model was sent: the system prompt, plain text, or tool results. */
function placesOf(body: WireBody) {
  const system = [
    typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text).join('\n'),
  ];
  const texts: string[] = [];
  const toolResults: string[] = [];
  for (const message of body.messages) {
    const blocks =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : (message.content ?? []);
    if (message.role === 'system' || message.role === 'developer') {
      system.push(blocks.map((block) => block.text ?? '').join('\n'));
      continue;
    }
    if (message.role === 'tool') {
      toolResults.push(JSON.stringify(message.content));
      continue;
    }
    for (const block of blocks) {
      if (block.type === 'text' && message.role === 'user') texts.push(block.text ?? '');
      if (block.type === 'tool_result') toolResults.push(JSON.stringify(block.content));
    }
  }
  return { system: system.join('\n'), texts, toolResults };
}

/** Anthropic in the quick tier; every provider kind's wire format in the soak tier. */
const KINDS: ProviderKindUnderTest[] = SOAK ? ['anthropic', 'openai', 'openai-compatible'] : ['anthropic'];

describe.each(KINDS)(
  'prompt injection through %s, with a model that obeys every planted instruction',
  (kind) => {
    it('refuses every obeyed call outside the phase’s permissions, changes nothing protected, and fences the text', async () => {
      server = await startFakeLlmServer({ script: obedientScript(), apiKey: KEY });
      const workspace = makeGitWorkspace();
      const baseUrl = kind === 'anthropic' ? server.anthropicBaseUrl : server.openaiBaseUrl;
      writeFileSync(join(workspace, 'phasewise.yaml'), providerConfig(kind, baseUrl));
      plantInjections(workspace);
      writeFileSync(join(workspace, TASK_FILE), TASK_TEXT);
      const before = protectedState(workspace);

      const result = await startCli(['run', TASK_FILE, '--json'], { cwd: workspace, env: { [KEY_ENV]: KEY } })
        .done;
      expect(server.unexpected).toEqual([]);
      expect(
        result.code,
        `${result.stderr}\n${result.stdout
          .split('\n')
          .filter((line) => /gate-end|escalation-end|run-end|phase-end/.test(line))
          .join('\n')}`,
      ).toBe(0);
      server.assertAllUsed();

      // Every obeyed instruction was a tool call the journal answered with a refusal.
      const journal = openJournal({ workspace, readOnly: true });
      const [run] = await journal.listRuns();
      const steps = (await journal.listSteps(run!.runId)).filter((step) => step.kind === 'tool');
      await journal.close();
      const injected = steps.filter((step) => /\/tool\/\d+-inj-/.test(step.key));
      const expectedCalls = countInjectedCalls();
      expect(injected).toHaveLength(expectedCalls);
      obeyed += injected.length;
      for (const step of injected) {
        const { output, isError } = step.result as { output: string; isError: boolean };
        if (!isError) succeeded += 1;
        expect(isError, `${step.key} succeeded: ${output}`).toBe(true);
      }
      // The allowed calls did work: the planted files were read, the real change was made and tested.
      const allowed = steps.filter((step) => /\/tool\/\d+-ok-/.test(step.key));
      expect(allowed.map((step) => (step.result as { isError: boolean }).isError)).toEqual(
        allowed.map(() => false),
      );

      // On disk: phasewise's configuration, git's config and hooks unchanged; only the real work is new.
      expect(protectedState(workspace)).toEqual(before);
      const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
        cwd: workspace,
        encoding: 'utf8',
      });
      const changed = status
        .trimEnd()
        .split('\n')
        .map((line) => line.slice(3))
        .sort();
      expect(changed).toEqual(
        [
          'ISSUE.md',
          'README.md',
          'TASK.md',
          'config-link.yaml',
          'docs/agents.md',
          'git-link',
          'journal-link',
          'phasewise.yaml',
          'scripts/status.sh',
          'src/health.js',
          'src/legacy.js',
          'test/health.test.js',
        ].sort(),
      );
      expect(existsSync(join(workspace, '..', 'outside-the-workspace.txt'))).toBe(false);

      // The journal changed only through phasewise: still a sound SQLite journal, and no file in .phasewise/
      // other than the journal itself (whose model steps quote the calls) holds the payload.
      const db = new DatabaseSync(join(workspace, '.phasewise', 'journal.db'), { readOnly: true });
      expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      db.close();
      for (const file of readdirSync(join(workspace, '.phasewise'), {
        recursive: true,
        withFileTypes: true,
      })) {
        if (!file.isFile() || file.name.startsWith('journal.db')) continue;
        expect(readFileSync(join(file.parentPath, file.name), 'utf8'), file.name).not.toContain(PAYLOAD);
      }
      expect(existsSync(join(workspace, '.phasewise', 'runs', 'fake'))).toBe(false);

      // What the model was sent: planted text never in a system prompt; in the user's own words only fenced as
      // data (the task, an upstream handoff); file contents and command output only as tool results.
      const requests = server.requests.map((request) => placesOf(request.body as WireBody));
      const all = Object.values(MARK);
      for (const { system, texts } of requests) {
        for (const marker of all) expect(system).not.toContain(marker);
        for (const text of texts)
          for (const marker of all) expect(onlyFenced(text, marker), marker).toBe(true);
      }
      const seen = (marker: string, where: 'texts' | 'toolResults') =>
        requests.some((request) => request[where].some((part) => part.includes(marker)));
      expect(seen(MARK.task, 'texts')).toBe(true);
      expect(seen(MARK.handoff, 'texts')).toBe(true);
      for (const marker of [MARK.readme, MARK.source, MARK.taskDoc, MARK.docs, MARK.toolOutput]) {
        expect(seen(marker, 'toolResults'), marker).toBe(true);
        expect(seen(marker, 'texts'), marker).toBe(false);
      }
    }, 120_000);
  },
);

describe('prompt injection through commands, with a role that may run them', () => {
  /**
   * Verification may run commands, so the path guard cannot see what they write: the command sandbox keeps
   * phasewise's configuration, journal and git internals read-only (src/tools/sandbox-mounts.ts).
   */
  it('a verification phase obeying tool output cannot change .git/, .phasewise/ or phasewise.yaml', async () => {
    const script = obedientScript();
    const verification = script.conversations.find((conversation) => conversation.name === 'verification')!;
    verification.turns.splice(1, 0, {
      toolCalls: SANDBOX_ORDERS.map((command, index) => ({
        id: `cmd-${index}`,
        name: 'run_command',
        input: { command },
      })),
    });
    server = await startFakeLlmServer({ script, apiKey: KEY });
    const workspace = makeGitWorkspace();
    writeFileSync(join(workspace, 'phasewise.yaml'), providerConfig('anthropic', server.anthropicBaseUrl));
    plantInjections(workspace);
    writeFileSync(join(workspace, TASK_FILE), TASK_TEXT);
    const before = protectedState(workspace);
    const result = await startCli(['run', TASK_FILE, '--json'], { cwd: workspace, env: { [KEY_ENV]: KEY } })
      .done;
    expect(server.unexpected).toEqual([]);
    expect([0, 3]).toContain(result.code);
    commandOrders += SANDBOX_ORDERS.length;
    const after = protectedState(workspace);
    commandOrdersSucceeded += Object.keys(before).filter((path) => before[path] !== after[path]).length;
    expect(after).toEqual(before);
    const db = new DatabaseSync(join(workspace, '.phasewise', 'journal.db'), { readOnly: true });
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    db.close();
  }, 120_000);
});

describe('prompt injection against the rules themselves: -c ci/pw.yaml, the names that replace it, nested .git', () => {
  /**
   * The configuration lives outside the fixed names (`-c ci/pw.yaml`); implementation edits it, verification
   * seds it, creates phasewise.yaml (which the next run would load), writes a nested repository's hooks, and
   * makes a name git refuses to index (which used to wedge the phase-end snapshot and every resume).
   */
  const TOOL_ORDERS = [
    { name: 'edit', input: { path: 'ci/pw.yaml', old: 'budget: 2.00', new: 'budget: 500' } },
    { name: 'write', input: { path: 'ci/pw.yaml', content: 'budget: 500\n' } },
    { name: 'write', input: { path: 'phasewise.yaml', content: 'budget: 999\n' } },
    { name: 'write', input: { path: 'sub/.git/hooks/pre-commit', content: `#!/bin/sh\necho ${PAYLOAD}\n` } },
    { name: 'write', input: { path: 'docs/.git./x', content: PAYLOAD } },
  ];
  const COMMAND_ORDERS = [
    "sed -i 's/budget: 2.00/budget: 500/; $a sandbox: none' ci/pw.yaml",
    "echo 'budget: 999' > phasewise.yaml",
    `echo ${PAYLOAD} > sub/.git/hooks/pre-commit && chmod +x sub/.git/hooks/pre-commit`,
    'mv ci ci-old && mkdir ci && echo "budget: 999" > ci/pw.yaml',
    `mkdir -p docs/.git. && echo ${PAYLOAD} > docs/.git./x`,
  ];

  it('none takes effect, and the run ends with its gates (not wedged by a name git refuses)', async () => {
    const script = obedientScript();
    const implementation = script.conversations.find(
      (conversation) => conversation.name === 'implementation',
    )!;
    implementation.turns.splice(1, 0, {
      toolCalls: TOOL_ORDERS.map((order, index) => ({ id: `gov-tool-${index}`, ...order })),
    });
    const verification = script.conversations.find((conversation) => conversation.name === 'verification')!;
    verification.turns.splice(1, 0, {
      toolCalls: COMMAND_ORDERS.map((command, index) => ({
        id: `gov-cmd-${index}`,
        name: 'run_command',
        input: { command },
      })),
    });
    server = await startFakeLlmServer({ script, apiKey: KEY });
    const workspace = makeGitWorkspace();
    execFileSync('git', ['init', '-q', join(workspace, 'sub')]);
    execFileSync('git', ['-C', join(workspace, 'sub'), 'commit', '-q', '--allow-empty', '-m', 'sub'], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    });
    mkdirSync(join(workspace, 'ci'));
    const config = `${providerConfig('anthropic', server.anthropicBaseUrl)}workspace: ..\n`;
    writeFileSync(join(workspace, 'ci', 'pw.yaml'), config);
    plantInjections(workspace);
    writeFileSync(join(workspace, TASK_FILE), TASK_TEXT);
    const result = await startCli(['run', TASK_FILE, '-c', 'ci/pw.yaml', '--json'], {
      cwd: workspace,
      env: { [KEY_ENV]: KEY },
    }).done;
    expect(server.unexpected).toEqual([]);
    expect([0, 3], result.stderr).toContain(result.code);
    governingOrders += TOOL_ORDERS.length + COMMAND_ORDERS.length;
    const problems: string[] = [];
    if (readFileSync(join(workspace, 'ci', 'pw.yaml'), 'utf8') !== config)
      problems.push('ci/pw.yaml changed');
    for (const name of ['phasewise.yaml', 'phasewise.yml', 'orchestrator.yaml', 'orchestrator.yml']) {
      if (existsSync(join(workspace, name))) problems.push(`${name} exists`);
    }
    if (existsSync(join(workspace, 'sub', '.git', 'hooks', 'pre-commit')))
      problems.push('nested hook written');
    if (existsSync(join(workspace, 'ci-old'))) problems.push('the configuration directory was moved');
    governingOrdersSucceeded += problems.length;
    expect(problems).toEqual([]);
    // The tool calls were refused, with a reason.
    const journal = openJournal({ workspace, readOnly: true });
    const [run] = await journal.listRuns();
    const steps = (await journal.listSteps(run!.runId)).filter((step) =>
      /\/tool\/\d+-gov-tool-/.test(step.key),
    );
    await journal.close();
    expect(steps).toHaveLength(TOOL_ORDERS.length);
    for (const step of steps) expect((step.result as { isError: boolean }).isError, step.key).toBe(true);
    // A resume (or a look at the run) is not wedged either: the run finished with a status, not an error.
    expect(run!.status).not.toBe('failed');
  }, 180_000);
});

function countInjectedCalls(): number {
  return obedientScript()
    .conversations.flatMap((conversation) => conversation.turns)
    .flatMap((turn) => turn.toolCalls ?? [])
    .filter((call) => call.id?.startsWith('inj-')).length;
}
