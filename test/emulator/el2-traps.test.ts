// EL2 (and EL1/EL3) trap controls of Armv8.0 (Arm ARM D13.2.46 HCR_EL2, D13.2.30 CPACR_EL1,
// D13.2.31 CPTR_EL2, D13.2.32 CPTR_EL3, the WFI/WFE pseudocode): syndrome, return address and
// target EL of each trap, and the priority between them.
import { strict as assert } from 'node:assert';
import { Cpu } from '../../emulator/cpu/cpu';
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';
import { SYS, sysKey } from '../../emulator/cpu/system-state';
import { CTX_E10_1 } from '../../emulator/mmu';

const RAM = 0x40000000;
const HCR_RW = 1n << 31n;
const IL = 1 << 25;

function cpuAt(el: number, words: number[], config: { hasEl2?: boolean; hasEl3?: boolean } = { hasEl2: true }): Cpu {
  const mem = new PhysicalMemory(RAM, 1 << 20);
  words.forEach((w, i) => mem.write32(RAM + i * 4, w));
  const cpu = new Cpu(mem, { hypervisorCall: () => false }, 0, { ...config, startEl: config.hasEl3 ? 3 : config.hasEl2 ? 2 : 1 });
  for (let e = 1; e <= 3; e++) cpu.setSys(SYS.VBAR[e], RAM + 0x10000 * e, 0);
  cpu.setPstate(el, el === 0 ? 0 : 1);
  cpu.pc = BigInt(RAM);
  return cpu;
}
const setHcr = (cpu: Cpu, bits: bigint): void => cpu.setSys(SYS.HCR_EL2, Number((bits | HCR_RW) & 0xffffffffn), 0);
/** ISS of a trapped MRS/MSR/SYS (Arm ARM D13.2.37), built from the fields. */
function sysIss(op0: number, op1: number, crn: number, crm: number, op2: number, rt: number, read: boolean): number {
  return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0);
}
function expectTrap(cpu: Cpu, el: number, esr: number, elr = RAM, from = 1): void {
  assert.equal(cpu.stopReason, undefined, `stopped: ${JSON.stringify(cpu.stopReason)}`);
  assert.equal(cpu.el, el, 'target EL');
  assert.equal((cpu.sysLo[SYS.ESR[el]] >>> 0).toString(16), (esr >>> 0).toString(16), 'ESR');
  assert.equal(cpu.sysLo[SYS.ELR[el]] >>> 0, elr >>> 0, 'ELR: the trapped instruction');
  assert.equal(cpu.pc, BigInt(RAM + 0x10000 * el + (el > from ? 0x400 : 0x200)), 'vector');
}

