/**
 * Which environment variable names hold secrets. Shared by the redactor (their values are hidden wherever they
 * appear) and by run_command (they are not passed to the commands an agent runs).
 */

/** Anywhere in the name: these words are never used for anything but credentials. */
const SECRET_WORD = /SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|APIKEY|API_KEY|ACCESS_KEY|PRIVATE_KEY/i;
/** As a whole `_`-separated word (`GITHUB_TOKEN`, `TOKEN_FILE`), so `TOKENIZERS_PARALLELISM` is not one. */
const SECRET_SEGMENT = /(?:^|_)(?:TOKEN|TOKENS|AUTH_?TOKEN)(?:_|$)/i;
/** As the last word only: `STRIPE_KEY`, `NPM_AUTH`, `GH_PAT`, `MYSQL_PWD`, but not `SSH_AUTH_SOCK` or `PWD`. */
const SECRET_SUFFIX = /_(?:KEY|KEYS|AUTH|PAT|PWD|PASS|SIGNATURE|COOKIE|DSN)$/i;

export function looksSecretName(name: string): boolean {
  return SECRET_WORD.test(name) || SECRET_SEGMENT.test(name) || SECRET_SUFFIX.test(name);
}
