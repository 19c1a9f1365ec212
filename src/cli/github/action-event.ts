/**
 * What a GitHub Action event asks phasewise to do: an issue comment whose first line is `/phasewise <task>`
 * (from the repository's owner, a member or a collaborator: anyone else could spend its keys), or an issue
 * labelled `phasewise` (its title and body are the task). Anything else asks nothing.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors/index.js';

export const ACTION_LABEL = 'phasewise';
const TRUSTED = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export type ActionRequest = { kind: 'task'; task: string; issue: number } | { kind: 'none'; why: string };

interface EventPayload {
  action?: string;
  issue?: { number?: number; title?: string; body?: string | null };
  comment?: { body?: string; author_association?: string };
  label?: { name?: string };
}

/** The event Actions describe in GITHUB_EVENT_NAME and GITHUB_EVENT_PATH. */
export function readActionEvent(env: Record<string, string | undefined>): ActionRequest {
  const name = env.GITHUB_EVENT_NAME;
  const path = env.GITHUB_EVENT_PATH;
  if (name === undefined || path === undefined) {
    throw new UsageError(
      '`phasewise action` runs in a GitHub Action: GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set',
      {
        hint: 'use it through action.yml (see docs/github.md); locally, set both to a recorded event',
      },
    );
  }
  let payload: EventPayload;
  try {
    payload = JSON.parse(readFileSync(path, 'utf8')) as EventPayload;
  } catch (error) {
    throw new UsageError(`cannot read the event payload ${path}: ${(error as Error).message}`);
  }
  return actionRequest(name, payload);
}

export function actionRequest(name: string, payload: EventPayload): ActionRequest {
  const issue = payload.issue?.number;
  if (typeof issue !== 'number') return { kind: 'none', why: `the ${name} event names no issue` };
  if (name === 'issue_comment') {
    if (payload.action !== 'created')
      return { kind: 'none', why: `a comment ${payload.action ?? 'event'}, not created` };
    const match = /^\/phasewise[ \t]+(\S[\s\S]*)$/.exec((payload.comment?.body ?? '').trim());
    if (match === null) return { kind: 'none', why: 'the comment does not start with `/phasewise <task>`' };
    const association = payload.comment?.author_association ?? 'NONE';
    if (!TRUSTED.has(association)) {
      return {
        kind: 'none',
        why: `the comment's author is ${association}, not an owner, member or collaborator`,
      };
    }
    return { kind: 'task', task: (match[1] ?? '').trim(), issue };
  }
  if (name === 'issues') {
    if (payload.action !== 'labeled' || payload.label?.name !== ACTION_LABEL) {
      return { kind: 'none', why: `the issue was not labelled \`${ACTION_LABEL}\`` };
    }
    const body = payload.issue?.body?.trim() ?? '';
    return {
      kind: 'task',
      task: `${payload.issue?.title ?? ''}${body === '' ? '' : `\n\n${body}`}`.trim(),
      issue,
    };
  }
  return { kind: 'none', why: `phasewise answers issue_comment and issues events, not ${name}` };
}
