import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  JOURNAL_SCHEMA_VERSION,
  type Journal,
  openJournal,
  SUPPORTED_JOURNAL_VERSIONS,
} from '../../src/journal/index.js';
import { loadSqlite } from '../../src/journal/sqlite-module.js';
import { sampleStep } from './contract/samples.js';
import { type TempWorkspace, tempWorkspace } from './support/temp-workspace.js';

/** Journals written by every supported schema version still open and read back exactly (STYLE §7). */
const fixturesDirectory = fileURLToPath(new URL('../fixtures/journal/', import.meta.url));
const fixtureVersions = readdirSync(fixturesDirectory)
  .filter((name) => /^v\d+$/.test(name))
  .map((name) => Number(name.slice(1)));

describe('journal schema fixtures', () => {
  it('exist for every supported version', () => {
    expect([...fixtureVersions].sort()).toEqual([...SUPPORTED_JOURNAL_VERSIONS].sort());
  });
});

describe.each(fixtureVersions)('a version %i journal', (version) => {
  const fixture = join(fixturesDirectory, `v${version}`);
  const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8'));
  const runId: string = expected.run.runId;
  let workspace: TempWorkspace;
  let journal: Journal;

  beforeEach(async () => {
    workspace = await tempWorkspace();
    loadFixture(join(fixture, 'journal.sql'), join(workspace.path, '.phasewise', 'journal.db'));
    journal = openJournal({ workspace: workspace.path });
  });
  afterEach(async () => {
    await journal.close();
    await workspace.remove();
  });

  it('reads back its run, steps, events and lock', async () => {
    expect(await journal.getRun(runId)).toEqual(expected.run);
    expect(await journal.listRuns()).toEqual([expected.run]);
    expect(await journal.listSteps(runId)).toEqual(expected.steps);
    expect(await journal.listEvents(runId)).toEqual(expected.events);
    expect(await journal.getLockHolder(runId)).toEqual(expected.lockHolder);
    // Version 1 had no start marks: a migrated v1 journal has no unfinished steps.
    expect(await journal.listUnfinishedSteps(runId)).toEqual(expected.unfinishedSteps ?? []);
  });

  it('keeps taking writes after opening, at the current version', async () => {
    await journal.recordStep(sampleStep(runId, 'planning/a1/t9/model', 0.25));
    const steps = await journal.listSteps(runId);
    expect(steps.map((step) => step.key)).toEqual([
      ...expected.steps.map((step: { key: string }) => step.key),
      'planning/a1/t9/model',
    ]);
    expect(steps.at(-1)?.schemaVersion).toBe(JOURNAL_SCHEMA_VERSION);
    expect((await journal.getRun(runId))?.costUsd).toBeCloseTo(expected.run.costUsd + 0.25, 10);
  });

  it('ends with the same schema as a fresh journal', async () => {
    const fresh = await tempWorkspace();
    try {
      await openJournal({ workspace: fresh.path }).close();
      expect(schemaOf(journal.location)).toEqual(schemaOf(join(fresh.path, '.phasewise', 'journal.db')));
    } finally {
      await fresh.remove();
    }
  });
});

function loadFixture(sqlFile: string, databaseFile: string): void {
  mkdirSync(join(databaseFile, '..'), { recursive: true });
  const db = new (loadSqlite(databaseFile).DatabaseSync)(databaseFile);
  db.exec(readFileSync(sqlFile, 'utf8'));
  db.close();
}

/** Tables, indexes and the version, with whitespace normalized: how a table was created must not matter. */
function schemaOf(file: string): unknown {
  const db = new (loadSqlite(file).DatabaseSync)(file);
  try {
    const objects = db
      .prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all()
      .map((row) => ({ ...row, sql: String(row.sql).replace(/\s+/g, ' ') }));
    return { version: db.prepare('PRAGMA user_version').get()?.user_version, objects };
  } finally {
    db.close();
  }
}