describe('HCR_EL2 traps of MRS/MSR (EC 0x18 to EL2)', () => {
  const cases: [string, bigint, number, [number, number, number, number, number, number, boolean]][] = [
    ['TID2: MRS CTR_EL0', 1n << 17n, 0xd53b0020, [3, 3, 0, 0, 1, 0, true]],
    ['TVM: MSR SCTLR_EL1', 1n << 26n, 0xd5181003, [3, 0, 1, 0, 0, 3, false]],
    ['TRVM: MRS SCTLR_EL1', 1n << 30n, 0xd5381001, [3, 0, 1, 0, 0, 1, true]],
    ['TID3: MRS ID_AA64PFR0_EL1', 1n << 18n, 0xd5380400, [3, 0, 0, 4, 0, 0, true]],
    ['TID3: reserved ID space S3_0_C0_C1_0', 1n << 18n, 0xd5380100, [3, 0, 0, 1, 0, 0, true]],
    ['TID1: MRS REVIDR_EL1', 1n << 16n, 0xd53800c0, [3, 0, 0, 0, 6, 0, true]],
    ['TACR: MRS ACTLR_EL1', 1n << 21n, 0xd5381020, [3, 0, 1, 0, 1, 0, true]],
    ['TIDCP: MRS S3_0_C15_C2_0 (IMPLEMENTATION DEFINED space)', 1n << 20n, 0xd538f200, [3, 0, 15, 2, 0, 0, true]],
    ['TSW: DC ISW', 1n << 22n, 0xd5087640, [1, 0, 7, 6, 2, 0, false]],
    ['TPCP: DC CIVAC', 1n << 23n, 0xd50b7e20, [1, 3, 7, 14, 1, 0, false]],
    ['TPU: IC IALLU', 1n << 24n, 0xd508751f, [1, 0, 7, 5, 0, 31, false]],
    ['TTLB: TLBI VMALLE1', 1n << 25n, 0xd508871f, [1, 0, 8, 7, 0, 31, false]],
    ['TDZ: DC ZVA', 1n << 28n, 0xd50b7420, [1, 3, 7, 4, 1, 0, false]],
  ];
  for (const [what, bit, word, f] of cases) {
    it(`${what} at EL1 traps to EL2 with the Arm ARM ISS, and runs when the bit is clear`, () => {
      const cpu = cpuAt(1, [word]);
      setHcr(cpu, bit);
      cpu.run(1);
      expectTrap(cpu, 2, (0x18 << 26) | IL | sysIss(...f));
      const free = cpuAt(1, [word]);
      free.setX(0, BigInt(RAM + 0x8000)); // DC ZVA's block
      setHcr(free, 0n);
      free.run(1);
      if (what.startsWith('TIDCP')) assert.equal(free.sysLo[SYS.ESR[1]] >>> 26, 0, 'no such register: UNDEFINED at EL1');
      else { assert.equal(free.el, 1); assert.equal(free.pc, BigInt(RAM + 4)); }
    });
  }

  it('TVM does not trap reads, nor EL2 accesses', () => {
    const cpu = cpuAt(1, [0xd5381001]);
    setHcr(cpu, 1n << 26n);
    cpu.run(1);
    assert.equal(cpu.pc, BigInt(RAM + 4));
    const el2 = cpuAt(2, [0xd5181003]);
    setHcr(el2, 1n << 26n);
    el2.run(1);
    assert.equal(el2.pc, BigInt(RAM + 4));
  });

  it('the EL0 gate (SCTLR_EL1.UCT, to EL1) comes before TID2 for CTR_EL0 at EL0', () => {
    const cpu = cpuAt(0, [0xd53b0020]);
    setHcr(cpu, 1n << 17n);
    cpu.sysLo[SYS.SCTLR[1]] &= ~(1 << 15);
    cpu.run(1);
    expectTrap(cpu, 1, (0x18 << 26) | IL | sysIss(3, 3, 0, 0, 1, 0, true), RAM, 0);
    const open = cpuAt(0, [0xd53b0020]);
    setHcr(open, 1n << 17n);
    open.sysLo[SYS.SCTLR[1]] |= 1 << 15;
    open.run(1);
    expectTrap(open, 2, (0x18 << 26) | IL | sysIss(3, 3, 0, 0, 1, 0, true), RAM, 0);
  });

  it('EL1-only cache maintenance is UNDEFINED at EL0; IC IVAU at EL0 is gated by SCTLR_EL1.UCI', () => {
    const cpu = cpuAt(0, [0xd5087640]); // dc isw
    cpu.run(1);
    assert.equal(cpu.el, 1);
    assert.equal(cpu.sysLo[SYS.ESR[1]] >>> 0, IL);
    const ivau = cpuAt(0, [0xd50b7520]);
    ivau.sysLo[SYS.SCTLR[1]] &= ~(1 << 26);
    ivau.run(1);
    expectTrap(ivau, 1, (0x18 << 26) | IL | sysIss(1, 3, 7, 5, 1, 0, false), RAM, 0);
  });

  it('DCZID_EL0.DZP reads 1 at EL1 while HCR_EL2.TDZ traps DC ZVA', () => {
    const cpu = cpuAt(1, [0xd53b00e0, 0xd53b00e0]);
    cpu.run(1);
    assert.equal(cpu.xlo[0], 4);
    setHcr(cpu, 1n << 28n);
    cpu.run(1);
    assert.equal(cpu.xlo[0], 0x14);
  });

  it('HCR_EL2 accepts every Armv8.0 control (no refusal) and still refuses RW = 0', () => {
    const cpu = cpuAt(2, [0xd51c1100, 0xd51c1100]); // msr hcr_el2, x0
    cpu.setX(0, 0xfffffffffn);
    cpu.run(1);
    assert.equal(cpu.stopReason, undefined);
    assert.equal(cpu.getSys(SYS.HCR_EL2), 0x3ffffffffn);
    cpu.setX(0, 0n);
    cpu.run(1);
    const stop = cpu.stopReason as { kind: string } | undefined;
    assert.equal(stop?.kind, 'fault');
  });
});

