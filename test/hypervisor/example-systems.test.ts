// The example systems (examples/systems/) that run the example guests, booted by the hypervisor
// with `hvlab run SYSTEM.hvsys` (dist/cli.js). Each domain's console lines (prefixed "NAME| " on
// UART0) are checked: where a guest's output does not depend on time, it must be exactly what
// the same guest prints on the bare board (a domain sees QEMU virt's memory map, so it runs
// unchanged).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'dist/cli.js');

interface Run { out: string; err: string; status: number | null }

function run(args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, 'run', ...args], { cwd: ROOT, encoding: 'latin1', timeout: 280_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new Error(`hvlab: ${r.error.message}`);
  return { out: r.stdout, err: r.stderr, status: r.status };
}

function bare(guest: string, append: string): string {
  const r = run(['-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-m', '128M', '-nographic', '-append', append,
    '-kernel', join(ROOT, 'examples/guests', guest, `${guest}.elf`)]);
  assert.equal(r.status, 0, r.err);
  return r.out;
}

/** Boots a system (each ends by itself well before the instruction cap). */
function system(name: string): Run {
  const r = run([join(ROOT, 'examples/systems', name, 'system.hvsys'), '--max-insns', '400000000']);
  assert.equal(r.status, 0, `${name}: exit ${r.status}\n${r.err}\n${r.out}`);
  return r;
}

/** The console lines of domain `d`, without the prefix, as one string. */
function consoleOf(out: string, d: string): string {
  return out.split('\n').filter((l) => l.startsWith(`${d}| `)).map((l) => l.slice(d.length + 2) + '\n').join('');
}

describe('example systems under the hypervisor', function () {
  this.timeout(600_000);

  before(function () {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node scripts/build.mjs` first');
  });

  it('pingpong: 100 round trips over shared memory and event channels, both domains power off', function () {
    const r = system('pingpong');
    const ping = consoleOf(r.out, 'ping'), pong = consoleOf(r.out, 'pong');
    assert.match(ping, /^ping: Xen interface 4\.17, shared page at 0x80000000, port 10, interrupt 31\n/);
    assert.match(ping, /\nping: 100 round trips, average \d+ CNTVCT ticks \(\d+ ns at 62500000 Hz\), worst \d+\nping: 100 notifications received, done\n$/);
    assert.equal(pong, 'pong: Xen interface 4.17, shared page at 0x80000000, port 20, interrupt 31\n' +
      'pong: echoed 100 messages, 101 notifications received, stopping\n');
    assert.match(r.out, /\(hvlab\) domain ping: powered off/);
    assert.match(r.out, /\(hvlab\) domain pong: powered off/);
  });

  it('rtos-pair: each RTOS prints exactly what it prints on the bare board', function () {
    const r = system('rtos-pair');
    for (const d of ['rtos-a', 'rtos-b']) assert.equal(consoleOf(r.out, d), bare('rtos', `name=${d}`), d);
  });

  it('seven-vms: seven taskvms share CPU 0, each computing what it computes alone', function () {
    const r = system('seven-vms');
    const firstDone = r.out.split('\n').findIndex((l) => / vm\d: done$/.test(l));
    for (let i = 1; i <= 7; i++) {
      const alone = bare('taskvm', `id=${i} steps=4`);
      assert.equal(consoleOf(r.out, `vm${i}`).replace(/ at \d+ us$/gm, ''), alone, `vm${i}`);
      // Time sharing: every VM has started before the first one finishes.
      const start = r.out.split('\n').findIndex((l) => l === `vm${i}| vm${i}: start, 4 steps of 200000 iterations`);
      assert.ok(start >= 0 && start < firstDone, `vm${i} started after the first VM was done`);
    }
  });

  it('arinc653: control sees two windows per 10 ms frame (4 ms apart then 6), monitor one', function () {
    const r = system('arinc653');
    const starts = (d: string): number[] => [...consoleOf(r.out, d).matchAll(/^\w+: window \d+ starts at (\d+) us$/gm)].map((m) => +m[1]);
    const control = starts('control'), monitor = starts('monitor');
    assert.equal(control.length, 4, r.out);
    assert.equal(monitor.length, 3, r.out);
    const near = (x: number, want: number): boolean => Math.abs(x - want) <= 500;
    for (let k = 1; k < monitor.length; k++) assert.ok(near(monitor[k] - monitor[k - 1], 10_000), `monitor: ${monitor}`);
    for (let k = 2; k < control.length; k++) assert.ok(near(control[k] - control[k - 2], 10_000), `control: ${control}`);
    assert.ok(near(control[1] - control[0], 6000) || near(control[1] - control[0], 4000), `control: ${control}`);
  });

  it('rtc-passthrough: the clock domain reads the passed-through PL031 and takes its interrupt', function () {
    const r = system('rtc-passthrough');
    const clock = consoleOf(r.out, 'clock').split('\n');
    // The PL031's PrimeCell ID reached the guest through the iomem mapping (not an injected abort).
    assert.equal(clock[0], 'rtc: PL031 at 0x09010000, peripheral id 0x00141031');
    const at = clock.slice(1, 4).map((l) => /^rtc: (\d{4}-\d\d-\d\d \d\d:\d\d:(\d\d)) UTC/.exec(l));
    assert.ok(at.every((m) => m), r.out);
    // One second on the virtual timer, then one more until the match interrupt (SPI 34, passed through).
    const secs = at.map((m) => Number(m![2]));
    assert.deepEqual([secs[1] - secs[0], secs[2] - secs[1]], [1, 1], r.out);
    assert.match(clock[3], /\(after the RTC match interrupt\)$/);
    assert.equal(clock[4], 'rtc: done');
    assert.match(consoleOf(r.out, 'worker'), /vm1: done\n$/);
    assert.match(r.out, /\(hvlab\) domain clock: powered off/);
  });
});
