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
import { SYS } from '../../../cpu/system-state';
import { DEBUG_SYSREGS, ID_AA64DFR0_VALUE } from './debug-registers';
import { EC, ESR_IL } from '../../../cpu/exceptions';
import { checkFp, CPTR_EL2_KEY, CPTR_EL3_KEY, CPTR_TCPAC, el2Enabled } from '../../../cpu/fp-traps';

export { ID_AA64DFR0_VALUE };

export type SysRegRead = (cpu: Cpu, t: number) => void;
export type SysRegWrite = (cpu: Cpu, lo: number, hi: number) => void;

export interface SysRegDef {
  op0: number; op1: number; crn: number; crm: number; op2: number;
  /** Architectural name, upper case as in the Arm ARM. */
  name: string;
  read?: SysRegRead;
  write?: SysRegWrite;
  /**
   * Access from EL0 (only registers with op1 = 3 can have it): 'r' or 'rw', optionally gated by a
   * SCTLR_EL1 bit whose clear value traps the access to EL1 (EC 0x18), e.g. UCT for CTR_EL0.
   */
  el0?: 'r' | 'rw';
  el0Gate?: number;
  /**
   * HCR_EL2 low-word bits that trap an EL1 (or permitted EL0) read / write of this register to
   * EL2 with EC 0x18 (Arm ARM D13.2.46 HCR_EL2: TID1/TID2/TID3/TACR/TVM/TRVM), when EL2 is enabled.
   */
  hcrR?: number;
  hcrW?: number;
  /** Extra trap checks of an access at or below the register's own EL, after the EL checks (CPTR TCPAC). */
  trap?: (cpu: Cpu, i: number, write: boolean) => void;
}

/** HCR_EL2 trap bits (Arm ARM D13.2.46). */
export const HCR_TRAP = {
  TWI: 1 << 13, TWE: 1 << 14, TID0: 1 << 15, TID1: 1 << 16, TID2: 1 << 17, TID3: 1 << 18, TIDCP: 1 << 20,
  TACR: 1 << 21, TSW: 1 << 22, TPCP: 1 << 23, TPU: 1 << 24, TTLB: 1 << 25, TVM: 1 << 26, TDZ: 1 << 28,
  HCD: 1 << 29, TRVM: 1 << 30, VSE: 1 << 8, DC: 1 << 12,
} as const;

/** Marks `d` as trapped by HCR_EL2 bits on read (`r`) and write (`w`). */
function hcrTrapped<T extends SysRegDef>(d: T, r: number, w: number): T {
  return { ...d, hcrR: r, hcrW: w };
}
/** TVM traps writes, TRVM reads, of the EL1 virtual-memory control registers. */
const vmCtl = <T extends SysRegDef>(d: T): T => hcrTrapped(d, HCR_TRAP.TRVM, HCR_TRAP.TVM);
const tid = <T extends SysRegDef>(bit: number, d: T): T => hcrTrapped(d, bit, bit);

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
 * (implemented, no half precision); GIC = 1 (bits 27:24: the GICv3 system-register CPU
 * interface, registered by emulator/arch/a64/system/sysreg-devices.ts).
 */
export const ID_AA64PFR0_VALUE = 0x01000111;
/** ID_AA64PFR0_EL1 for a PE's configuration: the EL2 and EL3 fields say whether they exist. */
function pfr0(cpu: Cpu): number {
  return (ID_AA64PFR0_VALUE & ~0xff00) | 0x11 | (cpu.config.hasEl2 ? 0x100 : 0) | (cpu.config.hasEl3 ? 0x1000 : 0);
}
/** ID_AA64ISAR0_EL1: CRC32 = 1 (bits 19:16), Atomic = 2 (LSE, bits 23:20); nothing else. */
export const ID_AA64ISAR0_VALUE = 0x00210000;
/** ID_AA64MMFR0_EL1: PARange = 5 (48 bits, what the memory path accepts); 4K and 64K granules (16K: mmfr0()). */
export const ID_AA64MMFR0_VALUE = 0x5;
/** ID_AA64MMFR0_EL1 for a PE's configuration: TGran16 (bits 23:20) = 1 when the 16 KiB granule is implemented. */
function mmfr0(cpu: Cpu): number {
  return ID_AA64MMFR0_VALUE | (cpu.config.tgran16 ? 1 << 20 : 0);
}
/** ID_AA64MMFR1_EL1: PAN = 1 (bits 23:20, FEAT_PAN: PSTATE.PAN, SCTLR_EL1.SPAN; no PAN2/EPAN). */
export const ID_AA64MMFR1_VALUE = 0x00100000;
export const ID_AA64MMFR2_VALUE = 0;

