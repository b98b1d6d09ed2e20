// Exception-model details QEMU cannot be the reference for (where QEMU 7.2 deviates from the Arm
// ARM, or where hvlab refuses state it does not model yet).
import { strict as assert } from 'node:assert';
import { Cpu } from '../../emulator/cpu/cpu';
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';
import { SYS } from '../../emulator/cpu/system-state';

const RAM = 0x40000000;

function cpuWith(words: number[], config: { hasEl2?: boolean; startEl?: number } = {}): Cpu {
  const mem = new PhysicalMemory(RAM, 1 << 20);
  words.forEach((w, i) => mem.write32(RAM + i * 4, w));
  const cpu = new Cpu(mem, { hypervisorCall: () => false }, 0, config);
  cpu.pc = BigInt(RAM);
  return cpu;
}

describe('exception model (unit)', () => {
  it('traps MSR DAIFSet at EL0 with SCTLR_EL1.UMA clear, with the Arm ARM syndrome (op1=3, op2=6)', () => {
    const cpu = cpuWith([0xd50342df]); // msr daifset, #2
    cpu.setSys(SYS.VBAR[1], RAM + 0x800, 0);
    cpu.setPstate(0, 0);
    cpu.run(1);
    assert.equal(cpu.el, 1);
    assert.equal(cpu.pc, BigInt(RAM + 0x800 + 0x400), 'lower-EL synchronous vector');
    assert.equal(cpu.sysLo[SYS.ESR[1]] >>> 0, (0x18 << 26 | 1 << 25 | 6 << 17 | 3 << 14 | 4 << 10 | 31 << 5 | 2 << 1) >>> 0);
    assert.equal(cpu.sysLo[SYS.ELR[1]] >>> 0, RAM, 'preferred return is the trapped instruction');
    assert.equal(cpu.daif, 0x3c0);
  });

  it('lets EL0 write DAIF when SCTLR_EL1.UMA is set', () => {
    const cpu = cpuWith([0xd50342df]);
    cpu.sysLo[SYS.SCTLR[1]] |= 1 << 9;
    cpu.setPstate(0, 0);
    cpu.daif = 0;
    cpu.run(1);
    assert.equal(cpu.el, 0);
    assert.equal(cpu.daif, 0x80);
  });

  it('reports EL2 in ID_AA64PFR0_EL1 only when the PE has it', () => {
    for (const hasEl2 of [false, true]) {
      const cpu = cpuWith([0xd5380400], { hasEl2 }); // mrs x0, id_aa64pfr0_el1
      cpu.run(1);
      assert.equal((cpu.xlo[0] >>> 8) & 15, hasEl2 ? 1 : 0);
      assert.equal(cpu.xlo[0] & 0xff, 0x11);
    }
  });

  it('refuses SCTLR bits it does not model (big-endian), naming them, and accepts A', () => {
    const cpu = cpuWith([0xd5181000]); // msr sctlr_el1, x0
    cpu.setX(0, 0x30d00802n | (1n << 25n));
    cpu.run(1);
    assert.equal(cpu.stopReason?.kind, 'fault');
    assert.match(cpu.stopReason?.kind === 'fault' ? cpu.stopReason.message : '', /MSR SCTLR_EL1: EE not implemented yet/);
  });

  it('refuses HCR_EL2.RW = 0 (AArch32 EL1), and accepts RW|TSC', () => {
    const bad = cpuWith([0xd51c1100], { hasEl2: true, startEl: 2 }); // msr hcr_el2, x0
    bad.setX(0, 0x2000n); // TWI without RW
    bad.run(1);
    assert.match(bad.stopReason?.kind === 'fault' ? bad.stopReason.message : '', /RW = 0 \(AArch32 EL1\) is not supported/);
    const ok = cpuWith([0xd51c1100], { hasEl2: true, startEl: 2 });
    ok.setX(0, 0x80080000n);
    ok.run(1);
    assert.equal(ok.stopReason, undefined);
    assert.equal(ok.getSys(SYS.HCR_EL2), 0x80080000n);
  });

  it('makes EL2 registers UNDEFINED at EL1 and when EL2 does not exist', () => {
    const cpu = cpuWith([0xd53c1100]); // mrs x0, hcr_el2 (no EL2)
    cpu.setSys(SYS.VBAR[1], RAM + 0x800, 0);
    cpu.run(1);
    assert.equal(cpu.sysLo[SYS.ESR[1]] >>> 0, 0x02000000);
    assert.equal(cpu.pc, BigInt(RAM + 0x800 + 0x200));
  });

  it('banks SP per EL and SPSel, and ERET restores the selection', () => {
    const cpu = cpuWith([0xd69f03e0], { hasEl2: true, startEl: 2 }); // eret
    cpu.setSpEl(1, 0x1111, 0); cpu.setSpEl(0, 0x2222, 0); cpu.setSpEl(2, 0x3333, 0);
    cpu.setSys(SYS.SPSR[2], 0x3c4, 0); // EL1t
    cpu.setSys(SYS.ELR[2], RAM + 0x100, 0);
    cpu.run(1);
    assert.equal(cpu.el, 1);
    assert.equal(cpu.spsel, 0);
    assert.equal(cpu.xlo[31], 0x2222, 'EL1t runs on SP_EL0');
    assert.equal(cpu.getSpEl(2), 0x3333n);
    assert.equal(cpu.pc, BigInt(RAM + 0x100));
  });
});

