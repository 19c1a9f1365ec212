import { describe, expect, it } from 'vitest';
import { issueAt, lines, rejectionOf, where } from './config-files.js';

describe('models and providers', () => {
  it('refuses a tier model whose provider is neither known nor declared', () => {
    const { error } = rejectionOf(lines('models:', '  haiku: ollama:llama3'));
    const issue = issueAt(error, 'models.haiku');
    expect(where(issue)).toBe('phasewise.yaml:2:10');
    expect(issue.message).toBe('unknown provider `ollama` in `ollama:llama3`');
    expect(issue.hint).toBe(
      'known providers: anthropic, openai, claude-code, scripted; declare others under models.providers',
    );
  });

  it('refuses a tier entry that is not listed in tiers, at the key', () => {
    const { error } = rejectionOf(lines('models:', '  hiaku: anthropic:claude-haiku-4-5'));
    const issue = issueAt(error, 'models.hiaku');
    expect(where(issue)).toBe('phasewise.yaml:2:3');
    expect(issue).toMatchObject({
      message: '`hiaku` is not one of models.tiers (haiku, sonnet, opus)',
      hint: 'did you mean `haiku`?',
    });
  });

  it('refuses a listed tier that has no model', () => {
    const { error } = rejectionOf(lines('models:', '  tiers: [haiku, turbo]'));
    expect(issueAt(error, 'models.tiers[1]')).toMatchObject({
      line: 2,
      column: 18,
      message: 'tier `turbo` has no model',
    });
  });

  it('refuses a tier listed twice and a tier named auto', () => {
    const { error } = rejectionOf(lines('models:', '  tiers: [haiku, haiku, auto]', '  auto: anthropic:x'));
    expect(issueAt(error, 'models.tiers[1]').message).toBe('tier `haiku` is listed twice');
    expect(issueAt(error, 'models.tiers[2]').message).toBe(
      '`auto` cannot name a tier: `model: auto` picks a tier',
    );
  });

  it('refuses a tier model that is not provider:model', () => {
    const { error } = rejectionOf(lines('models:', '  haiku: claude-haiku'));
    expect(issueAt(error, 'models.haiku').message).toBe(
      'expected `provider:model`, e.g. anthropic:claude-sonnet-4-5',
    );
  });

  it('refuses a declared provider without a kind, and an openai-compatible one without base_url', () => {
    const { error } = rejectionOf(
      lines(
        'models:',
        '  providers:',
        '    local: { base_url: "http://127.0.0.1:8000/v1" }',
        '    ollama:',
        '      kind: openai-compatible',
      ),
    );
    expect(issueAt(error, 'models.providers.local')).toMatchObject({
      line: 3,
      column: 5,
      message: 'provider `local` needs a `kind`',
    });
    expect(issueAt(error, 'models.providers.ollama')).toMatchObject({
      line: 4,
      message: 'provider `ollama` (openai-compatible) needs a `base_url`',
    });
  });

  it('refuses an unknown provider kind, a bad URL, an API key in place of a variable name, and a bad price', () => {
    const { error } = rejectionOf(
      lines(
        'models:',
        '  providers:',
        '    local:',
        '      kind: ollama',
        '      base_url: not a url',
        '      api_key_env: sk-123',
        '      pricing: { llama3: { input: -1, output: 0 } }',
      ),
    );
    expect(issueAt(error, 'models.providers.local.kind').hint).toBe(
      'allowed: anthropic, openai, openai-compatible, claude-code, scripted',
    );
    expect(issueAt(error, 'models.providers.local.base_url').message).toBe(
      'expected a URL such as http://127.0.0.1:11434/v1',
    );
    expect(issueAt(error, 'models.providers.local.api_key_env').message).toBe(
      'expected the name of an environment variable, not a key',
    );
    expect(issueAt(error, 'models.providers.local.pricing.llama3.input')).toMatchObject({
      line: 7,
      message: 'must be at least 0, got -1',
    });
  });

  it('refuses scripted-only fields on another kind and a missing script file', () => {
    const { error, dir } = rejectionOf(
      lines(
        'models:',
        '  providers:',
        '    openai: { latency_ms: 5 }',
        '    scripted: { script: ./script.yaml }',
      ),
    );
    expect(issueAt(error, 'models.providers.openai.latency_ms').message).toBe(
      '`latency_ms` applies only to kind scripted',
    );
    expect(issueAt(error, 'models.providers.scripted.script').message).toBe(
      `script file not found: ${dir}/script.yaml`,
    );
  });
});

describe('agents', () => {
  it('refuses an agent without a prompt that extends nothing', () => {
    const { error } = rejectionOf(lines('agents:', '  triage:', '    description: sorts issues'));
    expect(issueAt(error, 'agents.triage')).toMatchObject({
      line: 2,
      column: 3,
      message: 'agent `triage` needs a `prompt`',
    });
  });

  it('refuses a prompt file that does not exist, without a second error for the phase using it', () => {
    const { error, dir } = rejectionOf(
      lines('agents:', '  triage:', '    prompt: ./prompts/triage.md', 'phases:', '  triage: {}'),
    );
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: 'agents.triage.prompt',
        line: 3,
        message: `file not found: ${dir}/prompts/triage.md`,
      }),
    ]);
  });

  it('refuses extending something that is not a built-in role, and an unknown permission', () => {
    const { error } = rejectionOf(
      lines('agents:', '  triage:', '    extends: reviewer', '    permissions: [read, delete]'),
    );
    expect(issueAt(error, 'agents.triage.extends').hint).toBe('did you mean `review`?');
    expect(issueAt(error, 'agents.triage.permissions[1]').message).toBe(
      'expected `read`, `write`, `run`; got "delete"',
    );
  });
});
