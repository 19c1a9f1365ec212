/**
 * A session's model responses, each charged once as it completes: a journal step, the ledger, a progress
 * event. Usage arrives in pieces — `message_start`, running `message_delta` totals, frames repeating it — and
 * is gathered per response id, each response priced at its own tier; the result message's totals settle what no
 * response showed (session-settlement.ts says how).
 *
 * A response's usage is checked as an API call's is (provider/usage-check.ts), against the session so far:
 * everything it sent and received (its prompt and every message, as phasewise saw them) plus what Claude Code
 * adds unseen (its tool definitions and reminders). A response beyond that is not believed: it is charged its
 * usage held to the limits (Claude Code's calls have no reservation to fall back on), the reported figures are
 * journaled beside it, and the session is stopped with the provider error, as an API call fails.
 */
import { costOfUsage } from '../../budget/cost.js';
import { lookupPrice, PRICE_TABLE_VERSION, type Price } from '../../budget/price-table.js';
import { noTokens, type TokenCounts } from '../../events/index.js';
import { type SessionScope, type StepKey, stepKey } from '../../journal/step-keys.js';
import type { ModelUsage } from '../../provider/model.js';
import { cappedUsage, implausibleUsage, type SentSize } from '../../provider/usage-check.js';
import type { AttemptContext } from '../agent-context.js';
import { emitResponse, type ResponseStep } from './session-records.js';
import { settlementOf } from './session-settlement.js';
import { responseStepSchema } from './session-step-schemas.js';
import { addUsage, isEmptyUsage, modelFamily, ResponseUsage, usageBeyond } from './usage.js';

/** The most output any Claude model writes in one response: the output cap the plausibility check assumes. */
const CLAUDE_CODE_MAX_OUTPUT_TOKENS = 128_000;
/**
 * Input Claude Code sends that phasewise never sees — its tool definitions, environment and reminders (5,600 to
 * 25,000 tokens before the first message in the recorded sessions, test/fixtures/claude-code) — allowed beyond
 * the check's own slack, with room to spare.
 */
const CLAUDE_CODE_UNSEEN_INPUT_TOKENS = 100_000;

export class ResponseCharges {
  readonly tokens: TokenCounts = noTokens();
  costUsd = 0;
  responses = 0;
  /** The journal names of the settlement's charges, in order (`rest-<model>`), for a resumed run to replay. */
  readonly settlements: string[] = [];
  private readonly usage = new ResponseUsage();
  /** The response being streamed, charged when it ends or the next one begins. */
  private pending: { id: string; model: string; usage: ModelUsage } | undefined;
  /** Responses whose usage was not believed: charged once, held to the limits; later frames are ignored. */
  private readonly refused = new Set<string>();
  /** Characters of everything the session sent and received so far (`see`). */
  private seenChars = 0;

  /**
   * @param session where this session's responses are journaled (`…/claude-code/s1/m<N>`)
   * @param sessionModel the model the session was asked for, priced at `context.price`
   * @param onStop called with why the session must stop: a charge left the phase or run with nothing to spend,
   *   or a response reported usage the session could not have caused
   */
  constructor(
    private readonly context: AttemptContext,
    private readonly session: SessionScope,
    private readonly sessionModel: string,
    private readonly onStop: (stop: Error) => void,
  ) {}

  /** Text the session sent or received (its prompts, each message): what later responses' input is judged by. */
  see(text: string): void {
    this.seenChars += text.length;
  }

  private sent(): SentSize {
    return {
      estimatedInputTokens: Math.ceil(this.seenChars / 4),
      maxOutputTokens: CLAUDE_CODE_MAX_OUTPUT_TOKENS,
      unseenInputTokens: CLAUDE_CODE_UNSEEN_INPUT_TOKENS,
    };
  }

  /**
   * The session model's price (its `pricing:` override included); another model Claude Code called — a helper on
   * Haiku — at the table's price for that model, else, unknown, at the session's.
   */
  private readonly priceOf = (model: string): Price =>
    modelFamily(model) === modelFamily(this.sessionModel)
      ? this.context.price
      : (lookupPrice(model) ?? this.context.price);

