// FEAT_PAN and the unprivileged loads/stores (LDTR/STTR…) on the CPU with the MMU on: the
// permission a data access gets from PSTATE.PAN and from the access kind, on TLB misses and on
// TLB hits alike (the TLB caches permissions per translation context, so a PAN change must
// select another table), PSTATE.PAN across exception entry (SCTLR_EL1.SPAN) and return, and the
// PAN register. The differential side is test/system-programs/pan-unpriv.S.
import { strict as assert } from 'node:assert';
import { Cpu } from '../../emulator/cpu/cpu';
import { MMU_KEYS } from '../../emulator/cpu/mmu-registers';
import { SYS } from '../../emulator/cpu/system-state';
import { MAIR, RAM_BASE, TableAlloc, TableTree, newMem, s1Leaf, tcrEl1 } from '../mmu/table-builder';

const VBAR = RAM_BASE + 0x8000;
/** EL0-accessible data page (AP = 01: EL1 and EL0 read/write) and an EL1-only one (AP = 00). */
const USER_VA = 0x1000, KERNEL_VA = 0x2000;
const USER_PA = RAM_BASE + 0x20000, KERNEL_PA = RAM_BASE + 0x21000;
const SPAN = 1 << 23;

const W = {
  ldr: 0xf9400041, // ldr x1, [x2]
  panOn: 0xd500419f, // msr pan, #1
  panOff: 0xd500409f, // msr pan, #0
  ldtr: 0xf8400841, // ldtr x1, [x2]
  sttr8: 0xf8008844, // sttr x4, [x2, #8]
  ldtrK: 0xf8400861, // ldtr x1, [x3]
  sttrK: 0xf8000864, // sttr x4, [x3]
  mrsPan: 0xd5384265, // mrs x5, pan
  msrPan: 0xd5184266, // msr pan, x6
  svc: 0xd4000001,
  eret: 0xd69f03e0,
  mmfr1: 0xd5380720, // mrs x0, id_aa64mmfr1_el1
  ldtrb: 0x38401841, // ldtrb w1, [x2, #1]
  ldtrsh: 0x78802841, // ldtrsh x1, [x2, #2]
  sttrh: 0x78004844, // sttrh w4, [x2, #4]
  ldrK: 0xf9400061, // ldr x1, [x3]
};

/** A CPU at EL1 with the MMU on: RAM identity-mapped EL1-only by a 1 GiB block, plus the two data pages. */
function mmuCpu(words: number[], hasEl2 = false): Cpu {
  const mem = newMem();
  words.forEach((w, i) => mem.write32(RAM_BASE + i * 4, w));
  const tree = new TableTree(mem, new TableAlloc(mem, RAM_BASE + 0x100000), 12, 39);
  tree.set(BigInt(RAM_BASE), 1, s1Leaf(RAM_BASE, 1, { attrIndx: 1 }));
  tree.set(BigInt(USER_VA), 3, s1Leaf(USER_PA, 3, { attrIndx: 1, ap: 1 }));
  tree.set(BigInt(KERNEL_VA), 3, s1Leaf(KERNEL_PA, 3, { attrIndx: 1, ap: 0 }));
  const cpu = new Cpu(mem, { hypervisorCall: () => false }, 0, { hasEl2 });
  const set = (key: number, v: bigint): void => cpu.setSys(key, Number(v & 0xffffffffn), Number(v >> 32n));
  set(MMU_KEYS.TCR_EL1, tcrEl1({ t0sz: 25, epd1: true, ips: 2 }));
  set(MMU_KEYS.MAIR_EL1, MAIR);
  set(MMU_KEYS.TTBR0_EL1, BigInt(tree.root));
  cpu.sysLo[SYS.SCTLR[1]] |= 1; // M (SPAN is set at reset: RES1 in v8.0)
  cpu.translationChanged();
  cpu.setSys(SYS.VBAR[1], VBAR, 0);
  cpu.setX(2, BigInt(USER_VA));
  cpu.setX(3, BigInt(KERNEL_VA));
  mem.write32(USER_PA, 0x11223344);
  mem.write32(USER_PA + 4, 0x55667788);
  mem.write32(KERNEL_PA, 0x0badcafe);
  cpu.pc = BigInt(RAM_BASE);
  return cpu;
}

