/**
 * The shape the Journal contract suite is written against: the `Journal` interface with every method allowed to
 * answer now or later (`R | Promise<R>`). The embedded SQLite journal answers now; a journal over the network
 * (Postgres, issue 17) answers with Promises. The suite awaits every call and checks every failure as a
 * rejection, so both run it unchanged, and both type-check against this without a cast.
 */
import type { Journal } from '../../../src/journal/index.js';

/** A method that returns `R`, widened to one that returns `R` or a Promise of it; a property stays as it is. */
export type AnswerNowOrLater<Member> = Member extends (...args: infer Args) => infer Result
  ? (...args: Args) => Awaited<Result> | Promise<Awaited<Result>>
  : Member;

/** `Journal`, each method answering synchronously or asynchronously. `Journal` itself is assignable to it. */
export type ContractJournal = { [Name in keyof Journal]: AnswerNowOrLater<Journal[Name]> };
