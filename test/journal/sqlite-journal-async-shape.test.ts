/**
 * The Journal contract suite a second time, against the SQLite journal seen through a wrapper whose every method
 * answers with a Promise. Why: the Postgres journal (issue 17) will be asynchronous, and it must run the very
 * same suite unchanged. A suite that only passes against synchronous answers — a call not awaited, a failure
 * checked with `toThrow` on a function, a read that relies on a write being done when its call returns — fails
 * here first, against a journal we have today.
 *
 * The wrapper behaves as a database round trip would: each call's work happens on a later turn of the event loop,
 * a throw becomes a rejection, and the answer is a Promise. It also notes whether each answer was awaited (its
 * `then` called); one never awaited fails the test, so a write the suite forgot to await is caught too.
 *
 * Its type, `PromisedJournal` (every method of `Journal` returning a Promise), is what an asynchronous journal
 * will implement; it is handed to the suite without a cast, so the compiler checks that such a journal fits.
 */
import { type Journal, openJournal } from '../../src/journal/index.js';
import { describeJournalContract } from './journal-contract.js';
import { tempWorkspace } from './support/temp-workspace.js';

/** `Journal` with every method answering with a Promise: the shape of an asynchronous journal. */
type PromisedJournal = {
  [Name in keyof Journal]: Journal[Name] extends (...args: infer Args) => infer Result
    ? (...args: Args) => Promise<Awaited<Result>>
    : Journal[Name];
};

describeJournalContract('SqliteJournal, every answer a Promise', async () => {
  const workspace = await tempWorkspace();
  const sqlite = openJournal({ workspace: workspace.path });
  const { journal, assertEveryAnswerAwaited } = answeringLater(sqlite);
  return {
    journal,
    cleanup: async () => {
      try {
        assertEveryAnswerAwaited();
      } finally {
        await sqlite.close();
        await workspace.remove();
      }
    },
  };
});

/** A Promise that tells its journal call when someone awaits it (calls its `then`). */
class WatchedAnswer<T> extends Promise<T> {
  /** Promises derived from this one (`then`, `catch`) are plain: only the answer itself is watched. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  onAwaited: () => void = () => {};

  // biome-ignore lint/suspicious/noThenProperty: overriding Promise's own `then` to see it being awaited
  override then<Fulfilled = T, Rejected = never>(
    onFulfilled?: ((value: T) => Fulfilled | PromiseLike<Fulfilled>) | null,
    onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<Fulfilled | Rejected> {
    this.onAwaited();
    return super.then(onFulfilled, onRejected);
  }
}

/** `journal` with every method doing its work on a later turn and answering with a watched Promise. */
function answeringLater(journal: Journal): {
  journal: PromisedJournal;
  assertEveryAnswerAwaited(): void;
} {
  const unawaited = new Set<string>();
  let calls = 0;
  const wrapped = new Proxy(journal, {
    get(target, name) {
      const member: unknown = Reflect.get(target, name);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const call = `call ${++calls}: ${String(name)}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`;
        const answer = new WatchedAnswer<unknown>((resolve, reject) => {
          setImmediate(() => {
            try {
              resolve(member.apply(target, args));
            } catch (error) {
              reject(error);
            }
          });
        });
        unawaited.add(call);
        answer.onAwaited = () => unawaited.delete(call);
        return answer;
      };
    },
  }) as unknown as PromisedJournal; // the Proxy changes every method's answer into a Promise, as typed
  return {
    journal: wrapped,
    assertEveryAnswerAwaited: () => {
      if (unawaited.size === 0) return;
      const shown = [...unawaited]
        .slice(0, 3)
        .map((call) => (call.length > 160 ? `${call.slice(0, 160)}…` : call));
      const more = unawaited.size > shown.length ? `\n…and ${unawaited.size - shown.length} more` : '';
      throw new Error(`journal answers the contract suite never awaited:\n${shown.join('\n')}${more}`);
    },
  };
}