describe('WFI / WFE traps (EC 0x01)', () => {
  const WFI = 0xd503207f, WFE = 0xd503205f;
  const wfx = (ti: number): number => (0x01 << 26) | IL | (1 << 24) | (0xe << 20) | ti;

  it('HCR_EL2.TWI traps WFI at EL1 to EL2 (CV=1, COND=0xE, TI=0)', () => {
    const cpu = cpuAt(1, [WFI]);
    setHcr(cpu, 1n << 13n);
    cpu.run(1);
    expectTrap(cpu, 2, wfx(0));
  });

  it('HCR_EL2.TWE traps WFE at EL1 (TI=1) unless the event register is set', () => {
    const cpu = cpuAt(1, [WFE]);
    setHcr(cpu, 1n << 14n);
    cpu.run(1);
    expectTrap(cpu, 2, wfx(1));
    const ev = cpuAt(1, [0xd50320bf, WFE]); // sevl; wfe
    setHcr(ev, 1n << 14n);
    ev.run(2);
    assert.equal(ev.el, 1);
    assert.equal(ev.pc, BigInt(RAM + 8));
    assert.equal(ev.eventRegister, 0, 'WFE consumed the event');
  });

  it('a WFI that would not sleep (interrupt pending, even masked) is not trapped', () => {
    const cpu = cpuAt(1, [WFI]);
    setHcr(cpu, 1n << 13n);
    cpu.setInterruptLines(true, false, false, false);
    cpu.daif = 0x3c0;
    cpu.run(1);
    assert.equal(cpu.el, 1);
    assert.equal(cpu.pc, BigInt(RAM + 4));
  });

  it('at EL0, SCTLR_EL1.nTWI = 0 (to EL1) comes before HCR_EL2.TWI', () => {
    const cpu = cpuAt(0, [WFI]);
    setHcr(cpu, 1n << 13n);
    cpu.sysLo[SYS.SCTLR[1]] &= ~(1 << 16);
    cpu.run(1);
    expectTrap(cpu, 1, wfx(0), RAM, 0);
    const on = cpuAt(0, [WFI]);
    setHcr(on, 1n << 13n);
    on.sysLo[SYS.SCTLR[1]] |= 1 << 16;
    on.run(1);
    expectTrap(on, 2, wfx(0), RAM, 0);
  });

  it('SCR_EL3.TWI traps WFI at EL2 to EL3', () => {
    const cpu = cpuAt(2, [WFI], { hasEl2: true, hasEl3: true });
    cpu.setSys(SYS.SCR_EL3, 0x401 | (1 << 12), 0);
    cpu.run(1);
    expectTrap(cpu, 3, wfx(0), RAM, 2);
  });
});

describe('HVC disable and virtual SError', () => {
  it('HCR_EL2.HCD makes HVC UNDEFINED at EL1', () => {
    const cpu = cpuAt(1, [0xd4000002]);
    setHcr(cpu, 1n << 29n);
    cpu.run(1);
    expectTrap(cpu, 1, IL);
    const on = cpuAt(1, [0xd4000042]); // hvc #2
    setHcr(on, 0n);
    on.run(1);
    expectTrap(on, 2, (0x16 << 26) | IL | 2, RAM + 4);
  });

  it('HCR_EL2.VSE with AMO is taken at EL1 as an SError (EC 0x2F) once PSTATE.A is clear, and VSE clears', () => {
    const cpu = cpuAt(1, [0xd503201f, 0xd503201f, 0xd503201f]);
    cpu.mem.write32(RAM + 0x10000 + 0x380, 0xd503201f); // a NOP at EL1's SError vector (current EL, SP_ELx)
    setHcr(cpu, (1n << 8n) | (1n << 5n));
    cpu.daif = 0x100; // A masked
    cpu.interruptCheck = true;
    cpu.run(1);
    assert.equal(cpu.pc, BigInt(RAM + 4), 'masked by PSTATE.A');
    cpu.daif = 0;
    cpu.interruptCheck = true;
    cpu.run(1);
    assert.equal(cpu.el, 1);
    assert.equal(cpu.pc, BigInt(RAM + 0x10000 + 0x384));
    assert.equal(cpu.sysLo[SYS.ESR[1]] >>> 0, ((0x2f << 26) | IL) >>> 0);
    assert.equal(cpu.sysLo[SYS.ELR[1]] >>> 0, RAM + 4);
    assert.equal(cpu.sysLo[SYS.HCR_EL2] & (1 << 8), 0);
  });
});

