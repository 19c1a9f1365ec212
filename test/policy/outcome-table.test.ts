/** Bad outcome tables are refused with every problem named by its field path; good ones load, extras ignored. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/errors/index.js';
import { parseOutcomeTable } from '../../src/policy/index.js';
import { handOutcomesFile, handTable } from './hand-table.js';

const good = () => JSON.parse(readFileSync(handOutcomesFile, 'utf8'));

function refusal(document: unknown): DataFileError {
  try {
    parseOutcomeTable(typeof document === 'string' ? document : JSON.stringify(document), 'outcomes.json');
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).exitCode).toBe(2);
    return error as DataFileError;
  }
  throw new Error('the table was accepted');
}

describe('parseOutcomeTable', () => {
  it('reads the table, leaving out extra fields and results for models it does not list', () => {
    const table = handTable();
    expect(table.models).toEqual([
      { id: 'model-a', tierRank: 1 },
      { id: 'model-b', tierRank: 2 },
      { id: 'model-c', tierRank: 3 },
    ]);
    expect(table.tasks[3]!.results).toEqual({
      'model-a': { resolved: false, costUsd: 0.04 },
      'model-b': { resolved: false, costUsd: 0.1 },
      'model-c': { resolved: false, costUsd: 0.4 },
    });
    expect(table.source).toHaveLength(1);
  });

  it('names the path of a negative cost', () => {
    const document = good();
    document.tasks[3].results['model-b'].cost_usd = -0.2;
    const error = refusal(document);
    expect(error.message).toBe(
      'outcomes.json: tasks[3].results.model-b.cost_usd: must not be negative: a cost in USD, got -0.2',
    );
    expect(error.hint).toContain('docs/policy.md');
  });

  it('names a task missing a model’s result', () => {
    const document = good();
    delete document.tasks[1].results['model-c'];
    expect(refusal(document).message).toBe(
      'outcomes.json: tasks[1].results.model-c: missing: task task-2 has no result for model model-c (every task needs one per model)',
    );
  });

  it('refuses duplicate ids and a tier_rank that is not a positive whole number', () => {
    const document = good();
    document.models[2].id = 'model-a';
    document.tasks[2].id = 'task-1';
    document.models[1].tier_rank = 1.5;
    const error = refusal(document);
    expect(error.issues.map((issue) => issue.path)).toEqual(['models[1].tier_rank']);
    document.models[1].tier_rank = 2;
    const duplicates = refusal(document);
    expect(duplicates.issues).toEqual([
      { path: 'models[2].id', message: 'duplicate model id "model-a" (also models[0]); ids must be unique' },
      { path: 'tasks[2].id', message: 'duplicate task id "task-1" (also tasks[0]); ids must be unique' },
    ]);
    expect(duplicates.message).toMatch(
      /^2 problems in the outcome table outcomes\.json:\n {2}models\[2\]\.id: /,
    );
    document.models[2].id = 'model-c';
    document.models[0].tier_rank = 0;
    expect(refusal(document).issues[0]!.path).toBe('models[0].tier_rank');
  });

  it('lists every problem of the wrong types at once', () => {
    const document = good();
    document.tasks[0].results['model-a'].resolved = 'yes';
    document.tasks[0].results['model-b'].cost_usd = '0.05';
    document.tasks[2].results['model-c'] = null;
    const error = refusal(document);
    expect(error.issues).toEqual([
      {
        path: 'tasks[0].results.model-a.resolved',
        message: 'must be true or false (did the model solve the task?), got "yes"',
      },
      {
        path: 'tasks[0].results.model-b.cost_usd',
        message: 'must be a number: what the attempt cost, in USD, got "0.05"',
      },
      { path: 'tasks[2].results.model-c', message: expect.stringContaining('got null') },
    ]);
  });

  it('refuses a missing or empty list, a missing source, and text that is not JSON', () => {
    expect(refusal({ ...good(), tasks: [] }).issues).toEqual([
      { path: 'tasks', message: 'must list at least one task, got an empty list' },
    ]);
    const { source: _source, ...withoutSource } = good();
    expect(refusal(withoutSource).issues[0]!.path).toBe('source');
    expect(refusal({ ...good(), models: 'model-a' }).issues[0]).toEqual({
      path: 'models',
      message: 'must be a list of { id, tier_rank }, got "model-a"',
    });
    expect(refusal('{"source": [').message).toMatch(/^outcomes\.json: not valid JSON: /);
    expect(refusal('[]').issues[0]!.path).toBe('');
  });

  it('refuses a cost too large for a number (1e999 reads as Infinity)', () => {
    const text = readFileSync(handOutcomesFile, 'utf8').replace('"cost_usd": 0.4', '"cost_usd": 1e999');
    expect(refusal(text).issues).toEqual([
      {
        path: 'tasks[3].results.model-c.cost_usd',
        message: 'must be a number: what the attempt cost, in USD, got Infinity',
      },
    ]);
  });

  it('quotes a model id that is not a plain name', () => {
    const document = good();
    document.models[0].id = 'claude 3.5';
    expect(refusal(document).issues[0]!.path).toBe('tasks[0].results["claude 3.5"]');
  });
});
