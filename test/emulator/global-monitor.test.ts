// The global exclusive monitor (Arm ARM B2.9) and the Event Register / WFE / SEV (Arm ARM D1.16)
// on two PEs sharing one PhysicalMemory, each run instruction by instruction so the interleaving
// is exact: a store by the other PE to the reserved granule (any kind of store) makes the
// Store-Exclusive fail, a store outside it does not, and the clear is a WFE wake-up event.
import { strict as assert } from 'node:assert';
import { Cpu, type CpuEnvironment } from '../../emulator/cpu/cpu';
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';
import { WATCH_EXCLUSIVE } from '../../emulator/cpu/global-monitor';
import { SYS } from '../../emulator/cpu/system-state';

const RAM = 0x40000000;
const DATA = RAM + 0x10000; // 64-byte aligned: one Exclusives Reservation Granule
const W = {
  ldxr: 0xc85f7c41, // ldxr x1, [x2]
  stxr: 0xc8057c44, // stxr w5, x4, [x2]
  str8: 0xf9000444, // str x4, [x2, #8]
  str64: 0xf9002044, // str x4, [x2, #64]
  stp16: 0xa9011044, // stp x4, x4, [x2, #16]
  strb63: 0x3900fc44, // strb w4, [x2, #63]
  ldadd: 0xf8240046, // ldadd x4, x6, [x2]
  dcZva: 0xd50b7422, // dc zva, x2
  clrex: 0xd5033f5f,
  sevl: 0xd50320bf,
  wfe: 0xd503205f,
  sev: 0xd503209f,
  eret: 0xd69f03e0,
  msrCntkctl: 0xd518e100, // msr cntkctl_el1, x0
  b: 0x14000000, // b .
  daifclrI: 0xd50342ff, // msr daifclr, #2
};

/** Two PEs on one memory; CPU n runs code at RAM + n * 0x1000; x2 = DATA, x4 = a pattern. */
function twoCpus(code0: number[], code1: number[], env: Partial<CpuEnvironment> = {}): [Cpu, Cpu, PhysicalMemory] {
  const mem = new PhysicalMemory(RAM, 1 << 20);
  const e: CpuEnvironment = { hypervisorCall: () => false, ...env };
  const cpus = [code0, code1].map((code, n) => {
    code.forEach((w, i) => mem.write32(RAM + n * 0x1000 + i * 4, w));
    const cpu = new Cpu(mem, e, n);
    cpu.pc = BigInt(RAM + n * 0x1000);
    cpu.setX(2, BigInt(DATA));
    cpu.setX(4, 0x1111111122222222n * BigInt(n + 1));
    return cpu;
  });
  return [cpus[0], cpus[1], mem];
}

/** CPU 1 warms its TLB (a store to the next granule), CPU 0 LDXR, CPU 1 `store`, CPU 0 STXR: STXR's status. */
function interleave(store: number): number {
  const [c0, c1] = twoCpus([W.ldxr, W.stxr], [W.str64, store]);
  c1.run(1);
  c0.run(1);
  c1.run(1);
  c0.run(1);
  assert.equal(c0.stopReason ?? c1.stopReason, undefined);
  return c0.xlo[5];
}

