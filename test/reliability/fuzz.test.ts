/**
 * Bad input (issue 7, part 6): configurations, command lines, task files and journals that are wrong in every
 * way fast-check can think of. Each must be refused with a clear message and a documented exit code — never an
 * unhandled exception or a stack trace — and nothing the user owns may change: a read-only command must never
 * repair, migrate or lose a damaged journal. Quick in the normal test run; RELIABILITY_TIER=soak runs more.
 */

import { isUtf8 } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors/index.js';
import { cli } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';
import { argvCase, isDangerous } from './fuzz-argv.js';
import { configCase, damagedConfigCase } from './fuzz-configs.js';
import {
  damageJournal,
  foreignDatabase,
  type JournalDamage,
  type JournalFiles,
  journalDamage,
  journalIdentity,
  withPendingWal,
  writeJournalFiles,
} from './fuzz-journal.js';
import { cases, expectCleanFailure, fuzzParameters, observed, SOAK, snapshotTree } from './fuzz-support.js';

/** No API key anywhere: a command line that gets as far as calling a model is refused first. */
const NO_KEYS = { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', PHASEWISE_DEBUG: '' };

const TIMEOUT = SOAK ? 1_800_000 : 120_000;
const tally = { config: 0, argv: 0, task: 0, journal: 0 };
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `reliability: fuzz: ${tally.config} config cases, ${tally.argv} argv cases, ${tally.task} task cases, ` +
      `${tally.journal} journal cases, ${observed.stackTraces} stack traces, ` +
      `${observed.journalsChanged} journals changed\n`,
  );
});

function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `phasewise-fuzz-${prefix}-`));
  scratch.push(dir);
  return dir;
}

describe('configurations', () => {
  it(
    'load or fail with a ConfigError whose every issue names its place, never another exception',
    async () => {
      const dir = scratchDir('config');
      const file = join(dir, 'phasewise.yaml');
      await fc.assert(
        fc.asyncProperty(configCase, async (candidate) => {
          writeFileSync(file, candidate.bytes);
          tally.config += 1;
          const warnings: string[] = [];
          const onWarning = (warning: Error) => warnings.push(warning.message);
          process.on('warning', onWarning);
          try {
            loadWorkflow({ cwd: dir });
            // Text that is not UTF-8 is refused, not read as U+FFFD: it would quietly change a task or a prompt.
            expect(isUtf8(candidate.bytes), 'invalid UTF-8 was accepted').toBe(true);
          } catch (error) {
            if (!(error instanceof ConfigError)) throw error;
            expect(error.issues.length).toBeGreaterThan(0);
            for (const issue of error.issues) {
              expect(issue.file, error.message).toBeDefined();
              expect(issue.message.trim(), error.message).not.toBe('');
              // A problem with a field is placed at its line and column.
              if (issue.path !== '' && issue.file === file) expect(issue.line, error.message).toBeDefined();
            }
          } finally {
            process.off('warning', onWarning);
          }
          // Nothing reaches the console past the error: no library warnings about the document.
          await new Promise((resolve) => setImmediate(resolve));
          expect(warnings).toEqual([]);
        }),
        fuzzParameters(cases(300, 5_000)),
      );
    },
    TIMEOUT,
  );

  it(
    'through `phasewise validate`: exit 2, a located message, no stack trace, nothing written',
    () => {
      const dir = scratchDir('validate');
      const file = join(dir, 'phasewise.yaml');
      fc.assert(
        fc.property(damagedConfigCase, (candidate) => {
          writeFileSync(file, candidate.bytes);
          const before = snapshotTree(dir);
          const result = cli(['validate'], { cwd: dir });
          tally.config += 1;
          expectCleanFailure(result, `validate (${candidate.damage.kind})`, [0, 2]);
          if (result.code === 2) expect(result.stderr).toMatch(/^phasewise: error: [\s\S]*phasewise\.yaml/);
          expect(snapshotTree(dir)).toEqual(before);
        }),
        fuzzParameters(cases(12, 150)),
      );
    },
    TIMEOUT,
  );
});

