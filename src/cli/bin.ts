#!/usr/bin/env node
/**
 * Executable entry. Checks the Node version before loading anything that needs a newer one, so an old Node gets
 * a sentence rather than a syntax error.
 */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(`phasewise needs Node.js 22.13 or newer; this is ${process.versions.node}.\n`);
  process.exit(2);
}
// Node keeps compiled code of phasewise and its dependencies on disk, so later starts skip most parsing.
(await import('node:module')).enableCompileCache?.();
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
