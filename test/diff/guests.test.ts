// Differential test of the hypervisor's example guests (examples/guests, prebuilt ELFs) on the
// bare board: each runs on `qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a53` and on
// `hvlab run` (dist/cli.js) with the same -append, and what each writes to UART0 must be
// byte-identical. The guests print only what synchronisation decides (never tick counts or
// times), because QEMU's timer follows the host clock and hvlab's follows retired instructions.
// The guests whose output carries time are checked by pattern on both (window), or exactly on
// hvlab alone against the board's fixed RTC epoch (rtc).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { firstDifference } from '../tools/harness/output-diff';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'dist/cli.js');

interface Run { out: string; err: string; status: number | null }

function elf(guest: string): string {
  return join(ROOT, 'examples/guests', guest, `${guest}.elf`);
}

function qemu(guest: string, append?: string): Run {
  const r = spawnSync('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-m', '128M', '-nographic',
    '-no-reboot', '-monitor', 'none', '-serial', 'stdio', '-kernel', elf(guest), ...(append !== undefined ? ['-append', append] : [])],
  { encoding: 'latin1', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new Error(`qemu: ${r.error.message}`);
  return { out: r.stdout, err: r.stderr, status: r.status };
}

function hvlab(guest: string, append?: string): Run {
  const r = spawnSync(process.execPath, [CLI, 'run', '-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-m', '128M', '-nographic',
    '-kernel', elf(guest), ...(append !== undefined ? ['-append', append] : []), '--max-insns', '200000000'],
  { encoding: 'latin1', timeout: 240_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new Error(`hvlab: ${r.error.message}`);
  return { out: r.stdout, err: r.stderr, status: r.status };
}

function ok(r: Run, who: string): void {
  assert.equal(r.status, 0, `${who} exited with ${r.status}: ${r.err}`);
}

describe('example guests on the bare board: hvlab byte-identical to QEMU', function () {
  this.timeout(300_000);

  before(function () {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node scripts/build.mjs` first');
  });

  // `hostTimed`: a line whose value on QEMU follows the host's clock (QEMU's virtual counter is host
  // time: whether a 1 ms tick lands inside the workers' few milliseconds of work depends on the
  // host's speed and load). QEMU may print either value there; hvlab, whose time is virtual, must
  // print what `expect` says; every other byte must be the same.
  const same: { title: string; guest: string; append?: string; expect: RegExp; hostTimed?: RegExp }[] = [
    { title: 'rtos: five tasks, semaphores, sleep, time slicing', guest: 'rtos', append: 'name=rtos-a',
      expect: /^rtos: name=rtos-a\n[^]*main: workers time-sliced: yes\nmain: sleep_ticks\(5\) took at least 5 ticks: yes\nrtos: powering off\n$/,
      hostTimed: /^main: workers time-sliced: (yes|NO)$/m },
    { title: 'taskvm: id and work from bootargs', guest: 'taskvm', append: 'id=3 steps=3 work=100000',
      expect: /^vm3: start, 3 steps of 100000 iterations\nvm3: step 1: 0x[0-9a-f]{16}\nvm3: step 2: [^]*vm3: done\n$/ },
    { title: 'taskvm: no bootargs (defaults)', guest: 'taskvm', expect: /^vm0: start, 4 steps of 200000 iterations\n[^]*vm0: done\n$/ },
    { title: 'pingpong: refuses to run without the hypervisor (xen_version -> PSCI NOT_SUPPORTED)', guest: 'pingpong',
      append: 'role=ping shm=0x80000000 port=10',
      expect: /^ping: xen_version failed \(-1\): this guest needs hvlab's hypervisor\n$/ },
  ];
  for (const c of same) {
    it(c.title, function () {
      const q = qemu(c.guest, c.append);
      ok(q, 'qemu');
      const timed = c.hostTimed;
      const neutral = (out: string): string => (timed ? out.replace(timed, '(host-timed line)') : out);
      assert.match(timed ? q.out.replace(timed, (line) => line.replace(/NO$/, 'yes')) : q.out, c.expect, `QEMU's output is not what the guest should print:\n${q.out}`);
      const h = hvlab(c.guest, c.append);
      ok(h, 'hvlab');
      assert.match(h.out, c.expect, `hvlab's output is not what the guest should print:\n${h.out}`);
      const diff = firstDifference(neutral(q.out), neutral(h.out));
      if (diff) assert.fail(`${c.guest}: ${diff}`);
    });
  }

  it('window: one window, then the time-out on hvlab (the bare board never deschedules); QEMU by format', function () {
    const h = hvlab('window', 'name=ctl timeout_ms=3');
    ok(h, 'hvlab');
    assert.match(h.out, /^ctl: window 1 starts at \d+ us\nctl: no window change in 3 ms: not time-partitioned\nctl: done\n$/);
    // QEMU's counter follows the host clock: when the host deschedules QEMU's vCPU thread, the
    // guest rightly sees a new window, so only the line format is fixed there.
    const q = qemu('window', 'name=ctl timeout_ms=3');
    ok(q, 'qemu');
    assert.match(q.out, /^ctl: window 1 starts at \d+ us\n(ctl: window \d+ starts at \d+ us\n)*(ctl: no window change in 3 ms: not time-partitioned\n)?ctl: done\n$/);
  });

  it('rtc: the date three times, a second apart (exact on hvlab from its RTC epoch; QEMU follows the host clock)', function () {
    const h = hvlab('rtc');
    ok(h, 'hvlab');
    // hvlab's PL031 reads 1_700_000_000 s at virtual time 0; 1 ns per instruction.
    assert.equal(h.out, [
      'rtc: PL031 at 0x09010000, peripheral id 0x00141031',
      'rtc: 2023-11-14 22:13:20 UTC (start)',
      'rtc: 2023-11-14 22:13:21 UTC (after 1 s on the virtual timer)',
      'rtc: 2023-11-14 22:13:22 UTC (after the RTC match interrupt)',
      'rtc: done', ''].join('\n'));
    const q = qemu('rtc');
    ok(q, 'qemu');
    const lines = q.out.split('\n');
    assert.equal(lines[0], 'rtc: PL031 at 0x09010000, peripheral id 0x00141031');
    const secs = lines.slice(1, 4).map((l) => {
      const m = /^rtc: (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) UTC \(/.exec(l);
      assert.ok(m, `not a date line: ${JSON.stringify(l)}`);
      return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
    });
    assert.ok(Math.abs(secs[0] - Date.now() / 1000) < 120, `QEMU's RTC is not the host time: ${lines[1]}`);
    assert.ok(secs[1] - secs[0] >= 1 && secs[1] - secs[0] <= 3, `after 1 s: ${lines[1]} -> ${lines[2]}`);
    assert.ok(secs[2] - secs[1] >= 1 && secs[2] - secs[1] <= 3, `after the match interrupt: ${lines[2]} -> ${lines[3]}`);
    assert.equal(lines.slice(4).join('\n'), 'rtc: done\n');
  });
});
