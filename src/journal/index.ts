export * from './durable-steps.js';
export * from './journal.js';
export * from './lane-steps.js';
export type * from './ledger-store.js';
export type { PhaseCacheEntry, PhaseCacheStore } from './phase-cache-store.js';
export {
  migratePostgresJournal,
  type OpenPostgresJournalOptions,
  openPostgresJournal,
  PostgresJournal,
} from './postgres-journal.js';
export { DEFAULT_JOURNAL_SCHEMA } from './postgres-location.js';
export {
  DEFAULT_ADMISSION_EXPIRY_MS,
  openPostgresAdmissions,
  type PostgresAdmissions,
  type PostgresAdmissionsOptions,
} from './postgres-rate-limit.js';
export { POSTGRES_SCHEMA_VERSION } from './postgres-schema.js';
export {
  type OpenWorkerRegistryOptions,
  openWorkerRegistry,
  type WorkerRegistration,
  type WorkerRegistry,
} from './postgres-worker-registry.js';
export { type OpenJournalOptions, openJournal, SqliteJournal } from './sqlite-journal.js';
export * from './step-keys.js';
export * from './step-kinds.js';
export * from './step-schema.js';
