/**
 * `custom`: a user's ES module decides. It exports `async (input) => ({ score, message, evidence? })`, where
 * `input` is the gate input plus the check's `options` and the phase's abort signal. A throw, a missing
 * export or a result that is not `{ score: 0–1, message: string }` is an error naming the module: the user's
 * check is broken, which says nothing about the report.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { CheckOutcome, GateInput } from './gate-input.js';

export interface CustomCheckOptions {
  module: string;
  /** The module's sha256 when the configuration was loaded; a module changed since is not run. */
  moduleSha256?: string;
  export: string;
  options?: Record<string, unknown>;
}

export interface CustomCheckInput extends Readonly<GateInput> {
  options: Record<string, unknown>;
  abortSignal: AbortSignal;
}

export type CustomCheck = (input: CustomCheckInput) => CheckOutcome | Promise<CheckOutcome>;

export async function checkCustom(
  input: GateInput,
  options: CustomCheckOptions,
  abortSignal: AbortSignal,
): Promise<CheckOutcome> {
  const where = `${options.module} (export \`${options.export}\`)`;
  const tampered = await changedSinceLoaded(options);
  if (tampered !== undefined) return tampered;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(options.module).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`could not load ${options.module}: ${(error as Error).message}`, { cause: error });
  }
  const check = loaded[options.export];
  if (typeof check !== 'function') {
    throw new Error(`${where} is not a function (it is ${check === undefined ? 'missing' : typeof check})`);
  }
  let result: unknown;
  try {
    result = await (check as CustomCheck)({
      ...structuredClone(input),
      options: structuredClone(options.options ?? {}),
      abortSignal,
    });
  } catch (error) {
    if (abortSignal.aborted) throw abortSignal.reason;
    throw new Error(`${where} threw: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  return validResult(result, where);
}

/**
 * An agent with write access could rewrite a check that lives in the workspace to pass itself. That is a
 * failed check (the agent's doing, fed back to it), not a broken one.
 */
async function changedSinceLoaded(options: CustomCheckOptions): Promise<CheckOutcome | undefined> {
  if (options.moduleSha256 === undefined) return undefined;
  const content = await readFile(options.module).catch(() => undefined);
  const now = content === undefined ? 'missing' : createHash('sha256').update(content).digest('hex');
  if (now === options.moduleSha256) return undefined;
  return {
    score: 0,
    message: `${options.module} changed since the configuration was loaded, so it was not run; leave gate checks alone`,
    evidence: { module: options.module, expectedSha256: options.moduleSha256, actualSha256: now },
  };
}

function validResult(result: unknown, where: string): CheckOutcome {
  const { score, message, evidence } = (result ?? {}) as Partial<CheckOutcome>;
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1) {
    throw new Error(`${where} returned no score between 0 and 1 (got ${describe(result)})`);
  }
  if (typeof message !== 'string') {
    throw new Error(`${where} returned no message string (got ${describe(result)})`);
  }
  return evidence === undefined
    ? { score, message }
    : { score, message, evidence: toPlainJson(evidence, where) };
}

/** Evidence is journaled, so it must survive JSON; anything that does not is refused here, not at write time. */
function toPlainJson(value: unknown, where: string): unknown {
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch (error) {
    throw new Error(`${where} returned evidence that is not plain JSON: ${(error as Error).message}`);
  }
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 120 ? `${text.slice(0, 120)}…` : text;
  } catch {
    return String(value);
  }
}
