import { z } from 'zod';
import { parseDuration } from './duration.js';
import { parseMoney } from './money.js';
import { ESCALATION_STEPS } from './vocabulary.js';

/** Field schemas shared by several parts of the configuration schema. */

/** Phase ids, agent, tier and provider names: they appear in paths, journals and messages, so keep them plain. */
export function nameField(what: string) {
  return z.string().regex(/^[A-Za-z][\w.-]*$/, {
    error: `a ${what} starts with a letter and uses only letters, digits, _ . -`,
  });
}

/** `provider:model`; the model part may itself contain colons (`ollama:llama3:8b`). */
export const modelReferenceField = z
  .string()
  .regex(/^[A-Za-z][\w.-]*:\S+$/, { error: 'expected `provider:model`, e.g. anthropic:claude-sonnet-4-5' })
  .meta({ description: 'provider:model, e.g. anthropic:claude-sonnet-4-5' });

export function durationField(description: string) {
  return positiveParsedField(parseDuration, {
    typeError: 'expected a duration such as "10m", "600s" or "10 minutes"',
    zeroError: 'must be longer than zero',
  }).meta({ description: `${description}: "10m", "600s", "10 minutes", "1h30m", or a number of seconds` });
}

/** Limits must be above zero: a zero budget would stop every phase before its first call. */
export function positiveMoneyField(description: string) {
  return positiveParsedField(parseMoney, {
    typeError: 'expected an amount in USD such as 0.05 or "$0.05"',
    zeroError: 'must be greater than zero',
  }).meta({ description: `${description}, USD: 0.05 or "$0.05"` });
}

/** A number or text read by `parse`, whose RangeError message becomes the issue; zero is refused. */
function positiveParsedField(
  parse: (value: number | string) => number,
  messages: { typeError: string; zeroError: string },
) {
  return z.union([z.number(), z.string()], { error: messages.typeError }).transform((value, context) => {
    try {
      const parsed = parse(value);
      if (parsed > 0) return parsed;
      context.addIssue({ code: 'custom', message: messages.zeroError });
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
    }
    return z.NEVER;
  });
}

export const thresholdField = z
  .number({ error: 'expected a gate threshold, a number between 0 and 1' })
  .min(0, { error: 'the gate threshold must be between 0 and 1' })
  .max(1, { error: 'the gate threshold must be between 0 and 1' });

export const escalationField = z
  .array(z.enum(ESCALATION_STEPS))
  .min(1)
  .meta({ description: 'what to do when the gate fails, in order: retry, escalate (next tier), halt' });

/** `depends_on: research` and `depends_on: [research]` both work; the pattern document writes the former. */
export const phaseListField = z
  .union([z.string(), z.array(z.string())], { error: 'expected a phase id or a list of phase ids' })
  .transform((value) => (typeof value === 'string' ? [value] : value));

export const priceField = z.number().min(0).meta({ description: 'USD per million tokens' });
