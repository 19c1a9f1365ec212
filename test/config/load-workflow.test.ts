import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinWorkflow, loadWorkflow } from '../../src/config/index.js';
import { SAFETY_RULE } from '../../src/config/role-prompts.js';
import { lines, loadYaml, tempDir, writeConfig } from './config-files.js';

describe('finding the configuration', () => {
  it('uses the built-in workflow when the directory has no configuration file', () => {
    const dir = tempDir();
    expect(loadWorkflow({ cwd: dir })).toEqual(builtinWorkflow(dir));
  });

  it('applies command-line overrides, the workspace relative to cwd', () => {
    const { dir } = writeConfig(lines('budget: 5'), { 'repo/README.md': 'x' });
    const workflow = loadWorkflow({ cwd: dir, workspace: 'repo', budgetUsd: 0.5 });
    expect(workflow).toMatchObject({ workspace: path.join(dir, 'repo'), budgetUsd: 0.5 });
  });

  it('reads a file given relative to cwd, resolving its paths against its own directory', () => {
    const dir = tempDir();
    const { dir: configDir } = writeConfig(lines('workspace: ..', 'task: ./TASK.md'), {
      'TASK.md': '# Add caching\n',
    });
    const workflow = loadWorkflow({
      cwd: dir,
      configFile: path.relative(dir, path.join(configDir, 'phasewise.yaml')),
    });
    expect(workflow.workspace).toBe(path.dirname(configDir));
    expect(workflow.task).toEqual({ text: '# Add caching', source: path.join(configDir, 'TASK.md') });
  });
});

describe('top-level values', () => {
  it.each([
    ['budget: 2.5', 2.5],
    ['budget: $2', 2],
    ['budget: { usd: "$0.75" }', 0.75],
  ])('reads %s', (text, budgetUsd) => {
    expect(loadYaml(lines(text)).budgetUsd).toBe(budgetUsd);
  });

  it('reads deadline, concurrency, an inline task and a multi-line one', () => {
    expect(loadYaml(lines('deadline: 2 hours', 'concurrency: 4', 'task: Add a cache'))).toMatchObject({
      deadlineMs: 7_200_000,
      concurrency: 4,
      task: { text: 'Add a cache', source: 'inline' },
    });
    const long = 'Refactor the module. '.repeat(300).trim();
    expect(loadYaml(lines(`task: ${long}`)).task).toEqual({ text: long, source: 'inline' });
    expect(loadYaml(lines('task: |', '  Fix the login bug.', '  See ./docs/auth.md.')).task?.text).toBe(
      'Fix the login bug.\nSee ./docs/auth.md.',
    );
  });
});

describe('models', () => {
  it('maps tiers to declared providers, with pricing and scripted paths resolved', () => {
    const workflow = loadYaml(
      lines(
        'models:',
        '  tiers: [small, large]',
        '  small: ollama:llama3.1:8b',
        '  large: scripted:demo',
        '  providers:',
        '    ollama:',
        '      kind: openai-compatible',
        '      base_url: http://127.0.0.1:11434/v1',
        '      api_key_env: OLLAMA_KEY',
        '      pricing: { "llama3.1:8b": { input: 0, output: 0.1, cache_read: 0, cache_write_5m: 0.2 } }',
        '    scripted: { script: ./demo-script.yaml, latency_ms: 0, call_log: ./calls.log }',
      ),
      { 'demo-script.yaml': 'steps: []\n' },
    );
    expect(workflow.tiers).toEqual(['small', 'large']);
    expect(workflow.tierModels).toEqual({ small: 'ollama:llama3.1:8b', large: 'scripted:demo' });
    expect(workflow.providers.ollama).toEqual({
      name: 'ollama',
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKeyEnv: 'OLLAMA_KEY',
      pricing: { 'llama3.1:8b': { input: 0, output: 0.1, cacheRead: 0, cacheWrite5m: 0.2 } },
    });
    const dir = path.dirname(workflow.sourceFile ?? '');
    expect(workflow.providers.scripted).toEqual({
      name: 'scripted',
      kind: 'scripted',
      pricing: {},
      script: path.join(dir, 'demo-script.yaml'),
      latencyMs: 0,
      callLog: path.join(dir, 'calls.log'),
    });
  });

  it('gives each built-in role the tier at its place on a renamed ladder', () => {
    const workflow = loadYaml(
      lines(
        'models:',
        '  tiers: [small, medium, large]',
        '  small: openai:a',
        '  medium: openai:b',
        '  large: openai:c',
      ),
    );
    const tiers = workflow.phases.map((phase) => (phase.model.kind === 'tier' ? phase.model.tier : ''));
    expect(tiers).toEqual(['small', 'large', 'small', 'large', 'medium']);
  });

  it('reads a model as a tier, a provider:model reference, or auto', () => {
    const workflow = loadYaml(
      lines(
        'phases:',
        '  research: { model: sonnet }',
        '  planning: { model: "openai:gpt-5" }',
        '  review: { model: auto }',
      ),
    );
    expect(workflow.phases.map((phase) => phase.model)).toEqual([
      { kind: 'tier', tier: 'sonnet' },
      { kind: 'model', ref: 'openai:gpt-5' },
      { kind: 'auto' },
    ]);
  });
});