  /** Usage seen for response `id`; a different response in progress is charged first. */
  async note(id: string, model: string, usage: ModelUsage): Promise<void> {
    if (this.pending !== undefined && this.pending.id !== id) await this.flush();
    if (this.pending === undefined) this.pending = { id, model, usage };
    else this.update(usage);
  }

  /** Running totals for the response in progress (`message_delta`): the larger of each count is kept. */
  update(usage: ModelUsage): void {
    if (this.pending !== undefined) addUsage(this.pending.usage, usageBeyond(usage, this.pending.usage));
  }

  /** Charges the response in progress, or what a late frame adds to one already charged. */
  async flush(): Promise<void> {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    if (this.refused.has(pending.id)) return;
    const before = this.usage.usageOf(pending.id);
    const charged = this.usage.observe(pending.id, pending.model, pending.usage);
    if (!charged.first && isEmptyUsage(charged.added)) return;
    if (charged.first) this.responses += 1;
    // What a late frame adds is priced as part of its request: at the tier of the request's whole input.
    const price = this.priceOf(pending.model);
    const after = this.usage.usageOf(pending.id)!;
    const key: StepKey = {
      ...this.session,
      step: 'session-response',
      response: this.responses,
      ...(charged.first ? {} : { more: pending.id }),
    };
    const what = { modelId: pending.model, responseId: pending.id };
    const sent = this.sent();
    const implausible = implausibleUsage(after, sent, { provider: 'claude-code', modelId: pending.model });
    if (implausible !== undefined) {
      this.refused.add(pending.id);
      this.onStop(implausible);
      const capped = cappedUsage(after, sent);
      const paid = before === undefined ? 0 : costOfUsage(before, price);
      await this.charge(
        key,
        { ...what, usage: usageBeyond(capped, before ?? noTokens()), reportedUsage: after },
        Math.max(0, costOfUsage(capped, price) - paid),
      );
      return;
    }
    const costUsd = costOfUsage(after, price) - (before === undefined ? 0 : costOfUsage(before, price));
    await this.charge(key, { ...what, usage: charged.added }, costUsd);
  }

  /**
   * The result's totals beyond the responses already charged, at base rates (session-settlement.ts), each a
   * charge of its own labelled as the session's settlement rather than as a turn.
   * @param label what the progress event calls the charge (`settlement of session 1`)
   */
  async settle(result: Record<string, unknown>, label: string): Promise<void> {
    const { usage, costUsd, priceOf, sessionModel } = this;
    const settlements = settlementOf(result, usage, costUsd, priceOf, sessionModel);
    for (const settlement of settlements) {
      const { name, usage, modelId, costUsd } = settlement;
      this.settlements.push(name);
      const key: StepKey = { ...this.session, step: 'session-settlement', name };
      await this.charge(key, { usage, modelId, responseId: 'result', label }, costUsd);
    }
  }

  private async charge(
    key: StepKey,
    what: Omit<ResponseStep, 'costUsd' | 'priceTableVersion'>,
    costUsd: number,
  ) {
    const { context } = this;
    const step: ResponseStep = { ...what, costUsd, priceTableVersion: PRICE_TABLE_VERSION };
    await context.steps.step(
      {
        key: stepKey(key),
        phaseId: context.phaseId,
        kind: 'model',
        schema: responseStepSchema,
        costOf: (value) => value.costUsd,
      },
      async () => step,
    );
    await context.ledger.charge(context.phaseId, costUsd);
    this.costUsd += costUsd;
    for (const key of Object.keys(this.tokens) as Array<keyof TokenCounts>)
      this.tokens[key] += what.usage[key] ?? 0;
    emitResponse(context, this.responses, step, false);
    const available = context.ledger.available(context.phaseId);
    if (available.usd <= 0) this.onStop(context.ledger.exhausted(context.phaseId, available.scope));
  }
}
