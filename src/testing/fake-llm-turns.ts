/**
 * Which scripted turn answers a request, and whether a fault is served instead: the conversation is the first
 * whose `match` strings all occur in the request's system prompt + opening user messages; the turn is the number of
 * assistant messages + 1; each turn's faults are served, in order, to its first requests.
 */
import type { FakeConversation, FakeFault, FakeLlmScript, FakeTurn } from './fake-llm-script.js';

export type Selection =
  | { conversation: FakeConversation; turnNumber: number; turn: FakeTurn }
  | { unexpected: string; conversationName?: string; turnNumber?: number };

export class TurnBook {
  private readonly requestsPerTurn = new Map<string, number>();
  private readonly answered = new Set<string>();

  constructor(private readonly script: FakeLlmScript) {}

  select(matchText: string, assistantMessages: number): Selection {
    const conversation = this.script.conversations.find((candidate) =>
      candidate.match.every((needle) => matchText.includes(needle)),
    );
    if (conversation === undefined) {
      const names = this.script.conversations.map((c) => `"${c.name}" ${JSON.stringify(c.match)}`);
      return {
        unexpected: `no conversation matches the system prompt + first user message ${quote(matchText)} (script: ${names.join(', ') || 'none'})`,
      };
    }
    const turnNumber = assistantMessages + 1;
    const turn = conversation.turns[turnNumber - 1];
    if (turn === undefined) {
      return {
        conversationName: conversation.name,
        turnNumber,
        unexpected: `conversation "${conversation.name}" has ${conversation.turns.length} turn(s); turn ${turnNumber} was asked for (${assistantMessages} assistant message(s) in the request)`,
      };
    }
    return { conversation, turnNumber, turn };
  }

  /** Counts this request against the turn and returns the fault to serve instead of the answer, if any. */
  nextFault(conversation: FakeConversation, turnNumber: number, turn: FakeTurn): FakeFault | undefined {
    const key = `${conversation.name}#${turnNumber}`;
    const seen = this.requestsPerTurn.get(key) ?? 0;
    this.requestsPerTurn.set(key, seen + 1);
    let served = 0;
    for (const { fault, times } of turn.faults ?? []) {
      served += times ?? 1;
      if (seen < served) return fault;
    }
    return undefined;
  }

  markAnswered(conversation: FakeConversation, turnNumber: number): void {
    this.answered.add(`${conversation.name}#${turnNumber}`);
  }

  /** Turns whose answer was never served, each with why. */
  unused(): string[] {
    return this.script.conversations.flatMap((conversation) =>
      conversation.turns.flatMap((_, index) => {
        const key = `${conversation.name}#${index + 1}`;
        if (this.answered.has(key)) return [];
        const requests = this.requestsPerTurn.get(key) ?? 0;
        const why = requests === 0 ? 'never requested' : `${requests} request(s), only faults served`;
        return [`conversation "${conversation.name}" turn ${index + 1} (${why})`];
      }),
    );
  }
}

function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

export function describeFault(fault: FakeFault): string {
  return fault.kind === 'status' ? `status ${fault.status}` : `${fault.kind} after ${fault.afterEvents}`;
}
