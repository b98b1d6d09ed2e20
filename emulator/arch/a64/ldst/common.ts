// Shared pieces of the load/store class: address arithmetic in 32-bit halves (no allocation: the
// result lives in module-level `A.lo/A.hi`), alignment checks for the accesses that require
// alignment whatever SCTLR says, and objdump's spelling of addressing modes.
import type { Cpu } from '../../../cpu/cpu';
import { TWO32 } from '../../../cpu/regs';
import { reg, xsp } from '../../disasm-util';

/** The effective address of the current access (set by the address helpers below). */
export const A = { lo: 0, hi: 0 };

/** A := X[n] + off, `n` an SP-context slot, `off` a small signed number (|off| < 2^31). */
export function addrImm(cpu: Cpu, n: number, off: number): void {
  const s = (cpu.xlo[n] >>> 0) + off;
  A.lo = s | 0;
  A.hi = s >= TWO32 ? (cpu.xhi[n] + 1) | 0 : s < 0 ? (cpu.xhi[n] - 1) | 0 : cpu.xhi[n];
}

/** Writes back the base register: X[n] := A. */
export function writeBack(cpu: Cpu, n: number): void {
  cpu.xlo[n] = A.lo;
  cpu.xhi[n] = A.hi;
}

/** (lo, hi) + off in halves, result in A. */
export function addOff(lo: number, hi: number, off: number): void {
  const s = (lo >>> 0) + off;
  A.lo = s | 0;
  A.hi = s >= TWO32 ? (hi + 1) | 0 : s < 0 ? (hi - 1) | 0 : hi;
}

/**
 * Register-offset address: A := X[n] + (ExtendReg(m, option) << amount).
 * option: 010 UXTW, 011 LSL/UXTX, 110 SXTW, 111 SXTX (bit 1 is always 1 here). `m` is a ZR-context
 * slot, `n` an SP-context slot.
 */
export function addrReg(cpu: Cpu, n: number, m: number, option: number, amount: number): void {
  let olo = cpu.xlo[m], ohi: number;
  if (option & 1) ohi = cpu.xhi[m];           // UXTX / SXTX: the whole register
  else ohi = option & 4 ? olo >> 31 : 0;      // SXTW / UXTW
  if (amount !== 0) {
    ohi = (ohi << amount) | (olo >>> (32 - amount));
    olo <<= amount;
  }
  const s = (cpu.xlo[n] >>> 0) + (olo >>> 0);
  A.lo = s | 0;
  A.hi = (cpu.xhi[n] + ohi + (s >= TWO32 ? 1 : 0)) | 0;
}

/**
 * Accesses that must be aligned whatever SCTLR_ELx.A says (exclusives, acquire/release, atomics:
 * Arm ARM B2.5.2): a misaligned one takes a Data Abort with an Alignment fault (DFSC 0b100001,
 * FAR = the address), before any translation (AArch64.CheckAlignment comes first). `write`
 * gives ESR ISS.WnR: stores. An atomic read-modify-write (LD<op>, SWP, CAS, CASP) faults as a read (WnR =
 * 0), as QEMU reports it (the fuzz slice compares; the Arm ARM leaves the choice to the PE).
 */
export function checkAligned(cpu: Cpu, lo: number, hi: number, size: number, write = false): void {
  if ((lo & (size - 1)) !== 0) cpu.alignmentFault(lo, hi, write);
}

// ------------------------------------------------------------------ disassembly helpers

/** `[xn]` or `[xn, #off]` (signed offset forms; objdump omits a zero offset). */
export function memOff(n: number, off: number): string {
  return off === 0 ? `[${xsp(n)}]` : `[${xsp(n)}, #${off}]`;
}
export const memPre = (n: number, off: number): string => `[${xsp(n)}, #${off}]!`;
export const memPost = (n: number, off: number): string => `[${xsp(n)}], #${off}`;
export const memBase = (n: number): string => `[${xsp(n)}]`;

const EXT_NAME = ['', '', 'uxtw', 'lsl', '', '', 'sxtw', 'sxtx'];

/** `[xn, xm]`, `[xn, xm, lsl #3]`, `[xn, wm, uxtw]`, `[xn, wm, sxtw #2]`… (objdump's spelling). */
export function memReg(i: number, amountIfS: number): string {
  const n = (i >>> 5) & 31, m = (i >>> 16) & 31, option = (i >>> 13) & 7, s = (i >>> 12) & 1;
  const rm = reg(m, (option & 1) === 1);
  if (option === 3 && s === 0) return `[${xsp(n)}, ${rm}]`;
  return `[${xsp(n)}, ${rm}, ${EXT_NAME[option]}${s ? ` #${amountIfS}` : ''}]`;
}

const PRF_TYPE = ['pld', 'pli', 'pst'];
const PRF_TARGET = ['l1', 'l2', 'l3'];

/** PRFM operation operand: `pldl1keep`…, or `#0x18` for unallocated values. */
export function prfop(rt: number): string {
  const type = rt >>> 3, tgt = (rt >>> 1) & 3;
  if (type === 3 || tgt === 3) return `#0x${rt.toString(16).padStart(2, '0')}`;
  return PRF_TYPE[type] + PRF_TARGET[tgt] + (rt & 1 ? 'strm' : 'keep');
}

/** FP/SIMD scalar register name by access size in bytes (1 b, 2 h, 4 s, 8 d, 16 q). */
export function vreg(t: number, size: number): string {
  const p = size === 1 ? 'b' : size === 2 ? 'h' : size === 4 ? 's' : size === 8 ? 'd' : 'q';
  return p + t;
}
