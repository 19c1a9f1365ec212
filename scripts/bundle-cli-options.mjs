/**
 * What the CLI's bundle leaves out and how it trims zod, shared by scripts/bundle-cli.mjs (the build) and
 * bench/cli-snapshot.ts (which bundles the same code another way, to measure it).
 */
import { dirname, join } from 'node:path';

export const external = [
  '@vscode/ripgrep',
  '@anthropic-ai/*',
  '@dbos-inc/*',
  'pg',
  'pg-*',
  '@octokit/*',
  '@opentelemetry/*',
  '@modelcontextprotocol/*',
  'puppeteer-core',
];

/**
 * zod's translations of its messages, but English: phasewise sets no locale (zod's default is English), and the
 * others are 357 KB of the 733 KB zod adds to every start. `z.locales` keeps `en`.
 */
export const englishOnlyZodLocales = {
  name: 'english-only-zod-locales',
  setup(bundler) {
    bundler.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(args.resolveDir, args.path), namespace: 'zod-locales' }
        : undefined,
    );
    bundler.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: dirname(args.path),
    }));
  },
};
