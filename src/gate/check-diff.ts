/**
 * `diff`: what the attempt did to the workspace. Research and review only read, so any change fails them
 * (`expect: unchanged`); implementation must change something (`expect: changed`), and only within
 * `allowed_paths` when given. The caller measures the change (`changedSince` of a snapshot taken before the
 * attempt, narrowed to what the phase itself changed: `tools/change-attribution.ts`); what others changed
 * meanwhile is shown, not counted. `.phasewise/` never counts. Not measured is an error, never a pass: this
 * check is often a veto.
 */
import type { CheckOutcome } from './gate-input.js';
import { matchesAnyGlob } from './path-glob.js';

export interface DiffCheckOptions {
  expect: 'unchanged' | 'changed';
  allowedPaths?: string[];
  /** No changed path may match these (a refactor's tests). */
  forbiddenPaths?: string[];
  /** At least one changed path must match these (a bug fix's new test). */
  mustChange?: string[];
}

const SHOWN_PATHS = 10;

export function checkDiff(
  changedPaths: string[] | null,
  options: DiffCheckOptions,
  changedByOthers: string[] = [],
): CheckOutcome {
  if (changedPaths === null) {
    throw new Error('the workspace changes were not measured (no snapshot before the attempt)');
  }
  const changed = changedPaths.filter((file) => !/(?:^|\/)\.phasewise(?:\/|$)/.test(file));
  const notCounted = changedByOthers.length === 0 ? {} : { changedByOthers };
  const others =
    changedByOthers.length === 0 ? '' : `; not by the phase, not counted: ${list(changedByOthers)}`;
  if (options.expect === 'unchanged') {
    return changed.length === 0
      ? { score: 1, message: `the workspace is unchanged${others}`, evidence: { changed, ...notCounted } }
      : {
          score: 0,
          message: `the workspace changed: ${list(changed)}`,
          evidence: { changed, ...notCounted },
        };
  }
  if (changed.length === 0) {
    return {
      score: 0,
      message: `nothing in the workspace changed${others}`,
      evidence: { changed, ...notCounted },
    };
  }
  const allowed = options.allowedPaths;
  const outside = allowed === undefined ? [] : changed.filter((file) => !matchesAnyGlob(file, allowed));
  const forbidden = options.forbiddenPaths;
  const touched = forbidden === undefined ? [] : changed.filter((file) => matchesAnyGlob(file, forbidden));
  const wanted = options.mustChange;
  const missed = wanted !== undefined && !changed.some((file) => matchesAnyGlob(file, wanted));
  const evidence = {
    changed,
    ...(allowed === undefined ? {} : { allowedPaths: allowed, outside }),
    ...(forbidden === undefined ? {} : { forbiddenPaths: forbidden, forbiddenChanged: touched }),
    ...(wanted === undefined ? {} : { mustChange: wanted }),
    ...notCounted,
  };
  const failures = [
    ...(outside.length > 0
      ? [`changed outside the allowed paths (${allowed?.join(', ')}): ${list(outside)}`]
      : []),
    ...(touched.length > 0 ? [`changed forbidden paths (${forbidden?.join(', ')}): ${list(touched)}`] : []),
    ...(missed ? [`changed nothing matching ${wanted?.join(', ')}`] : []),
  ];
  if (failures.length > 0) return { score: 0, message: failures.join('; '), evidence };
  return { score: 1, message: `${changed.length} path(s) changed`, evidence };
}

function list(paths: string[]): string {
  const shown = paths.slice(0, SHOWN_PATHS).join(', ');
  return paths.length > SHOWN_PATHS ? `${shown} and ${paths.length - SHOWN_PATHS} more` : shown;
}
