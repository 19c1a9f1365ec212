/**
 * A mistyped model through the built CLI: `validate`, `estimate` and `run` each refuse it before anything runs
 * (exit 2), at the line and column where the configuration names it, suggesting the model meant first.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'phasewise-model-'));
  writeFileSync(
    join(dir, 'phasewise.yaml'),
    [
      'task: add a health check',
      'models:',
      '  tiers: [small, large]',
      '  small: anthropic:claude-haiku-4-5',
      '  large: anthropic:claude-sonet-4-5',
      '  providers:',
      '    local: { kind: openai-compatible, base_url: "http://127.0.0.1:11434/v1" }',
      'phases:',
      '  research:',
      '    model: local:qwen-small',
      '',
    ].join('\n'),
  );
  return dir;
}

describe.each(['validate', 'estimate', 'run'])('%s', (command) => {
  it('suggests the model meant first, where it is named; a name with nothing close gets the advice to add a price', () => {
    const dir = workspace();
    const result = cli([command], { cwd: dir, env: { ANTHROPIC_API_KEY: 'sk-unused-model-test' } });
    expect(result.code, result.stderr).toBe(2);
    const config = join(dir, 'phasewise.yaml');
    expect(result.stderr).toContain(
      `${config}:5:10: models.large: no price is known for anthropic:claude-sonet-4-5: did you mean claude-sonnet-4-5?`,
    );
    expect(result.stderr).toContain(
      `${config}:10:12: phases.research.model: no price is known for local:qwen-small, so its budget cannot be enforced\n` +
        '    hint: add models.providers.local.pricing["qwen-small"]',
    );
    // Refused before anything is written.
    expect(existsSync(join(dir, '.phasewise'))).toBe(false);
  });
});
