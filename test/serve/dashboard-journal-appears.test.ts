/**
 * `phasewise serve` on a workspace whose first run is setting its journal up: the file exists but holds no
 * journal yet (empty, then a bare WAL-mode database with no tables). The list says there are no runs (200, not
 * an error page) and lists the run once the journal is written, as the page is read again.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { haltedRun, startServe } from './serve-support.js';

describe('phasewise serve while the journal is being set up', () => {
  it('says there are no runs while the journal file is empty or bare, and lists the run once it is written', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'phasewise-serve-appears-'));
    const file = join(workspace, '.phasewise', 'journal.db');
    mkdirSync(join(workspace, '.phasewise'));
    writeFileSync(file, '');
    const serving = await startServe(['--workspace', workspace], tmpdir());
    try {
      const list = async () => {
        const response = await fetch(`${serving.origin}/`);
        return { status: response.status, body: await response.text() };
      };
      const empty = await list();
      expect(empty.status, empty.body).toBe(200);
      expect(empty.body).toContain('No runs yet.');

      rmSync(file);
      const bare = new DatabaseSync(file);
      bare.exec('PRAGMA journal_mode = WAL');
      const whileBare = await list();
      bare.close();
      expect(whileBare.status, whileBare.body).toBe(200);
      expect(whileBare.body).toContain('No runs yet.');

      const { workspace: halted, runId } = haltedRun();
      rmSync(file);
      for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      const source = join(halted, '.phasewise', 'journal.db');
      copyFileSync(source, file);
      if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${file}-wal`);
      const written = await list();
      expect(written.status, written.body).toBe(200);
      expect(written.body).toContain(`data-run-id="${runId}"`);
    } finally {
      await serving.stop();
    }
  }, 60_000);
});
