/**
 * A model call in flight when a kill lands is paid by the provider and made again on resume. Its usage never
 * reached phasewise, so the report cannot count it as spent; it must say how many calls were cut off and re-run
 * and estimate what they cost — here checked against the fake LLM server's own billing of every request it was
 * sent. And a killed run is `interrupted` in every view (report in each format, status, runs), not `running`.
 * The built CLI, a real SIGKILL mid-stream, the real Anthropic client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { cli, startCli } from '../support/cli.js';
import { CRASH_API_KEY, CRASH_KEY_ENV, crashScript, makeCrashSuiteWorkspace } from './crash-harness.js';

/** Slow enough that a kill 300 ms after a request arrives lands mid-stream. */
const STREAM_DELAY_MS = 60;
const env = { [CRASH_KEY_ENV]: CRASH_API_KEY };

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Tokens {
  inputNoCache: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}
const input = (tokens: Tokens) => tokens.inputNoCache + tokens.cacheRead + tokens.cacheWrite;

/** Starts a run and SIGKILLs it 300 ms after the server receives the planning phase's request. */
async function killMidStream(workspace: string): Promise<void> {
  const running = startCli(['run', '--json'], { cwd: workspace, env });
  const poll = setInterval(() => {
    if (server!.requests.some((request) => request.conversation === 'planning')) {
      clearInterval(poll);
      setTimeout(() => running.child.kill('SIGKILL'), 300);
    }
  }, 10);
  const result = await running.done;
  clearInterval(poll);
  expect(result.signal, result.stderr).toBe('SIGKILL');
}

const reportJson = (workspace: string, runId: string) =>
  JSON.parse(cli(['report', runId, '--format', 'json'], { cwd: workspace, env }).stdout);

describe('a call cut off by a kill', () => {
  it('is counted, estimated from its re-run, and the killed run is interrupted in every view', async () => {
    server = await startFakeLlmServer({
      script: crashScript(STREAM_DELAY_MS),
      apiKey: CRASH_API_KEY,
      // Caching off: the cut-off call would write the cache its re-run reads, and the two would differ.
      cacheMinTokens: Number.MAX_SAFE_INTEGER,
    });
    const workspace = makeCrashSuiteWorkspace(server.anthropicBaseUrl);
    await killMidStream(workspace);
    const runId = JSON.parse(cli(['runs', '--json'], { cwd: workspace, env }).stdout.split('\n')[0]!).runId;

    // One status everywhere for the killed run.
    const killed = reportJson(workspace, runId);
    expect(killed.status).toBe('interrupted');
    expect(JSON.parse(cli(['status', runId, '--json'], { cwd: workspace, env }).stdout).status).toBe(
      'interrupted',
    );
    expect(JSON.parse(cli(['runs', '--json'], { cwd: workspace, env }).stdout.split('\n')[0]!).status).toBe(
      'interrupted',
    );
    expect(cli(['report', runId, '--format', 'md'], { cwd: workspace, env }).stdout).toMatch(
      /^# phasewise run \S+: interrupted/,
    );
    expect(cli(['report', runId, '--format', 'html'], { cwd: workspace, env }).stdout).toContain(
      '>interrupted</span>',
    );
    expect(cli(['report', runId], { cwd: workspace, env }).stdout).toMatch(/^run \S+ {2}interrupted/);
    // Cut off and not re-run yet: counted, no estimate.
    expect(killed.cutOff).toMatchObject({ calls: 0, notRerun: 1, estimatedCostUsd: 0 });

    const resumed = await startCli(['resume', runId, '--json'], { cwd: workspace, env }).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = reportJson(workspace, runId);
    expect(report.status).toBe('succeeded');
    expect(report.cutOff).toMatchObject({ calls: 1, notRerun: 0 });
    const planning = report.phases.find((phase: { id: string }) => phase.id === 'planning');
    expect(planning.cutOff.calls).toBe(1);
    expect(planning.cutOff.estimatedCostUsd).toBeGreaterThan(0);
    expect(report.cutOff.estimatedCostUsd).toBe(planning.cutOff.estimatedCostUsd);

    // The server billed every request it was sent, the cut-off one included.
    const billed = server.requests
      .filter((request) => request.usage !== undefined)
      .reduce(
        (sum, { usage }) => ({
          input: sum.input + usage!.input + usage!.cacheRead + usage!.cacheWrite5m + usage!.cacheWrite1h,
          output: sum.output + usage!.output,
        }),
        { input: 0, output: 0 },
      );
    console.log(
      `cut-off calls: server billed ${billed.input} in / ${billed.output} out; report spent ${input(report.tokens)} / ${report.tokens.output}; estimate of the ${report.cutOff.calls} cut-off call ${input(report.cutOff.estimatedTokens)} / ${report.cutOff.estimatedTokens.output} ($${report.cutOff.estimatedCostUsd.toFixed(6)})`,
    );
    expect(input(report.tokens)).toBeLessThan(billed.input);
    // Reported spent + the estimate of the cut-off call: the server's billing (the re-run sends the same prompt).
    expect(input(report.tokens) + input(report.cutOff.estimatedTokens)).toBe(billed.input);
    const withEstimate = report.tokens.output + report.cutOff.estimatedTokens.output;
    expect(Math.abs(withEstimate - billed.output)).toBeLessThanOrEqual(billed.output * 0.1);

    const text = cli(['report', runId], { cwd: workspace, env }).stdout;
    expect(text).toMatch(/calls cut off by a kill: 1 call re-run, about \$\d/);
    expect(text).toContain('not included in the spent figure');
    expect(text).toMatch(/ {2}planning: 1 call re-run/);
    expect(cli(['report', runId, '--format', 'md'], { cwd: workspace, env }).stdout).toContain(
      'calls cut off by a kill: 1 call re-run',
    );
    expect(cli(['status', runId], { cwd: workspace, env }).stdout).toContain(
      'calls cut off by a kill: 1 call',
    );
  }, 120_000);
});
