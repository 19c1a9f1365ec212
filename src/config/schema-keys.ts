import { z } from 'zod';
import type { FieldPath } from './field-path.js';

/**
 * The keys a mapping at `path` may have, read from the schema itself, so "did you mean" suggestions can never
 * disagree with what the schema accepts.
 */
export function knownKeysAt(schema: z.ZodType, path: FieldPath): string[] {
  let candidates: z.ZodType[] = [schema];
  for (const segment of path) {
    candidates = candidates.flatMap((candidate) =>
      unwrap(candidate).flatMap((inner) => childOf(inner, segment)),
    );
  }
  const keys = new Set<string>();
  for (const candidate of candidates.flatMap(unwrap)) {
    if (candidate instanceof z.ZodObject) for (const key of Object.keys(candidate.shape)) keys.add(key);
  }
  return [...keys];
}

/** Looks through wrappers (optional, default, transforms) and into every option of a union. */
function unwrap(schema: z.ZodType): z.ZodType[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodPipe) return unwrap(schema.in as z.ZodType);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(unwrap);
  return [schema];
}

function childOf(schema: z.ZodType, segment: string | number): z.ZodType[] {
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    const child = typeof segment === 'string' && Object.hasOwn(shape, segment) ? shape[segment] : undefined;
    const catchall = schema.def.catchall as z.ZodType | undefined;
    return child !== undefined ? [child] : catchall !== undefined ? [catchall] : [];
  }
  if (schema instanceof z.ZodRecord) return [schema.valueType as z.ZodType];
  if (schema instanceof z.ZodArray) return [schema.element as z.ZodType];
  return [];
}