const ESR_DABT_SAME = (0x25 << 26) | (1 << 25);
const PERM_L3 = 0x0f;
const esr = (cpu: Cpu): number => cpu.sysLo[SYS.ESR[1]] >>> 0;
const atVector = (cpu: Cpu, off: number): boolean => cpu.pc === BigInt(VBAR + off);

describe('FEAT_PAN and unprivileged loads/stores (unit)', () => {
  it('advertises ID_AA64MMFR1_EL1.PAN = 1', () => {
    const cpu = mmuCpu([W.mmfr1]);
    cpu.run(1);
    assert.equal((cpu.xlo[0] >>> 20) & 15, 1);
  });

  it('PAN=1 makes an EL1 load of an EL0-accessible page a level 3 Permission fault; PAN=0 allows it', () => {
    const cpu = mmuCpu([W.ldr, W.panOn, W.ldr]);
    cpu.run(1);
    assert.equal(cpu.xlo[1], 0x11223344, 'PAN=0: the load happens');
    cpu.run(2);
    assert.ok(atVector(cpu, 0x200), `current-EL synchronous vector, pc ${cpu.pc.toString(16)}`);
    assert.equal(esr(cpu), (ESR_DABT_SAME | PERM_L3) >>> 0);
    assert.equal(cpu.getSys(SYS.FAR[1]), BigInt(USER_VA));
    assert.equal(cpu.sysLo[SYS.ELR[1]] >>> 0, RAM_BASE + 8);
    assert.equal((cpu.sysLo[SYS.SPSR[1]] >>> 22) & 1, 1, 'SPSR_EL1.PAN records PSTATE.PAN');
  });

  it('honours a PAN change on TLB hits: 0 -> 1 faults, 1 -> 0 loads again', () => {
    const cpu = mmuCpu([W.ldr, W.ldr, W.panOn, W.ldr]);
    cpu.setSys(SYS.VBAR[1], RAM_BASE + 0x800, 0);
    // At the vector: msr pan, #0; ldr x1, [x2] (the user page) — then stop.
    cpu.mem.write32(RAM_BASE + 0xa00, W.panOff);
    cpu.mem.write32(RAM_BASE + 0xa04, W.ldr);
    cpu.run(2); // fills the EL1 PAN=0 TLB entry, then hits it
    assert.equal(cpu.xlo[1], 0x11223344);
    cpu.xlo[1] = 0;
    cpu.run(2);
    assert.equal(cpu.pc, BigInt(RAM_BASE + 0xa00), 'PAN=1 load faulted despite the cached PAN=0 entry');
    assert.equal(cpu.xlo[1], 0);
    cpu.run(2);
    assert.equal(cpu.xlo[1], 0x11223344, 'PAN=0 again: the load happens');
  });

  it('does not affect EL1-only pages', () => {
    const cpu = mmuCpu([W.panOn, W.ldrK]);
    cpu.run(2);
    assert.equal(cpu.xlo[1], 0x0badcafe);
  });

  it('LDTR/STTR at EL1 use EL0 permissions, whatever PAN says', () => {
    const cpu = mmuCpu([W.panOn, W.ldtr, W.sttr8, W.ldtrb, W.ldtrsh, W.sttrh]);
    cpu.setX(4, 0xfedcba9876543210n);
    cpu.run(3);
    assert.equal(cpu.getX(1), 0x5566778811223344n, 'LDTR reads the EL0 page under PAN');
    assert.equal(cpu.mem.read32(USER_PA + 8) >>> 0, 0x76543210);
    assert.equal(cpu.mem.read32(USER_PA + 12) >>> 0, 0xfedcba98);
    cpu.run(1);
    assert.equal(cpu.getX(1), 0x33n, 'LDTRB');
    cpu.run(1);
    assert.equal(cpu.getX(1), 0x1122n, 'LDTRSH');
    cpu.run(1);
    assert.equal(cpu.mem.read32(USER_PA + 4) >>> 0, 0x55663210, 'STTRH');
    assert.equal(cpu.el, 1);
  });

  it('LDTR/STTR of an EL1-only page fault (level 3 Permission, WnR for the store); the next access is privileged again', () => {
    const cpu = mmuCpu([W.ldtrK]);
    cpu.run(1);
    assert.ok(atVector(cpu, 0x200));
    assert.equal(esr(cpu), (ESR_DABT_SAME | PERM_L3) >>> 0);
    assert.equal(cpu.getSys(SYS.FAR[1]), BigInt(KERNEL_VA));
    // After the fault the ordinary (EL1) context is back: a plain load of the EL1 page works.
    cpu.mem.write32(VBAR + 0x200, W.sttrK);
    cpu.run(1);
    assert.equal(esr(cpu), (ESR_DABT_SAME | (1 << 6) | PERM_L3) >>> 0, 'STTR: WnR set');
    const c2 = mmuCpu([W.ldtrK, W.ldrK]);
    c2.mem.write32(VBAR + 0x200, W.ldrK);
    c2.run(2);
    assert.equal(c2.xlo[1], 0x0badcafe, 'the handler\'s plain load runs with EL1 permissions');
  });

  it('LDTR at EL0 is an ordinary EL0 access', () => {
    const cpu = mmuCpu([W.ldtr]);
    cpu.setPstate(0, 0);
    cpu.run(1);
    assert.equal(cpu.getX(1), 0x5566778811223344n);
    assert.equal(cpu.el, 0);
  });

  it('reads and writes PSTATE.PAN through the PAN register (bit 22)', () => {
    const cpu = mmuCpu([W.panOn, W.mrsPan, W.msrPan, W.mrsPan, W.ldr]);
    cpu.run(2);
    assert.equal(cpu.xlo[5], 1 << 22);
    cpu.setX(6, 0n);
    cpu.run(3);
    assert.equal(cpu.xlo[5], 0);
    assert.equal(cpu.xlo[1], 0x11223344, 'MSR PAN, x6 (0) lets the load through');
  });

  it('sets PAN on exception entry to EL1 when SCTLR_EL1.SPAN = 0, keeps it when SPAN = 1; ERET restores it', () => {
    for (const span of [0, 1]) {
      const cpu = mmuCpu([W.svc]);
      if (!span) cpu.sysLo[SYS.SCTLR[1]] &= ~SPAN;
      cpu.mem.write32(VBAR + 0x200, W.ldr);
      cpu.mem.write32(VBAR + 0x204, W.eret);
      cpu.run(1);
      assert.equal(cpu.pan, span ? 0 : 1, `SPAN=${span}`);
      assert.equal((cpu.sysLo[SYS.SPSR[1]] >>> 22) & 1, 0);
      cpu.run(1);
      if (span) assert.equal(cpu.xlo[1], 0x11223344);
      else assert.ok(atVector(cpu, 0x200) && esr(cpu) === (ESR_DABT_SAME | PERM_L3) >>> 0, 'the handler\'s load faults under PAN');
    }
    const cpu = mmuCpu([W.svc, W.ldr]);
    cpu.sysLo[SYS.SCTLR[1]] &= ~SPAN;
    cpu.mem.write32(VBAR + 0x200, W.eret);
    cpu.run(2);
    assert.equal(cpu.pan, 0, 'ERET restored PAN = 0 from SPSR_EL1');
    cpu.run(1);
    assert.equal(cpu.xlo[1], 0x11223344);
  });

  it('keeps SPSR_EL1.PAN writable and makes MSR PAN, #imm UNDEFINED at EL0', () => {
    const cpu = mmuCpu([0xd5184000, 0xd5384007]); // msr spsr_el1, x0; mrs x7, spsr_el1
    cpu.setX(0, 1n << 22n);
    cpu.run(2);
    assert.equal(cpu.xlo[7], 1 << 22);
    const el0 = mmuCpu([W.panOn]);
    el0.setPstate(0, 0);
    el0.run(1);
    assert.equal(el0.el, 1);
    assert.equal(esr(el0), 0x02000000);
    assert.equal(el0.pan, 0);
  });
});
