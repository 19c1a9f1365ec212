/**
 * Git's own bookkeeping of worktrees (`.git/worktrees/`) is not safe against two registrations changing at once
 * in a repository (a `git worktree add` can fail reading another's half-written `commondir`), and lanes start
 * and finish side by side: in one repository, worktrees are added and removed one at a time.
 */
const registering = new Map<string, Promise<unknown>>();

/** Runs `work` once every earlier registration change in the repository at `top` has settled. */
export async function oneRegistrationAtATime<T>(top: string, work: () => Promise<T>): Promise<T> {
  const before = registering.get(top) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(work);
  const tail = mine.catch(() => undefined);
  registering.set(top, tail);
  try {
    return await mine;
  } finally {
    if (registering.get(top) === tail) registering.delete(top);
  }
}
