// "Prebuilt guests are current": examples/bare/hello.elf is committed so that `npm run demo` needs
// no cross compiler, and the hypervisor's example guests (examples/guests/<name>/<name>.elf) so
// that the example systems run without one. Rebuilding it from its sources must give the same bytes; otherwise someone
// changed a source (or the runtime) without rebuilding, or this machine's compiler differs from
// the one that built the committed image.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const BUILD = join(ROOT, 'scripts/build-guests.mjs');

/** The example guests build-guests.mjs knows (name, committed ELF). */
function exampleGuests(): { name: string; elf: string }[] {
  const list = JSON.parse(execFileSync(process.execPath, [BUILD, '--list'], { cwd: ROOT, encoding: 'utf8' })) as { name: string; elf: string }[];
  return list.filter((t) => t.elf.startsWith(join(ROOT, 'examples/guests') + '/'));
}

function sameBytes(what: string, fresh: Buffer, committed: Buffer): void {
  if (fresh.equals(committed)) return;
  let at = 0;
  while (at < fresh.length && at < committed.length && fresh[at] === committed[at]) at++;
  const gcc = execFileSync('aarch64-linux-gnu-gcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  assert.fail(`${what} differs from a fresh build (sizes ${committed.length}/${fresh.length}, first difference at byte ${at}). ` +
    `Rebuild and commit it with \`node scripts/build-guests.mjs --force\` (compiler here: ${gcc}).`);
}

describe('prebuilt guests are current', function () {
  this.timeout(60_000);

  it('examples/bare/hello.elf rebuilds byte for byte', function () {
    const dir = mkdtempSync(join(tmpdir(), 'hvlab-prebuilt-'));
    try {
      const out = join(dir, 'hello.elf');
      execFileSync(process.execPath, [BUILD, '--hello-out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      sameBytes('examples/bare/hello.elf', readFileSync(out), readFileSync(join(ROOT, 'examples/bare/hello.elf')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const guests = exampleGuests();
  it('the example guests are all there', function () {
    assert.deepEqual(guests.map((g) => g.name), ['pingpong', 'rtc', 'rtos', 'taskvm', 'window']);
  });

  for (const g of guests) {
    it(`examples/guests/${g.name}/${g.name}.elf rebuilds byte for byte`, function () {
      const dir = mkdtempSync(join(tmpdir(), 'hvlab-prebuilt-'));
      try {
        const out = join(dir, `${g.name}.elf`);
        execFileSync(process.execPath, [BUILD, '--guest-out', g.name, out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
        sameBytes(`examples/guests/${g.name}/${g.name}.elf`, readFileSync(out), readFileSync(g.elf));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