/** FPCR bits that hold state: AHP, DN, FZ, RMode, Stride, Len (no FP16, no trapped exceptions). */
export const FPCR_MASK = 0x07f70000;
/** FPSR bits that hold state: QC and the cumulative exception flags (no AArch32: 31:28 RES0). */
export const FPSR_MASK = 0x0800009f;

const constant = (lo: number, hi = 0): SysRegRead => (cpu, t) => { cpu.xlo[t] = lo | 0; cpu.xhi[t] = hi | 0; };

/** SCTLR_EL1 bits gating EL0 access (Arm ARM D17.2.118): UMA (DAIF), UCT (CTR_EL0), DZE (DC ZVA). */
export const SCTLR_UMA = 1 << 9, SCTLR_UCT = 1 << 15, SCTLR_DZE = 1 << 14;

/**
 * A register that is plain state in cpu.sysLo/sysHi at its own encoding key. `maskLo/maskHi` are
 * the bits that hold state (others read as zero); `check` may refuse a value hvlab cannot honour
 * yet (returns the reason), which stops the run instead of silently behaving differently.
 */
function plain(name: string, op0: number, op1: number, crn: number, crm: number, op2: number,
  maskLo = -1, maskHi = -1, check?: (cpu: Cpu, lo: number, hi: number) => string | undefined): SysRegDef {
  const key = sysregKey(op0, op1, crn, crm, op2);
  return {
    op0, op1, crn, crm, op2, name,
    read: (cpu, t) => { cpu.xlo[t] = cpu.sysLo[key]; cpu.xhi[t] = cpu.sysHi[key]; },
    write: (cpu, lo, hi) => {
      const why = check?.(cpu, lo, hi);
      if (why) cpu.stop({ kind: 'fault', pc: cpu.pc, message: `MSR ${name}: ${why}` });
      cpu.sysLo[key] = lo & maskLo; cpu.sysHi[key] = hi & maskHi;
    },
  };
}

/** A register with no state: reads as zero, writes are ignored (RAZ/WI). */
function raw(name: string, op0: number, op1: number, crn: number, crm: number, op2: number): SysRegDef {
  return { op0, op1, crn, crm, op2, name, read: constant(0), write: () => { /* RAZ/WI */ } };
}

/** CLIDR_EL1: L1 separate I/D (Ctype1 = 3), L2 unified (Ctype2 = 4), LoUIS = 1, LoC = 2, LoUU = 1. */
export const CLIDR_VALUE = 0x0a200023;
/**
 * CCSIDR_EL1 per CSSELR_EL1 (Level << 1 | InD), Armv8.0 format (WT/WB/RA/WA, NumSets, Associativity,
 * LineSize): L1 D 32 KiB 4-way, L1 I 32 KiB 2-way, L2 1 MiB 16-way, all 64-byte lines.
 */
export const CCSIDR_VALUES: Readonly<Record<number, number>> = { 0: 0x700fe01a, 1: 0x201fe00a, 2: 0x707fe07a };
const CSSELR_KEY = sysregKey(3, 2, 0, 0, 0);
/** A CSSELR_EL1 value naming no implemented cache: CCSIDR_EL1 is UNKNOWN (Arm ARM D19.2.32); 0 here, as QEMU. */
const ccsidr = (csselr: number): number => CCSIDR_VALUES[csselr & 0xf] ?? 0;

/**
 * VPIDR_EL2/VMPIDR_EL2 reset to MIDR/MPIDR (UNKNOWN architecturally; QEMU's choice). Their
 * storage's high word doubles as "written since reset" (the registers are 32-bit/RES0 above).
 */
