/**
 * Random span ids, except the ones set for the next root span: the run span's trace id (and, on the first
 * invocation, its span id) come from the run id (`span-ids.ts`).
 */
import { type IdGenerator, RandomIdGenerator } from '@opentelemetry/sdk-trace';

export class PresetIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  private traceId: string | undefined;
  private spanId: string | undefined;

  preset(ids: { traceId: string; spanId?: string }): void {
    this.traceId = ids.traceId;
    this.spanId = ids.spanId;
  }

  generateTraceId(): string {
    const id = this.traceId ?? this.random.generateTraceId();
    this.traceId = undefined;
    return id;
  }

  generateSpanId(): string {
    const id = this.spanId ?? this.random.generateSpanId();
    this.spanId = undefined;
    return id;
  }
}
