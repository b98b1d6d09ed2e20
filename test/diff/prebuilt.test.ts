// "Prebuilt guests are current": examples/bare/hello.elf is committed so that `npm run demo` needs
// no cross compiler. Rebuilding it from its sources must give the same bytes; otherwise someone
// changed a source (or the runtime) without rebuilding, or this machine's compiler differs from
// the one that built the committed image.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

describe('prebuilt guests are current', function () {
  this.timeout(60_000);

  it('examples/bare/hello.elf rebuilds byte for byte', function () {
    const dir = mkdtempSync(join(tmpdir(), 'hvlab-prebuilt-'));
    try {
      const out = join(dir, 'hello.elf');
      execFileSync(process.execPath, [join(ROOT, 'scripts/build-guests.mjs'), '--hello-out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      const fresh = readFileSync(out), committed = readFileSync(join(ROOT, 'examples/bare/hello.elf'));
      if (!fresh.equals(committed)) {
        let at = 0;
        while (at < fresh.length && at < committed.length && fresh[at] === committed[at]) at++;
        const gcc = execFileSync('aarch64-linux-gnu-gcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
        assert.fail(`examples/bare/hello.elf differs from a fresh build (sizes ${committed.length}/${fresh.length}, first difference at byte ${at}). ` +
          `Rebuild and commit it with \`node scripts/build-guests.mjs --force\` (compiler here: ${gcc}).`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
