/** The GitHub repository named by `--repo` or read from the origin remote's URL (https and ssh forms). */
import { describe, expect, it } from 'vitest';
import { parseRepositoryOption, repositoryFromRemote } from '../../src/cli/github/repository-name.js';

describe('repository names', () => {
  it.each([
    ['https://github.com/octo-org/widgets.git', 'octo-org', 'widgets'],
    ['https://github.com/octo-org/widgets', 'octo-org', 'widgets'],
    ['https://x-access-token:abc@github.com/octo-org/widgets.git', 'octo-org', 'widgets'],
    ['git@github.com:octo-org/widgets.git', 'octo-org', 'widgets'],
    ['ssh://git@github.com/octo-org/widgets.git', 'octo-org', 'widgets'],
    ['git@ghe.example.com:team/my.repo.git', 'team', 'my.repo'],
  ])('reads %s', (url, owner, repo) => {
    expect(repositoryFromRemote(url)).toEqual({ owner, repo });
  });

  it.each(['/tmp/origin.git', '../origin', 'file:///srv/git/x.git', 'https://github.com/only-owner'])(
    'finds none in %s',
    (url) => {
      expect(repositoryFromRemote(url)).toBeUndefined();
    },
  );

  it('checks --repo', () => {
    expect(parseRepositoryOption('octo-org/widgets')).toEqual({ owner: 'octo-org', repo: 'widgets' });
    expect(() => parseRepositoryOption('widgets')).toThrow(/--repo expects owner\/name/);
    expect(() => parseRepositoryOption('a/b/c', 'GITHUB_REPOSITORY')).toThrow(/GITHUB_REPOSITORY expects/);
  });
});
