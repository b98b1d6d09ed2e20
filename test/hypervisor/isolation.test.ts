// Isolation between domains, tested by an adversary of our own (test/hypervisor/guests/
// adversary.S) running beside a victim (victim.c) under the null scheduler, one CPU each. Every
// attempt of the adversary must be refused or faulted (it counts what its vectors got and prints
// it), the victim's memory and the hypervisor's reserve must be unchanged byte for byte, and the
// machine must power off normally when both are done.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchSystem, type RunningSystem } from '../../emulator/hypervisor/launch';
import { HypervisorTrapHook, trapClass } from '../../emulator/debug/hypervisor-traps';
import type { HypervisorTrapEvent } from '../../emulator/hypervisor/trap-event';

const ROOT = resolve(__dirname, '../../..');
const SYSTEM = join(ROOT, 'test/hypervisor/systems/isolation.hvsys');
const GUESTS = join(ROOT, '.test-cache/guests');

/** The victim's pattern (victim.c): 64 KiB at IPA 0x40800000. */
const PATTERN_OFFSET = 0x00800000, PATTERN_WORDS = 64 * 1024 / 4;
/** The part of the hypervisor's reserve compared before and after: stubs, vectors, stage-2 pool and beyond. */
const RESERVE_CHECKED = 2 << 20;
const pattern = (i: number): number => (Math.imul(i, 0x9e3779b1) ^ 0xa5a5a5a5) >>> 0;

function hashPa(sys: RunningSystem, pa: number, len: number): string {
  const h = createHash('sha256');
  const buf = Buffer.alloc(4096);
  for (let off = 0; off < len; off += 4096) {
    for (let i = 0; i < 4096; i += 4) buf.writeUInt32LE(sys.board.mem.read32(pa + off + i) >>> 0, i);
    h.update(buf);
  }
  return h.digest('hex');
}

