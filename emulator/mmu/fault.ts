// From MMU results to architectural register values: the DFSC/IFSC fault status code of
// ESR_ELx (Arm ARM D17 "ISS encoding for an exception from a Data Abort / Instruction Abort"),
// HPFAR_EL2, and PAR_EL1 as written by AT instructions (Arm ARM D17 PAR_EL1, 64-bit format).
import { effectiveSh } from './attrs';
import type { MmuFault, TranslateOutcome } from './types';

/**
 * DFSC/IFSC (ESR_ELx ISS[5:0]); also PAR_EL1.FST.
 *   0b0000LL Address size fault, level LL     0b0001LL Translation fault
 *   0b0010LL Access flag fault                0b0011LL Permission fault
 *   0b0101LL Synchronous External abort on translation table walk
 *   0b100001 Alignment fault
 */
export function fsc(f: Pick<MmuFault, 'kind' | 'level'>): number {
  const l = f.level & 3;
  switch (f.kind) {
    case 'address-size': return 0b000000 | l;
    case 'translation': return 0b000100 | l;
    case 'access-flag': return 0b001000 | l;
    case 'permission': return 0b001100 | l;
    case 'external-walk': return 0b010100 | l;
    case 'alignment': return 0b100001;
  }
}

/** HPFAR_EL2 for a stage 2 fault: FIPA (IPA[47:12]) in bits [39:4]; 0 if there is no IPA. */
export function hpfar(f: MmuFault): bigint {
  return f.ipa === undefined ? 0n : ((f.ipa >> 12n) & 0xfffffffffn) << 4n;
}

/**
 * The exception-routing facts of a fault: stage 2 faults (including S1PTW ones) go to EL2;
 * ESR ISS.S1PTW = fault.s1ptw; ISS.WnR = fault.write; FAR_ELx = fault.va; for stage 2 faults
 * HPFAR_EL2 = hpfar(fault). An alignment fault that stage 2's Device type caused is stage 2.
 */
export function faultIsStage2(f: MmuFault): boolean { return f.stage === 2; }

/**
 * PAR_EL1 after an AT instruction (64-bit format; bit 11 is RES1 in both forms).
 *   F=0: PA[47:12], NS (bit 9, output in the Non-secure PA space), SH[8:7] (Device and Normal
 *        Non-cacheable report Outer Shareable), ATTR[63:56] (MAIR-format, combined when stage 2
 *        was part of the lookup).
 *   F=1: FST[6:1] = fsc(), PTW (bit 8: stage 2 fault on the stage 1 walk), S (bit 9: stage 2).
 * Faults an AT does not report in PAR must be raised instead: see atFaultIsException().
 */
export function parEl1(out: TranslateOutcome): bigint {
  if (out.ok) {
    const t = out.t;
    const pa = BigInt(t.pa - (t.pa % 4096)) & 0xfffffffff000n;
    return (BigInt(t.attr & 0xff) << 56n) | pa | (1n << 11n) | (t.ns ? 1n << 9n : 0n) | (BigInt(effectiveSh(t.attr, t.sh)) << 7n);
  }
  const f = out.fault;
  return 1n | (BigInt(fsc(f)) << 1n) | (f.s1ptw ? 1n << 8n : 0n) | (f.stage === 2 ? 1n << 9n : 0n) | (1n << 11n);
}

/**
 * AT faults that are taken as exceptions rather than recorded in PAR_EL1 (Arm ARM D8
 * "Address translation instructions"; QEMU do_ats_write): a stage 2 fault on the stage 1 walk
 * of AT S1E0x/S1E1x executed at EL1 goes to EL2 (HPFAR set, ESR ISS.CM=1, S1PTW=1); any
 * synchronous External abort on a walk is a Data Abort.
 */
export function atFaultIsException(f: MmuFault, currentEl: number, stage1Op: boolean): boolean {
  if (f.s1ptw && currentEl === 1 && stage1Op) return true;
  return f.kind === 'external-walk';
}