describe('command lines', () => {
  it(
    'every command with random arguments: a documented exit code, no stack trace',
    () => {
      const dir = scratchDir('argv');
      writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nphases: [\n');
      mkdirSync(join(dir, 'dir'));
      fc.assert(
        fc.property(argvCase, (argv) => {
          if (isDangerous(argv)) return;
          const result = cli(argv, { cwd: dir, env: NO_KEYS });
          tally.argv += 1;
          expectCleanFailure(result, `phasewise ${JSON.stringify(argv)}`);
          // A model is never reached without a key; whatever ran, it said so in a sentence.
          if (result.code !== 0) expect(result.stderr.trim(), JSON.stringify(argv)).not.toBe('');
        }),
        fuzzParameters(cases(30, 400)),
      );
    },
    TIMEOUT,
  );
});

describe('task files', () => {
  type TaskCase = [string, (dir: string) => string, RegExp];
  const bad: TaskCase[] = [
    ['empty', (dir) => file(dir, 'TASK.md', ''), /is empty/],
    ['only whitespace', (dir) => file(dir, 'TASK.md', ' \n\t\n'), /is empty/],
    ['binary', (dir) => file(dir, 'TASK.md', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0])), /binary/],
    [
      'invalid UTF-8',
      (dir) => file(dir, 'TASK.md', Buffer.from('Fix the caf\xe9 bug\n', 'latin1')),
      /UTF-8.*line 1, column 12/,
    ],
    ['huge', (dir) => file(dir, 'TASK.md', `# Task\n${'Do it. '.repeat(200_000)}`), /at most 1 MiB/],
    ['a directory', (dir) => directory(dir, 'tasks.md'), /is a directory/],
    ['a directory as ./path', (dir) => `./${directory(dir, 'tasks')}`, /is a directory/],
    ['missing', () => 'MISSING.md', /does not exist/],
    ['a device', () => '/dev/null', /not a regular file/],
    ['a named pipe', (dir) => fifo(dir, 'pipe.md'), /not a regular file/],
    // Root reads anything: the unreadable file is only a case for other users.
    ...(process.getuid?.() === 0
      ? []
      : [['unreadable', (dir: string) => unreadable(dir, 'SECRET.md'), /cannot be read/] satisfies TaskCase]),
  ];
  function fifo(dir: string, name: string): string {
    execFileSync('mkfifo', [join(dir, name)]);
    return name;
  }
  function unreadable(dir: string, name: string): string {
    writeFileSync(join(dir, name), 'task', { mode: 0o000 });
    return name;
  }
  function directory(dir: string, name: string): string {
    mkdirSync(join(dir, name));
    return name;
  }
  function file(dir: string, name: string, content: string | Buffer): string {
    writeFileSync(join(dir, name), content);
    return name;
  }

  it.each(bad)(
    '%s: refused with a clear message and exit 2 by estimate and run, nothing started',
    (_, make, message) => {
      const workspace = makeCrashWorkspace(0);
      scratch.push(workspace);
      const task = make(workspace);
      for (const command of ['estimate', 'run']) {
        const result = cli([command, task], { cwd: workspace, env: NO_KEYS });
        tally.task += 1;
        expectCleanFailure(result, `${command} ${task}`, [2]);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).toMatch(/^phasewise: error: task file /);
      }
      // Nothing ran: no journal, no model call.
      expect(snapshotTree(join(workspace, '.phasewise'))).toEqual({});
    },
  );
});

describe('task and prompt files named in the configuration', () => {
  it.each([
    ['huge', 'x'.repeat(1_100_000), /at most 1 MiB/],
    ['binary', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0]), /binary file/],
    [
      'invalid UTF-8',
      Buffer.from('Fix the caf\xe9 bug', 'latin1'),
      /TASK\.md:1:12 is not valid UTF-8 text \(byte 0xE9\)/,
    ],
    ['empty', '', /file is empty/],
  ])('%s: a ConfigError at the `task:` line', (_, content, message) => {
    const dir = scratchDir('task-config');
    writeFileSync(join(dir, 'TASK.md'), content);
    writeFileSync(join(dir, 'phasewise.yaml'), 'version: 1\ntask: TASK.md\n');
    tally.task += 1;
    let error: unknown;
    try {
      loadWorkflow({ cwd: dir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]).toMatchObject({ line: 2, column: 7, path: 'task' });
    expect((error as ConfigError).message).toMatch(message);
  });
});

