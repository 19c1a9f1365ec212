/**
 * Errors inside a 200 stream, as the provider packages hand them over (records, never `Error`s): what they
 * say is read into one shape, whichever of the providers' layouts they come in.
 */
import { describe, expect, it } from 'vitest';
import { streamErrorOf } from '../../src/provider/stream-error.js';

describe('streamErrorOf', () => {
  it('reads a record the provider package built (status and retry as it decided)', () => {
    const data = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    expect(
      streamErrorOf({
        message: 'Overloaded',
        type: 'overloaded_error',
        code: undefined,
        statusCode: 529,
        isRetryable: true,
        data,
      }),
    ).toEqual({
      message: 'Overloaded',
      type: 'overloaded_error',
      code: undefined,
      status: 529,
      retryable: true,
      data,
    });
  });

  it("reads an OpenAI-compatible server's own error object, nested or not, and a status given as text", () => {
    const flat = { message: 'model crashed', type: 'server_error', code: 'internal' };
    expect(streamErrorOf(flat)).toMatchObject({
      message: 'model crashed',
      type: 'server_error',
      status: undefined,
    });
    const nested = { error: { message: 'slow down', type: 'rate_limit_exceeded', code: '429' } };
    expect(streamErrorOf(nested)).toMatchObject({
      message: 'slow down',
      code: '429',
      status: 429,
      data: nested,
    });
  });

  it('takes a status from the few exact messages that mean a server failure, and no other', () => {
    expect(streamErrorOf({ message: ' Internal Server Error ' })?.status).toBe(500);
    expect(streamErrorOf({ message: 'overloaded' })?.status).toBe(503);
    expect(streamErrorOf({ message: 'the server is overloaded today' })?.status).toBeUndefined();
  });

  it('leaves alone what is no error record: an Error, text, a record without a message', () => {
    expect(streamErrorOf(new Error('socket hang up'))).toBeUndefined();
    expect(streamErrorOf('boom')).toBeUndefined();
    expect(streamErrorOf({ code: 500 })).toBeUndefined();
  });
});
