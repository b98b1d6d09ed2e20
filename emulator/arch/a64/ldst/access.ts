// The data movement of one load/store register access, separated from address computation so the
// same function serves every addressing form. `t` is the raw Rt field; (lo, hi) the address.
// Loads do all their memory reads before writing any register (a fault abandons the instruction).
import type { Cpu } from '../../../cpu/cpu';
import { rz, wz, TWO32 } from '../../../cpu/regs';

export type Acc = (cpu: Cpu, t: number, lo: number, hi: number) => void;
export type PairAcc = (cpu: Cpu, t: number, t2: number, lo: number, hi: number) => void;

// ------------------------------------------------------------------ general registers

export const STRB: Acc = (cpu, t, lo, hi) => cpu.st8(lo, hi, cpu.xlo[rz(t)] & 0xff);
export const LDRB: Acc = (cpu, t, lo, hi) => { const v = cpu.ld8(lo, hi), w = wz(t); cpu.xlo[w] = v; cpu.xhi[w] = 0; };
export const LDRSB64: Acc = (cpu, t, lo, hi) => { const v = (cpu.ld8(lo, hi) << 24) >> 24, w = wz(t); cpu.xlo[w] = v; cpu.xhi[w] = v >> 31; };
export const LDRSB32: Acc = (cpu, t, lo, hi) => { const v = (cpu.ld8(lo, hi) << 24) >> 24, w = wz(t); cpu.xlo[w] = v; cpu.xhi[w] = 0; };
export const STRH: Acc = (cpu, t, lo, hi) => cpu.st16(lo, hi, cpu.xlo[rz(t)] & 0xffff);
export const LDRH: Acc = (cpu, t, lo, hi) => { const v = cpu.ld16(lo, hi), w = wz(t); cpu.xlo[w] = v; cpu.xhi[w] = 0; };
export const LDRSH64: Acc = (cpu, t, lo, hi) => { const v = (cpu.ld16(lo, hi) << 16) >> 16, w = wz(t); cpu.xlo[w] = v; cpu.xhi[w] = v >> 31; };
export const LDRSH32: Acc = (cpu, t, lo, hi) => { const v = (cpu.ld16(lo, hi) << 16) >> 16, w = wz(t); cpu.xlo[w] = v; cpu.xhi[w] = 0; };
export const STRW: Acc = (cpu, t, lo, hi) => cpu.st32(lo, hi, cpu.xlo[rz(t)]);
export const LDRW: Acc = (cpu, t, lo, hi) => { const v = cpu.ld32(lo, hi), w = wz(t); cpu.xlo[w] = v; cpu.xhi[w] = 0; };
export const LDRSW: Acc = (cpu, t, lo, hi) => { const v = cpu.ld32(lo, hi), w = wz(t); cpu.xlo[w] = v; cpu.xhi[w] = v >> 31; };
export const STRX: Acc = (cpu, t, lo, hi) => { const r = rz(t); cpu.st64(lo, hi, cpu.xlo[r], cpu.xhi[r]); };
export const LDRX: Acc = (cpu, t, lo, hi) => { const v = cpu.ld64(lo, hi), w = wz(t); cpu.xlo[w] = v; cpu.xhi[w] = cpu.ldHi; };
/** PRFM: a hint; no memory access and no fault (Arm ARM C6.2.248). */
export const PRFM: Acc = () => undefined;

// ------------------------------------------------------------------ FP/SIMD registers

