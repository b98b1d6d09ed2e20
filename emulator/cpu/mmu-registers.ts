// The translation registers as the MMU reads them (mmu/types.ts MmuRegs): views of the CPU's
// system-register storage, read on TLB misses and AT only.
import type { MmuRegs } from '../mmu/types';
import type { Cpu } from './cpu';
import { SYS, sysKey } from './system-state';

/** Encoding keys of the translation-control registers (Arm ARM D17.2). */
export const MMU_KEYS = {
  TCR_EL1: sysKey(3, 0, 2, 0, 2), TCR_EL2: sysKey(3, 4, 2, 0, 2), TCR_EL3: sysKey(3, 6, 2, 0, 2),
  TTBR0_EL1: sysKey(3, 0, 2, 0, 0), TTBR1_EL1: sysKey(3, 0, 2, 0, 1),
  TTBR0_EL2: sysKey(3, 4, 2, 0, 0), TTBR1_EL2: sysKey(3, 4, 2, 0, 1), TTBR0_EL3: sysKey(3, 6, 2, 0, 0),
  MAIR_EL1: sysKey(3, 0, 10, 2, 0), MAIR_EL2: sysKey(3, 4, 10, 2, 0), MAIR_EL3: sysKey(3, 6, 10, 2, 0),
  VTCR_EL2: sysKey(3, 4, 2, 1, 2), VTTBR_EL2: sysKey(3, 4, 2, 1, 0),
  PAR_EL1: sysKey(3, 0, 7, 4, 0),
} as const;

export function mmuRegsOf(cpu: Cpu): MmuRegs {
  const r = (key: number): bigint => cpu.getSys(key);
  return {
    get sctlrEl1() { return r(SYS.SCTLR[1]); }, get sctlrEl2() { return r(SYS.SCTLR[2]); }, get sctlrEl3() { return r(SYS.SCTLR[3]); },
    get tcrEl1() { return r(MMU_KEYS.TCR_EL1); }, get tcrEl2() { return r(MMU_KEYS.TCR_EL2); }, get tcrEl3() { return r(MMU_KEYS.TCR_EL3); },
    get ttbr0El1() { return r(MMU_KEYS.TTBR0_EL1); }, get ttbr1El1() { return r(MMU_KEYS.TTBR1_EL1); },
    get ttbr0El2() { return r(MMU_KEYS.TTBR0_EL2); }, get ttbr1El2() { return r(MMU_KEYS.TTBR1_EL2); },
    get ttbr0El3() { return r(MMU_KEYS.TTBR0_EL3); },
    get mairEl1() { return r(MMU_KEYS.MAIR_EL1); }, get mairEl2() { return r(MMU_KEYS.MAIR_EL2); }, get mairEl3() { return r(MMU_KEYS.MAIR_EL3); },
    get hcrEl2() { return r(SYS.HCR_EL2); },
    get vtcrEl2() { return r(MMU_KEYS.VTCR_EL2); }, get vttbrEl2() { return r(MMU_KEYS.VTTBR_EL2); },
    get scrEl3() { return r(SYS.SCR_EL3); },
  };
}
