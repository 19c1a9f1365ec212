export * from './durable-steps.js';
export * from './journal.js';
export * from './lane-steps.js';
export { type OpenJournalOptions, openJournal, SqliteJournal } from './sqlite-journal.js';
export * from './step-keys.js';
export * from './step-kinds.js';
export * from './step-schema.js';
