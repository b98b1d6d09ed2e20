// Data processing -- register (Arm ARM C4.1.68), part 2: 3-source (multiply-add), 2-source
// (divide, variable shifts, CRC32), 1-source (RBIT, REV*, CLZ, CLS).
// Not implemented, left UNDEFINED on purpose: PAC 1-source (PACIA..XPACD) and PACGA, MTE 2-source
// (IRG, GMI, SUBP, SUBPS), FEAT_CSSC (ABS, CNT, CTZ, SMAX...), FEAT_FlagM (RMIF, SETF8/16, CFINV).
import type { Cpu } from '../../../cpu/cpu';
import type { EncodingSpec } from '../../encoding';
import { rz, wz } from '../../../cpu/regs';
import { ins, reg } from '../../disasm-util';
import { shift64, OLO, OHI } from './reg';

const TWO32 = 4294967296;

// ---- 64x64 -> low 64 multiply, exact, without BigInt ---------------------------------------

let PLO = 0, PHI = 0;
/** (PLO, PHI) := low 64 bits of (alo:ahi) * (blo:bhi). */
function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  // Low word: Math.imul. High word: the high half of the unsigned 32x32 product, from 16-bit limbs
  // (every partial product < 2^32, so all of this is exact), plus the two cross products.
  const a0 = alo & 0xffff, a1 = alo >>> 16, b0 = blo & 0xffff, b1 = blo >>> 16;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  PLO = Math.imul(alo, blo);
  PHI = (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

/** Rd(slot) := A +/- product (64-bit). */
function madd64(cpu: Cpu, d: number, a: number, sub: boolean): void {
  const alo = cpu.xlo[a], ahi = cpu.xhi[a];
  let blo = PLO, bhi = PHI, cin = 0;
  if (sub) { blo = ~blo; bhi = ~bhi; cin = 1; }
  const lo = (alo >>> 0) + (blo >>> 0) + cin;
  cpu.xlo[d] = lo | 0;
  cpu.xhi[d] = (ahi + bhi + (lo >= TWO32 ? 1 : 0)) | 0;
}

const MASK64 = (1n << 64n) - 1n;
const big = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const sbig = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo >>> 0);
function setBig(cpu: Cpu, d: number, v: bigint): void {
  cpu.xlo[d] = Number(v & 0xffffffffn) | 0;
  cpu.xhi[d] = Number((v >> 32n) & 0xffffffffn) | 0;
}

// ---- Data-processing (3 source) --------------------------------------------------------------
// sf 00 11011 op31 Rm o0 Ra Rn Rd

function dp3Text(i: number): string {
  const sf = i < 0, op31 = (i >>> 21) & 7, o0 = (i >>> 15) & 1;
  const m = (i >>> 16) & 31, a = (i >>> 10) & 31, n = (i >>> 5) & 31, d = i & 31;
  if (op31 === 0) {
    if (a === 31) return ins(o0 ? 'mneg' : 'mul', reg(d, sf), reg(n, sf), reg(m, sf));
    return ins(o0 ? 'msub' : 'madd', reg(d, sf), reg(n, sf), reg(m, sf), reg(a, sf));
  }
  if (op31 === 2 || op31 === 6) return ins(op31 === 2 ? 'smulh' : 'umulh', reg(d, true), reg(n, true), reg(m, true));
  const u = op31 === 5 ? 'u' : 's';
  if (a === 31) return ins(u + (o0 ? 'mnegl' : 'mull'), reg(d, true), reg(n, false), reg(m, false));
  return ins(u + (o0 ? 'msubl' : 'maddl'), reg(d, true), reg(n, false), reg(m, false), reg(a, true));
}

