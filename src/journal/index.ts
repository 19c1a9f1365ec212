export * from './durable-steps.js';
export * from './journal.js';
export { type OpenJournalOptions, openJournal, SqliteJournal } from './sqlite-journal.js';