describe('global exclusive monitor and WFE/SEV (unit, two PEs)', () => {
  it('a store by the other PE to the reserved granule makes STXR fail, whatever the store', () => {
    for (const [name, w] of [['STR', W.str8], ['STP', W.stp16], ['STRB (last byte)', W.strb63], ['LDADD', W.ldadd], ['DC ZVA', W.dcZva]] as const) {
      assert.equal(interleave(w), 1, `${name} between LDXR and STXR`);
    }
  });

  it('a store outside the granule, or none, leaves the reservation: STXR succeeds and stores', () => {
    assert.equal(interleave(W.str64), 0, 'store to the next granule');
    assert.equal(interleave(W.clrex), 0, 'the other PE\'s CLREX is local to it');
  });

  it('of two PEs holding the same reservation, the first STXR wins and the second fails', () => {
    const [c0, c1, mem] = twoCpus([W.ldxr, W.stxr], [W.ldxr, W.stxr]);
    c0.run(1); c1.run(1);
    c1.run(1);
    assert.equal(c1.xlo[5], 0, 'CPU 1 stores');
    c0.run(1);
    assert.equal(c0.xlo[5], 1, 'CPU 0 fails: CPU 1\'s store cleared its monitor');
    assert.equal(mem.read32(DATA) >>> 0, 0x44444444);
  });

  it('a loader or debugger write into the granule clears the reservation too', () => {
    const [c0, , mem] = twoCpus([W.ldxr, W.stxr], []);
    c0.run(1);
    mem.load(DATA + 32, Uint8Array.of(1, 2, 3));
    c0.run(1);
    assert.equal(c0.xlo[5], 1);
  });

  it('arms the page watch with LDXR and drops it lazily once no reservation remains in the page', () => {
    const [c0, c1, mem] = twoCpus([W.ldxr, W.clrex], [W.str64, W.str64]);
    const page = (DATA - RAM) >>> 12;
    c0.run(1);
    assert.equal(mem.watchPages[page] & WATCH_EXCLUSIVE, WATCH_EXCLUSIVE);
    c1.run(1);
    assert.equal(mem.watchPages[page] & WATCH_EXCLUSIVE, WATCH_EXCLUSIVE, 'CPU 0 still holds a reservation in the page');
    c0.run(1); // CLREX
    c1.run(1);
    assert.equal(mem.watchPages[page] & WATCH_EXCLUSIVE, 0, 'the next store found none and dropped the watch');
  });

  it('the clearing of a PE\'s global monitor wakes it from WFE (the Linux __cmpwait pattern)', () => {
    const [c0, c1] = twoCpus([W.sevl, W.wfe, W.ldxr, W.wfe, W.b], [W.str8]);
    c0.run(10);
    assert.ok(c0.waitingForEvent && c0.waitingForInterrupt, 'the second WFE sleeps');
    assert.equal(c0.pc, BigInt(RAM + 16), 'after the sleeping WFE');
    c1.run(1);
    assert.ok(!c0.waitingForEvent && !c0.waitingForInterrupt, 'woken by the store');
    assert.equal(c0.eventRegister, 0, 'the WFE consumed the event');
  });

  it('WFE: completes and clears a set Event Register (SEVL); otherwise sleeps until SEV from another PE', () => {
    const sev = (from: Cpu): void => { for (const c of all) c.sendEvent(); void from; };
    const all: Cpu[] = [];
    const [c0, c1] = twoCpus([W.sevl, W.wfe, W.wfe, W.b], [W.sev], { sendEvent: sev });
    all.push(c0, c1);
    c0.run(2);
    assert.ok(!c0.waitingForInterrupt && c0.eventRegister === 0, 'SEVL then WFE: no sleep, register cleared');
    c0.run(5);
    assert.ok(c0.waitingForEvent, 'the second WFE sleeps');
    c1.run(1);
    assert.ok(!c0.waitingForEvent, 'SEV on CPU 1 woke CPU 0');
    assert.equal(c1.eventRegister, 1, 'SEV also set the sender\'s own Event Register');
  });

  it('WFE ignores masked interrupts, wakes for one it would take; ERET sets the Event Register', () => {
    const [c0] = twoCpus([W.wfe, W.b], []);
    c0.run(1);
    assert.ok(c0.waitingForEvent);
    c0.setInterruptLines(true, false, false, false); // IRQ, masked by PSTATE.I (reset)
    assert.ok(c0.waitingForEvent, 'a masked IRQ is no WFE wake-up event');
    c0.setInterruptLines(false, false, false, false);
    c0.daif = 0x340; // I clear
    c0.setInterruptLines(true, false, false, false);
    assert.ok(!c0.waitingForEvent, 'an IRQ it would take wakes it');
    const [e] = twoCpus([W.eret, W.wfe], []);
    e.setSys(SYS.SPSR[1], 0x3c5, 0);
    e.setSys(SYS.ELR[1], RAM + 4, 0);
    e.run(2);
    assert.ok(!e.waitingForEvent, 'the WFE after ERET completes at once');
  });

  it('WFE at EL0 traps to EL1 with EC 0x01, TI = 1 when SCTLR_EL1.nTWE is 0', () => {
    const [c0] = twoCpus([W.wfe], []);
    c0.setSys(SYS.VBAR[1], RAM + 0x800, 0);
    c0.sysLo[SYS.SCTLR[1]] &= ~(1 << 18);
    c0.setPstate(0, 0);
    c0.run(1);
    assert.equal(c0.el, 1);
    assert.equal(c0.sysLo[SYS.ESR[1]] >>> 0, ((0x01 << 26) | (1 << 25) | (1 << 24) | (0xe << 20) | 1) >>> 0);
    assert.equal(c0.sysLo[SYS.ELR[1]] >>> 0, RAM);
  });

  it('folds timer event-stream events into the Event Register when WFE looks', () => {
    const [c0] = twoCpus([W.wfe, W.wfe, W.b], []);
    let now = 1000, fired = false;
    c0.eventStream = { now: () => now, fired: (a, b) => { assert.ok(b >= a); return fired; } };
    fired = true;
    c0.run(1);
    assert.ok(!c0.waitingForEvent, 'an event-stream event since the last look: WFE completes');
    assert.equal(c0.eventStreamSeenNs, 1000);
    fired = false; now = 2000;
    c0.run(1);
    assert.ok(c0.waitingForEvent, 'none since: it sleeps');
    c0.eventStreamWake(3000);
    assert.ok(!c0.waitingForEvent);
    assert.equal(c0.eventStreamSeenNs, 3000);
  });
});
