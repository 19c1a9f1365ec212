#!/usr/bin/env node
/**
 * Executable entry. Checks the Node version before loading anything that needs a newer one, so an old Node gets
 * a sentence rather than a syntax error. `--version` alone is answered here, before the command line loads.
 */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(`phasewise needs Node.js 22.13 or newer; this is ${process.versions.node}.\n`);
  process.exit(2);
}
// Node keeps compiled code of phasewise and its dependencies on disk, so later starts skip most parsing.
(await import('node:module')).enableCompileCache?.();
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // Printed as Commander would, without loading the command line: scripts ask for it often.
  const { readFileSync } = await import('node:fs');
  process.stdout.on('error', () => {}); // a reader that went away (`| head -0`)
  const manifest = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  process.stdout.write(`${(JSON.parse(manifest) as { version: string }).version}\n`);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(args);
}
