export { checkModels } from './check-models.js';
export {
  estimateRun,
  type FanOutEstimate,
  needsConfirmation,
  type PhaseEstimate,
  type RunEstimate,
} from './estimate.js';
export { type PendingReview, pendingReviews, type ReviewAnswer, recordReview } from './review.js';
export * from './run-workflow.js';
export * from './start-run.js';
