import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * The JSON Schema (draft 2020-12) of `phasewise.yaml`, generated from the zod schema so editors check exactly
 * what the loader accepts. It describes the file as written (the input side): "10 minutes" is a string there.
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}

/** The text of `schema/phasewise.schema.json`; `npm run schema` writes it, a test keeps it in sync. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
