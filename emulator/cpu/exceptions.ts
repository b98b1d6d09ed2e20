// Exception entry and return for AArch64 (Arm ARM D1.10 "Exception entry", D1.11 "Exception
// return"; pseudocode AArch64.TakeException, AArch64.ExceptionReturn), and the syndromes hvlab
// raises (Arm ARM D17.2.37 ESR_ELx).
import type { Cpu } from './cpu';
import { SYS } from './system-state';

/** ESR_ELx.EC values (Arm ARM D17.2.37, Table D17-6). */
export const EC = {
  UNKNOWN: 0x00,
  WFX: 0x01,
  FP_ACCESS: 0x07,
  ILLEGAL_STATE: 0x0e,
  SVC64: 0x15,
  HVC64: 0x16,
  SMC64: 0x17,
  SYSREG: 0x18,
  IABT_LOWER: 0x20,
  IABT_SAME: 0x21,
  PC_ALIGN: 0x22,
  DABT_LOWER: 0x24,
  DABT_SAME: 0x25,
  SP_ALIGN: 0x26,
  SERROR: 0x2f,
  BRK64: 0x3c,
} as const;

export type ExceptionKind = 'sync' | 'irq' | 'fiq' | 'serror';
const KIND_OFFSET: Record<ExceptionKind, number> = { sync: 0x000, irq: 0x080, fiq: 0x100, serror: 0x180 };

/** ESR.IL: the trapped instruction was a 32-bit (A64) instruction. */
export const ESR_IL = 1 << 25;

/** Thrown after a synchronous exception has been taken inside an instruction's semantics. */
export const EXCEPTION_TAKEN = Symbol('hvlab.cpu.exception');

/** What the debug layer sees of every exception before it is taken. */
export interface ExceptionEvent {
  kind: ExceptionKind;
  targetEl: number;
  fromEl: number;
  /** ESR value (synchronous and SError exceptions). */
  esr: number;
  /** Address of the instruction the exception is associated with. */
  pc: bigint;
  /** hvlab's explanation, e.g. the encoding that was UNDEFINED and why. */
  reason?: string;
  /** The instruction word, for exceptions an instruction raised. */
  insn?: number;
}

/**
 * Packs PSTATE into the SPSR format (Arm ARM C5.2.18 SPSR_EL1): NZCV 31:28, PAN 22, SS 21, IL 20,
 * DAIF 9:6, M[4] = 0 (AArch64), M[3:2] = EL, M[0] = SPSel.
 */
export function pstateToSpsr(cpu: Cpu): number {
  return ((cpu.nzcv << 28) | (cpu.pan << 22) | (cpu.il << 20) | (cpu.daif & 0x3c0) | (cpu.el << 2) | cpu.spsel) >>> 0;
}

/**
 * AArch64.TakeException: enter `targetEl` at the vector for `kind`, recording the preferred
 * return address (`retLo/retHi`), the syndrome and, for aborts, the fault address.
 * Sets the PC (so the caller ends the instruction); does not throw.
 */
export function takeException(cpu: Cpu, targetEl: number, kind: ExceptionKind, esr: number,
  retLo: number, retHi: number, far?: { lo: number; hi: number }): void {
  const fromEl = cpu.el;
  const spsr = pstateToSpsr(cpu);
  // Vector offset (Arm ARM D1.10.2, Table D1-7): lower EL using AArch64, current EL with SP_EL0,
  // or current EL with SP_ELx.
  const base = targetEl > fromEl ? 0x400 : cpu.spsel === 0 ? 0x000 : 0x200;
  cpu.setSys(SYS.SPSR[targetEl], spsr, 0);
  cpu.setSys(SYS.ELR[targetEl], retLo, retHi);
  if (kind === 'sync' || kind === 'serror') cpu.setSys(SYS.ESR[targetEl], esr, 0);
  if (far) cpu.setSys(SYS.FAR[targetEl], far.lo, far.hi);
  cpu.setPstate(targetEl, 1);
  cpu.daif = 0x3c0;
  cpu.il = 0;
  cpu.ss = 0;
  cpu.exclusiveValid = false;
  const vbarLo = cpu.sysLo[SYS.VBAR[targetEl]], vbarHi = cpu.sysHi[SYS.VBAR[targetEl]];
  // VBAR bits 10:0 are RES0, so adding the offset never carries out of the low half.
  cpu.branchTo((vbarLo & ~0x7ff) | (base + KIND_OFFSET[kind]), vbarHi);
}

/**
 * AArch64.ExceptionReturn (ERET): restores PSTATE from SPSR_ELx and branches to ELR_ELx. An
 * illegal return (Arm ARM D1.11.4: AArch32 target, higher or unimplemented EL, EL0 with SP_ELx,
 * reserved M[1]) keeps the EL and SP selection, sets PSTATE.IL, and still restores the flags and
 * masks; the next instruction then takes an Illegal Execution State exception.
 */
export function exceptionReturn(cpu: Cpu): void {
  const el = cpu.el;
  const spsr = cpu.sysLo[SYS.SPSR[el]] >>> 0;
  const elrLo = cpu.sysLo[SYS.ELR[el]], elrHi = cpu.sysHi[SYS.ELR[el]];
  const m = spsr & 0x1f;
  const target = (m >>> 2) & 3;
  const illegal = (m & 0x10) !== 0 || (m & 2) !== 0 || target > el || !cpu.implementsEl(target) || (target === 0 && (m & 1) !== 0);
  cpu.nzcv = spsr >>> 28;
  cpu.daif = spsr & 0x3c0;
  cpu.pan = (spsr >>> 22) & 1;
  cpu.ss = 0; // no software step: MDSCR_EL1.SS is not implemented
  if (illegal) {
    cpu.il = 1;
  } else {
    cpu.il = (spsr >>> 20) & 1;
    cpu.setPstate(target, m & 1);
  }
  cpu.exclusiveValid = false;
  cpu.eventRegister = true; // an exception return is a WFE wake-up event (Arm ARM D1.16.1)
  cpu.interruptCheck = true; // masks and EL changed: pending interrupts may now be taken
  // Return to an address with bit 0/1 set: the PC alignment fault comes at the next fetch.
  cpu.branchTo(elrLo, elrHi);
}
