/** `models.providers.<name>.rate_limit`: resolved into the provider's config, and bad values refused clearly. */
import { describe, expect, it } from 'vitest';
import { rateLimitLines } from '../../src/cli/commands/validate.js';
import { issueAt, lines, loadYaml, rejectionOf, where } from './config-files.js';

describe('provider rate limits', () => {
  it('resolves every limit, and leaves a provider without rate_limit unlimited', () => {
    const workflow = loadYaml(
      lines(
        'models:',
        '  providers:',
        '    anthropic:',
        '      rate_limit: { requests_per_minute: 50, tokens_per_minute: 40000, max_concurrent: 4 }',
        '    openai:',
        '      rate_limit:',
        '        max_concurrent: 1',
      ),
    );
    expect(workflow.providers.anthropic?.rateLimit).toEqual({
      requestsPerMinute: 50,
      tokensPerMinute: 40_000,
      maxConcurrent: 4,
    });
    expect(workflow.providers.openai?.rateLimit).toEqual({ maxConcurrent: 1 });
    expect(workflow.providers.scripted).not.toHaveProperty('rateLimit');
    // `phasewise validate` names them.
    expect(rateLimitLines(workflow)).toEqual([
      'rate limit: anthropic: 50 requests/min, 40000 tokens/min, 4 call(s) at once, within each phasewise process (shared with a Postgres journal)',
      'rate limit: openai: 1 call(s) at once, within each phasewise process (shared with a Postgres journal)',
    ]);
    const shared = loadYaml(
      lines(
        'journal: { kind: postgres }',
        'models:',
        '  providers:',
        '    openai: { rate_limit: { max_concurrent: 2 } }',
      ),
    );
    expect(rateLimitLines(shared)).toEqual([
      'rate limit: openai: 2 call(s) at once, shared by every process of the Postgres journal',
    ]);
  });

  it.each([
    ['requests_per_minute: 0', 'requests_per_minute', 'must be at least 1, got 0'],
    ['tokens_per_minute: -5', 'tokens_per_minute', 'must be at least 1, got -5'],
    ['max_concurrent: 1.5', 'max_concurrent', 'expected a whole number, got 1.5'],
    ['max_concurrent: two', 'max_concurrent', 'expected a number, got "two"'],
  ])('refuses %s', (entry, field, message) => {
    const { error } = rejectionOf(
      lines('models:', '  providers:', `    anthropic: { rate_limit: { ${entry} } }`),
    );
    const issue = issueAt(error, `models.providers.anthropic.rate_limit.${field}`);
    expect(issue.message).toBe(message);
    expect(where(issue)).toMatch(/^phasewise\.yaml:3:\d+$/);
  });

  it('refuses a rate_limit on Claude Code, whose sessions make their own calls', () => {
    const { error } = rejectionOf(
      lines('models:', '  providers:', '    claude-code: { rate_limit: { max_concurrent: 1 } }'),
    );
    expect(issueAt(error, 'models.providers.claude-code.rate_limit')).toMatchObject({
      line: 3,
      message: '`rate_limit` does not apply to kind claude-code: its sessions make their own calls',
      hint: 'remove rate_limit here; Claude Code has its own limits',
    });
  });

  it('refuses an unknown key and a rate_limit that limits nothing', () => {
    const { error } = rejectionOf(
      lines(
        'models:',
        '  providers:',
        '    anthropic: { rate_limit: { requests_per_second: 3 } }',
        '    openai: { rate_limit: {} }',
      ),
    );
    expect(issueAt(error, 'models.providers.anthropic.rate_limit.requests_per_second')).toMatchObject({
      message: 'unknown key `requests_per_second`',
      hint: 'did you mean `requests_per_minute`?',
    });
    expect(issueAt(error, 'models.providers.openai.rate_limit')).toMatchObject({
      line: 4,
      message: '`rate_limit` sets no limit',
      hint: 'give requests_per_minute, tokens_per_minute or max_concurrent, or remove rate_limit',
    });
  });
});
