// End to end: `hvlab run` of small system files (test/hypervisor/fixtures/) with the credit,
// arinc653 and rtds schedulers, each time-sharing one CPU among hello.elf domains. Every domain
// must print its whole output and power off; the order of their lines comes from the scheduler.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchSystem } from '../../emulator/hypervisor/launch';
import { tinyElf } from '../tools/tiny-elf';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist/cli.js');

interface Run { out: string; lines: string[]; ranMs: Map<string, number>; switches: Map<string, number> }

function run(system: string): Run {
  const r = spawnSync(process.execPath, [CLI, 'run', join(ROOT, 'test/hypervisor/fixtures', system), '--stats'],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(r.status, 0, `hvlab run ${system} exited ${r.status}: ${r.stderr}\n${r.stdout}`);
  const out = r.stdout + r.stderr;
  const ranMs = new Map<string, number>(), switches = new Map<string, number>();
  for (const m of out.matchAll(/hvlab: {3}(\w+)\.vcpu0: ran ([\d.]+) ms, (\d+) switches/g)) {
    ranMs.set(m[1], Number(m[2]));
    switches.set(m[1], Number(m[3]));
  }
  return { out, lines: r.stdout.split('\n'), ranMs, switches };
}

/** Every domain printed hello.elf's lines in order and powered off; the run ended by itself. */
function checkDomains(r: Run, names: string[], scheduler: string): void {
  assert.match(r.out, new RegExp(`hypervisor up: 1 CPU\\(s\\), ${names.length} domain\\(s\\), scheduler ${scheduler}`));
  for (const n of names) {
    const own = r.lines.filter((l) => l.startsWith(`${n}| `)).map((l) => l.slice(n.length + 2));
    const want = ['Hello from a bare-metal AArch64 guest!', '  primes below 1000: 168', 'Powering off through PSCI SYSTEM_OFF. Bye!'];
    let at = 0;
    for (const w of want) {
      const i = own.indexOf(w, at);
      assert.ok(i >= 0, `${n}: "${w}" missing (after line ${at}) in:\n${own.join('\n')}`);
      at = i + 1;
    }
    assert.match(r.out, new RegExp(`domain ${n}: powered off \\(destroy\\)`));
  }
  assert.match(r.out, /no domain left running: powering off/);
}

/** Whether another domain printed a line between the first and last line of `n`. */
function interleaved(r: Run, n: string): boolean {
  const idx = r.lines.map((l, i) => (l.startsWith(`${n}| `) ? i : -1)).filter((i) => i >= 0);
  return r.lines.slice(idx[0], idx[idx.length - 1]).some((l) => /^\w+\| /.test(l) && !l.startsWith(`${n}| `));
}

describe('hvlab run with time-sharing schedulers', function () {
  this.timeout(300_000);
  before(function () {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run node scripts/build.mjs first');
  });

  it('credit: three domains (weights 512/256/256) on one CPU all run to power-off', () => {
    const r = run('credit.hvsys');
    checkDomains(r, ['cra', 'crb', 'crc'], 'credit');
    for (const n of ['cra', 'crb', 'crc']) assert.ok(r.ranMs.get(n)! > 0.3, `${n} ran ${r.ranMs.get(n)} ms`);
  });

  it('arinc653: two partitions in 100 µs windows take turns until both power off', () => {
    const r = run('arinc653.hvsys');
    checkDomains(r, ['a653p', 'a653q'], 'arinc653');
    // Each needs about 0.43 ms of CPU: at least 4 windows of 100 µs each, so their lines interleave.
    for (const n of ['a653p', 'a653q']) assert.ok(r.switches.get(n)! >= 4, `${n}: ${r.switches.get(n)} switches`);
    assert.ok(interleaved(r, 'a653p') && interleaved(r, 'a653q'), r.out);
  });

  it('rtds: two domains with 40/100 µs and 60/200 µs budgets interleave until both power off', () => {
    const r = run('rtds.hvsys');
    checkDomains(r, ['rtx', 'rty'], 'rtds');
    for (const n of ['rtx', 'rty']) assert.ok(r.switches.get(n)! >= 5, `${n}: ${r.switches.get(n)} switches`);
    assert.ok(interleaved(r, 'rtx') && interleaved(r, 'rty'), r.out);
  });

  it('the slice timer preempts a guest that never traps (credit: a spinning domain and hello.elf)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvlab-sched-'));
    try {
      // `b .` forever: only the EL2 timer at the end of its slice can take the CPU back.
      writeFileSync(join(dir, 'spin.elf'), tinyElf(Uint8Array.of(0x00, 0x00, 0x00, 0x14)));
      writeFileSync(join(dir, 'spin.cfg'), 'name = "spin"\nmemory = 64\nkernel = "spin.elf"\n');
      writeFileSync(join(dir, 'hello.cfg'), `name = "hello"\nmemory = 64\nkernel = "${join(ROOT, 'examples/bare/hello.elf')}"\n`);
      writeFileSync(join(dir, 'sys.hvsys'), 'platform = "virt"\ncpus = 1\nmemory = 512\nscheduler = "credit"\ntimeslice = 1\ndomains = [ "spin.cfg", "hello.cfg" ]\n');
      const out: number[] = [];
      const sys = launchSystem(join(dir, 'sys.hvsys'), { uartOut: (b) => out.push(b) });
      sys.board.run(3_000_000);
      sys.hypervisor.consoles.flush();
      const text = Buffer.from(out).toString('latin1');
      const hello = sys.hypervisor.domains.find((d) => d.name === 'hello')!;
      const spin = sys.hypervisor.domains.find((d) => d.name === 'spin')!;
      assert.equal(hello.state, 'destroyed', text);
      assert.match(text, /hello\| Powering off through PSCI SYSTEM_OFF\. Bye!/);
      assert.equal(spin.state, 'running');
      assert.ok(spin.vcpus[0].switches >= 2, `spin was switched in ${spin.vcpus[0].switches} times`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
