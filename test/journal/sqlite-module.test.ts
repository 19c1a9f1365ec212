import { afterEach, describe, expect, it } from 'vitest';
import { JournalError } from '../../src/errors/index.js';
import { loadSqliteWith } from '../../src/journal/sqlite-module.js';

describe('loading node:sqlite', () => {
  const originalEmitWarning = process.emitWarning;
  afterEach(() => {
    process.emitWarning = originalEmitWarning;
  });

  it('explains that Node ≥ 22.13 is needed when node:sqlite is missing', () => {
    const oldNode = () => {
      throw Object.assign(new Error('No such built-in module: node:sqlite'), {
        code: 'ERR_UNKNOWN_BUILTIN_MODULE',
      });
    };
    expect(() => loadSqliteWith('/w/.phasewise/journal.db', oldNode)).toThrow(JournalError);
    expect(() => loadSqliteWith('/w/.phasewise/journal.db', oldNode)).toThrow(/needs Node ≥ 22\.13/);
  });

  it('silences only the SQLite experimental warning, and only while loading', () => {
    const heard: string[] = [];
    process.emitWarning = ((warning: string | Error) => {
      heard.push(String(warning));
    }) as typeof process.emitWarning;
    const loadsNoisily = () => {
      process.emitWarning(
        'SQLite is an experimental feature and might change at any time',
        'ExperimentalWarning',
      );
      process.emitWarning('Something else is experimental', 'ExperimentalWarning');
      process.emitWarning('SQLite said something else', { type: 'DeprecationWarning' });
      return {};
    };
    loadSqliteWith('/w/journal.db', loadsNoisily);
    process.emitWarning(
      'SQLite is an experimental feature and might change at any time',
      'ExperimentalWarning',
    );
    expect(heard).toEqual([
      'Something else is experimental',
      'SQLite said something else',
      'SQLite is an experimental feature and might change at any time',
    ]);
  });
});