describe('exception storms', () => {
  it('a guest whose vector holds an UNDEFINED word still yields after its budget', () => {
    const cpu = cpuWith([0x00000000]); // udf #0 at RAM, VBAR_EL1 = RAM: every exception lands on it again
    cpu.setSys(SYS.VBAR[1], RAM, 0);
    cpu.pc = BigInt(RAM + 0x200);
    cpu.mem.write32(RAM + 0x200, 0);
    assert.equal(cpu.run(1000), 1000);
    assert.equal(cpu.stopReason, undefined);
    assert.equal(cpu.pc, BigInt(RAM + 0x200));
    assert.equal(cpu.sysLo[SYS.ESR[1]] >>> 0, 0x02000000);
  });
});

describe('MMU off: unaligned data accesses', () => {
  it('behave the same on a TLB miss as on a hit (no Device alignment fault, as QEMU 7.2)', () => {
    // ldr x0, [x1] ; ldr x2, [x1]  with x1 unaligned: the first access misses the TLB.
    const cpu = cpuWith([0xf9400020, 0xf9400022]);
    cpu.setSys(SYS.VBAR[1], RAM + 0x800, 0);
    cpu.mem.write32(RAM + 0x3001, 0x11223344);
    cpu.mem.write32(RAM + 0x3005, 0x55667788);
    cpu.setX(1, BigInt(RAM + 0x3001));
    cpu.run(2);
    assert.equal(cpu.pc, BigInt(RAM + 8), 'no exception taken');
    assert.equal(cpu.getX(0), 0x5566778811223344n);
    assert.equal(cpu.getX(2), 0x5566778811223344n);
  });
});

describe('virtualised identification registers', () => {
  it('EL1 reads MIDR/MPIDR through VPIDR_EL2/VMPIDR_EL2 when EL2 exists', () => {
    // at EL2: msr vpidr_el2, x0 ; msr vmpidr_el2, x1 ; then at EL1: mrs x2, midr_el1 ; mrs x3, mpidr_el1
    const cpu = cpuWith([0xd51c0000, 0xd51c00a1, 0xd5380002, 0xd53800a3], { hasEl2: true, startEl: 2 });
    cpu.setX(0, 0x12345678n);
    cpu.setX(1, 0x00000101n);
    cpu.run(2);
    cpu.setPstate(1, 1);
    cpu.run(2);
    assert.equal(cpu.getX(2), 0x12345678n);
    assert.equal(cpu.getX(3), 0x80000101n, 'VMPIDR bit 31 is RES1');
  });

  it('returns the real values at reset and on a PE without EL2', () => {
    for (const hasEl2 of [true, false]) {
      const cpu = cpuWith([0xd5380002], { hasEl2, startEl: 1 }); // mrs x2, midr_el1
      cpu.run(1);
      assert.equal(cpu.getX(2), 0x410fd034n);
    }
  });
});
