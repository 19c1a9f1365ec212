/** What a GitHub event asks `phasewise action` to do: a trusted `/phasewise <task>` comment, a `phasewise` label. */
import { describe, expect, it } from 'vitest';
import { actionRequest } from '../../src/cli/github/action-event.js';

const issue = { number: 7, title: 'Add a /health endpoint', body: 'It returns {"ok": true}.' };
const comment = (body: string, author_association = 'MEMBER') => ({ body, author_association });

describe('actionRequest', () => {
  it('takes the task from a new comment that starts with /phasewise, from a trusted author', () => {
    expect(
      actionRequest('issue_comment', {
        action: 'created',
        issue,
        comment: comment('/phasewise Fix the build\nand the lint'),
      }),
    ).toEqual({
      kind: 'task',
      task: 'Fix the build\nand the lint',
      issue: 7,
    });
    expect(
      actionRequest('issue_comment', { action: 'created', issue, comment: comment('/phasewise   ') }).kind,
    ).toBe('none');
    expect(
      actionRequest('issue_comment', { action: 'edited', issue, comment: comment('/phasewise x') }).kind,
    ).toBe('none');
    expect(
      actionRequest('issue_comment', { action: 'created', issue, comment: comment('please /phasewise x') })
        .kind,
    ).toBe('none');
    expect(
      actionRequest('issue_comment', {
        action: 'created',
        issue,
        comment: comment('/phasewise x', 'CONTRIBUTOR'),
      }),
    ).toMatchObject({
      kind: 'none',
      why: expect.stringMatching(/CONTRIBUTOR, not an owner, member or collaborator/),
    });
  });

  it('takes the issue title and body when the issue is labelled phasewise, and nothing for other labels or events', () => {
    expect(actionRequest('issues', { action: 'labeled', issue, label: { name: 'phasewise' } })).toEqual({
      kind: 'task',
      task: 'Add a /health endpoint\n\nIt returns {"ok": true}.',
      issue: 7,
    });
    expect(actionRequest('issues', { action: 'labeled', issue, label: { name: 'bug' } }).kind).toBe('none');
    expect(actionRequest('issues', { action: 'opened', issue }).kind).toBe('none');
    expect(actionRequest('push', { issue }).kind).toBe('none');
    expect(actionRequest('issue_comment', { action: 'created', comment: comment('/phasewise x') }).kind).toBe(
      'none',
    );
  });
});
