/** Events in the SQLite journal: written in the caller's transaction (a step write's, or their own), read in order. */
import type { RunEvent } from '../events/index.js';
import { toEvent, toJson } from './journal-rows.js';
import type { SqliteConnection } from './sqlite-statements.js';

export function insertEvents(connection: SqliteConnection, events: readonly RunEvent[]): void {
  const { insertEvent } = connection.statements;
  for (const event of events) insertEvent.run(event.runId, event.type, event.at, toJson(event));
}

export function readEvents(connection: SqliteConnection, runId: string): RunEvent[] {
  return connection.statements.listEvents.all(runId).map((row) => toEvent(row as { event_json: string }));
}