describe('FP/SIMD traps (EC 0x07)', () => {
  const FMOV = 0x9e670020, MRS_FPCR = 0xd53b4400;
  const fp = (0x07 << 26) | IL | (1 << 24) | (0xe << 20);
  const CPTR_EL2 = sysKey(3, 4, 1, 1, 2), CPTR_EL3 = sysKey(3, 6, 1, 1, 2);

  it('CPACR_EL1.FPEN = 00 traps FP instructions and FPCR access at EL1 to EL1', () => {
    for (const w of [FMOV, MRS_FPCR]) {
      const cpu = cpuAt(1, [w]);
      cpu.run(1);
      expectTrap(cpu, 1, fp);
    }
  });

  it('FPEN = 01 traps EL0 only; FPEN = 11 traps nothing', () => {
    const el1 = cpuAt(1, [0xd5181040, FMOV]); // msr cpacr_el1, x0; fmov
    el1.setX(0, 0x100000n);
    el1.run(2);
    assert.equal(el1.pc, BigInt(RAM + 8));
    const el0 = cpuAt(1, [0xd5181040]);
    el0.setX(0, 0x100000n);
    el0.run(1);
    el0.setPstate(0, 0);
    el0.mem.write32(RAM + 4, FMOV);
    el0.run(1);
    expectTrap(el0, 1, fp, RAM + 4, 0);
  });

  it('with FPEN = 11, CPTR_EL2.TFP traps EL1 and EL2 FP to EL2; CPACR comes first', () => {
    const cpu = cpuAt(1, [0xd5181040, FMOV]);
    cpu.setX(0, 0x300000n);
    cpu.setSys(CPTR_EL2, 1 << 10, 0);
    cpu.run(2);
    expectTrap(cpu, 2, fp, RAM + 4);
    const first = cpuAt(1, [FMOV]);
    first.setSys(CPTR_EL2, 1 << 10, 0);
    first.updateFpTrap();
    first.run(1);
    expectTrap(first, 1, fp);
  });

  it('a CPACR trap at EL0 with HCR_EL2.TGE goes to EL2 as Uncategorized (EC 0x00)', () => {
    const cpu = cpuAt(0, [FMOV]);
    setHcr(cpu, 1n << 27n);
    cpu.run(1);
    expectTrap(cpu, 2, IL, RAM, 0);
  });

  it('CPTR_EL2.TCPAC traps EL1 accesses to CPACR_EL1 to EL2; CPTR_EL3.TFP traps EL2 FP to EL3', () => {
    const cpu = cpuAt(1, [0xd5181040]);
    cpu.setSys(CPTR_EL2, 1 << 31, 0);
    cpu.run(1);
    expectTrap(cpu, 2, (0x18 << 26) | IL | sysIss(3, 0, 1, 0, 2, 0, false));
    const el3 = cpuAt(2, [FMOV], { hasEl2: true, hasEl3: true });
    el3.setSys(SYS.SCR_EL3, 0x401, 0);
    el3.setSys(CPTR_EL3, 1 << 10, 0);
    el3.updateFpTrap();
    el3.run(1);
    expectTrap(el3, 3, fp, RAM, 2);
  });
});

describe('translation registers and the TLB', () => {
  const LDR_X1_X2 = 0xf9400041, MSR_SCTLR_EL1_X0 = 0xd5181000;
  const entries = (cpu: Cpu): number => cpu.tlb.tables(CTX_E10_1).reduce((n, t) => n + t.count, 0);

  it('an MSR that leaves SCTLR_EL1 as it was keeps the TLB; one that changes it flushes', () => {
    const cpu = cpuAt(1, [LDR_X1_X2, MSR_SCTLR_EL1_X0, LDR_X1_X2, MSR_SCTLR_EL1_X0]);
    cpu.setX(2, BigInt(RAM + 0x8000));
    const sctlr = BigInt(cpu.sysLo[SYS.SCTLR[1]] >>> 0);
    cpu.setX(0, sctlr);
    cpu.run(2); // the load, then the MSR of the same value
    assert.ok(entries(cpu) > 0, 'the entry the load filled is still there');
    cpu.run(1);
    cpu.setX(0, sctlr ^ (1n << 12n)); // I: no translation meaning here, but a different value
    cpu.run(1);
    assert.equal(entries(cpu), 0, 'a changed SCTLR_EL1 drops every entry');
  });
});
