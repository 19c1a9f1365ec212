import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/gate.js';
import type { GroupCommandOptions } from '../../src/tools/process-group.js';
import { createRedactor } from '../../src/util/redact.js';
import { check, gateInput, gateServices, tempWorkspace } from './gate-fixtures.js';

const env = { PATH: process.env.PATH, HOME: process.env.HOME };

async function runCommandCheck(
  command: string,
  options: { timeoutMs?: number; expectExit?: number } = {},
  services = gateServices({ env }),
) {
  const workspace = tempWorkspace({ 'marker.txt': 'here\n' });
  const gate = {
    threshold: 1,
    checks: [
      check('command', {
        command,
        timeoutMs: options.timeoutMs ?? 10_000,
        expectExit: options.expectExit ?? 0,
      }),
    ],
  };
  const result = await evaluateGate(gate, gateInput({ workspace }), services);
  return result.checks[0]!;
}

describe('command', () => {
  it('passes when the command exits as expected, running in the workspace', async () => {
    const result = await runCommandCheck('cat marker.txt && echo ok');
    expect(result).toMatchObject({
      score: 1,
      passed: true,
      message: '`cat marker.txt && echo ok` exited with 0',
    });
    expect(result.evidence).toMatchObject({ exitCode: 0, ending: 'exited', outputTail: 'here\nok\n' });
  });

  it('fails on another exit code, keeping the code and the tail of the output', async () => {
    const result = await runCommandCheck('seq 1 3000; echo "2 tests failed"; exit 3');
    expect(result).toMatchObject({
      score: 0,
      message: '`seq 1 3000; echo "2 tests failed"; exit 3` exited with 3 (expected 0)',
    });
    const evidence = result.evidence as { exitCode: number; outputTail: string };
    expect(evidence.exitCode).toBe(3);
    expect(evidence.outputTail.endsWith('2999\n3000\n2 tests failed\n')).toBe(true);
    expect(evidence.outputTail.length).toBeLessThanOrEqual(4_001);
    expect(evidence.outputTail.startsWith('…')).toBe(true);
  });

  it('passes a non-zero exit when that is what is expected', async () => {
    expect((await runCommandCheck('exit 1', { expectExit: 1 })).score).toBe(1);
    expect((await runCommandCheck('exit 0', { expectExit: 1 })).score).toBe(0);
  });

  it('fails a command that outlives its timeout, and stops it', async () => {
    const started = performance.now();
    const result = await runCommandCheck('sleep 20', { timeoutMs: 200 });
    expect(result).toMatchObject({ score: 0, message: '`sleep 20` timed out after 0.2s' });
    expect(result.evidence).toMatchObject({ ending: 'timed-out' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('stops the command and throws the reason when the phase is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('phase timeout')), 100);
    const started = performance.now();
    await expect(
      runCommandCheck('sleep 20', {}, gateServices({ env, abortSignal: controller.signal })),
    ).rejects.toThrow('phase timeout');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('hides secrets: none in its environment, none in the kept output', async () => {
    const services = gateServices({
      env: { ...env, DEPLOY_API_KEY: 'sk-should-not-be-seen-1234' },
      redactor: createRedactor({ env: {}, extraSecrets: ['printed-secret-value'] }),
    });
    const result = await runCommandCheck(
      'echo "key=[$DEPLOY_API_KEY]"; echo printed-secret-value',
      {},
      services,
    );
    const tail = (result.evidence as { outputTail: string }).outputTail;
    expect(tail).toContain('key=[]');
    expect(tail).not.toContain('printed-secret-value');
    expect(tail).toContain('[REDACTED]');
  });

  it('uses an injected runner when given one', async () => {
    const calls: GroupCommandOptions[] = [];
    const runCommand = async (options: GroupCommandOptions) => {
      calls.push(options);
      return {
        ending: 'exited' as const,
        exitCode: 0,
        signal: null,
        output: 'fake',
        durationMs: 1,
        stoppedBackground: false,
      };
    };
    const result = await runCommandCheck(
      'npm test',
      { timeoutMs: 300_000 },
      gateServices({ env, runCommand }),
    );
    expect(result.score).toBe(1);
    expect(calls).toMatchObject([{ command: 'npm test', timeoutMs: 300_000 }]);
  });
});
