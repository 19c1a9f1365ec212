/**
 * A session's model responses, each charged once as it completes: a journal step, the ledger, a progress
 * event. Usage arrives in pieces — `message_start`, running `message_delta` totals, frames repeating it — and
 * is gathered per response id; the result message's totals settle what no response showed.
 */
import { costOfUsage } from '../../budget/cost.js';
import { PRICE_TABLE_VERSION } from '../../budget/price-table.js';
import type { TokenCounts } from '../../events/index.js';
import { emptyUsage, type ModelUsage } from '../../provider/model.js';
import type { AgentContext } from '../agent-context.js';
import { emitResponse, type ResponseStep } from './session-records.js';
import {
  addUsage,
  isEmptyUsage,
  ResponseUsage,
  type SessionModelUsage,
  usageBeyond,
  usageOfModelTotal,
} from './usage.js';

export class ResponseCharges {
  readonly tokens: TokenCounts = emptyUsage();
  costUsd = 0;
  responses = 0;
  private readonly usage = new ResponseUsage();
  /** The response being streamed, charged when it ends or the next one begins. */
  private pending: { id: string; model: string; usage: ModelUsage } | undefined;

  /**
   * @param keyPrefix journal keys of this session's responses (`…/claude-code/s1`)
   * @param onSpent called once a charge leaves the phase or run with nothing to spend
   */
  constructor(
    private readonly context: AgentContext,
    private readonly keyPrefix: string,
    private readonly onSpent: (stop: Error) => void,
  ) {}

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
    const charged = this.usage.observe(pending.id, pending.model, pending.usage);
    if (!charged.first && isEmptyUsage(charged.added)) return;
    if (charged.first) this.responses += 1;
    await this.charge(`m${this.responses}${charged.first ? '' : `-more-${pending.id}`}`, {
      usage: charged.added,
      modelId: pending.model,
      responseId: pending.id,
    });
  }

  /** The result's totals, per model, beyond the responses already charged (auxiliary calls, unseen frames). */
  async settle(result: Record<string, unknown>): Promise<void> {
    const totals = (result.modelUsage ?? {}) as Record<string, SessionModelUsage>;
    for (const [model, total] of Object.entries(totals)) {
      const rest = usageBeyond(usageOfModelTotal(total), this.usage.totalFor(model));
      if (isEmptyUsage(rest)) continue;
      await this.charge(`rest-${model}`, { usage: rest, modelId: model, responseId: 'result' });
    }
  }

  private async charge(name: string, what: { usage: ModelUsage; modelId: string; responseId: string }) {
    const { context } = this;
    const costUsd = costOfUsage(what.usage, context.price);
    const step: ResponseStep = { ...what, costUsd, priceTableVersion: PRICE_TABLE_VERSION };
    await context.steps.step<ResponseStep>(
      {
        key: `${this.keyPrefix}/${name}`,
        phaseId: context.phaseId,
        kind: 'model',
        costOf: (value) => value.costUsd,
      },
      async () => step,
    );
    context.ledger.charge(context.phaseId, costUsd);
    this.costUsd += costUsd;
    for (const key of Object.keys(this.tokens) as Array<keyof TokenCounts>)
      this.tokens[key] += what.usage[key] ?? 0;
    emitResponse(context, this.responses, step, false);
    const available = context.ledger.available(context.phaseId);
    if (available.usd <= 0) this.onSpent(context.ledger.exhausted(context.phaseId, available.scope));
  }
}