const VPIDR_KEY = sysregKey(3, 4, 0, 0, 0), VMPIDR_KEY = sysregKey(3, 4, 0, 0, 5);
const mpidr = (cpu: Cpu): number => 0x80000000 | (cpu.index & 0xff); // bit 31 RES1; Aff0 = core
const vpidr = (cpu: Cpu): number => (cpu.sysHi[VPIDR_KEY] ? cpu.sysLo[VPIDR_KEY] : MIDR_VALUE);
const vmpidr = (cpu: Cpu): number => (cpu.sysHi[VMPIDR_KEY] ? cpu.sysLo[VMPIDR_KEY] : mpidr(cpu));
/** EL1 (and EL0) of a PE with EL2 see the virtualised identification values. */
const virtualised = (cpu: Cpu): boolean => cpu.el === 1 && cpu.config.hasEl2;

/** SPSR bits that hold state here: NZCV, PAN, SS, IL, DAIF, M[4:0] (no UAO/DIT/SSBS/BTYPE). */
const SPSR_MASK = 0xf07003df | 0;

/** Bits set in `lo/hi` that hvlab does not implement yet, named; undefined when all are supported. */
function unsupportedBits(lo: number, hi: number, supportedLo: number, supportedHi: number, names: Record<number, string>): string | undefined {
  const bad: string[] = [];
  for (let b = 0; b < 64; b++) {
    const set = b < 32 ? (lo >>> b) & 1 : (hi >>> (b - 32)) & 1;
    const ok = b < 32 ? (supportedLo >>> b) & 1 : (supportedHi >>> (b - 32)) & 1;
    if (set && !ok) bad.push(names[b] ?? `bit ${b}`);
  }
  return bad.length ? `${bad.join(', ')} not implemented yet (the MMU, traps and interrupts arrive with the system issue)` : undefined;
}

/**
 * SCTLR_ELx: EE/E0E (big-endian) change behaviour hvlab does not model yet, so setting them stops
 * the run with a clear message; M and WXN act through the MMU, A through the CPU's data accesses
 * (cpu.ts alignMask), cache enables, SA/SA0 and the EL0 gates are kept (the gates are honoured
 * for EL0 accesses).
 */
const SCTLR_UNSUPPORTED = (1 << 24) | (1 << 25);
const SCTLR_NAMES: Record<number, string> = { 24: 'E0E', 25: 'EE' };
const sctlrCheck = (_cpu: Cpu, lo: number, hi: number): string | undefined => unsupportedBits(lo, hi, ~SCTLR_UNSUPPORTED, -1, SCTLR_NAMES);

/**
 * Every Armv8.0 HCR_EL2 control has its meaning here: the routing and virtual-interrupt bits
 * (cpu.ts), VM/DC/PTW/CD/ID (emulator/mmu), the MRS/MSR/SYS traps (hcrR/hcrW above, system.ts),
 * TWI/TWE (WFI/WFE), TSC (SMC), HCD (HVC), VSE (virtual SError), TID0 (AArch32 registers only:
 * nothing to trap without AArch32). Bits 63:34 belong to features this core does not advertise
 * (VHE, RAS, PAuth, MTE, NV, ...): they are RES0 here, so writes to them are ignored (Linux sets
 * API/APK/ATA unconditionally). Only RW = 0 (AArch32 EL1) is refused.
 */
function hcrCheck(_cpu: Cpu, lo: number): string | undefined {
  if (((lo >>> 31) & 1) === 0) return 'RW = 0 (AArch32 EL1) is not supported: hvlab is AArch64 only';
  return undefined;
}
/** SCR_EL3: NS, IRQ, FIQ, EA, SMD, HCE, RW, TWI, TWE hold meaning here; ST and SIF are not implemented yet. */
const SCR_OK = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 7) | (1 << 8) | (1 << 10) | (3 << 4) | (3 << 12);
function scrCheck(_cpu: Cpu, lo: number, hi: number): string | undefined {
  if (((lo >>> 10) & 1) === 0) return 'RW = 0 (AArch32 lower ELs) is not supported: hvlab is AArch64 only';
  return unsupportedBits(lo, hi, SCR_OK, 0, { 11: 'ST', 9: 'SIF' });
}

/**
 * A register every translation depends on (QEMU flushes on these too): drop the TLB and end the
 * block, so the next instruction is fetched under the new translation. A write that leaves the
 * value as it was changes no translation and keeps the TLB (a hypervisor restores SCTLR/TCR/MAIR
 * of the same guest on every switch).
 */
