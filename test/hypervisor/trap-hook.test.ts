// Trap breakpoints over Hypervisor.trapObservers (emulator/debug/hypervisor-traps.ts): a stop
// before the hypervisor handles a trap, resumed, gives the same run as one without the stop.
import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { launchSystem, type RunningSystem } from '../../emulator/hypervisor/launch';
import { HypervisorTrapHook, hypervisorCounters, trapClass } from '../../emulator/debug/hypervisor-traps';
import type { StopReason } from '../../emulator/cpu/cpu';

const ROOT = resolve(__dirname, '../../..');
const SYSTEM = join(ROOT, 'examples/systems/null-partitioned/system.hvsys');
const VUART = { from: 0x09000000n, to: 0x09001000n };

function launch(): { sys: RunningSystem; out: number[] } {
  const out: number[] = [];
  const sys = launchSystem(SYSTEM, { uartOut: (b) => out.push(b) });
  return { sys, out };
}

/** Runs on from a stop: the stopped CPU's stop is cleared (the board does not latch stops). */
function resume(sys: RunningSystem): StopReason | undefined {
  for (const c of sys.board.cpus) c.stopReason = undefined;
  return sys.board.run(2e8);
}

describe('hypervisor trap breakpoints', function () {
  this.timeout(60_000);

  it('stops on the first vUART write of a domain, shows the trap, and resumes to the same output', () => {
    const ref = launch();
    assert.equal(ref.sys.board.run(2e8)?.kind, 'poweroff');
    const refText = Buffer.from(ref.out).toString('latin1');
    assert.match(refText, /gp\| Hello from a bare-metal AArch64 guest!/);

    const { sys, out } = launch();
    const hook = new HypervisorTrapHook(sys.hypervisor);
    hook.logging = true;
    const bp = hook.add({ domain: 'gp', classes: ['dabt'], ipa: VUART, access: 'write' }, { once: true });
    const stop = sys.board.run(2e8);
    assert.equal(stop?.kind, 'breakpoint');
    const ev = hook.stopped!;
    assert.equal(ev.domain, 'gp');
    assert.equal(ev.vcpu, 0);
    assert.equal(trapClass(ev), 'dabt');
    assert.equal(ev.ipa, 0x09000000n); // UARTDR
    assert.match(ev.summary, /^dabt: write 4 bytes from x\d+ at IPA 0x9000000/);
    assert.equal(bp.hits, 1);
    assert.equal(hook.list().length, 0, 'a once-breakpoint removes itself');
    // Stopped before the hypervisor handled it: the guest is back at the store, at EL1, and the
    // domain's console has not received the byte.
    const cpu = sys.board.cpus[ev.pcpu];
    assert.equal(cpu.pc, ev.pc);
    assert.equal(cpu.el, 1);
    const gpBefore = Buffer.from(out).toString('latin1').split('\n').filter((l) => l.startsWith('gp| ')).length;
    assert.equal(gpBefore, 0);
    const mmioBefore = sys.hypervisor.domains.find((d) => d.name === 'gp')!.counters.mmio;

    assert.equal(resume(sys)?.kind, 'poweroff');
    assert.equal(Buffer.from(out).toString('latin1'), refText);
    // The held trap was handled exactly once after the resume (not observed twice, not lost).
    const gp = sys.hypervisor.domains.find((d) => d.name === 'gp')!;
    const refGp = ref.sys.hypervisor.domains.find((d) => d.name === 'gp')!;
    assert.equal(gp.counters.mmio, refGp.counters.mmio);
    assert.ok(gp.counters.mmio > mmioBefore);
    assert.equal(hook.log.filter((e) => e.domain === 'gp' && trapClass(e) === 'dabt').length,
      refGp.counters.mmio, 'every vUART access of gp observed exactly once (the held one not twice)');
    assert.equal(sys.board.retired, ref.sys.board.retired);
  });

  it('stops on an HVC (the PSCI SYSTEM_OFF of each domain) and resumes past it', () => {
    const ref = launch();
    ref.sys.board.run(2e8);
    const { sys, out } = launch();
    const hook = new HypervisorTrapHook(sys.hypervisor);
    hook.add({ classes: ['hvc'] });
    const seen: string[] = [];
    let stop = sys.board.run(2e8);
    while (stop?.kind === 'breakpoint') {
      const ev = hook.stopped!;
      assert.equal(ev.kind, 'sync');
      assert.equal(ev.ec, 0x16);
      assert.equal(sys.board.cpus[ev.pcpu].pc, ev.pc, 'the PC is the HVC itself');
      seen.push(`${ev.domain}: ${ev.summary}`);
      stop = resume(sys);
    }
    assert.equal(stop?.kind, 'poweroff');
    assert.deepEqual(seen.sort(), ['gp: hvc #0x0', 'rt: hvc #0x0']);
    assert.equal(Buffer.from(out).toString('latin1'), Buffer.from(ref.out).toString('latin1'));
  });

  it('filters by domain, class and IPA; refuses unknown classes and domains', () => {
    const { sys } = launch();
    const hook = new HypervisorTrapHook(sys.hypervisor);
    assert.throws(() => hook.add({ classes: ['dabbt' as never] }), /unknown trap class 'dabbt'/);
    assert.throws(() => hook.add({ domain: 'nobody' }), /no domain 'nobody' \(domains: rt, gp\)/);
    assert.throws(() => hook.add({ ipa: { from: 5n, to: 5n } }), /empty IPA range/);
    // An IPA range where nothing is: never stops; an HVC never matches an IPA filter.
    hook.add({ classes: ['dabt', 'hvc'], ipa: { from: 0x10000000n, to: 0x20000000n } });
    hook.add({ domain: 'rt', classes: ['sysreg', 'wfx'] });
    hook.logging = true;
    assert.equal(sys.board.run(2e8)?.kind, 'poweroff');
    const classes = new Set(hook.log.map(trapClass));
    assert.ok(classes.has('dabt') && classes.has('hvc'));
    hook.dispose();
    assert.equal(sys.hypervisor.trapObservers.length, 0);
  });

  it('counters: traps per class per domain, hypercalls, hypervisor and vCPU run time', () => {
    const { sys, out } = launch();
    assert.equal(sys.board.run(2e8)?.kind, 'poweroff');
    const c = hypervisorCounters(sys.hypervisor);
    assert.equal(c.domains.length, 2);
    const lines = Buffer.from(out).toString('latin1').split('\n');
    for (const d of c.domains) {
      // Each printed byte is one trapped store to the vUART's data register (plus register reads).
      const printed = lines.filter((l) => l.startsWith(`${d.domain}| `)).reduce((n, l) => n + l.length - d.domain.length - 2 + 1, 0);
      assert.ok((d.traps.dabt ?? 0) >= printed, `${d.domain}: ${d.traps.dabt} dabt traps for ${printed} bytes`);
      assert.equal(d.traps.hvc, 1);
      assert.equal(d.hypercalls, 1);
      assert.equal(d.mmio, d.traps.dabt);
      assert.equal(d.totalTraps, Object.values(d.traps).reduce((a, b) => a + (b ?? 0), 0));
      assert.ok(d.hypervisorNs > 0);
      assert.equal(d.vcpus.length, 1);
      assert.ok(d.vcpus[0].runNs > 0 && d.vcpus[0].switches >= 1);
      assert.equal(d.state, 'destroyed');
    }
    const sum = c.domains.reduce((a, d) => a + d.hypervisorNs, 0);
    assert.ok(c.hypervisorNs >= sum && c.nowNs > 0);
    JSON.stringify(c); // plain data
  });
});