export const STRBv: Acc = (cpu, t, lo, hi) => cpu.st8(lo, hi, cpu.vbytes[t << 4]);
export const LDRBv: Acc = (cpu, t, lo, hi) => {
  const v = cpu.ld8(lo, hi), w = cpu.vwords, o = t << 2;
  w[o] = v; w[o + 1] = 0; w[o + 2] = 0; w[o + 3] = 0;
};
export const STRHv: Acc = (cpu, t, lo, hi) => cpu.st16(lo, hi, cpu.vwords[t << 2] & 0xffff);
export const LDRHv: Acc = (cpu, t, lo, hi) => {
  const v = cpu.ld16(lo, hi), w = cpu.vwords, o = t << 2;
  w[o] = v; w[o + 1] = 0; w[o + 2] = 0; w[o + 3] = 0;
};
export const STRSv: Acc = (cpu, t, lo, hi) => cpu.st32(lo, hi, cpu.vwords[t << 2]);
export const LDRSv: Acc = (cpu, t, lo, hi) => {
  const v = cpu.ld32(lo, hi), w = cpu.vwords, o = t << 2;
  w[o] = v; w[o + 1] = 0; w[o + 2] = 0; w[o + 3] = 0;
};
export const STRDv: Acc = (cpu, t, lo, hi) => { const o = t << 2; cpu.st64(lo, hi, cpu.vwords[o], cpu.vwords[o + 1]); };
export const LDRDv: Acc = (cpu, t, lo, hi) => {
  const v = cpu.ld64(lo, hi), w = cpu.vwords, o = t << 2;
  w[o] = v; w[o + 1] = cpu.ldHi; w[o + 2] = 0; w[o + 3] = 0;
};
// A 128-bit access is two 64-bit ones here, but its alignment unit is 16 bytes (Mem[address, 16]).
export const STRQv: Acc = (cpu, t, lo, hi) => {
  cpu.checkAlignment(lo, hi, 16, true);
  const w = cpu.vwords, o = t << 2;
  cpu.st64(lo, hi, w[o], w[o + 1]);
  const s = (lo >>> 0) + 8;
  cpu.st64(s | 0, s >= TWO32 ? (hi + 1) | 0 : hi, w[o + 2], w[o + 3]);
};
export const LDRQv: Acc = (cpu, t, lo, hi) => {
  cpu.checkAlignment(lo, hi, 16, false);
  const a = cpu.ld64(lo, hi), b = cpu.ldHi;
  const s = (lo >>> 0) + 8;
  const c = cpu.ld64(s | 0, s >= TWO32 ? (hi + 1) | 0 : hi), d = cpu.ldHi;
  const w = cpu.vwords, o = t << 2;
  w[o] = a; w[o + 1] = b; w[o + 2] = c; w[o + 3] = d;
};

// ------------------------------------------------------------------ pairs
// General-register LDP with Rt == Rt2 is CONSTRAINED UNPREDICTABLE (UNKNOWN value); like QEMU, the
// first register's value wins (Rt2 is written first). FP/SIMD LDP: Rt2 wins, as in QEMU.

/** (lo, hi) + k, k a small positive number. */
function nextLo(lo: number, k: number): number { return ((lo >>> 0) + k) | 0; }
function nextHi(lo: number, hi: number, k: number): number { return (lo >>> 0) + k >= TWO32 ? (hi + 1) | 0 : hi; }

