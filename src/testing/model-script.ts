/**
 * The script a scripted model answers from, as a zod schema so a script file (YAML or JSON) is validated with
 * the same care as a config: `phases.<id>` is a list of attempts, each a list of turns.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../errors/index.js';

const turnSchema = z
  .object({
    text: z.string().optional(),
    toolCalls: z
      .array(z.object({ name: z.string(), input: z.unknown(), id: z.string().optional() }))
      .optional(),
    usage: z
      .object({
        input: z.number().int().nonnegative().optional(),
        output: z.number().int().nonnegative().optional(),
        cacheRead: z.number().int().nonnegative().optional(),
        cacheWrite: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    delayMs: z.number().nonnegative().optional(),
    /** Never answers; waits until the call is aborted (timeouts, interrupts). */
    hang: z.boolean().optional(),
    /** Fails the call with this message. */
    error: z.string().optional(),
  })
  .strict();

export const modelScriptSchema = z
  .object({
    phases: z.record(z.string(), z.array(z.object({ turns: z.array(turnSchema).min(1) }).strict()).min(1)),
  })
  .strict();

export type ScriptedTurn = z.infer<typeof turnSchema>;
export type ModelScript = z.infer<typeof modelScriptSchema>;

export function loadModelScript(file: string): ModelScript {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the model script ${file}: ${(error as Error).message}`);
  }
  const parsed = modelScriptSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`model script ${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
