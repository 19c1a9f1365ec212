import { openJournal } from '../../src/journal/index.js';
import { describePhaseCacheContract } from './phase-cache-contract.js';
import { tempWorkspace } from './support/temp-workspace.js';

describePhaseCacheContract('SqliteJournal', async () => {
  const workspace = await tempWorkspace();
  return { open: async () => openJournal({ workspace: workspace.path }), cleanup: () => workspace.remove() };
});
