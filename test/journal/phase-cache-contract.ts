/**
 * The phase cache's contract (`journal/phase-cache-store.ts`), run against the store of each journal: what is
 * stored reads back exactly, the first entry under a key stays, and another handle on the same database (a later
 * run, another worker) finds it. The factory opens handles on one fresh database and removes it at cleanup.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Journal, PhaseCacheEntry, PhaseCacheStore } from '../../src/journal/index.js';

export interface PhaseCacheUnderTest {
  /** A new handle on the same database each call. */
  open(): Promise<Journal>;
  cleanup(): Promise<void>;
}

export function sampleEntry(overrides: Partial<PhaseCacheEntry> = {}): PhaseCacheEntry {
  return {
    key: 'a'.repeat(64),
    phaseId: 'implementation',
    runId: '20261206-223000-a1b2',
    outcome: {
      phaseId: 'implementation',
      status: 'passed',
      costUsd: 0.0123,
      handoff: 'Done: é ✓',
      message: null,
    },
    report: '## Changes\n- `src/a.js`\n',
    costUsd: 0.0123,
    tokens: { inputNoCache: 1200, cacheRead: 0, cacheWrite: 0, output: 340, reasoning: 0 },
    durationMs: 4321,
    treeBefore: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    treeAfter: '1f2e3d4c5b6a79880716253443526170819a0b1c',
    changes:
      'diff --git a/src/a.js b/src/a.js\nnew file mode 100644\n--- /dev/null\n+++ b/src/a.js\n@@ -0,0 +1 @@\n+x\n',
    createdAt: '2026-12-06T22:30:00.000Z',
    ...overrides,
  };
}

export function describePhaseCacheContract(name: string, factory: () => Promise<PhaseCacheUnderTest>): void {
  describe(`phase cache contract: ${name}`, () => {
    let subject: PhaseCacheUnderTest;
    const handles: Journal[] = [];
    const store = async (): Promise<PhaseCacheStore> => {
      const journal = await subject.open();
      handles.push(journal);
      const cache = journal.phaseCache?.();
      if (cache === undefined) throw new Error(`${name} has no phase cache`);
      return cache;
    };
    beforeEach(async () => {
      subject = await factory();
    });
    afterEach(async () => {
      for (const journal of handles.splice(0)) await journal.close();
      await subject.cleanup();
    });

    it('finds nothing under a key never stored', async () => {
      expect(await (await store()).find('b'.repeat(64))).toBeUndefined();
    });

    it('reads back what it stored, field for field', async () => {
      const cache = await store();
      await cache.store(sampleEntry());
      expect(await cache.find('a'.repeat(64))).toEqual(sampleEntry());
      const readOnly = sampleEntry({
        key: 'c'.repeat(64),
        treeBefore: null,
        treeAfter: null,
        changes: null,
        report: null,
      });
      await cache.store(readOnly);
      expect(await cache.find('c'.repeat(64))).toEqual(readOnly);
    });

    it('keeps the first entry stored under a key', async () => {
      const cache = await store();
      await cache.store(sampleEntry());
      await cache.store(sampleEntry({ runId: '20261206-230000-ffff', costUsd: 9 }));
      expect(await cache.find('a'.repeat(64))).toMatchObject({
        runId: '20261206-223000-a1b2',
        costUsd: 0.0123,
      });
    });

    it('is shared by every handle on the database (later runs, other workers)', async () => {
      await (await store()).store(sampleEntry());
      expect(await (await store()).find('a'.repeat(64))).toEqual(sampleEntry());
    });
  });
}
