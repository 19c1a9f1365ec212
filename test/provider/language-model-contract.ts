/**
 * The contract every `LanguageModel` keeps (STYLE §11), whatever stands behind it: the scripted model, or the AI
 * SDK adapter talking to a server. Implementations are given scenarios and must answer them the same way; what
 * one cannot be asked (no HTTP, no prompt cache) it names in its limits, and those cases are skipped with the
 * reason in their title.
 */
import { describe } from 'vitest';
import { describeAnswerCases } from './model-contract/answers.js';
import { describeConversationCases } from './model-contract/conversation.js';
import { describeErrorCases } from './model-contract/errors.js';
import { describeQuietCases } from './model-contract/quiet.js';
import type { ContractLimits, SubjectFactory } from './model-contract/subject.js';
import { describeUsageCases } from './model-contract/usage.js';

export type {
  ContractLimits,
  ContractSubject,
  Scenario,
  ScenarioTurn,
  ServedUsage,
  SubjectFactory,
} from './model-contract/subject.js';

export function describeLanguageModelContract(
  name: string,
  factory: SubjectFactory,
  limits: ContractLimits = {},
): void {
  describe(`LanguageModel contract: ${name}`, () => {
    describeAnswerCases(factory);
    describeUsageCases(factory, limits);
    describeConversationCases(factory);
    describeErrorCases(factory, limits);
    describeQuietCases(factory, limits);
  });
}
