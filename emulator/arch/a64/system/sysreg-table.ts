// The system registers MRS/MSR can reach, one line per register: encoding (op0, op1, CRn, CRm,
// op2), the name, and how to read / write it. Issue 3 grows this into the full system-register
// table (EL2/EL3 registers, traps, banking) used by MRS/MSR, the disassembler and the debugger.
//
// Read functions write the 64-bit value straight into general register slot `t` (no allocation);
// write functions receive the value as two int32 halves. A register without `write` is read-only:
// MSR to it is UNDEFINED, as is MRS of a register without `read`. Anything not listed here is
// UNDEFINED too, except the reserved part of the ID register space, which reads as zero
// (Arm ARM D19.1: op0=3, op1=0, CRn=0, CRm=1..7 "reserved, RAZ").
import type { Cpu } from '../../../cpu/cpu';

export type SysRegRead = (cpu: Cpu, t: number) => void;
export type SysRegWrite = (cpu: Cpu, lo: number, hi: number) => void;

export interface SysRegDef {
  op0: number; op1: number; crn: number; crm: number; op2: number;
  /** Architectural name, upper case as in the Arm ARM. */
  name: string;
  read?: SysRegRead;
  write?: SysRegWrite;
}

/** The 16-bit key op0:op1:CRn:CRm:op2, i.e. bits [20:5] of an MRS/MSR word. */
export function sysregKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** `S3_0_C15_C2_0`: the generic spelling of an encoding (key as above). */
export function sysregGenericName(key: number): string {
  return `S${key >>> 14}_${(key >>> 11) & 7}_C${(key >>> 7) & 15}_C${(key >>> 3) & 15}_${key & 7}`;
}

// --- identification values (a Cortex-A53 r0p4-like core; see the issue notes) ---
/** MIDR_EL1: Arm, variant 0, architecture 0xf, part 0xd03 (Cortex-A53), revision 4. */
export const MIDR_VALUE = 0x410fd034;
/** CTR_EL0 of the Cortex-A53: 64-byte lines, VIPT I-cache, CWG/ERG 16 words. */
export const CTR_VALUE = 0x84448004 | 0;
/** DCZID_EL0: BS = 4 (2^4 words = 64-byte DC ZVA blocks), DZP = 0 (DC ZVA permitted). */
export const DCZID_VALUE = 0x4;
/** Bytes DC ZVA zeroes (from DCZID_EL0.BS). */
export const DC_ZVA_BYTES = 4 << DCZID_VALUE;
/**
 * ID_AA64PFR0_EL1: EL0, EL1, EL2 implemented, AArch64 only (nibbles = 1); EL3 not implemented
 * (firmware calls use the HVC conduit, as on QEMU virt without secure); FP = 0 and AdvSIMD = 0
 * (implemented, no half precision); GIC = 0 (no system-register interface yet).
 */
export const ID_AA64PFR0_VALUE = 0x0111;
/** ID_AA64ISAR0_EL1: CRC32 = 1 (bits 19:16), Atomic = 2 (LSE, bits 23:20); nothing else. */
export const ID_AA64ISAR0_VALUE = 0x00210000;
/** ID_AA64MMFR0_EL1: PARange = 5 (48 bits, what the memory path accepts); 4K and 64K granules. */
export const ID_AA64MMFR0_VALUE = 0x5;
export const ID_AA64MMFR1_VALUE = 0;
export const ID_AA64MMFR2_VALUE = 0;
/** ID_AA64DFR0_EL1: DebugVer = 6 (Armv8.0 debug). */
export const ID_AA64DFR0_VALUE = 0x6;
/** CurrentEL: EL1 (bits 3:2 = 1) until the exception model tracks the level (issue 3). */
export const CURRENT_EL_VALUE = 0x4;

/** FPCR bits that hold state: AHP, DN, FZ, RMode, Stride, Len (no FP16, no trapped exceptions). */
export const FPCR_MASK = 0x07f70000;
/** FPSR bits that hold state: QC and the cumulative exception flags (no AArch32: 31:28 RES0). */
export const FPSR_MASK = 0x0800009f;

const constant = (lo: number, hi = 0): SysRegRead => (cpu, t) => { cpu.xlo[t] = lo | 0; cpu.xhi[t] = hi | 0; };

