// Shared pieces of the data-processing class: AddWithCarry on register halves (Arm ARM J1,
// shared/functions/integer/AddWithCarry), the DecodeBitMasks tables, and disassembly helpers.
import type { Cpu } from '../../../cpu/cpu';

const TWO32 = 4294967296;

/** Rd(slot) := a + b + cin (64-bit, as halves), no flags. */
export function add64(cpu: Cpu, d: number, alo: number, ahi: number, blo: number, bhi: number, cin: number): void {
  const lo = (alo >>> 0) + (blo >>> 0) + cin;
  cpu.xlo[d] = lo | 0;
  cpu.xhi[d] = (ahi + bhi + (lo >= TWO32 ? 1 : 0)) | 0;
}

/** Rd(slot) := a + b + cin (64-bit), setting NZCV. */
export function adds64(cpu: Cpu, d: number, alo: number, ahi: number, blo: number, bhi: number, cin: number): void {
  const lo = (alo >>> 0) + (blo >>> 0) + cin;
  const hs = (ahi >>> 0) + (bhi >>> 0) + (lo >= TWO32 ? 1 : 0);
  const rlo = lo | 0, rhi = hs | 0;
  cpu.n = rhi >>> 31;
  cpu.z = (rlo | rhi) === 0 ? 1 : 0;
  cpu.c = hs >= TWO32 ? 1 : 0;
  cpu.v = (~(ahi ^ bhi) & (ahi ^ rhi)) >>> 31;
  cpu.xlo[d] = rlo;
  cpu.xhi[d] = rhi;
}

/** Wd(slot) := a + b + cin (32-bit), setting NZCV; the high half is zeroed. */
export function adds32(cpu: Cpu, d: number, a: number, b: number, cin: number): void {
  const s = (a >>> 0) + (b >>> 0) + cin;
  const r = s | 0;
  cpu.n = r >>> 31;
  cpu.z = r === 0 ? 1 : 0;
  cpu.c = s >= TWO32 ? 1 : 0;
  cpu.v = (~(a ^ b) & (a ^ r)) >>> 31;
  cpu.xlo[d] = r;
  cpu.xhi[d] = 0;
}

/** Sets N and Z from a 64-bit result and clears C and V (logical flag-setting operations). */
export function nzLogic64(cpu: Cpu, lo: number, hi: number): void {
  cpu.n = hi >>> 31;
  cpu.z = (lo | hi) === 0 ? 1 : 0;
  cpu.c = 0;
  cpu.v = 0;
}
export function nzLogic32(cpu: Cpu, r: number): void {
  cpu.n = r >>> 31;
  cpu.z = r === 0 ? 1 : 0;
  cpu.c = 0;
  cpu.v = 0;
}

// DecodeBitMasks (Arm ARM J1, aarch64/instrs/integer/bitmasks/DecodeBitMasks), tabulated once for
// every N:immr:imms (instruction bits [22:10], so the index is `(insn >>> 10) & 0x1fff`).
// WMASK is the (64-bit) wmask, TMASK the tmask; BITMASK_OK[idx] is 1 where the encoding is a valid
// logical immediate (len >= 1 and S != levels); bitfield moves only need len >= 1, which their
// sf/N checks already guarantee.
export const WMASK_LO = new Int32Array(8192);
export const WMASK_HI = new Int32Array(8192);
export const TMASK_LO = new Int32Array(8192);
export const TMASK_HI = new Int32Array(8192);
export const BITMASK_OK = new Uint8Array(8192);

(function buildBitMasks(): void {
  const M64 = (1n << 64n) - 1n;
  for (let idx = 0; idx < 8192; idx++) {
    const n = idx >>> 12, immr = (idx >>> 6) & 63, imms = idx & 63;
    const x = (n << 6) | (~imms & 63);
    if (x === 0) continue;
    const len = 31 - Math.clz32(x);
    if (len < 1) continue;
    const levels = (1 << len) - 1;
    const s = imms & levels, r = immr & levels;
    const esize = 1 << len;
    const d = (s - r) & levels;
    const emask = (1n << BigInt(esize)) - 1n;
    const welem = (1n << BigInt(s + 1)) - 1n;
    const telem = (1n << BigInt(d + 1)) - 1n;
    const rot = r === 0 ? welem : ((welem >> BigInt(r)) | (welem << BigInt(esize - r))) & emask;
    let w = 0n, t = 0n;
    for (let k = 0; k < 64; k += esize) { w |= rot << BigInt(k); t |= telem << BigInt(k); }
    w &= M64; t &= M64;
    WMASK_LO[idx] = Number(w & 0xffffffffn) | 0;
    WMASK_HI[idx] = Number(w >> 32n) | 0;
    TMASK_LO[idx] = Number(t & 0xffffffffn) | 0;
    TMASK_HI[idx] = Number(t >> 32n) | 0;
    BITMASK_OK[idx] = s === levels ? 0 : 1;
  }
})();

/** objdump's text for a word it cannot decode. */
export function undefText(insn: number): string {
  return `.inst\t0x${(insn >>> 0).toString(16).padStart(8, '0')} ; undefined`;
}

/** A 64-bit value from halves, as an unsigned BigInt (disassembly only). */
export function u64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
/** `#0x…` of an unsigned value. */
export function hexU(v: bigint | number): string {
  return `#0x${v.toString(16)}`;
}

// objdump's condition spelling for conditional compare/select operands (binutils aarch64_conds):
// the first name, then `// first = other, names` when the condition has several names.
const COND_NAMES: readonly string[][] = [
  ['eq', 'none'], ['ne', 'any'], ['cs', 'hs', 'nlast'], ['cc', 'lo', 'ul', 'last'], ['mi', 'first'],
  ['pl', 'nfrst'], ['vs'], ['vc'], ['hi', 'pmore'], ['ls', 'plast'], ['ge', 'tcont'], ['lt', 'tstop'],
  ['gt'], ['le'], ['al'], ['nv'],
];
export const condName = (c: number): string => COND_NAMES[c][0];
/** The trailing comment objdump adds for condition `c` ('' when none). */
export function condComment(c: number): string {
  const n = COND_NAMES[c];
  return n.length > 1 ? `\t// ${n[0]} = ${n.slice(1).join(', ')}` : '';
}
