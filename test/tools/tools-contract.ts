/**
 * The contract every workspace tool set keeps (STYLE §11), however its commands are run: no path leads out of
 * the workspace, the governing files and .git stay as they were, what comes back is redacted and capped, and —
 * where the set confines commands — run_command reaches nothing outside. `makeTools` builds the set under test
 * from the options each case needs (redactor, governing files, output cap); what a set does not promise it names
 * in its limits, and those cases are skipped with the reason in their title.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { describeCommandCases } from './contract/commands.js';
import { describeGoverningCases } from './contract/governing.js';
import { describeOutputLimitCases } from './contract/limits.js';
import { describePathCases } from './contract/paths.js';
import { describeRedactionCases } from './contract/redaction.js';
import { type MakeTools, type Staged, stage, type ToolsContractLimits } from './contract/staged.js';

export type { MakeTools, ToolsContractLimits, ToolsUnderTestOptions } from './contract/staged.js';

export function describeToolsContract(
  name: string,
  makeTools: MakeTools,
  limits: ToolsContractLimits = {},
): void {
  const title = `Tools contract: ${name}${limits.unavailable === undefined ? '' : ` (skipped: ${limits.unavailable})`}`;
  describe.skipIf(limits.unavailable !== undefined)(title, () => {
    let current: Staged | undefined;
    beforeEach(() => {
      current = stage(makeTools);
    });
    afterEach(() => {
      current?.cleanup();
      current = undefined;
    });
    const staged = (): Staged => {
      if (current === undefined) throw new Error('the workspace under test is not staged');
      return current;
    };
    describePathCases(staged);
    describeGoverningCases(staged);
    describeRedactionCases(staged);
    describeCommandCases(staged, limits);
    describeOutputLimitCases(makeTools);
  });
}