describe('journals', () => {
  let workspace: string;
  let runId: string;
  let closed: Buffer;
  let pending: JournalFiles;
  let foreign: Buffer;
  const journalDir = () => join(workspace, '.phasewise');

  beforeAll(() => {
    workspace = makeCrashWorkspace(0);
    scratch.push(workspace);
    const run = cli(['run'], { cwd: workspace, env: NO_KEYS });
    expect(run.code, run.stderr).toBe(0);
    runId = /run (\S+) succeeded/.exec(run.stderr)![1]!;
    closed = readFileSync(join(journalDir(), 'journal.db'));
    const spare = scratchDir('journal');
    pending = withPendingWal(closed, join(spare, 'pending'));
    foreign = foreignDatabase(join(spare, 'foreign'));
  }, 60_000);

  const commands = () => [
    ['status'],
    ['status', runId, '--json'],
    ['runs'],
    ['runs', '--json'],
    ['report'],
    ['report', runId, '--format', 'json'],
    ['resume', runId],
  ];

  /** Read-only commands never change it; resume may recover it only when it did not refuse it. */
  function check(damage: JournalDamage, argv: string[]): void {
    writeJournalFiles(journalDir(), damageJournal(damage, closed, pending, foreign));
    const before = journalIdentity(journalDir());
    const result = cli(argv, { cwd: workspace, env: NO_KEYS });
    tally.journal += 1;
    const context = `${argv.join(' ')} on ${JSON.stringify(damage).slice(0, 120)}`;
    expectCleanFailure(result, context);
    if (argv[0] !== 'resume' || /nothing was changed/.test(result.stderr)) {
      if (journalIdentity(journalDir()) !== before) observed.journalsChanged += 1;
      expect(journalIdentity(journalDir()), `${context}: the journal changed\n${result.stderr}`).toBe(before);
    }
    if (result.code !== 0 && /journal/.test(result.stderr)) {
      expect(result.stderr, context).toMatch(/journal\.db|no runs yet/);
    }
  }

  it(
    'a WAL without its database: every command says the database is missing, and touches nothing',
    () => {
      // `run` too: it would start a new database, and SQLite would checkpoint the orphaned log away.
      for (const argv of [...commands(), ['run', 'Add a health endpoint']]) {
        check({ kind: 'wal-without-db' }, argv);
        const result = cli(argv, { cwd: workspace, env: NO_KEYS });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/journal\.db: is missing, but its write-ahead log/);
      }
    },
    TIMEOUT,
  );

  it.each<JournalDamage['kind']>(['foreign-sqlite', 'empty-db', 'db-is-directory'])(
    '%s: every command refuses it with exit 2 and leaves it as it was',
    (kind) => {
      const damage = { kind } as JournalDamage;
      for (const argv of commands()) {
        check(damage, argv);
      }
    },
    TIMEOUT,
  );

  it(
    'a journal from a future schema version, or not SQLite at all: refused by every command, unchanged',
    () => {
      for (const damage of [
        { kind: 'future-version', version: 99 },
        { kind: 'not-sqlite', text: 'hello, not a database' },
      ] as JournalDamage[]) {
        for (const argv of commands()) {
          writeJournalFiles(journalDir(), damageJournal(damage, closed, pending, foreign));
          const before = journalIdentity(journalDir());
          const result = cli(argv, { cwd: workspace, env: NO_KEYS });
          tally.journal += 1;
          expectCleanFailure(result, argv.join(' '), [2]);
          expect(result.stderr).toMatch(
            damage.kind === 'future-version' ? /newer phasewise, version 99/ : /not a SQLite database/,
          );
          expect(result.stderr).toContain('nothing was changed');
          expect(journalIdentity(journalDir())).toBe(before);
        }
      }
    },
    TIMEOUT,
  );

  it.each([
    ['a step result that is not JSON', "UPDATE steps SET result_json = '{broken'"],
    ['an event that is not JSON', "UPDATE events SET event_json = '{broken'"],
    ['a workflow that is not JSON', "UPDATE runs SET workflow_json = '{broken'"],
    ['an empty workflow', "UPDATE runs SET workflow_json = '{}'"],
    ['a null workflow', "UPDATE runs SET workflow_json = 'null'"],
    ['step results of another shape', "UPDATE steps SET result_json = '42'"],
    ['events of another shape', 'UPDATE events SET event_json = \'{"type":"phase-end"}\''],
  ])(
    'records edited outside phasewise (%s): a clear answer, never an internal error, unchanged',
    (_, sql) => {
      const spare = scratchDir('records');
      writeFileSync(join(spare, 'journal.db'), closed);
      const db = new DatabaseSync(join(spare, 'journal.db'));
      db.exec(sql);
      db.close();
      const edited = readFileSync(join(spare, 'journal.db'));
      for (const argv of commands()) {
        writeJournalFiles(journalDir(), { db: edited, wal: undefined, shm: undefined });
        const before = journalIdentity(journalDir());
        const result = cli(argv, { cwd: workspace, env: NO_KEYS });
        tally.journal += 1;
        expectCleanFailure(result, `${argv.join(' ')} after ${sql}`);
        if (argv[0] !== 'resume') expect(journalIdentity(journalDir())).toBe(before);
      }
    },
    TIMEOUT,
  );

  it(
    'random truncation and corruption: a clear answer from every command, and a read never changes it',
    () => {
      fc.assert(
        fc.property(journalDamage, fc.nat(), (damage, pick) => {
          const list = commands();
          check(damage, list[pick % list.length]!);
        }),
        fuzzParameters(cases(24, 300)),
      );
    },
    TIMEOUT,
  );
});