const DP3: EncodingSpec[] = [
  {
    name: 'MADD_32A_dp_3src', cls: 'dp-reg', pattern: '00011011000mmmmm0aaaaannnnnddddd', disasm: dp3Text,
    exec: (cpu, i) => {
      const d = wz(i & 31);
      cpu.xlo[d] = cpu.xlo[rz((i >>> 10) & 31)] + Math.imul(cpu.xlo[rz((i >>> 5) & 31)], cpu.xlo[rz((i >>> 16) & 31)]); cpu.xhi[d] = 0;
    },
  },
  {
    name: 'MSUB_32A_dp_3src', cls: 'dp-reg', pattern: '00011011000mmmmm1aaaaannnnnddddd', disasm: dp3Text,
    exec: (cpu, i) => {
      const d = wz(i & 31);
      cpu.xlo[d] = cpu.xlo[rz((i >>> 10) & 31)] - Math.imul(cpu.xlo[rz((i >>> 5) & 31)], cpu.xlo[rz((i >>> 16) & 31)]); cpu.xhi[d] = 0;
    },
  },
  {
    name: 'MADD_64A_dp_3src', cls: 'dp-reg', pattern: '10011011000mmmmm0aaaaannnnnddddd', disasm: dp3Text,
    exec: (cpu, i) => {
      const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31);
      mul64(cpu.xlo[n], cpu.xhi[n], cpu.xlo[m], cpu.xhi[m]);
      madd64(cpu, wz(i & 31), rz((i >>> 10) & 31), false);
    },
  },
  {
    name: 'MSUB_64A_dp_3src', cls: 'dp-reg', pattern: '10011011000mmmmm1aaaaannnnnddddd', disasm: dp3Text,
    exec: (cpu, i) => {
      const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31);
      mul64(cpu.xlo[n], cpu.xhi[n], cpu.xlo[m], cpu.xhi[m]);
      madd64(cpu, wz(i & 31), rz((i >>> 10) & 31), true);
    },
  },
  {
    name: 'SMADDL_64WA_dp_3src', cls: 'dp-reg', pattern: '10011011001mmmmm0aaaaannnnnddddd', disasm: dp3Text,
    exec: (cpu, i) => {
      const a = cpu.xlo[rz((i >>> 5) & 31)], b = cpu.xlo[rz((i >>> 16) & 31)];
      mul64(a, a >> 31, b, b >> 31);
      madd64(cpu, wz(i & 31), rz((i >>> 10) & 31), false);
    },
  },
  {
    name: 'SMSUBL_64WA_dp_3src', cls: 'dp-reg', pattern: '10011011001mmmmm1aaaaannnnnddddd', disasm: dp3Text,
    exec: (cpu, i) => {
      const a = cpu.xlo[rz((i >>> 5) & 31)], b = cpu.xlo[rz((i >>> 16) & 31)];
      mul64(a, a >> 31, b, b >> 31);
      madd64(cpu, wz(i & 31), rz((i >>> 10) & 31), true);
    },
  },
  {
    name: 'UMADDL_64WA_dp_3src', cls: 'dp-reg', pattern: '10011011101mmmmm0aaaaannnnnddddd', disasm: dp3Text,
    exec: (cpu, i) => {
      mul64(cpu.xlo[rz((i >>> 5) & 31)], 0, cpu.xlo[rz((i >>> 16) & 31)], 0);
      madd64(cpu, wz(i & 31), rz((i >>> 10) & 31), false);
    },
  },
  {
    name: 'UMSUBL_64WA_dp_3src', cls: 'dp-reg', pattern: '10011011101mmmmm1aaaaannnnnddddd', disasm: dp3Text,
    exec: (cpu, i) => {
      mul64(cpu.xlo[rz((i >>> 5) & 31)], 0, cpu.xlo[rz((i >>> 16) & 31)], 0);
      madd64(cpu, wz(i & 31), rz((i >>> 10) & 31), true);
    },
  },
  {
    // Ra is "should be 11111"; other values are CONSTRAINED UNPREDICTABLE (not fuzzed; executed as if 31).
    name: 'SMULH_64_dp_3src', cls: 'dp-reg', pattern: '10011011010mmmmm0aaaaannnnnddddd', disasm: dp3Text,
    fuzzOk: (i) => ((i >>> 10) & 31) === 31,
    exec: (cpu, i) => {
      const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31);
      setBig(cpu, wz(i & 31), (sbig(cpu.xlo[n], cpu.xhi[n]) * sbig(cpu.xlo[m], cpu.xhi[m])) >> 64n);
    },
  },
  {
    name: 'UMULH_64_dp_3src', cls: 'dp-reg', pattern: '10011011110mmmmm0aaaaannnnnddddd', disasm: dp3Text,
    fuzzOk: (i) => ((i >>> 10) & 31) === 31,
    exec: (cpu, i) => {
      const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31);
      setBig(cpu, wz(i & 31), ((big(cpu.xlo[n], cpu.xhi[n]) * big(cpu.xlo[m], cpu.xhi[m])) >> 64n) & MASK64);
    },
  },
];

