/** A tool loop's conversation: the call, its result fed back under the call's id, and the answer built on it. */
import { expect, it } from 'vitest';
import type { ModelMessage, ToolCallPart } from '../../../src/provider/model.js';
import { contractRequest as request, type Scenario, type SubjectFactory, using } from './subject.js';

const FILE_TEXT = 'export const greeting = 42; // hello from a.ts';

export function describeConversationCases(factory: SubjectFactory): void {
  it('takes a tool result back under its call’s id and answers the next turn from it', async () => {
    const scenario: Scenario = {
      kind: 'conversation',
      turns: [
        { text: 'Reading it.', toolCalls: [{ name: 'read', input: { path: 'src/a.ts' } }] },
        { text: 'It exports a greeting.' },
      ],
    };
    const outcome = await using(await factory(scenario), async (model, subject) => {
      const first = await model.generate(request());
      const call = first.content.find((part): part is ToolCallPart => part.type === 'tool-call');
      if (call === undefined) throw new Error('the first turn called no tool');
      const messages: ModelMessage[] = [
        { role: 'user', content: 'Say hello.' },
        { role: 'assistant', content: first.content },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: call.toolCallId,
              toolName: 'read',
              output: FILE_TEXT,
              isError: false,
            },
          ],
        },
      ];
      const second = await model.generate(
        request({ messages, metadata: { ...request().metadata, turn: 2 } }),
      );
      return { first, call, second, received: subject.received() };
    });
    expect(outcome.first.finishReason.unified).toBe('tool-calls');
    expect(outcome.call).toMatchObject({ toolName: 'read', input: { path: 'src/a.ts' } });
    expect(outcome.second.content).toEqual([{ type: 'text', text: 'It exports a greeting.' }]);
    expect(outcome.second.finishReason.unified).toBe('stop');
    expect(outcome.received).toHaveLength(2);
    // What the backend was sent for the second turn holds the result, under the id the first turn gave.
    const sent = JSON.stringify(outcome.received[1]);
    expect(sent).toContain(FILE_TEXT);
    expect(sent).toContain(outcome.call.toolCallId);
    expect(JSON.stringify(outcome.received[0])).not.toContain('hello from a.ts');
  });
}
