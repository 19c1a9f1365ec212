/**
 * Where the journal file lives. By default `<workspace>/.phasewise/journal.db`, in a directory that ignores
 * itself in git so users never commit a journal (it holds their task text and model outputs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { JournalError } from '../errors/index.js';

export const JOURNAL_DIRECTORY = '.phasewise';
export const JOURNAL_FILE_NAME = 'journal.db';

/** The journal file of a workspace, without creating anything (for commands that only read). */
export function journalFileOf(workspace: string, file?: string): string {
  return file !== undefined ? resolve(file) : join(resolve(workspace), JOURNAL_DIRECTORY, JOURNAL_FILE_NAME);
}

/**
 * Creates the journal's directory and returns the file's absolute path. `file`, when given, is resolved
 * against the current directory like any command-line path; only the default directory gets a .gitignore,
 * since a directory the user chose is theirs to manage.
 */
export function prepareJournalLocation(workspace: string, file?: string): string {
  if (file !== undefined) {
    const chosen = resolve(file);
    makeDirectory(dirname(chosen), chosen);
    return chosen;
  }
  const directory = join(resolve(workspace), JOURNAL_DIRECTORY);
  const defaultFile = join(directory, JOURNAL_FILE_NAME);
  makeDirectory(directory, defaultFile);
  ignoreInGit(directory, defaultFile);
  return defaultFile;
}

function makeDirectory(directory: string, file: string): void {
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    throw new JournalError(file, `cannot create the directory ${directory}: ${(error as Error).message}`, {
      hint: 'check that you may write there, or pass another journal file',
      cause: error,
    });
  }
}

/** Never overwrites: a .gitignore the user (or another part of phasewise) wrote stays as it is. */
function ignoreInGit(directory: string, file: string): void {
  try {
    writeFileSync(join(directory, '.gitignore'), '*\n', { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new JournalError(
      file,
      `cannot write ${join(directory, '.gitignore')}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