// ---- Data-processing (2 source) --------------------------------------------------------------
// sf 0 0 11010110 Rm opcode Rn Rd

const DP2_NAMES: Record<number, string> = { 2: 'udiv', 3: 'sdiv', 8: 'lsl', 9: 'lsr', 10: 'asr', 11: 'ror' };
function dp2Text(i: number): string {
  const sf = i < 0, op = (i >>> 10) & 63, m = (i >>> 16) & 31, n = (i >>> 5) & 31, d = i & 31;
  if (op >= 16) { // CRC32{C}{B,H,W,X}
    const sz = op & 3;
    return ins(`crc32${op & 4 ? 'c' : ''}${'bhwx'[sz]}`, reg(d, false), reg(n, false), reg(m, sz === 3));
  }
  return ins(DP2_NAMES[op], reg(d, sf), reg(n, sf), reg(m, sf));
}

function udiv64(cpu: Cpu, i: number): void {
  const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31), d = wz(i & 31);
  const nlo = cpu.xlo[n], nhi = cpu.xhi[n], mlo = cpu.xlo[m], mhi = cpu.xhi[m];
  if ((mlo | mhi) === 0) { cpu.xlo[d] = 0; cpu.xhi[d] = 0; return; }
  if ((nhi | mhi) === 0) { cpu.xlo[d] = Math.floor((nlo >>> 0) / (mlo >>> 0)) | 0; cpu.xhi[d] = 0; return; }
  setBig(cpu, d, big(nlo, nhi) / big(mlo, mhi));
}
function sdiv64(cpu: Cpu, i: number): void {
  const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31), d = wz(i & 31);
  const nlo = cpu.xlo[n], nhi = cpu.xhi[n], mlo = cpu.xlo[m], mhi = cpu.xhi[m];
  if ((mlo | mhi) === 0) { cpu.xlo[d] = 0; cpu.xhi[d] = 0; return; }
  if (nhi === nlo >> 31 && mhi === mlo >> 31) { // both fit in int32: exact in doubles
    const q = Math.trunc(nlo / mlo);           // -2^31 / -1 = 2^31 is fine here
    cpu.xlo[d] = q | 0; cpu.xhi[d] = q < 0 ? -1 : 0; return;
  }
  setBig(cpu, d, sbig(nlo, nhi) / sbig(mlo, mhi)); // BigInt division truncates toward zero
}

