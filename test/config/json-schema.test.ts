import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema, initTemplate, renderConfigJsonSchema } from '../../src/config/index.js';

const shipped = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../schema/phasewise.schema.json',
);

type SchemaNode = Record<string, unknown>;

/** The schemas a value at this node may match: the node itself and each branch of anyOf / oneOf. */
function branches(node: SchemaNode): SchemaNode[] {
  const options = [...((node.anyOf as SchemaNode[]) ?? []), ...((node.oneOf as SchemaNode[]) ?? [])];
  return [node, ...options.flatMap(branches)];
}

/** Paths of every mapping key in `value` that no object schema at its place declares or allows. */
function undeclaredKeys(value: unknown, node: SchemaNode, at: string): string[] {
  if (Array.isArray(value)) {
    const items = branches(node)
      .map((branch) => branch.items as SchemaNode | undefined)
      .find(Boolean);
    return items === undefined
      ? [at]
      : value.flatMap((item, index) => undeclaredKeys(item, items, `${at}[${index}]`));
  }
  if (value === null || typeof value !== 'object') return [];
  const objects = branches(node).filter((branch) => branch.type === 'object');
  return Object.entries(value).flatMap(([key, child]) => {
    const declared = objects
      .map(
        (object) =>
          (object.properties as Record<string, SchemaNode> | undefined)?.[key] ?? object.additionalProperties,
      )
      .find((schema) => typeof schema === 'object');
    return declared === undefined
      ? [`${at}.${key}`]
      : undeclaredKeys(child, declared as SchemaNode, `${at}.${key}`);
  });
}

describe('the JSON Schema', () => {
  it('is draft 2020-12 and refuses unknown top-level keys', () => {
    const schema = configJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
  });

  it('is shipped up to date in schema/phasewise.schema.json (run `npm run schema` after changing the zod schema)', () => {
    expect(readFileSync(shipped, 'utf8')).toBe(renderConfigJsonSchema());
  });

  it('declares every key the init template uses', () => {
    expect(undeclaredKeys(parse(initTemplate()), configJsonSchema(), '$')).toEqual([]);
  });

  it('declares every key of a file using providers, checks and agents', () => {
    const config = {
      models: {
        providers: {
          local: { kind: 'openai-compatible', base_url: 'http://x', pricing: { m: { input: 1, output: 2 } } },
        },
      },
      phases: {
        review: { quality_gate: { checks: [{ kind: 'cost', weight: 1 }] }, dependencies: 'research' },
      },
      agents: { mine: { extends: 'review', prompt: 'x', permissions: ['read'] } },
    };
    expect(undeclaredKeys(config, configJsonSchema(), '$')).toEqual([]);
    expect(undeclaredKeys({ phases: { review: { quality_gat: 1 } } }, configJsonSchema(), '$')).toEqual([
      '$.phases.review.quality_gat',
    ]);
  });
});
