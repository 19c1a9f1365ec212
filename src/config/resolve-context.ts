import type { IssueCollector } from './issue-collector.js';
import type { ModelCheck } from './model-reference.js';

/** What every resolver needs: where relative paths start from and where to report problems. */
export interface ResolveContext {
  /** Directory of the configuration file (the working directory for the built-in workflow). */
  configDir: string;
  issues: IssueCollector;
  /** Applied to every `provider:model` named, where it is named (see `ModelCheck`). */
  checkModel?: ModelCheck | undefined;
}