// CRC32 (polynomial 0x04C11DB7) and CRC32C (0x1EDC6F41), bit-reflected, byte at a time.
function crcTable(poly: number): Int32Array {
  const t = new Int32Array(256);
  for (let k = 0; k < 256; k++) {
    let c = k;
    for (let j = 0; j < 8; j++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[k] = c;
  }
  return t;
}
const CRC32_TABLE = crcTable(0xedb88320);
const CRC32C_TABLE = crcTable(0x82f63b78);

function crcBytes(t: Int32Array, acc: number, v: number, nbytes: number): number {
  for (let k = 0; k < nbytes; k++) { acc = t[(acc ^ v) & 0xff] ^ (acc >>> 8); v >>>= 8; }
  return acc;
}
function crcExec(t: Int32Array, nbytes: number) {
  return (cpu: Cpu, i: number): void => {
    const m = rz((i >>> 16) & 31), d = wz(i & 31);
    let acc = crcBytes(t, cpu.xlo[rz((i >>> 5) & 31)], cpu.xlo[m], nbytes > 4 ? 4 : nbytes);
    if (nbytes === 8) acc = crcBytes(t, acc, cpu.xhi[m], 4);
    cpu.xlo[d] = acc; cpu.xhi[d] = 0;
  };
}

const DP2: EncodingSpec[] = [
  {
    name: 'UDIV_32_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm000010nnnnnddddd', disasm: dp2Text,
    exec: (cpu, i) => {
      const m = cpu.xlo[rz((i >>> 16) & 31)] >>> 0, d = wz(i & 31);
      cpu.xlo[d] = m === 0 ? 0 : Math.floor((cpu.xlo[rz((i >>> 5) & 31)] >>> 0) / m) | 0; cpu.xhi[d] = 0;
    },
  },
  {
    name: 'SDIV_32_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm000011nnnnnddddd', disasm: dp2Text,
    exec: (cpu, i) => {
      const m = cpu.xlo[rz((i >>> 16) & 31)], d = wz(i & 31);
      cpu.xlo[d] = m === 0 ? 0 : Math.trunc(cpu.xlo[rz((i >>> 5) & 31)] / m) | 0; cpu.xhi[d] = 0;
    },
  },
  {
    name: 'LSLV_32_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm001000nnnnnddddd', disasm: dp2Text,
    exec: (cpu, i) => { const d = wz(i & 31); cpu.xlo[d] = cpu.xlo[rz((i >>> 5) & 31)] << cpu.xlo[rz((i >>> 16) & 31)]; cpu.xhi[d] = 0; },
  },
  {
    name: 'LSRV_32_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm001001nnnnnddddd', disasm: dp2Text,
    exec: (cpu, i) => { const d = wz(i & 31); cpu.xlo[d] = cpu.xlo[rz((i >>> 5) & 31)] >>> cpu.xlo[rz((i >>> 16) & 31)]; cpu.xhi[d] = 0; },
  },
  {
    name: 'ASRV_32_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm001010nnnnnddddd', disasm: dp2Text,
    exec: (cpu, i) => { const d = wz(i & 31); cpu.xlo[d] = cpu.xlo[rz((i >>> 5) & 31)] >> cpu.xlo[rz((i >>> 16) & 31)]; cpu.xhi[d] = 0; },
  },
  {
    name: 'RORV_32_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm001011nnnnnddddd', disasm: dp2Text,
    exec: (cpu, i) => {
      const d = wz(i & 31), v = cpu.xlo[rz((i >>> 5) & 31)], s = cpu.xlo[rz((i >>> 16) & 31)];
      cpu.xlo[d] = (v >>> s) | (v << (32 - (s & 31))); cpu.xhi[d] = 0; // s & 31 == 0: v | v
    },
  },
  { name: 'UDIV_64_dp_2src', cls: 'dp-reg', pattern: '10011010110mmmmm000010nnnnnddddd', disasm: dp2Text, exec: udiv64 },
  { name: 'SDIV_64_dp_2src', cls: 'dp-reg', pattern: '10011010110mmmmm000011nnnnnddddd', disasm: dp2Text, exec: sdiv64 },
  ...(['LSLV', 'LSRV', 'ASRV', 'RORV'] as const).map((nm, type): EncodingSpec => ({
    name: `${nm}_64_dp_2src`, cls: 'dp-reg', pattern: `10011010110mmmmm0010${(type >> 1) & 1}${type & 1}nnnnnddddd`, disasm: dp2Text,
    exec: (cpu, i) => {
      const n = rz((i >>> 5) & 31), d = wz(i & 31);
      shift64(cpu.xlo[n], cpu.xhi[n], type, cpu.xlo[rz((i >>> 16) & 31)] & 63);
      cpu.xlo[d] = OLO; cpu.xhi[d] = OHI;
    },
  })),
  { name: 'CRC32B_32C_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm010000nnnnnddddd', disasm: dp2Text, exec: crcExec(CRC32_TABLE, 1) },
  { name: 'CRC32H_32C_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm010001nnnnnddddd', disasm: dp2Text, exec: crcExec(CRC32_TABLE, 2) },
  { name: 'CRC32W_32C_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm010010nnnnnddddd', disasm: dp2Text, exec: crcExec(CRC32_TABLE, 4) },
  { name: 'CRC32X_64C_dp_2src', cls: 'dp-reg', pattern: '10011010110mmmmm010011nnnnnddddd', disasm: dp2Text, exec: crcExec(CRC32_TABLE, 8) },
  { name: 'CRC32CB_32C_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm010100nnnnnddddd', disasm: dp2Text, exec: crcExec(CRC32C_TABLE, 1) },
  { name: 'CRC32CH_32C_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm010101nnnnnddddd', disasm: dp2Text, exec: crcExec(CRC32C_TABLE, 2) },
  { name: 'CRC32CW_32C_dp_2src', cls: 'dp-reg', pattern: '00011010110mmmmm010110nnnnnddddd', disasm: dp2Text, exec: crcExec(CRC32C_TABLE, 4) },
  { name: 'CRC32CX_64C_dp_2src', cls: 'dp-reg', pattern: '10011010110mmmmm010111nnnnnddddd', disasm: dp2Text, exec: crcExec(CRC32C_TABLE, 8) },
];

// ---- Data-processing (1 source) --------------------------------------------------------------
// sf 1 0 11010110 00000 opcode Rn Rd

function rbit32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return (x >>> 16) | (x << 16);
}
const rev32 = (x: number): number => (x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24);
const rev16 = (x: number): number => ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
const cls32 = (x: number): number => Math.clz32(x ^ (x >> 31)) - 1;