function translation(d: SysRegDef): SysRegDef {
  const write = d.write!;
  const key = sysregKey(d.op0, d.op1, d.crn, d.crm, d.op2);
  return {
    ...d,
    write: (cpu, lo, hi) => {
      const oldLo = cpu.sysLo[key], oldHi = cpu.sysHi[key];
      write(cpu, lo, hi);
      if (cpu.sysLo[key] === oldLo && cpu.sysHi[key] === oldHi) return;
      cpu.translationChanged();
      cpu.endBlockAfterThis();
    },
  };
}
/** TTBRx/VTTBR: a new ASID or VMID selects another TLB table (entries of the old one stay valid). */
function asid(d: SysRegDef): SysRegDef {
  const write = d.write!;
  return { ...d, write: (cpu, lo, hi) => { write(cpu, lo, hi); cpu.retarget(); cpu.endBlockAfterThis(); } };
}

/** A control of the FP/SIMD traps (CPTR_ELx, HCR_EL2.TGE, SCR_EL3.NS): recompute cpu.fpTrapEl. */
function fpControl(d: SysRegDef): SysRegDef {
  const write = d.write!;
  return { ...d, write: (cpu, lo, hi) => { write(cpu, lo, hi); cpu.updateFpTrap(); } };
}

/**
 * AArch64.SystemAccessTrap(target, 0x18): EC 0x18 with the ISS of Arm ARM D13.2.37 "ISS encoding
 * for an exception from MSR, MRS, or System instruction execution": Op0 21:20, Op2 19:17, Op1
 * 16:14, CRn 13:10, Rt 9:5, CRm 4:1, Direction 0 (0 = write / SYS, 1 = read / SYSL).
 */
export function sysTrap(cpu: Cpu, i: number, target: number, write: boolean): never {
  const iss = (((i >>> 19) & 3) << 20) | (((i >>> 5) & 7) << 17) | (((i >>> 16) & 7) << 14) | (((i >>> 12) & 15) << 10) |
    ((i & 31) << 5) | (((i >>> 8) & 15) << 1) | (write ? 0 : 1);
  cpu.exception(target, 'sync', (EC.SYSREG << 26) | ESR_IL | iss, cpu.pcLo, cpu.pcHi, undefined, `${sysregGenericName((i >>> 5) & 0xffff)} trapped to EL${target}`);
  return cpu.abandon();
}

/** Interrupt routing or virtual-interrupt bits changed: re-check delivery before the next instruction. */
function routing(d: SysRegDef): SysRegDef {
  const write = d.write!;
  return { ...d, write: (cpu, lo, hi) => { write(cpu, lo, hi); cpu.endBlockAfterThis(); } };
}

/** SP_ELn as a system register: readable from a higher EL (SP_EL0 needs SPSel = 1, Arm ARM C5.2.15). */
function spEl(n: number, op1: number): SysRegDef {
  const refuse = (cpu: Cpu): boolean => n === 0 && cpu.spsel === 0;
  return {
    op0: 3, op1, crn: 4, crm: 1, op2: 0, name: `SP_EL${n}`,
    read: (cpu, t) => {
      if (refuse(cpu)) cpu.undefinedInstruction(0xd5384100 | t, 'MRS SP_EL0 while PSTATE.SP selects SP_EL0');
      const v = cpu.getSpEl(n); cpu.xlo[t] = Number(v & 0xffffffffn) | 0; cpu.xhi[t] = Number(v >> 32n) | 0;
    },
    write: (cpu, lo, hi) => {
      if (refuse(cpu)) cpu.undefinedInstruction(0xd5184100, 'MSR SP_EL0 while PSTATE.SP selects SP_EL0');
      cpu.setSpEl(n, lo, hi);
    },
  };
}