describe('phases', () => {
  it('orders phases by dependency, otherwise as declared', () => {
    const workflow = loadYaml(
      lines(
        'phases:',
        '  verification: { depends_on: [implementation, review] }',
        '  review: { depends_on: implementation }',
        '  research: {}',
        '  implementation: { dependencies: [planning] }',
        '  planning: { depends_on: research }',
      ),
    );
    expect(workflow.phases.map((phase) => phase.id)).toEqual([
      'research',
      'planning',
      'implementation',
      'review',
      'verification',
    ]);
  });

  it('applies top-level escalation, a phase override, limits and aliases', () => {
    const workflow = loadYaml(
      lines(
        'escalation: [escalate, halt]',
        'phases:',
        '  research: { quality_gate: 0.5, max_turns: 10, max_output_tokens: 1000, timeout: 1h30m, cost_limit: 0.5 }',
        '  planning: { escalation: [retry, retry, halt], depends_on: research }',
      ),
    );
    expect(workflow.phases[0]).toMatchObject({
      escalation: ['escalate', 'halt'],
      gate: { threshold: 0.5 },
      maxTurns: 10,
      maxOutputTokens: 1000,
      timeoutMs: 5_400_000,
      costLimitUsd: 0.5,
    });
    expect(workflow.phases[1]?.escalation).toEqual(['retry', 'retry', 'halt']);
  });

  it('gives implementation its own ladder unless the configuration or the phase sets one', () => {
    const ladders = (text: string) =>
      Object.fromEntries(loadYaml(text).phases.map((phase) => [phase.id, phase.escalation]));
    expect(ladders('version: 1')).toMatchObject({
      implementation: ['escalate', 'escalate', 'halt'],
      review: ['retry', 'escalate', 'halt'],
    });
    expect(ladders('escalation: [retry, halt]')).toMatchObject({
      implementation: ['retry', 'halt'],
      review: ['retry', 'halt'],
    });
    const own = lines('phases:', '  implementation: { escalation: [retry, escalate, halt] }');
    expect(ladders(own)).toEqual({ implementation: ['retry', 'escalate', 'halt'] });
  });

  it('fills in the defaults of listed gate checks', () => {
    const workflow = loadYaml(
      lines(
        'phases:',
        '  review:',
        '    quality_gate:',
        '      threshold: 0.7',
        '      checks: [{ kind: sections, sections: [Findings] }, { kind: cost, name: budget, weight: 0.5, required: true }]',
      ),
    );
    expect(workflow.phases[0]?.gate).toEqual({
      threshold: 0.7,
      checks: [
        { kind: 'sections', name: 'sections', weight: 1, required: false, sections: ['Findings'] },
        { kind: 'cost', name: 'budget', weight: 0.5, required: true },
      ],
    });
  });
});

describe('agents', () => {
  it('reads a user agent with a prompt file, extending a built-in role and taking its defaults', () => {
    const workflow = loadYaml(
      lines(
        'agents:',
        '  security-review:',
        '    extends: review',
        '    prompt: ./prompts/security.md',
        '    deliverables: [Findings, Handoff]',
        '  triage:',
        '    prompt: Sort the open issues by urgency.',
        'phases:',
        '  security: { agent: security-review }',
        '  triage: {}',
      ),
      { 'prompts/security.md': 'Look for injection.\n' },
    );
    expect(workflow.agents['security-review']).toEqual({
      name: 'security-review',
      builtin: false,
      description: workflow.agents.review?.description,
      // A prompt of one's own keeps the rule that repository text is data, not instructions.
      prompt: `Look for injection.\n\n${SAFETY_RULE}`,
      deliverables: ['Findings', 'Handoff'],
      permissions: ['read'],
      role: 'review',
    });
    expect(workflow.agents.triage).toMatchObject({
      prompt: `Sort the open issues by urgency.\n\n${SAFETY_RULE}`,
      deliverables: ['Handoff'],
    });
    expect(workflow.agents.triage!.role).toBeUndefined();
    expect(workflow.agents.review!.prompt.split(SAFETY_RULE)).toHaveLength(2);
    expect(workflow.phases[0]).toMatchObject({ model: { kind: 'tier', tier: 'opus' }, costLimitUsd: 0.25 });
    expect(workflow.phases[1]).toMatchObject({
      model: { kind: 'tier', tier: 'sonnet' },
      gate: { threshold: 0.85 },
    });
  });

  it('lets a user agent with a built-in name replace that role, keeping what it does not say', () => {
    const workflow = loadYaml(lines('agents:', '  research:', '    permissions: [read, run]'));
    expect(workflow.agents.research).toMatchObject({ builtin: false, permissions: ['read', 'run'] });
    expect(workflow.agents.research?.prompt).toBe(builtinWorkflow('/').agents.research?.prompt);
  });
});
