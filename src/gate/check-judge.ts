/**
 * `judge`: an LLM scores the report against a rubric through the injected judge service. Its model, the
 * rubric's version and the judge prompt's version are kept with the scores, so a changed rubric or prompt is
 * visible when scores are compared across runs. A failed judge is an error, never a low score.
 */
import type { CheckOutcome, GateServices } from './gate-input.js';
import { JUDGE_PROMPT_VERSION, rubricVersion } from './judge-prompt.js';

export interface JudgeCheckOptions {
  rubric: string[];
  rubricFile?: string;
  model: string;
}

export async function checkJudge(
  report: string,
  options: JudgeCheckOptions,
  services: GateServices,
): Promise<CheckOutcome> {
  if (services.judge === undefined) {
    throw new Error('no judge service was provided to the gate');
  }
  if (options.rubric.length === 0) throw new Error('the rubric has no criteria');
  const version = rubricVersion(options.rubric);
  const redacted = services.redactor === undefined ? report : services.redactor.redact(report);
  const verdict = await services.judge({ rubric: options.rubric, report: redacted, model: options.model });
  if (!Number.isFinite(verdict.score) || verdict.score < 0 || verdict.score > 1) {
    throw new Error(`the judge returned a score outside 0–1: ${verdict.score}`);
  }
  if (verdict.criteria.length !== options.rubric.length) {
    throw new Error(`the judge scored ${verdict.criteria.length} criteria of ${options.rubric.length}`);
  }
  if (verdict.rubricVersion !== version) {
    throw new Error(`the judge scored rubric ${verdict.rubricVersion}, not the configured ${version}`);
  }
  const weakest = [...verdict.criteria].sort((left, right) => left.score - right.score).slice(0, 3);
  const below = weakest.filter((criterion) => criterion.score < 1);
  const message =
    below.length === 0
      ? `the judge (${verdict.model}) found all ${verdict.criteria.length} criteria met`
      : `the judge (${verdict.model}) scored ${verdict.score.toFixed(2)}; weakest: ${below
          .map((criterion) => `"${criterion.criterion}" ${criterion.score.toFixed(2)} (${criterion.reason})`)
          .join('; ')}`;
  return {
    score: verdict.score,
    message,
    evidence: {
      model: verdict.model,
      rubricVersion: version,
      promptVersion: JUDGE_PROMPT_VERSION,
      ...(options.rubricFile === undefined ? {} : { rubricFile: options.rubricFile }),
      criteria: verdict.criteria,
    },
  };
}