const DP1_NAMES = ['rbit', 'rev16', 'rev', 'rev', 'clz', 'cls'];
function dp1Text(i: number): string {
  const sf = i < 0, op = (i >>> 10) & 63;
  return ins(sf && op === 2 ? 'rev32' : DP1_NAMES[op], reg(i & 31, sf), reg((i >>> 5) & 31, sf));
}

type U = (x: number) => number;
function dp1_32(name: string, op: number, f: U): EncodingSpec {
  return {
    name, cls: 'dp-reg', pattern: `0101101011000000${op.toString(2).padStart(6, '0')}nnnnnddddd`, disasm: dp1Text,
    exec: (cpu, i) => { const d = wz(i & 31); cpu.xlo[d] = f(cpu.xlo[rz((i >>> 5) & 31)]); cpu.xhi[d] = 0; },
  };
}
/** 64-bit form where each half is transformed independently (swap = exchange the halves). */
function dp1_64(name: string, op: number, f: U, swap: boolean): EncodingSpec {
  return {
    name, cls: 'dp-reg', pattern: `1101101011000000${op.toString(2).padStart(6, '0')}nnnnnddddd`, disasm: dp1Text,
    exec: swap
      ? (cpu, i) => { const n = rz((i >>> 5) & 31), d = wz(i & 31), lo = cpu.xlo[n], hi = cpu.xhi[n]; cpu.xlo[d] = f(hi); cpu.xhi[d] = f(lo); }
      : (cpu, i) => { const n = rz((i >>> 5) & 31), d = wz(i & 31), lo = cpu.xlo[n], hi = cpu.xhi[n]; cpu.xlo[d] = f(lo); cpu.xhi[d] = f(hi); },
  };
}

const DP1: EncodingSpec[] = [
  dp1_32('RBIT_32_dp_1src', 0, rbit32),
  dp1_32('REV16_32_dp_1src', 1, rev16),
  dp1_32('REV_32_dp_1src', 2, rev32),
  dp1_32('CLZ_32_dp_1src', 4, Math.clz32),
  dp1_32('CLS_32_dp_1src', 5, cls32),
  dp1_64('RBIT_64_dp_1src', 0, rbit32, true),
  dp1_64('REV16_64_dp_1src', 1, rev16, false),
  dp1_64('REV32_64_dp_1src', 2, rev32, false),
  dp1_64('REV_64_dp_1src', 3, rev32, true),
  {
    name: 'CLZ_64_dp_1src', cls: 'dp-reg', pattern: '1101101011000000000100nnnnnddddd', disasm: dp1Text,
    exec: (cpu, i) => {
      const n = rz((i >>> 5) & 31), d = wz(i & 31), hi = cpu.xhi[n];
      cpu.xlo[d] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(cpu.xlo[n]); cpu.xhi[d] = 0;
    },
  },
  {
    name: 'CLS_64_dp_1src', cls: 'dp-reg', pattern: '1101101011000000000101nnnnnddddd', disasm: dp1Text,
    exec: (cpu, i) => {
      const n = rz((i >>> 5) & 31), d = wz(i & 31), s = cpu.xhi[n] >> 31;
      const hi = cpu.xhi[n] ^ s, lo = cpu.xlo[n] ^ s;
      cpu.xlo[d] = (hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo)) - 1; cpu.xhi[d] = 0;
    },
  },
];

export const DP_MULDIV: EncodingSpec[] = [...DP3, ...DP2, ...DP1];
