// `hvlab run -nographic`: stdin feeds UART0's receiver, as with QEMU. Piped input must reach the
// guest (test/programs/echo.c echoes it) and the run must be reproducible: the same bytes give
// the same run, instruction for instruction, however the host's writes are split in time.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'out/emulator/cli.js');
const ECHO = join(ROOT, '.test-cache/programs/echo.elf');

/** Runs `sh -c "<feeder> | hvlab run … --stats"`; returns stdout and the retired count. */
function run(feeder: string, extra: string[] = ['-nographic']): { out: string; insns: number } {
  const cmd = `${feeder} | "${process.execPath}" "${CLI}" run -M virt,gic-version=3 ${extra.join(' ')} -kernel "${ECHO}" --stats`;
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'latin1', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const m = /(\d+) instructions retired/.exec(r.stderr);
  assert.ok(m, r.stderr);
  return { out: r.stdout, insns: Number(m[1]) };
}

describe('hvlab run: stdin to UART0 (-nographic / -serial stdio)', function () {
  this.timeout(120_000);
  before(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-guests.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  });

  it('delivers piped bytes to the guest, which echoes them', () => {
    const { out } = run(`printf 'hi\\nq'`);
    assert.equal(out, 'echo: ready\n[h][i][$][q]\necho: 4 characters\n');
  });

  it('is reproducible: the same input split into delayed writes gives the same run, instruction for instruction', () => {
    const whole = run(`printf 'abc'`);
    const split = run(`(printf a; sleep 0.3; printf b; sleep 0.3; printf c)`);
    assert.equal(whole.out, 'echo: ready\n[a][b][c]\necho: 3 characters\n');
    assert.equal(split.out, whole.out);
    assert.equal(split.insns, whole.insns);
    assert.equal(run(`printf 'abc'`).insns, whole.insns);
  });

  it('-serial stdio does the same; without either option stdin is not the guest\'s', () => {
    assert.equal(run(`printf 'xq'`, ['-serial', 'stdio']).out, 'echo: ready\n[x][q]\necho: 2 characters\n');
    assert.equal(run(`printf 'xq'`, []).out, 'echo: ready\n\necho: 0 characters\n');
  });

  it('ends input at end of file: with nothing piped the guest sees no characters', () => {
    assert.equal(run(`true`).out, 'echo: ready\n\necho: 0 characters\n');
  });
});
