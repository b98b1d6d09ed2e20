// Traps of FP/SIMD instructions and of FPCR/FPSR accesses (Arm ARM D13.2.30 CPACR_EL1.FPEN,
// D13.2.31 CPTR_EL2.TFP, D13.2.32 CPTR_EL3.TFP; pseudocode AArch64.CheckFPAdvSIMDEnabled,
// AArch64.CheckFPAdvSIMDTrap, AArch64.AdvSIMDFPAccessTrap). The target EL is precomputed in
// `cpu.fpTrapEl` whenever PSTATE.EL or one of the controls changes, so an FP instruction pays one
// field test; the priority is CPACR_EL1 (EL0/EL1), then CPTR_EL2 (EL0-EL2), then CPTR_EL3.
import type { Cpu } from './cpu';
import { EC, ESR_IL } from './exceptions';
import { HCR, SCR, SYS, sysKey } from './system-state';

export const CPTR_EL2_KEY = sysKey(3, 4, 1, 1, 2);
export const CPTR_EL3_KEY = sysKey(3, 6, 1, 1, 2);
/** CPTR_ELx.TFP (bit 10) and TCPAC (bit 31). */
export const CPTR_TFP = 1 << 10, CPTR_TCPAC = 1 << 31;

/** EL2 is enabled for EL0/EL1: implemented, and (with EL3) Non-secure (no Secure EL2 in v8.0). */
export function el2Enabled(cpu: Cpu): boolean {
  return cpu.config.hasEl2 && (!cpu.config.hasEl3 || (cpu.sysLo[SYS.SCR_EL3] & SCR.NS) !== 0);
}

/** The EL an FP/SIMD access at the current EL traps to, or 0 when it is allowed. */
export function fpTrapTarget(cpu: Cpu): number {
  const el = cpu.el;
  if (el <= 1) {
    const fpen = (cpu.cpacrEl1 >>> 20) & 3;
    if ((fpen & 1) === 0 || (fpen === 1 && el === 0)) return 1;
  }
  if (el <= 2 && el2Enabled(cpu) && (cpu.sysLo[CPTR_EL2_KEY] & CPTR_TFP) !== 0) return 2;
  if (cpu.config.hasEl3 && el <= 3 && (cpu.sysLo[CPTR_EL3_KEY] & CPTR_TFP) !== 0) return 3;
  return 0;
}

/** ConditionSyndrome() for an A64 instruction: CV = 1, COND = 0b1110 (ISS bits 24:20). */
export const ISS_COND_AL = 0x1e00000;

/**
 * AArch64.AdvSIMDFPAccessTrap: EC 0x07 with CV/COND, to the target EL; a CPACR_EL1 trap with
 * HCR_EL2.TGE = 1 goes to EL2 as an Uncategorized exception (EC 0x00) instead.
 */
export function takeFpTrap(cpu: Cpu, target: number): never {
  if (target === 1 && el2Enabled(cpu) && (cpu.sysLo[SYS.HCR_EL2] & HCR.TGE) !== 0) {
    cpu.exception(2, 'sync', (EC.UNKNOWN << 26) | ESR_IL, cpu.pcLo, cpu.pcHi, undefined, 'FP/SIMD access trapped by CPACR_EL1.FPEN (TGE)');
  } else {
    cpu.exception(target, 'sync', (EC.FP_ACCESS << 26) | ESR_IL | ISS_COND_AL, cpu.pcLo, cpu.pcHi, undefined, 'FP/SIMD access trapped');
  }
  return cpu.abandon();
}

/** Checks an FP/SIMD instruction or FPCR/FPSR access at the current EL (traps if disabled). */
export function checkFp(cpu: Cpu): void {
  if (cpu.fpTrapEl !== 0) takeFpTrap(cpu, cpu.fpTrapEl);
}