export const SYSREGS: readonly SysRegDef[] = [
  // --- special-purpose registers (op0=3, op1=3/0, CRn=4) ---
  { op0: 3, op1: 3, crn: 4, crm: 2, op2: 0, name: 'NZCV',
    read: (cpu, t) => { cpu.xlo[t] = cpu.nzcv << 28; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.nzcv = lo >>> 28; } },
  { op0: 3, op1: 3, crn: 4, crm: 2, op2: 1, name: 'DAIF',
    read: (cpu, t) => { cpu.xlo[t] = cpu.daif & 0x3c0; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.daif = lo & 0x3c0; } },
  { op0: 3, op1: 0, crn: 4, crm: 2, op2: 0, name: 'SPSEL',
    read: (cpu, t) => { cpu.xlo[t] = cpu.spsel; cpu.xhi[t] = 0; },
    // Only the value is stored: the banked stack pointers arrive with issue 3.
    write: (cpu, lo) => { cpu.spsel = lo & 1; } },
  { op0: 3, op1: 0, crn: 4, crm: 2, op2: 2, name: 'CURRENTEL', read: constant(CURRENT_EL_VALUE) },
  { op0: 3, op1: 3, crn: 4, crm: 4, op2: 0, name: 'FPCR',
    read: (cpu, t) => { cpu.xlo[t] = cpu.fpcr & FPCR_MASK; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.fpcr = lo & FPCR_MASK; } },
  { op0: 3, op1: 3, crn: 4, crm: 4, op2: 1, name: 'FPSR',
    read: (cpu, t) => { cpu.xlo[t] = cpu.fpsr & FPSR_MASK; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.fpsr = lo & FPSR_MASK; } },
  // --- thread ID registers ---
  { op0: 3, op1: 3, crn: 13, crm: 0, op2: 2, name: 'TPIDR_EL0',
    read: (cpu, t) => { cpu.xlo[t] = cpu.tpidrEl0Lo; cpu.xhi[t] = cpu.tpidrEl0Hi; },
    write: (cpu, lo, hi) => { cpu.tpidrEl0Lo = lo; cpu.tpidrEl0Hi = hi; } },
  { op0: 3, op1: 3, crn: 13, crm: 0, op2: 3, name: 'TPIDRRO_EL0',
    read: (cpu, t) => { cpu.xlo[t] = cpu.tpidrroEl0Lo; cpu.xhi[t] = cpu.tpidrroEl0Hi; },
    write: (cpu, lo, hi) => { cpu.tpidrroEl0Lo = lo; cpu.tpidrroEl0Hi = hi; } },
  { op0: 3, op1: 0, crn: 13, crm: 0, op2: 4, name: 'TPIDR_EL1',
    read: (cpu, t) => { cpu.xlo[t] = cpu.tpidrEl1Lo; cpu.xhi[t] = cpu.tpidrEl1Hi; },
    write: (cpu, lo, hi) => { cpu.tpidrEl1Lo = lo; cpu.tpidrEl1Hi = hi; } },
  // --- architectural feature access control ---
  { op0: 3, op1: 0, crn: 1, crm: 0, op2: 2, name: 'CPACR_EL1',
    // FPEN (21:20) only: ZEN, SMEN and TTA belong to features this core does not have.
    read: (cpu, t) => { cpu.xlo[t] = cpu.cpacrEl1 & 0x300000; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.cpacrEl1 = lo & 0x300000; } },
  // --- identification ---
  { op0: 3, op1: 0, crn: 0, crm: 0, op2: 0, name: 'MIDR_EL1', read: constant(MIDR_VALUE) },
  { op0: 3, op1: 0, crn: 0, crm: 0, op2: 5, name: 'MPIDR_EL1',
    // Bit 31 RES1; Aff0 = core number (0x80000000 for the boot core).
    read: (cpu, t) => { cpu.xlo[t] = 0x80000000 | (cpu.index & 0xff); cpu.xhi[t] = 0; } },
  { op0: 3, op1: 0, crn: 0, crm: 0, op2: 6, name: 'REVIDR_EL1', read: constant(0) },
  { op0: 3, op1: 3, crn: 0, crm: 0, op2: 1, name: 'CTR_EL0', read: constant(CTR_VALUE) },
  { op0: 3, op1: 3, crn: 0, crm: 0, op2: 7, name: 'DCZID_EL0', read: constant(DCZID_VALUE) },
  { op0: 3, op1: 0, crn: 0, crm: 4, op2: 0, name: 'ID_AA64PFR0_EL1', read: constant(ID_AA64PFR0_VALUE) },
  { op0: 3, op1: 0, crn: 0, crm: 5, op2: 0, name: 'ID_AA64DFR0_EL1', read: constant(ID_AA64DFR0_VALUE) },
  { op0: 3, op1: 0, crn: 0, crm: 6, op2: 0, name: 'ID_AA64ISAR0_EL1', read: constant(ID_AA64ISAR0_VALUE) },
  { op0: 3, op1: 0, crn: 0, crm: 7, op2: 0, name: 'ID_AA64MMFR0_EL1', read: constant(ID_AA64MMFR0_VALUE) },
  { op0: 3, op1: 0, crn: 0, crm: 7, op2: 1, name: 'ID_AA64MMFR1_EL1', read: constant(ID_AA64MMFR1_VALUE) },
  { op0: 3, op1: 0, crn: 0, crm: 7, op2: 2, name: 'ID_AA64MMFR2_EL1', read: constant(ID_AA64MMFR2_VALUE) },
];

const raz = constant(0);

/** Dense lookup by key (bits [20:5] of the word). */
export const SYSREG_BY_KEY: readonly (SysRegDef | undefined)[] = (() => {
  const t = new Array<SysRegDef | undefined>(1 << 16).fill(undefined);
  // Reserved ID space first (RAZ, read-only), then the named registers over it.
  for (let crm = 1; crm <= 7; crm++) {
    for (let op2 = 0; op2 < 8; op2++) {
      const key = sysregKey(3, 0, 0, crm, op2);
      t[key] = { op0: 3, op1: 0, crn: 0, crm, op2, name: sysregGenericName(key), read: raz };
    }
  }
  for (const d of SYSREGS) {
    const key = sysregKey(d.op0, d.op1, d.crn, d.crm, d.op2);
    if (t[key] && !t[key]!.name.startsWith('S3_0_C0_')) throw new Error(`sysreg table: ${d.name} duplicates ${t[key]!.name}`);
    t[key] = d;
  }
  return t;
})();
