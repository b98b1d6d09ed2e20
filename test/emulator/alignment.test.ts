// SCTLR_ELx.A alignment checking (Arm ARM D8 "Alignment fault", AArch64.CheckAlignment): the
// cases test/system-programs/align.S cannot show on QEMU's EL1-only board — which SCTLR governs
// each EL, routing with HCR_EL2.TGE, and the fault's priority over translation faults.
import { strict as assert } from 'node:assert';
import { Cpu } from '../../emulator/cpu/cpu';
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';
import { SYS } from '../../emulator/cpu/system-state';
import { MMU_KEYS } from '../../emulator/cpu/mmu-registers';

const RAM = 0x40000000;
const LDR_X1_X0 = 0xf9400001; // ldr x1, [x0]
const SCTLR_A = 1 << 1;
const HCR_RW = 1 << 31, HCR_TGE = 1 << 27;
/** ESR_ELx of an Alignment fault on a read: EC (0x24 lower EL, 0x25 same EL), IL, DFSC 0b100001. */
const esrAlign = (ec: number): number => ((ec << 26) | (1 << 25) | 0x21) >>> 0;

function cpuAt(el: number, words: number[]): Cpu {
  const mem = new PhysicalMemory(RAM, 1 << 20);
  words.forEach((w, i) => mem.write32(RAM + i * 4, w));
  const cpu = new Cpu(mem, { hypervisorCall: () => false }, 0, { hasEl2: true, startEl: 2 });
  cpu.setSys(SYS.VBAR[1], RAM + 0x800, 0);
  cpu.setSys(SYS.VBAR[2], RAM + 0x1000, 0);
  cpu.setSys(SYS.HCR_EL2, HCR_RW, 0);
  cpu.setPstate(el, el === 0 ? 0 : 1);
  cpu.pc = BigInt(RAM);
  return cpu;
}

/** Sets SCTLR_ELn.A as an MSR would (translationChanged re-derives the CPU's cached controls). */
function setA(cpu: Cpu, n: number, on: boolean): void {
  const k = SYS.SCTLR[n];
  cpu.sysLo[k] = on ? cpu.sysLo[k] | SCTLR_A : cpu.sysLo[k] & ~SCTLR_A;
  cpu.translationChanged();
}

describe('SCTLR_ELx.A alignment checking (unit)', () => {
  it('follows the regime of the current EL: SCTLR_EL2.A at EL2, SCTLR_EL1.A after dropping to EL1', () => {
    const cpu = cpuAt(2, [LDR_X1_X0, LDR_X1_X0]);
    setA(cpu, 1, true);
    cpu.setX(0, BigInt(RAM + 0x104));
    cpu.run(1);
    assert.equal(cpu.el, 2, 'SCTLR_EL1.A does not govern EL2');
    assert.equal(cpu.pc, BigInt(RAM + 4));
    cpu.setPstate(1, 1);
    cpu.run(1);
    assert.equal(cpu.el, 1);
    assert.equal(cpu.pc, BigInt(RAM + 0x800 + 0x200), 'current-EL synchronous vector');
    assert.equal(cpu.sysLo[SYS.ESR[1]] >>> 0, esrAlign(0x25));
    assert.equal(cpu.getSys(SYS.FAR[1]), BigInt(RAM + 0x104));
  });

  it('faults at EL2 with SCTLR_EL2.A, to EL2 with FAR_EL2', () => {
    const cpu = cpuAt(2, [LDR_X1_X0]);
    setA(cpu, 2, true);
    cpu.setX(0, BigInt(RAM + 0x10a));
    cpu.run(1);
    assert.equal(cpu.el, 2);
    assert.equal(cpu.pc, BigInt(RAM + 0x1000 + 0x200));
    assert.equal(cpu.sysLo[SYS.ESR[2]] >>> 0, esrAlign(0x25));
    assert.equal(cpu.getSys(SYS.FAR[2]), BigInt(RAM + 0x10a));
  });

  it('routes an EL0 Alignment fault to EL2 with HCR_EL2.TGE, checked by SCTLR_EL1.A (E2H = 0)', () => {
    const cpu = cpuAt(0, [LDR_X1_X0]);
    cpu.setSys(SYS.HCR_EL2, HCR_RW | HCR_TGE, 0);
    setA(cpu, 1, true);
    cpu.setX(0, BigInt(RAM + 0x102));
    cpu.run(1);
    assert.equal(cpu.el, 2);
    assert.equal(cpu.pc, BigInt(RAM + 0x1000 + 0x400), 'lower-EL synchronous vector of EL2');
    assert.equal(cpu.sysLo[SYS.ESR[2]] >>> 0, esrAlign(0x24));
    assert.equal(cpu.getSys(SYS.FAR[2]), BigInt(RAM + 0x102));
  });

  it('leaves EL0 unchecked under TGE when only SCTLR_EL2.A is set (EL0 is in the EL1&0 regime)', () => {
    const cpu = cpuAt(0, [LDR_X1_X0]);
    cpu.setSys(SYS.HCR_EL2, HCR_RW | HCR_TGE, 0);
    setA(cpu, 2, true);
    cpu.setX(0, BigInt(RAM + 0x102));
    cpu.run(1);
    assert.equal(cpu.el, 0);
    assert.equal(cpu.pc, BigInt(RAM + 4));
  });

  it('takes the Alignment fault before translation: unmapped + unaligned is DFSC 0x21, unmapped + aligned a translation fault', () => {
    for (const [va, dfsc] of [[0x1001, 0x21], [0x1000, 0x05]]) {
      const cpu = cpuAt(1, [LDR_X1_X0]);
      // Stage 1, 4 KiB granule, T0SZ = 25 (walk starts at level 1): one 1 GiB block maps the RAM
      // (VA = PA, AttrIndx 0 = Normal WB, AF), VA 0..1 GiB is unmapped.
      const table = RAM + 0x10000;
      cpu.mem.write32(table + 8, RAM | (1 << 10) | 1);
      cpu.mem.write32(table + 12, 0);
      cpu.setSys(MMU_KEYS.MAIR_EL1, 0xff, 0);
      cpu.setSys(MMU_KEYS.TCR_EL1, 25, 0);
      cpu.setSys(MMU_KEYS.TTBR0_EL1, table, 0);
      cpu.sysLo[SYS.SCTLR[1]] |= 1 | SCTLR_A;
      cpu.translationChanged();
      cpu.setX(0, BigInt(va));
      cpu.run(1);
      assert.equal(cpu.el, 1);
      assert.equal(cpu.pc, BigInt(RAM + 0x800 + 0x200), `va ${va.toString(16)}`);
      assert.equal(cpu.sysLo[SYS.ESR[1]] & 0x3f, dfsc, `va ${va.toString(16)}`);
      assert.equal(cpu.getSys(SYS.FAR[1]), BigInt(va));
    }
  });
});
