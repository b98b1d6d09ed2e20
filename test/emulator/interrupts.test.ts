// Interrupt delivery at instruction boundaries (Arm ARM D1.3): routing, masking, virtual
// interrupts, and WFI sleeping until a line rises.
import { strict as assert } from 'node:assert';
import { Cpu } from '../../emulator/cpu/cpu';
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';
import { SYS } from '../../emulator/cpu/system-state';

const RAM = 0x40000000;
const VBAR = RAM + 0x800;
const NOP = 0xd503201f, WFI = 0xd503207f, B_SELF = 0x14000000;
const MSR_DAIFCLR_I = 0xd50342ff; // msr daifclr, #2

function cpuWith(words: number[], config: { hasEl2?: boolean; startEl?: number } = {}): Cpu {
  const mem = new PhysicalMemory(RAM, 1 << 20);
  words.forEach((w, i) => mem.write32(RAM + i * 4, w));
  for (let i = 0; i < 0x800; i += 4) mem.write32(VBAR + i, B_SELF); // every vector: b .
  const cpu = new Cpu(mem, { hypervisorCall: () => false }, 0, config);
  cpu.setSys(SYS.VBAR[1], VBAR, 0);
  cpu.setSys(SYS.VBAR[2], VBAR, 0);
  cpu.pc = BigInt(RAM);
  return cpu;
}

describe('interrupt delivery', () => {
  it('holds a masked IRQ pending, and takes it right after the instruction that unmasks it', () => {
    const cpu = cpuWith([NOP, NOP, MSR_DAIFCLR_I, NOP, NOP]);
    cpu.setInterruptLines(true, false, false, false);
    cpu.run(2);
    assert.equal(cpu.pc, BigInt(RAM + 8), 'PSTATE.I masks it');
    cpu.run(1); // the MSR
    cpu.run(1); // the IRQ is taken before the next instruction runs
    assert.equal(cpu.pc, BigInt(VBAR + 0x280), 'current EL, SP_ELx, IRQ vector');
    assert.equal(cpu.getSys(SYS.ELR[1]), BigInt(RAM + 12), 'preferred return: the next instruction');
    assert.equal(cpu.getSys(SYS.SPSR[1]) & 0x3c0n, 0x340n, 'SPSR holds the unmasked I');
    assert.equal(cpu.daif, 0x3c0);
  });

  it('routes a physical IRQ to EL2 with HCR_EL2.IMO, ignoring PSTATE.I at EL1', () => {
    const cpu = cpuWith([NOP, NOP], { hasEl2: true, startEl: 1 });
    cpu.setSys(SYS.HCR_EL2, 0x80000010, 0); // RW | IMO
    cpu.setInterruptLines(true, false, false, false);
    cpu.run(1);
    assert.equal(cpu.el, 2);
    assert.equal(cpu.pc, BigInt(VBAR + 0x480), 'lower EL (AArch64) IRQ vector');
    assert.equal(cpu.getSys(SYS.ELR[2]), BigInt(RAM));
  });

  it('delivers a virtual IRQ to EL1 only when HCR_EL2.IMO is set and PSTATE.I is clear', () => {
    const cpu = cpuWith([NOP, NOP, NOP], { hasEl2: true, startEl: 1 });
    cpu.setInterruptLines(false, false, true, false);
    cpu.daif = 0;
    cpu.run(1);
    assert.equal(cpu.pc, BigInt(RAM + 4), 'without IMO the virtual line is ignored');
    cpu.setSys(SYS.HCR_EL2, 0x80000010, 0);
    cpu.interruptCheck = true;
    cpu.pc = BigInt(RAM + 4); // a jump: the next block boundary checks
    cpu.run(1);
    assert.equal(cpu.el, 1);
    assert.equal(cpu.pc, BigInt(VBAR + 0x280));
  });

  it('sleeps in WFI until a line rises, then takes the IRQ with ELR after the WFI', () => {
    const cpu = cpuWith([MSR_DAIFCLR_I, WFI, NOP]);
    assert.equal(cpu.run(100), 2);
    assert.ok(cpu.waitingForInterrupt);
    assert.equal(cpu.run(100), 0, 'a sleeping PE runs nothing');
    cpu.setInterruptLines(true, false, false, false);
    assert.ok(!cpu.waitingForInterrupt);
    cpu.run(1);
    assert.equal(cpu.getSys(SYS.ELR[1]), BigInt(RAM + 8));
    assert.equal(cpu.pc, BigInt(VBAR + 0x280));
  });

  it('lets WFI complete at once when an interrupt is pending, even a masked one', () => {
    const cpu = cpuWith([WFI, NOP, NOP]);
    cpu.setInterruptLines(true, false, false, false);
    assert.equal(cpu.run(2), 2);
    assert.ok(!cpu.waitingForInterrupt);
    assert.equal(cpu.pc, BigInt(RAM + 8));
  });
});