export const SYSREGS: readonly SysRegDef[] = [
  // --- special-purpose registers (op0=3, op1=3/0, CRn=4) ---
  { op0: 3, op1: 3, crn: 4, crm: 2, op2: 0, name: 'NZCV', el0: 'rw',
    read: (cpu, t) => { cpu.xlo[t] = cpu.nzcv << 28; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.nzcv = lo >>> 28; } },
  { op0: 3, op1: 3, crn: 4, crm: 2, op2: 1, name: 'DAIF', el0: 'rw', el0Gate: SCTLR_UMA,
    read: (cpu, t) => { cpu.xlo[t] = cpu.daif & 0x3c0; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.daif = lo & 0x3c0; cpu.endBlockAfterThis(); } },
  { op0: 3, op1: 0, crn: 4, crm: 2, op2: 0, name: 'SPSEL',
    read: (cpu, t) => { cpu.xlo[t] = cpu.spsel; cpu.xhi[t] = 0; },
    write: (cpu, lo) => cpu.setPstate(cpu.el, lo & 1) },
  // PAN (FEAT_PAN): PSTATE.PAN in bit 22; a write selects the other translation context at once.
  { op0: 3, op1: 0, crn: 4, crm: 2, op2: 3, name: 'PAN',
    read: (cpu, t) => { cpu.xlo[t] = cpu.pan << 22; cpu.xhi[t] = 0; },
    write: (cpu, lo) => cpu.setPan((lo >>> 22) & 1) },
  { op0: 3, op1: 0, crn: 4, crm: 2, op2: 2, name: 'CURRENTEL',
    read: (cpu, t) => { cpu.xlo[t] = cpu.el << 2; cpu.xhi[t] = 0; } },
  { op0: 3, op1: 3, crn: 4, crm: 4, op2: 0, name: 'FPCR', el0: 'rw',
    read: (cpu, t) => { checkFp(cpu); cpu.xlo[t] = cpu.fpcr & FPCR_MASK; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { checkFp(cpu); cpu.fpcr = lo & FPCR_MASK; } },
  { op0: 3, op1: 3, crn: 4, crm: 4, op2: 1, name: 'FPSR', el0: 'rw',
    read: (cpu, t) => { checkFp(cpu); cpu.xlo[t] = cpu.fpsr & FPSR_MASK; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { checkFp(cpu); cpu.fpsr = lo & FPSR_MASK; } },
  // --- exception model (Arm ARM D1.10): per-EL link, saved-state, syndrome, fault and vector registers ---
  plain('SPSR_EL1', 3, 0, 4, 0, 0, SPSR_MASK, 0), plain('SPSR_EL2', 3, 4, 4, 0, 0, SPSR_MASK, 0), plain('SPSR_EL3', 3, 6, 4, 0, 0, SPSR_MASK, 0),
  plain('ELR_EL1', 3, 0, 4, 0, 1), plain('ELR_EL2', 3, 4, 4, 0, 1), plain('ELR_EL3', 3, 6, 4, 0, 1),
  vmCtl(plain('ESR_EL1', 3, 0, 5, 2, 0, -1, 0)), plain('ESR_EL2', 3, 4, 5, 2, 0, -1, 0), plain('ESR_EL3', 3, 6, 5, 2, 0, -1, 0),
  vmCtl(plain('FAR_EL1', 3, 0, 6, 0, 0)), plain('FAR_EL2', 3, 4, 6, 0, 0), plain('FAR_EL3', 3, 6, 6, 0, 0),
  plain('HPFAR_EL2', 3, 4, 6, 0, 4, ~0xf, 0xf),
  plain('VBAR_EL1', 3, 0, 12, 0, 0, ~0x7ff), plain('VBAR_EL2', 3, 4, 12, 0, 0, ~0x7ff), plain('VBAR_EL3', 3, 6, 12, 0, 0, ~0x7ff),
  spEl(0, 0), spEl(1, 4), spEl(2, 6),
  // --- system control ---
  vmCtl(translation(plain('SCTLR_EL1', 3, 0, 1, 0, 0, -1, 0, sctlrCheck))), translation(plain('SCTLR_EL2', 3, 4, 1, 0, 0, -1, 0, sctlrCheck)),
  translation(plain('SCTLR_EL3', 3, 6, 1, 0, 0, -1, 0, sctlrCheck)),
  fpControl(routing(translation(plain('HCR_EL2', 3, 4, 1, 1, 0, -1, 3, hcrCheck)))),
  fpControl(routing(translation(plain('SCR_EL3', 3, 6, 1, 1, 0, 0x3fff, 0, scrCheck)))),
  // --- translation (Arm ARM D8): TCR/MAIR/VTCR flush the TLB; TTBR/VTTBR select the ASID/VMID ---
  vmCtl(translation(plain('TCR_EL1', 3, 0, 2, 0, 2))), translation(plain('TCR_EL2', 3, 4, 2, 0, 2)), translation(plain('TCR_EL3', 3, 6, 2, 0, 2)),
  vmCtl(translation(plain('MAIR_EL1', 3, 0, 10, 2, 0))), translation(plain('MAIR_EL2', 3, 4, 10, 2, 0)), translation(plain('MAIR_EL3', 3, 6, 10, 2, 0)),
  translation(plain('VTCR_EL2', 3, 4, 2, 1, 2)),
  vmCtl(asid(plain('TTBR0_EL1', 3, 0, 2, 0, 0))), vmCtl(asid(plain('TTBR1_EL1', 3, 0, 2, 0, 1))),
  asid(plain('TTBR0_EL2', 3, 4, 2, 0, 0)), asid(plain('TTBR0_EL3', 3, 6, 2, 0, 0)), asid(plain('VTTBR_EL2', 3, 4, 2, 1, 0)),
  vmCtl(plain('AMAIR_EL1', 3, 0, 10, 3, 0)), plain('AMAIR_EL2', 3, 4, 10, 3, 0), plain('AMAIR_EL3', 3, 6, 10, 3, 0),
  vmCtl(plain('CONTEXTIDR_EL1', 3, 0, 13, 0, 1, -1, 0)),
  plain('PAR_EL1', 3, 0, 7, 4, 0),
  plain('MDCR_EL2', 3, 4, 1, 1, 1, 0xfffff, 0),
  plain('TPIDR_EL2', 3, 4, 13, 0, 2), plain('TPIDR_EL3', 3, 6, 13, 0, 2),
  // --- thread ID registers ---
  { op0: 3, op1: 3, crn: 13, crm: 0, op2: 2, name: 'TPIDR_EL0', el0: 'rw',
    read: (cpu, t) => { cpu.xlo[t] = cpu.tpidrEl0Lo; cpu.xhi[t] = cpu.tpidrEl0Hi; },
    write: (cpu, lo, hi) => { cpu.tpidrEl0Lo = lo; cpu.tpidrEl0Hi = hi; } },
  { op0: 3, op1: 3, crn: 13, crm: 0, op2: 3, name: 'TPIDRRO_EL0', el0: 'r',
    read: (cpu, t) => { cpu.xlo[t] = cpu.tpidrroEl0Lo; cpu.xhi[t] = cpu.tpidrroEl0Hi; },
    write: (cpu, lo, hi) => { cpu.tpidrroEl0Lo = lo; cpu.tpidrroEl0Hi = hi; } },
  { op0: 3, op1: 0, crn: 13, crm: 0, op2: 4, name: 'TPIDR_EL1',
    read: (cpu, t) => { cpu.xlo[t] = cpu.tpidrEl1Lo; cpu.xhi[t] = cpu.tpidrEl1Hi; },
    write: (cpu, lo, hi) => { cpu.tpidrEl1Lo = lo; cpu.tpidrEl1Hi = hi; } },
  // --- architectural feature access control ---
  { op0: 3, op1: 0, crn: 1, crm: 0, op2: 2, name: 'CPACR_EL1',
    // FPEN (21:20) only: ZEN, SMEN and TTA belong to features this core does not have.
    read: (cpu, t) => { cpu.xlo[t] = cpu.cpacrEl1 & 0x300000; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.cpacrEl1 = lo & 0x300000; cpu.updateFpTrap(); },
    trap: (cpu, i, write) => {
      if (cpu.el === 1 && el2Enabled(cpu) && (cpu.sysLo[CPTR_EL2_KEY] & CPTR_TCPAC) !== 0) sysTrap(cpu, i, 2, write);
      if (cpu.el <= 2 && cpu.config.hasEl3 && (cpu.sysLo[CPTR_EL3_KEY] & CPTR_TCPAC) !== 0) sysTrap(cpu, i, 3, write);
    } },
  // --- identification ---
  // With EL2, EL1 reads of MIDR/MPIDR return VPIDR_EL2/VMPIDR_EL2 (Arm ARM D17.2.99/.102).
  { op0: 3, op1: 0, crn: 0, crm: 0, op2: 0, name: 'MIDR_EL1',
    read: (cpu, t) => { cpu.xlo[t] = virtualised(cpu) ? vpidr(cpu) : MIDR_VALUE; cpu.xhi[t] = 0; } },
  { op0: 3, op1: 0, crn: 0, crm: 0, op2: 5, name: 'MPIDR_EL1',
    read: (cpu, t) => { cpu.xlo[t] = virtualised(cpu) ? vmpidr(cpu) : mpidr(cpu); cpu.xhi[t] = 0; } },
  { op0: 3, op1: 4, crn: 0, crm: 0, op2: 0, name: 'VPIDR_EL2',
    read: (cpu, t) => { cpu.xlo[t] = vpidr(cpu); cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.sysLo[VPIDR_KEY] = lo; cpu.sysHi[VPIDR_KEY] = 1; } },
  { op0: 3, op1: 4, crn: 0, crm: 0, op2: 5, name: 'VMPIDR_EL2',
    read: (cpu, t) => { cpu.xlo[t] = vmpidr(cpu); cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.sysLo[VMPIDR_KEY] = lo | 0x80000000; cpu.sysHi[VMPIDR_KEY] = 1; } },
  // EL2 controls: HSTR_EL2 is RES0 without AArch32 at EL1/EL0; HACR_EL2 has no IMPLEMENTATION
  // DEFINED effect here; CPTR_EL2's traps are refused until they are modelled.
  plain('HSTR_EL2', 3, 4, 1, 1, 3, 0, 0), plain('HACR_EL2', 3, 4, 1, 1, 7, 0, 0),
  // CPTR_EL2/EL3: TFP (fp-traps.ts) and TCPAC (CPACR_EL1, and CPTR_EL2 from EL2, trapped to EL3).
  // TTA (bit 20) traps trace-register accesses: no trace unit here (ID_AA64DFR0_EL1.TraceVer = 0),
  // whose encodings are UNDEFINED anyway, so the bit has nothing to trap.
  { ...fpControl(plain('CPTR_EL2', 3, 4, 1, 1, 2, -1, 0)),
    trap: (cpu, i, write) => { if (cpu.el === 2 && cpu.config.hasEl3 && (cpu.sysLo[CPTR_EL3_KEY] & CPTR_TCPAC) !== 0) sysTrap(cpu, i, 3, write); } },
  fpControl(plain('CPTR_EL3', 3, 6, 1, 1, 2, (1 << 10) | (1 << 20) | (1 << 31), 0)),
  tid(HCR_TRAP.TID1, { op0: 3, op1: 0, crn: 0, crm: 0, op2: 6, name: 'REVIDR_EL1', read: constant(0) }),
  tid(HCR_TRAP.TID2, { op0: 3, op1: 3, crn: 0, crm: 0, op2: 1, name: 'CTR_EL0', el0: 'r', el0Gate: SCTLR_UCT, read: constant(CTR_VALUE) }),
  { op0: 3, op1: 3, crn: 0, crm: 0, op2: 7, name: 'DCZID_EL0', el0: 'r',
    // DZP (bit 4) reads 1 where DC ZVA is prohibited (trapped or UNDEFINED): at EL0 unless
    // SCTLR_EL1.DZE, and at EL0/EL1 when HCR_EL2.TDZ traps it (Arm ARM D13.2.34).
    read: (cpu, t) => {
      const dzp = (cpu.el === 0 && (cpu.sysLo[SYS.SCTLR[1]] & SCTLR_DZE) === 0) ||
        (cpu.el <= 1 && el2Enabled(cpu) && (cpu.sysLo[SYS.HCR_EL2] & HCR_TRAP.TDZ) !== 0);
      cpu.xlo[t] = DCZID_VALUE | (dzp ? 0x10 : 0); cpu.xhi[t] = 0;
    } },
  { op0: 3, op1: 0, crn: 0, crm: 4, op2: 0, name: 'ID_AA64PFR0_EL1', read: (cpu, t) => { cpu.xlo[t] = pfr0(cpu); cpu.xhi[t] = 0; } },
  { op0: 3, op1: 0, crn: 0, crm: 5, op2: 0, name: 'ID_AA64DFR0_EL1', read: constant(ID_AA64DFR0_VALUE) },
  { op0: 3, op1: 0, crn: 0, crm: 6, op2: 0, name: 'ID_AA64ISAR0_EL1', read: constant(ID_AA64ISAR0_VALUE) },
  { op0: 3, op1: 0, crn: 0, crm: 7, op2: 0, name: 'ID_AA64MMFR0_EL1', read: (cpu, t) => { cpu.xlo[t] = mmfr0(cpu); cpu.xhi[t] = 0; } },
  { op0: 3, op1: 0, crn: 0, crm: 7, op2: 1, name: 'ID_AA64MMFR1_EL1', read: constant(ID_AA64MMFR1_VALUE) },
  { op0: 3, op1: 0, crn: 0, crm: 7, op2: 2, name: 'ID_AA64MMFR2_EL1', read: constant(ID_AA64MMFR2_VALUE) },
  // --- cache identification (Arm ARM D19.2.20 CCSIDR, D19.2.21 CLIDR, D19.2.32 CSSELR): the
  // Cortex-A53's caches as QEMU's cortex-a53 reports them (32 KiB L1 I and D, 1 MiB L2). No cache is
  // modelled; the kernel only sizes its maintenance loops and cacheinfo from these.
  tid(HCR_TRAP.TID2, { op0: 3, op1: 1, crn: 0, crm: 0, op2: 0, name: 'CCSIDR_EL1', read: (cpu, t) => { cpu.xlo[t] = ccsidr(cpu.sysLo[CSSELR_KEY]); cpu.xhi[t] = 0; } }),
  tid(HCR_TRAP.TID2, { op0: 3, op1: 1, crn: 0, crm: 0, op2: 1, name: 'CLIDR_EL1', read: constant(CLIDR_VALUE) }),
  tid(HCR_TRAP.TID1, { op0: 3, op1: 1, crn: 0, crm: 0, op2: 7, name: 'AIDR_EL1', read: constant(0) }),
  tid(HCR_TRAP.TID2, plain('CSSELR_EL1', 3, 2, 0, 0, 0, 0xf, 0)),
  // --- IMPLEMENTATION DEFINED auxiliary control and fault status (Cortex-A53 TRM 4.3): ACTLR_EL1 and
  // AFSR0/1_ELx define no bits on the A53 (RAZ/WI); ACTLR_EL2/EL3 hold the access enables of the
  // A53's IMPLEMENTATION DEFINED registers (CPUACTLR, CPUECTLR, L2CTLR, L2ECTLR, L2ACTLR), which
  // hvlab does not have (their encodings stay UNDEFINED, named), so the enables are just kept.
  tid(HCR_TRAP.TACR, raw('ACTLR_EL1', 3, 0, 1, 0, 1)), plain('ACTLR_EL2', 3, 4, 1, 0, 1, 0x73, 0), plain('ACTLR_EL3', 3, 6, 1, 0, 1, 0x73, 0),
  vmCtl(raw('AFSR0_EL1', 3, 0, 5, 1, 0)), vmCtl(raw('AFSR1_EL1', 3, 0, 5, 1, 1)),
  raw('AFSR0_EL2', 3, 4, 5, 1, 0), raw('AFSR1_EL2', 3, 4, 5, 1, 1),
  raw('AFSR0_EL3', 3, 6, 5, 1, 0), raw('AFSR1_EL3', 3, 6, 5, 1, 1),
  // --- self-hosted debug (debug-registers.ts): MDSCR, OS lock, breakpoints/watchpoints, MDCR_EL3 ---
  ...DEBUG_SYSREGS,
];

const raz = constant(0);

/** Dense lookup by key (bits [20:5] of the word). Grown at load time by registerSysregs only. */
export const SYSREG_BY_KEY: (SysRegDef | undefined)[] = (() => {
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
  // HCR_EL2.TID3 traps EL1 reads of the whole ID group 3 space, reserved encodings included.
  for (let crm = 1; crm <= 7; crm++) {
    for (let op2 = 0; op2 < 8; op2++) {
      const key = sysregKey(3, 0, 0, crm, op2);
      t[key] = { ...t[key]!, hcrR: HCR_TRAP.TID3 };
    }
  }
  return t;
})();

/**
 * Adds registers defined outside this file (devices reached through MRS/MSR: the GIC CPU
 * interface, the generic timer; see sysreg-devices.ts) to SYSREG_BY_KEY. A key that is already
 * taken by a named register is an error; registering the very same def again is a no-op.
 */
export function registerSysregs(defs: readonly SysRegDef[]): void {
  for (const d of defs) {
    const key = sysregKey(d.op0, d.op1, d.crn, d.crm, d.op2);
    const old = SYSREG_BY_KEY[key];
    if (old === d) continue;
    if (old && !old.name.startsWith('S3_0_C0_')) throw new Error(`sysreg table: ${d.name} duplicates ${old.name}`);
    SYSREG_BY_KEY[key] = d;
  }
}
