/**
 * Writes schema/phasewise.schema.json from the zod schema (`npm run schema`). The file is shipped so editors can
 * check phasewise.yaml; test/config/json-schema.test.ts fails when it is out of date.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigJsonSchema } from '../src/config/json-schema.js';

const target = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'schema',
  'phasewise.schema.json',
);
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, renderConfigJsonSchema());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
