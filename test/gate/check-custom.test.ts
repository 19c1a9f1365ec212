import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/gate.js';
import { GateCheckError } from '../../src/gate/gate-check-error.js';
import { check, gateInput, gateServices, tempWorkspace } from './gate-fixtures.js';

const modules = tempWorkspace({
  'checks/word-count.mjs': [
    'export default async function wordCount(input) {',
    '  const words = input.output.split(/\\s+/).filter(Boolean).length;',
    '  const score = Math.min(1, words / input.options.minWords);',
    '  return { score, message: words + " words", evidence: { words, workspace: input.workspace, changed: input.changedPaths } };',
    '}',
    'export const named = () => ({ score: 1, message: "named export" });',
    'export const throws = () => { throw new Error("database unreachable"); };',
    'export const noScore = () => ({ message: "forgot the score" });',
    'export const outOfRange = () => ({ score: 2, message: "too good" });',
    'export const notAFunction = 42;',
  ].join('\n'),
  'checks/broken.mjs': 'export default (',
});
const module = join(modules, 'checks/word-count.mjs');

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function runCustom(
  options: { module?: string; export?: string; minWords?: number },
  output = 'one two three four',
) {
  const gate = {
    threshold: 1,
    checks: [
      check('custom', {
        name: 'words',
        module: options.module ?? module,
        moduleSha256: sha256(options.module ?? module),
        export: options.export ?? 'default',
        options: { minWords: options.minWords ?? 4 },
      }),
    ],
  };
  const workspace = tempWorkspace();
  return evaluateGate(gate, gateInput({ output, workspace, changedPaths: ['a.js'] }), gateServices());
}

describe('custom', () => {
  it('passes when the module says so, with its evidence and the gate input it was given', async () => {
    const result = await runCustom({});
    expect(result.checks[0]).toMatchObject({
      name: 'words',
      kind: 'custom',
      score: 1,
      passed: true,
      message: '4 words',
    });
    expect(result.checks[0]?.evidence).toMatchObject({ words: 4, changed: ['a.js'] });
    expect((await runCustom({ export: 'named' })).checks[0]?.message).toBe('named export');
  });

  it('fails when the module scores low', async () => {
    const result = await runCustom({ minWords: 8 });
    expect(result).toMatchObject({ score: 0.5, passed: false });
  });

  it.each([
    ['throws', `${module} (export \`throws\`) threw: database unreachable`],
    [
      'noScore',
      `${module} (export \`noScore\`) returned no score between 0 and 1 (got {"message":"forgot the score"})`,
    ],
    [
      'outOfRange',
      `${module} (export \`outOfRange\`) returned no score between 0 and 1 (got {"score":2,"message":"too good"})`,
    ],
    ['notAFunction', `${module} (export \`notAFunction\`) is not a function (it is number)`],
    ['missing', `${module} (export \`missing\`) is not a function (it is missing)`],
  ])('is an error naming the module when export %s misbehaves', async (exportName, message) => {
    const failure = await runCustom({ export: exportName }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GateCheckError);
    expect((failure as Error).message).toBe(`gate check \`words\` (custom): ${message}`);
  });

  it('fails, without running it, a module changed since the configuration was loaded', async () => {
    const copy = join(
      tempWorkspace({ 'gate.mjs': 'export default () => ({ score: 0, message: "honest" });\n' }),
      'gate.mjs',
    );
    const gate = (moduleSha256: string) => ({
      threshold: 1,
      checks: [check('custom', { module: copy, moduleSha256, export: 'default' })],
    });
    const loadedSha = sha256(copy);
    appendFileSync(copy, 'export const pass = () => ({ score: 1, message: "rigged" });\n');
    const result = await evaluateGate(gate(loadedSha), gateInput(), gateServices());
    expect(result.checks[0]).toMatchObject({
      score: 0,
      message: `${copy} changed since the configuration was loaded, so it was not run; leave gate checks alone`,
      evidence: { expectedSha256: loadedSha, actualSha256: sha256(copy) },
    });
  });

  it('is an error naming the module when it cannot be loaded', async () => {
    const broken = join(modules, 'checks/broken.mjs');
    await expect(runCustom({ module: broken })).rejects.toThrow(
      `gate check \`words\` (custom): could not load ${broken}`,
    );
  });
});