export const STPW: PairAcc = (cpu, t, t2, lo, hi) => {
  cpu.st32(lo, hi, cpu.xlo[rz(t)]);
  cpu.st32(nextLo(lo, 4), nextHi(lo, hi, 4), cpu.xlo[rz(t2)]);
};
export const LDPW: PairAcc = (cpu, t, t2, lo, hi) => {
  const a = cpu.ld32(lo, hi), b = cpu.ld32(nextLo(lo, 4), nextHi(lo, hi, 4));
  const w = wz(t), w2 = wz(t2);
  cpu.xlo[w2] = b; cpu.xhi[w2] = 0; cpu.xlo[w] = a; cpu.xhi[w] = 0;
};
export const LDPSW: PairAcc = (cpu, t, t2, lo, hi) => {
  const a = cpu.ld32(lo, hi), b = cpu.ld32(nextLo(lo, 4), nextHi(lo, hi, 4));
  const w = wz(t), w2 = wz(t2);
  cpu.xlo[w2] = b; cpu.xhi[w2] = b >> 31; cpu.xlo[w] = a; cpu.xhi[w] = a >> 31;
};
export const STPX: PairAcc = (cpu, t, t2, lo, hi) => {
  const r = rz(t), r2 = rz(t2), x = cpu.xlo, xh = cpu.xhi;
  cpu.st64(lo, hi, x[r], xh[r]);
  cpu.st64(nextLo(lo, 8), nextHi(lo, hi, 8), x[r2], xh[r2]);
};
export const LDPX: PairAcc = (cpu, t, t2, lo, hi) => {
  const a = cpu.ld64(lo, hi), ah = cpu.ldHi;
  const b = cpu.ld64(nextLo(lo, 8), nextHi(lo, hi, 8)), bh = cpu.ldHi;
  const w = wz(t), w2 = wz(t2);
  cpu.xlo[w2] = b; cpu.xhi[w2] = bh; cpu.xlo[w] = a; cpu.xhi[w] = ah;
};
export const STPS: PairAcc = (cpu, t, t2, lo, hi) => {
  cpu.st32(lo, hi, cpu.vwords[t << 2]);
  cpu.st32(nextLo(lo, 4), nextHi(lo, hi, 4), cpu.vwords[t2 << 2]);
};
export const LDPS: PairAcc = (cpu, t, t2, lo, hi) => {
  const a = cpu.ld32(lo, hi), b = cpu.ld32(nextLo(lo, 4), nextHi(lo, hi, 4));
  const w = cpu.vwords, o = t << 2, o2 = t2 << 2;
  w[o] = a; w[o + 1] = 0; w[o + 2] = 0; w[o + 3] = 0;
  w[o2] = b; w[o2 + 1] = 0; w[o2 + 2] = 0; w[o2 + 3] = 0;
};
export const STPD: PairAcc = (cpu, t, t2, lo, hi) => {
  const w = cpu.vwords, o = t << 2, o2 = t2 << 2;
  cpu.st64(lo, hi, w[o], w[o + 1]);
  cpu.st64(nextLo(lo, 8), nextHi(lo, hi, 8), w[o2], w[o2 + 1]);
};
export const LDPD: PairAcc = (cpu, t, t2, lo, hi) => {
  const a = cpu.ld64(lo, hi), ah = cpu.ldHi;
  const b = cpu.ld64(nextLo(lo, 8), nextHi(lo, hi, 8)), bh = cpu.ldHi;
  const w = cpu.vwords, o = t << 2, o2 = t2 << 2;
  w[o] = a; w[o + 1] = ah; w[o + 2] = 0; w[o + 3] = 0;
  w[o2] = b; w[o2 + 1] = bh; w[o2 + 2] = 0; w[o2 + 3] = 0;
};
export const STPQ: PairAcc = (cpu, t, t2, lo, hi) => {
  STRQv(cpu, t, lo, hi);
  STRQv(cpu, t2, nextLo(lo, 16), nextHi(lo, hi, 16));
};
/** Loaded halves of a Q pair, kept here so nothing is allocated per execution. */
const QP = new Int32Array(8);
export const LDPQ: PairAcc = (cpu, t, t2, lo, hi) => {
  cpu.checkAlignment(lo, hi, 16, false); // each register is one 16-byte element (both share the base's alignment)
  for (let k = 0; k < 4; k++) {
    const s = (lo >>> 0) + 8 * k;
    QP[2 * k] = cpu.ld64(s | 0, s >= TWO32 ? (hi + 1) | 0 : hi);
    QP[2 * k + 1] = cpu.ldHi;
  }
  const w = cpu.vwords, o = t << 2, o2 = t2 << 2;
  w[o] = QP[0]; w[o + 1] = QP[1]; w[o + 2] = QP[2]; w[o + 3] = QP[3];
  w[o2] = QP[4]; w[o2 + 1] = QP[5]; w[o2 + 2] = QP[6]; w[o2 + 3] = QP[7];
};
