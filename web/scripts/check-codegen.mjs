// Fails when src/gql is not what graphql-codegen generates from ../schema.graphql and the
// operations in src/ now: stale types must not reach a build.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('..', import.meta.url).pathname;
const committed = join(here, 'src/gql');
const saved = mkdtempSync(join(tmpdir(), 'lanyard-gql-'));
cpSync(committed, saved, { recursive: true });
/** @type {string[]} */
const stale = [];
try {
  execFileSync('npx', ['graphql-codegen', '--config', 'codegen.ts', '--silent'], {
    cwd: here,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const names = new Set([...readdirSync(saved), ...readdirSync(committed)]);
  for (const name of names) {
    const read = (/** @type {string} */ dir) => {
      try {
        return readFileSync(join(dir, name), 'utf8');
      } catch {
        return null;
      }
    };
    if (read(saved) !== read(committed)) stale.push(name);
  }
} finally {
  // Leave the tree as it was, so that a failed check is visible in `git status` only when
  // the developer regenerates on purpose.
  rmSync(committed, { recursive: true, force: true });
  cpSync(saved, committed, { recursive: true });
  rmSync(saved, { recursive: true, force: true });
}
if (stale.length) {
  console.error(
    `web/src/gql is stale (${stale.join(', ')}): run \`npm run codegen\` in web/ and commit the result.`,
  );
  process.exit(1);
}
console.log('web/src/gql matches ../schema.graphql and the operations in src/');
