import { describe, expect, it } from 'vitest';
import { issueAt, loadYaml, rejectionOf } from './config-files.js';

describe('review_rounds', () => {
  it('defaults to 2 and takes 0 (no loop) to 10', () => {
    expect(loadYaml('version: 1\n').reviewRounds).toBe(2);
    expect(loadYaml('review_rounds: 0\n').reviewRounds).toBe(0);
    expect(loadYaml('review_rounds: 5\n').reviewRounds).toBe(5);
  });

  it.each(['-1', '1.5', '11'])('refuses review_rounds: %s with its position', (value) => {
    const { error } = rejectionOf(`review_rounds: ${value}\n`);
    expect(issueAt(error, 'review_rounds')).toMatchObject({ line: 1 });
  });
});
