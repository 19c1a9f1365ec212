/**
 * A person's answer to a phase halted for manual review: approve the attempt's output as it is, reject it with
 * feedback for another attempt, or abort the run. It is recorded in the journal as the step
 * `<phase>/a<attempt>/review`, next to the escalation decision that halted it, and read back when the run
 * resumes — so the answer is as durable as everything else and a resume replays it exactly.
 */
export type ReviewAction = 'approve' | 'reject' | 'abort';

export interface ReviewDecision {
  action: ReviewAction;
  /** The person's words; required for a rejection (they become the next attempt's feedback). */
  feedback: string | null;
  /** Who answered (the OS user), and when. */
  by: string;
  at: string;
}
