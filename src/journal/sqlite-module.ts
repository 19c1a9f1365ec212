/**
 * Loads Node's built-in `node:sqlite`. A static import could do neither of the two things this file is for:
 * keep Node's one-time "SQLite is an experimental feature" warning away from users (it is printed when the
 * module first loads and tells them nothing they can act on), and turn "this Node has no node:sqlite" into a
 * JournalError that says which Node is needed instead of a module-resolution stack trace.
 */
import { createRequire } from 'node:module';
import type * as NodeSqlite from 'node:sqlite';
import { JournalError } from '../errors/index.js';

export type SqliteModule = typeof NodeSqlite;
export type { DatabaseSync, StatementSync } from 'node:sqlite';

const requireBuiltin = createRequire(import.meta.url);
let loaded: SqliteModule | undefined;

/** `node:sqlite`, loaded once per process. `file` is the journal that needs it, named in the error. */
export function loadSqlite(file: string): SqliteModule {
  loaded ??= loadSqliteWith(file, requireBuiltin);
  return loaded;
}

/** The loading itself, with the `require` injected so tests can play an old Node without mocking modules. */
export function loadSqliteWith(file: string, requireModule: (id: string) => unknown): SqliteModule {
  try {
    return withoutSqliteWarning(() => requireModule('node:sqlite') as SqliteModule);
  } catch (error) {
    throw new JournalError(
      file,
      `this Node.js (${process.version}) has no built-in SQLite (node:sqlite); phasewise needs Node ≥ 22.13`,
      {
        hint: 'install Node.js 22.13 or newer (scripts/node-env.sh fetches one when the system Node is older)',
        cause: error,
      },
    );
  }
}

/** Runs `load` with process.emitWarning filtered; every other warning still goes through untouched. */
function withoutSqliteWarning<T>(load: () => T): T {
  const original = process.emitWarning;
  const filtered = (warning: string | Error, ...rest: unknown[]): void => {
    if (isSqliteExperimentalWarning(warning, rest[0])) return;
    Reflect.apply(original, process, [warning, ...rest]);
  };
  process.emitWarning = filtered as typeof process.emitWarning;
  try {
    return load();
  } finally {
    process.emitWarning = original;
  }
}

function isSqliteExperimentalWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const type =
    typeof typeOrOptions === 'string'
      ? typeOrOptions
      : (typeOrOptions as { type?: unknown } | undefined)?.type;
  const name = warning instanceof Error ? warning.name : type;
  const message = warning instanceof Error ? warning.message : String(warning);
  return name === 'ExperimentalWarning' && message.startsWith('SQLite ');
}