describe('hypervisor isolation: an adversarial domain', function () {
  this.timeout(120_000);
  let sys: RunningSystem;
  let text = '';
  let traps: HypervisorTrapEvent[] = [];
  let reserveBefore = '';

  before(function () {
    if (!existsSync(join(GUESTS, 'adversary.elf')) || !existsSync(join(GUESTS, 'victim.elf'))) {
      throw new Error('no .test-cache/guests/{adversary,victim}.elf: run node scripts/build-guests.mjs');
    }
    const out: number[] = [];
    sys = launchSystem(SYSTEM, { uartOut: (b) => out.push(b) });
    const hv = sys.hypervisor;
    // The adversary's addresses (adversary.S) assume this layout: check it, so that a layout
    // change fails here instead of quietly aiming the attempts elsewhere.
    const [adv, victim] = hv.domains;
    assert.equal(adv.name, 'adversary');
    assert.equal(adv.ramPa, 0x40000000);
    assert.equal(adv.ramSize, 16 << 20);
    assert.equal(victim.ramPa, 0x41000000);
    assert.equal(hv.layout.reserveBase, 0x4c000000);
    reserveBefore = hashPa(sys, hv.layout.reserveBase, RESERVE_CHECKED);
    const hook = new HypervisorTrapHook(hv);
    hook.logging = true;
    const stop = sys.board.run(5e7);
    assert.deepEqual(stop, { kind: 'poweroff' }, 'the machine powers off normally (nothing crashed)');
    hv.consoles.flush();
    text = Buffer.from(out).toString('latin1');
    traps = hook.log;
  });

  const line = (re: RegExp): RegExpExecArray => {
    const m = re.exec(text);
    assert.ok(m, `no line ${re} in the output:\n${text}`);
    return m;
  };

  it('(a) every load/store beyond its RAM faults: victim PA and hypervisor reserve as IPAs, devices, past the IPA space', () => {
    const m = line(/adversary\| adv a: (\d+) accesses, (\d+) faulted/);
    assert.equal(Number(m[1]), 17 * 3 + 1);
    assert.equal(m[2], m[1]);
    // Those that reached EL2 were stage-2 aborts the hypervisor refused (none emulated as MMIO
    // except the adversary's own vUART, which these addresses are not).
    const aborts = traps.filter((t) => t.domain === 'adversary' && trapClass(t) === 'dabt' && t.ipa !== undefined && (t.ipa < 0x09000000n || t.ipa >= 0x09001000n));
    assert.ok(aborts.length >= 30, `${aborts.length} stage-2 aborts`);
    for (const t of aborts) assert.ok(!(t.ipa! >= 0x40000000n && t.ipa! < 0x41000000n), `abort inside its own RAM: ${t.summary}`);
  });

  it('(b) SGIs aimed at vCPUs it does not have reach no one', () => {
    const m = line(/adversary\| adv b: (\d+) SGI writes, (\d+) exceptions, (\d+) irqs/);
    assert.equal(m[1], '12');
    assert.equal(m[3], '0', 'no SGI came back to the adversary');
    // Each write either trapped to the hypervisor (HCR_EL2.IMO) or was UNDEFINED at EL1.
    const sgiTraps = traps.filter((t) => t.domain === 'adversary' && trapClass(t) === 'sysreg' && /S3_0_C12_C11_[567]/.test(t.summary));
    assert.equal(sgiTraps.length + Number(m[2]), 12);
    const victim = sys.hypervisor.domains[1];
    assert.equal(victim.counters.injected, 0, 'nothing was injected into the victim');
    assert.equal(victim.counters.irqs, 0);
  });

  it('(c) GIC distributor/redistributor writes for interrupts it does not own reach only its own virtual GIC', () => {
    const m = line(/adversary\| adv c: (\d+) GIC writes, (\d+) faulted, (\d+) took effect/);
    assert.equal(m[1], '13');
    // The three writes to the redistributor frame of a vCPU it does not have fault; the others
    // land in its own virtual distributor, where every SPI is its own virtual interrupt (some
    // read back as set: that is its own state, as on a GIC of its own).
    assert.equal(m[2], '3');
    assert.ok(sys.hypervisor.vgic, 'the domain has a vGIC');
    // Nothing reached the physical distributor: no SPI enabled, pending, active, prioritised,
    // reconfigured or routed (this system passes no interrupt through).
    const mem = sys.board.mem, D = 0x08000000;
    const marks: string[] = [];
    for (const [name, off] of [['ISENABLER', 0x100], ['ISPENDR', 0x200], ['ISACTIVER', 0x300]] as const) {
      for (let n = 1; n < 9; n++) if (mem.read32(D + off + n * 4) !== 0) marks.push(`${name}${n}`);
    }
    for (let i = 32; i < 288; i += 4) if (mem.read32(D + 0x400 + i) !== 0) marks.push(`IPRIORITYR${i / 4}`);
    for (let n = 2; n < 18; n++) if (mem.read32(D + 0xc00 + n * 4) !== 0) marks.push(`ICFGR${n}`);
    for (let i = 32; i < 288; i++) if (mem.read32(D + 0x6000 + i * 8) !== 0) marks.push(`IROUTER${i}`);
    assert.deepEqual(marks, [], 'physical distributor registers changed');
    // And nothing in the victim's virtual distributor: it never touched its GIC.
    const victim = sys.hypervisor.domains[1];
    assert.deepEqual(sys.hypervisor.vgic.interruptsOf(victim), [], 'interrupts changed in the victim\'s virtual GIC');
    // Its own virtual distributor does hold what it wrote (the writes were emulated, not lost).
    assert.ok(sys.hypervisor.vgic.interruptsOf(sys.hypervisor.domains[0]).some((s) => s.intid >= 34 && s.enabled));
  });

  it('(d) hypercalls with foreign, unmapped and device pointers return -EFAULT; random ones are refused', () => {
    const m = line(/adversary\| adv d: (\d+) bad-pointer calls, (\d+) -EFAULT/);
    assert.equal(m[1], '24');
    assert.equal(m[2], m[1]);
    const r = line(/adversary\| adv d: (\d+) random calls, (\d+) errors/);
    assert.equal(r[1], '2000');
    // Most random calls are errors (unknown numbers/commands, bad pointers); a few legitimately
    // succeed (xen_version, sched_op yield, an empty console read or write).
    assert.ok(Number(r[2]) > 1500 && Number(r[2]) < 2000, `${r[2]} errors`);
    assert.equal(sys.hypervisor.domains[0].shutdownReason, 'poweroff', 'no random call shut the adversary down');
  });

  it('(e) EL2/EL3 instructions are UNDEFINED, illegal returns stay at EL1, PSCI refuses absent vCPUs', () => {
    const u = line(/adversary\| adv e: (\d+) EL2\/EL3 instructions, (\d+) exceptions, (\d+) undefined/);
    assert.equal(u[1], '23');
    assert.equal(u[2], '23');
    assert.equal(u[3], '23');
    const i = line(/adversary\| adv e: (\d+) illegal returns, (\d+) exceptions, (\d+) illegal-state/);
    assert.deepEqual([i[1], i[2], i[3]], ['4', '4', '4']);
    const s = [...text.matchAll(/adversary\| adv e: smccc (-?\d+) (-?\d+) (-?\d+) (-?\d+)/g)].flatMap((x) => x.slice(1).map(Number));
    // PSCI (DEN 0022): INVALID_PARAMETERS -2 for absent vCPUs, ALREADY_ON -4 for itself,
    // NOT_SUPPORTED -1 for the SiP call; HVC #0xffff asked PSCI_VERSION (1.1).
    assert.deepEqual(s, [-2, -2, -4, -2, -1, -2, 0x10001, -2]);
    const done = line(/adversary\| adv done: EL(\d), (\d+) exceptions, (\d+) irqs/);
    assert.equal(done[1], '1');
    assert.equal(done[3], '0');
    assert.equal(sys.hypervisor.domains[0].vcpus.length, 1, 'CPU_ON made no vCPU appear');
  });

  it('the victim sees its pattern unchanged, in its own passes and in host RAM; the reserve is untouched', () => {
    const before = line(/victim\| victim: pattern at 0x40800000, checksum ([0-9a-f]{8})/);
    const after = line(/victim\| victim: after 8 passes checksum ([0-9a-f]{8}), (\d+) words differed/);
    assert.equal(after[1], before[1]);
    assert.equal(after[2], '0');
    // It checked after the adversary was done.
    assert.ok(text.indexOf('adv done') < text.indexOf('victim: after'), 'the victim finished after the adversary');
    const victim = sys.hypervisor.domains[1];
    for (let i = 0; i < PATTERN_WORDS; i++) {
      const v = sys.board.mem.read32(victim.ramPa + PATTERN_OFFSET + i * 4) >>> 0;
      if (v !== pattern(i)) assert.fail(`victim word ${i} is 0x${v.toString(16)}, not 0x${pattern(i).toString(16)}`);
    }
    const hv = sys.hypervisor;
    assert.ok(0x10000 + hv.layout.tableBytes < RESERVE_CHECKED);
    assert.equal(hashPa(sys, hv.layout.reserveBase, RESERVE_CHECKED), reserveBefore);
    // Every refusal the hypervisor logged was the adversary's.
    const refusals = hv.log.filter((l) => /abort injected|UNDEFINED injected/.test(l));
    assert.ok(refusals.length > 0);
    for (const l of refusals) assert.match(l, /^adversary\./);
    assert.equal(victim.shutdownReason, 'poweroff');
  });
});
