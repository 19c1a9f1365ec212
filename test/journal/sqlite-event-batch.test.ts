import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunTakenOverError } from '../../src/errors/index.js';
import { type Journal, openJournal } from '../../src/journal/index.js';
import { sampleEvents, sampleRun, sampleStep } from './contract/samples.js';
import { type TempWorkspace, tempWorkspace } from './support/temp-workspace.js';

/** Events waiting for a transaction (`sqlite-event-batch.ts`), seen from a second connection to the same file. */
describe('SqliteJournal events', () => {
  let workspace: TempWorkspace;
  const opened: Journal[] = [];
  const open = (hostname = 'this-host'): Journal => {
    const journal = openJournal({ workspace: workspace.path, hostname });
    opened.push(journal);
    return journal;
  };
  const lock = (journal: Journal, runId: string, token: string, breakLock = false) =>
    journal.acquireLock(runId, { pid: process.pid, host: 'this-host', since: 'now', token }, { breakLock });
  /** Two runs locked by one writer, run-b's lock since broken by another host (the thief). */
  const runBTakenOver = async () => {
    const writer = open();
    const thief = open('other-host');
    await writer.createRun(sampleRun('run-a'));
    await writer.createRun(sampleRun('run-b'));
    await lock(writer, 'run-a', 'a');
    await lock(writer, 'run-b', 'b');
    await lock(thief, 'run-b', 'stolen', true);
    return { writer, thief };
  };
  beforeEach(async () => {
    workspace = await tempWorkspace();
  });
  afterEach(async () => {
    for (const journal of opened.splice(0)) await journal.close();
    await workspace.remove();
  });

  it("commits a run's waiting events in the transaction of its next step write, before the tick ends", async () => {
    const writer = open();
    const reader = open();
    await writer.createRun(sampleRun('run-a'));
    const [first, second] = sampleEvents('run-a');
    const appended = [writer.appendEvent(first!), writer.appendEvent(second!)];
    // No macrotask runs between these lines, so only the step write can have committed the events.
    await writer.startStep({ ...sampleStep('run-a', 'research/a1/t1/model'), pid: process.pid });
    expect(await reader.listEvents('run-a')).toEqual([first, second]);
    await Promise.all(appended);
  });

  it('commits the events no write took at the end of the tick, and answers each append only then', async () => {
    const writer = open();
    const reader = open();
    await writer.createRun(sampleRun('run-a'));
    const events = sampleEvents('run-a');
    let answered = 0;
    const appended = events.map((event) => writer.appendEvent(event).then(() => (answered += 1)));
    await Promise.resolve();
    expect(answered).toBe(0);
    expect(await reader.listEvents('run-a')).toEqual([]);
    await Promise.all(appended);
    expect(answered).toBe(events.length);
    expect(await reader.listEvents('run-a')).toEqual(events);
  });

  it("leaves another run's events out of a step write, so that run's lost lock does not fail this one", async () => {
    const { writer, thief } = await runBTakenOver();
    const [eventB] = sampleEvents('run-b');
    const [eventA] = sampleEvents('run-a');
    const lostB = writer.appendEvent(eventB!).catch((error: unknown) => error);
    const keptA = writer.appendEvent(eventA!);
    await writer.recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.01));
    await keptA;
    expect(await lostB).toBeInstanceOf(RunTakenOverError);
    expect(await thief.listEvents('run-a')).toEqual([eventA]);
    expect(await thief.listEvents('run-b')).toEqual([]);
  });

  it("fails a run's waiting events with the step write that took them, and records neither", async () => {
    const writer = open();
    const thief = open('other-host');
    await writer.createRun(sampleRun('run-a'));
    await lock(writer, 'run-a', 'a');
    await lock(thief, 'run-a', 'stolen', true);
    const waiting = writer.appendEvent(sampleEvents('run-a')[0]!).catch((error: unknown) => error);
    const write = writer.startStep({ ...sampleStep('run-a', 'research/a1/t1/model'), pid: process.pid });
    await expect(write).rejects.toThrow(RunTakenOverError);
    expect(await waiting).toBeInstanceOf(RunTakenOverError);
    expect(await thief.listEvents('run-a')).toEqual([]);
    expect(await thief.listUnfinishedSteps('run-a')).toEqual([]);
  });

  it("commits each run's events of a tick on their own, so one run's lost lock does not fail another's", async () => {
    const { writer, thief } = await runBTakenOver();
    const [eventA] = sampleEvents('run-a');
    const [eventB] = sampleEvents('run-b');
    // The same tick and no step write: both wait for the end of the tick.
    const keptA = writer.appendEvent(eventA!);
    const lostB = writer.appendEvent(eventB!).catch((error: unknown) => error);
    await keptA;
    expect(await lostB).toBeInstanceOf(RunTakenOverError);
    expect(await thief.listEvents('run-a')).toEqual([eventA]);
    expect(await thief.listEvents('run-b')).toEqual([]);
  });

  it('writes the events appended while the lock was held before releasing it, ahead of the next holder', async () => {
    const writer = open();
    const next = open('other-host');
    await writer.createRun(sampleRun('run-a'));
    await lock(writer, 'run-a', 'a');
    const events = sampleEvents('run-a');
    const nextEvent = { ...events[0]!, at: '2026-03-01T11:00:00.000Z' };
    // One tick: the writer's events, its release, and the next holder's lock, event and step write.
    const appended = events.map((event) => writer.appendEvent(event));
    const released = writer.releaseLock('run-a', 'a');
    const taken = lock(next, 'run-a', 'next');
    const nextAppended = next.appendEvent(nextEvent);
    const started = next.startStep({ ...sampleStep('run-a', 'research/a1/t1/model'), pid: process.pid });
    await Promise.all([...appended, released, taken, nextAppended, started]);
    expect(await next.listEvents('run-a')).toEqual([...events, nextEvent]);
  });

  it('keeps the events a step write took when the write fails for a reason of its own', async () => {
    const writer = open();
    const reader = open();
    await writer.createRun(sampleRun('run-a'));
    await writer.recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.01));
    const [event] = sampleEvents('run-a');
    const appended = writer.appendEvent(event!);
    // The same step recorded twice: the second write is refused; the event it took is not lost with it.
    await expect(writer.recordStep(sampleStep('run-a', 'research/a1/t1/model', 0.01))).rejects.toThrow();
    await appended;
    expect(await reader.listEvents('run-a')).toEqual([event]);
  });

  it('takes the waiting events into a run update', async () => {
    const writer = open();
    const reader = open();
    await writer.createRun(sampleRun('run-a'));
    const [event] = sampleEvents('run-a');
    const appended = writer.appendEvent(event!);
    const updated = writer.updateRun('run-a', {
      status: 'halted',
      updatedAt: '2026-03-01T11:00:00.000Z',
      message: 'gate',
    });
    // Read in the same tick: only the update can have committed the event.
    const listed = reader.listEvents('run-a');
    await Promise.all([appended, updated]);
    expect(await listed).toEqual([event]);
  });

  it('commits the waiting events when it closes', async () => {
    const writer = open();
    await writer.createRun(sampleRun('run-a'));
    const events = sampleEvents('run-a');
    const appended = events.map((event) => writer.appendEvent(event));
    await writer.close();
    await Promise.all(appended);
    expect(await open().listEvents('run-a')).toEqual(events);
  });
});
