/**
 * What a command loads when it starts: its module is imported in a fresh Node process of the built CLI, with a
 * module hook listing every file loaded. A command must not load what it never uses (the fake LLM server and
 * `node:http` for `run`, the AI SDK for `validate`): each costs tens of milliseconds of cold start.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '..', '..', 'dist');

/** The URLs of the modules loaded by importing `dist/<modulePath>` in a fresh process. */
function modulesLoadedBy(modulePath: string): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
    await import(${JSON.stringify(join(dist, modulePath))});
    process.stdout.write(JSON.stringify(loaded));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as string[];
}

describe('modules loaded at start', () => {
  it('run loads the scripted model but not the fake LLM server', () => {
    const loaded = modulesLoadedBy('cli/commands/run.js');
    expect(loaded.some((url) => url.endsWith('/dist/testing/scripted-model.js'))).toBe(true);
    expect(loaded.filter((url) => url.includes('/dist/testing/fake-llm-'))).toEqual([]);
    expect(loaded).not.toContain('node:http');
  });

  it('validate loads neither the AI SDK nor the fake LLM server', () => {
    const loaded = modulesLoadedBy('cli/commands/validate.js');
    expect(loaded.some((url) => url.endsWith('/dist/config/schema.js'))).toBe(true);
    expect(loaded.filter((url) => /\/node_modules\/(ai|@ai-sdk\/[^/]+)\//.test(url))).toEqual([]);
    expect(loaded.filter((url) => url.includes('/dist/testing/fake-llm-'))).toEqual([]);
  });

  it('the command table and run load nothing of the dashboard (`serve` loads it when it runs)', () => {
    for (const module of ['cli/command-table.js', 'cli/commands/run.js', 'cli/commands/review.js']) {
      expect(modulesLoadedBy(module).filter((url) => url.includes('/dist/cli/serve/'))).toEqual([]);
    }
    const serving = modulesLoadedBy('cli/commands/serve.js');
    expect(serving.some((url) => url.endsWith('/dist/cli/serve/dashboard-server.js'))).toBe(true);
  });
});
