// Data processing -- immediate (Arm ARM C4.1.66): PC-relative addressing, add/subtract
// (immediate), logical (immediate), move wide, bitfield, extract.
import type { Cpu } from '../../../cpu/cpu';
import type { EncodingSpec } from '../../encoding';
import { rz, wz } from '../../../cpu/regs';
import { ins, reg, target } from '../../disasm-util';
import {
  adds32, adds64, BITMASK_OK, hexU, nzLogic32, nzLogic64, TMASK_HI, TMASK_LO, u64, undefText,
  WMASK_HI, WMASK_LO,
} from './common';

const TWO32 = 4294967296;

// ---- PC-relative addressing ------------------------------------------------------------------

const adrImm = (i: number): number => ((i << 8) >> 11 & ~3) | ((i >>> 29) & 3); // sext(immhi:immlo)

function setPcRel(cpu: Cpu, d: number, baseLo: number, off: number): void {
  const s = (baseLo >>> 0) + off; // |off| < 2^33: exact in a double
  const carry = Math.floor(s / TWO32);
  cpu.xlo[d] = s | 0;
  cpu.xhi[d] = (cpu.pcHi + carry) | 0;
}

const PCREL: EncodingSpec[] = [
  {
    name: 'ADR_only_pcreladdr', cls: 'dp-imm', pattern: '0ii10000iiiiiiiiiiiiiiiiiiiddddd',
    exec: (cpu, i) => setPcRel(cpu, wz(i & 31), cpu.pcLo, adrImm(i)),
    disasm: (i, lo, hi) => ins('adr', reg(i & 31, true), target(lo, hi, adrImm(i))),
  },
  {
    name: 'ADRP_only_pcreladdr', cls: 'dp-imm', pattern: '1ii10000iiiiiiiiiiiiiiiiiiiddddd',
    exec: (cpu, i) => setPcRel(cpu, wz(i & 31), cpu.pcLo & ~0xfff, adrImm(i) * 4096),
    disasm: (i, lo, hi) => ins('adrp', reg(i & 31, true), target(lo & ~0xfff, hi, adrImm(i) * 4096)),
  },
];

// ---- Add/subtract (immediate) ----------------------------------------------------------------
// sf op S 100010 sh imm12 Rn Rd. Rn is SP-context; Rd is SP-context unless S=1.

const aimm = (i: number): number => ((i >>> 10) & 0xfff) << (((i >>> 22) & 1) * 12); // sh ? imm<<12 : imm

function addSubImmText(i: number): string {
  const sf = i < 0, op = (i >>> 30) & 1, s = (i >>> 29) & 1, sh = (i >>> 22) & 1;
  const imm = (i >>> 10) & 0xfff, n = (i >>> 5) & 31, d = i & 31;
  const immText = [hexU(imm), ...(sh ? ['lsl #12'] : [])];
  if (op === 0 && s === 0 && sh === 0 && imm === 0 && (d === 31 || n === 31)) return ins('mov', reg(d, sf, true), reg(n, sf, true));
  if (s === 1 && d === 31) return ins(op ? 'cmp' : 'cmn', reg(n, sf, true), ...immText);
  return ins((op ? 'sub' : 'add') + (s ? 's' : ''), reg(d, sf, s === 0), reg(n, sf, true), ...immText);
}

const ADDSUB_IMM: EncodingSpec[] = [
  {
    name: 'ADD_32_addsub_imm', cls: 'dp-imm', pattern: '000100010siiiiiiiiiiiinnnnnddddd',
    exec: (cpu, i) => { const d = i & 31; cpu.xlo[d] = cpu.xlo[(i >>> 5) & 31] + aimm(i); cpu.xhi[d] = 0; },
    disasm: addSubImmText,
  },
  {
    name: 'ADDS_32S_addsub_imm', cls: 'dp-imm', pattern: '001100010siiiiiiiiiiiinnnnnddddd',
    exec: (cpu, i) => adds32(cpu, wz(i & 31), cpu.xlo[(i >>> 5) & 31], aimm(i), 0),
    disasm: addSubImmText,
  },
  {
    name: 'SUB_32_addsub_imm', cls: 'dp-imm', pattern: '010100010siiiiiiiiiiiinnnnnddddd',
    exec: (cpu, i) => { const d = i & 31; cpu.xlo[d] = cpu.xlo[(i >>> 5) & 31] - aimm(i); cpu.xhi[d] = 0; },
    disasm: addSubImmText,
  },
  {
    name: 'SUBS_32S_addsub_imm', cls: 'dp-imm', pattern: '011100010siiiiiiiiiiiinnnnnddddd',
    exec: (cpu, i) => adds32(cpu, wz(i & 31), cpu.xlo[(i >>> 5) & 31], ~aimm(i), 1),
    disasm: addSubImmText,
  },
  {
    name: 'ADD_64_addsub_imm', cls: 'dp-imm', pattern: '100100010siiiiiiiiiiiinnnnnddddd',
    exec: (cpu, i) => {
      const n = (i >>> 5) & 31, d = i & 31;
      const lo = (cpu.xlo[n] >>> 0) + aimm(i);
      cpu.xhi[d] = lo >= TWO32 ? (cpu.xhi[n] + 1) | 0 : cpu.xhi[n];
      cpu.xlo[d] = lo | 0;
    },
    disasm: addSubImmText,
  },
  {
    name: 'ADDS_64S_addsub_imm', cls: 'dp-imm', pattern: '101100010siiiiiiiiiiiinnnnnddddd',
    exec: (cpu, i) => { const n = (i >>> 5) & 31; adds64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], aimm(i), 0, 0); },
    disasm: addSubImmText,
  },
  {
    name: 'SUB_64_addsub_imm', cls: 'dp-imm', pattern: '110100010siiiiiiiiiiiinnnnnddddd',
    exec: (cpu, i) => {
      const n = (i >>> 5) & 31, d = i & 31;
      const lo = (cpu.xlo[n] >>> 0) - aimm(i);
      cpu.xhi[d] = lo < 0 ? (cpu.xhi[n] - 1) | 0 : cpu.xhi[n];
      cpu.xlo[d] = lo | 0;
    },
    disasm: addSubImmText,
  },
  {
    name: 'SUBS_64S_addsub_imm', cls: 'dp-imm', pattern: '111100010siiiiiiiiiiiinnnnnddddd',
    exec: (cpu, i) => { const n = (i >>> 5) & 31; adds64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], ~aimm(i), -1, 1); },
    disasm: addSubImmText,
  },
];

// ---- Logical (immediate) ---------------------------------------------------------------------
// sf opc 100100 N immr imms Rn Rd. Rd is SP-context except for ANDS.

/** True if `v` (a `width`-bit value) is a MOVZ or MOVN immediate (binutils' aarch64_wide_constant_p). */
function wideConstant(v: bigint, width: number): boolean {
  const mask = (1n << BigInt(width)) - 1n;
  const isZ = (x: bigint): boolean => {
    for (let s = 0; s < width; s += 16) if ((x & ~(0xffffn << BigInt(s)) & mask) === 0n) return true;
    return false;
  };
  return isZ(v & mask) || isZ(~v & mask);
}

function logImmValue(i: number): bigint {
  const idx = (i >>> 10) & 0x1fff;
  return i < 0 ? u64(WMASK_LO[idx], WMASK_HI[idx]) : BigInt(WMASK_LO[idx] >>> 0);
}

function logImmText(i: number): string {
  const sf = i < 0, opc = (i >>> 29) & 3, n = (i >>> 5) & 31, d = i & 31;
  const idx = (i >>> 10) & 0x1fff;
  if (!BITMASK_OK[idx] || (!sf && (idx & 0x1000))) return undefText(i);
  const v = logImmValue(i);
  if (opc === 1 && n === 31 && (d === 31 || !wideConstant(v, sf ? 64 : 32))) {
    const signed = sf ? BigInt.asIntN(64, v) : BigInt.asIntN(32, v);
    return `${ins('mov', reg(d, sf, true), hexU(v))}\t// #${signed}`;
  }
  if (opc === 3 && d === 31) return ins('tst', reg(n, sf), hexU(v));
  return ins(['and', 'orr', 'eor', 'ands'][opc], reg(d, sf, opc !== 3), reg(n, sf), hexU(v));
}

function logImm32Check(cpu: Cpu, i: number): number {
  const idx = (i >>> 10) & 0x1fff;
  if (!BITMASK_OK[idx] || idx >= 0x1000) cpu.undefinedInstruction(i, 'logical immediate: reserved bitmask (N=1 in 32-bit or invalid DecodeBitMasks)');
  return WMASK_LO[idx];
}
function logImm64Check(cpu: Cpu, i: number): number {
  const idx = (i >>> 10) & 0x1fff;
  if (!BITMASK_OK[idx]) cpu.undefinedInstruction(i, 'logical immediate: invalid DecodeBitMasks');
  return idx;
}

const logImmFuzzOk = (i: number): boolean => {
  const idx = (i >>> 10) & 0x1fff;
  return BITMASK_OK[idx] === 1 && (i < 0 || idx < 0x1000);
};

const LOGICAL_IMM: EncodingSpec[] = [
  {
    name: 'AND_32_log_imm', cls: 'dp-imm', pattern: '000100100Nrrrrrrssssssnnnnnddddd', fuzzOk: logImmFuzzOk,
    exec: (cpu, i) => { const m = logImm32Check(cpu, i); const d = i & 31; cpu.xlo[d] = cpu.xlo[rz((i >>> 5) & 31)] & m; cpu.xhi[d] = 0; },
    disasm: logImmText,
  },
  {
    name: 'ORR_32_log_imm', cls: 'dp-imm', pattern: '001100100Nrrrrrrssssssnnnnnddddd', fuzzOk: logImmFuzzOk,
    exec: (cpu, i) => { const m = logImm32Check(cpu, i); const d = i & 31; cpu.xlo[d] = cpu.xlo[rz((i >>> 5) & 31)] | m; cpu.xhi[d] = 0; },
    disasm: logImmText,
  },
  {
    name: 'EOR_32_log_imm', cls: 'dp-imm', pattern: '010100100Nrrrrrrssssssnnnnnddddd', fuzzOk: logImmFuzzOk,
    exec: (cpu, i) => { const m = logImm32Check(cpu, i); const d = i & 31; cpu.xlo[d] = cpu.xlo[rz((i >>> 5) & 31)] ^ m; cpu.xhi[d] = 0; },
    disasm: logImmText,
  },
  {
    name: 'ANDS_32S_log_imm', cls: 'dp-imm', pattern: '011100100Nrrrrrrssssssnnnnnddddd', fuzzOk: logImmFuzzOk,
    exec: (cpu, i) => {
      const m = logImm32Check(cpu, i); const d = wz(i & 31);
      const r = cpu.xlo[rz((i >>> 5) & 31)] & m;
      nzLogic32(cpu, r); cpu.xlo[d] = r; cpu.xhi[d] = 0;
    },
    disasm: logImmText,
  },
  {
    name: 'AND_64_log_imm', cls: 'dp-imm', pattern: '100100100Nrrrrrrssssssnnnnnddddd', fuzzOk: logImmFuzzOk,
    exec: (cpu, i) => {
      const k = logImm64Check(cpu, i); const n = rz((i >>> 5) & 31), d = i & 31;
      cpu.xlo[d] = cpu.xlo[n] & WMASK_LO[k]; cpu.xhi[d] = cpu.xhi[n] & WMASK_HI[k];
    },
    disasm: logImmText,
  },
  {
    name: 'ORR_64_log_imm', cls: 'dp-imm', pattern: '101100100Nrrrrrrssssssnnnnnddddd', fuzzOk: logImmFuzzOk,
    exec: (cpu, i) => {
      const k = logImm64Check(cpu, i); const n = rz((i >>> 5) & 31), d = i & 31;
      cpu.xlo[d] = cpu.xlo[n] | WMASK_LO[k]; cpu.xhi[d] = cpu.xhi[n] | WMASK_HI[k];
    },
    disasm: logImmText,
  },
  {
    name: 'EOR_64_log_imm', cls: 'dp-imm', pattern: '110100100Nrrrrrrssssssnnnnnddddd', fuzzOk: logImmFuzzOk,
    exec: (cpu, i) => {
      const k = logImm64Check(cpu, i); const n = rz((i >>> 5) & 31), d = i & 31;
      cpu.xlo[d] = cpu.xlo[n] ^ WMASK_LO[k]; cpu.xhi[d] = cpu.xhi[n] ^ WMASK_HI[k];
    },
    disasm: logImmText,
  },
  {
    name: 'ANDS_64S_log_imm', cls: 'dp-imm', pattern: '111100100Nrrrrrrssssssnnnnnddddd', fuzzOk: logImmFuzzOk,
    exec: (cpu, i) => {
      const k = logImm64Check(cpu, i); const n = rz((i >>> 5) & 31), d = wz(i & 31);
      const lo = cpu.xlo[n] & WMASK_LO[k], hi = cpu.xhi[n] & WMASK_HI[k];
      nzLogic64(cpu, lo, hi); cpu.xlo[d] = lo; cpu.xhi[d] = hi;
    },
    disasm: logImmText,
  },
];

// ---- Move wide (immediate) -------------------------------------------------------------------
// sf opc 100101 hw imm16 Rd. opc=01 is unallocated; sf=0 with hw>=2 is UNDEFINED.

function moveWideText(i: number): string {
  const sf = i < 0, opc = (i >>> 29) & 3, hw = (i >>> 21) & 3, imm = (i >>> 5) & 0xffff, d = i & 31;
  if (!sf && hw >= 2) return undefText(i);
  const shift = hw * 16;
  const lsl = hw ? [`lsl #${shift}`] : [];
  if (opc === 3) return ins('movk', reg(d, sf), hexU(imm), ...lsl);
  let alias = !(imm === 0 && hw !== 0);
  if (opc === 0 && !sf && imm === 0xffff) alias = false;
  if (!alias) return ins(opc === 0 ? 'movn' : 'movz', reg(d, sf), hexU(imm), ...lsl);
  let v = BigInt(imm) << BigInt(shift);
  if (opc === 0) v = ~v;
  v = BigInt.asUintN(sf ? 64 : 32, v);
  const signed = BigInt.asIntN(sf ? 64 : 32, v);
  return `${ins('mov', reg(d, sf), hexU(v))}\t// #${signed}`;
}

const mwFuzzOk = (i: number): boolean => i < 0 || ((i >>> 22) & 1) === 0;

function mw32Check(cpu: Cpu, i: number): void {
  if (i & (1 << 22)) cpu.undefinedInstruction(i, 'move wide: hw >= 2 in 32-bit form');
}

const MOVE_WIDE: EncodingSpec[] = [
  {
    name: 'MOVN_32_movewide', cls: 'dp-imm', pattern: '000100101hhiiiiiiiiiiiiiiiiddddd', fuzzOk: mwFuzzOk,
    exec: (cpu, i) => { mw32Check(cpu, i); const d = wz(i & 31); cpu.xlo[d] = ~(((i >>> 5) & 0xffff) << ((i >>> 17) & 16)); cpu.xhi[d] = 0; },
    disasm: moveWideText,
  },
  {
    name: 'MOVZ_32_movewide', cls: 'dp-imm', pattern: '010100101hhiiiiiiiiiiiiiiiiddddd', fuzzOk: mwFuzzOk,
    exec: (cpu, i) => { mw32Check(cpu, i); const d = wz(i & 31); cpu.xlo[d] = ((i >>> 5) & 0xffff) << ((i >>> 17) & 16); cpu.xhi[d] = 0; },
    disasm: moveWideText,
  },
  {
    name: 'MOVK_32_movewide', cls: 'dp-imm', pattern: '011100101hhiiiiiiiiiiiiiiiiddddd', fuzzOk: mwFuzzOk,
    exec: (cpu, i) => {
      mw32Check(cpu, i); const d = wz(i & 31), r = rz(i & 31), sh = (i >>> 17) & 16;
      cpu.xlo[d] = (cpu.xlo[r] & ~(0xffff << sh)) | (((i >>> 5) & 0xffff) << sh); cpu.xhi[d] = 0;
    },
    disasm: moveWideText,
  },
  {
    name: 'MOVN_64_movewide', cls: 'dp-imm', pattern: '100100101hhiiiiiiiiiiiiiiiiddddd',
    exec: (cpu, i) => {
      const d = wz(i & 31), v = ((i >>> 5) & 0xffff) << ((i >>> 17) & 16);
      if (i & (1 << 22)) { cpu.xlo[d] = -1; cpu.xhi[d] = ~v; } else { cpu.xlo[d] = ~v; cpu.xhi[d] = -1; }
    },
    disasm: moveWideText,
  },
  {
    name: 'MOVZ_64_movewide', cls: 'dp-imm', pattern: '110100101hhiiiiiiiiiiiiiiiiddddd',
    exec: (cpu, i) => {
      const d = wz(i & 31), v = ((i >>> 5) & 0xffff) << ((i >>> 17) & 16);
      if (i & (1 << 22)) { cpu.xlo[d] = 0; cpu.xhi[d] = v; } else { cpu.xlo[d] = v; cpu.xhi[d] = 0; }
    },
    disasm: moveWideText,
  },
  {
    name: 'MOVK_64_movewide', cls: 'dp-imm', pattern: '111100101hhiiiiiiiiiiiiiiiiddddd',
    exec: (cpu, i) => {
      const d = wz(i & 31), r = rz(i & 31), sh = (i >>> 17) & 16, v = ((i >>> 5) & 0xffff) << sh, m = ~(0xffff << sh);
      if (i & (1 << 22)) { cpu.xlo[d] = cpu.xlo[r]; cpu.xhi[d] = (cpu.xhi[r] & m) | v; } else { cpu.xhi[d] = cpu.xhi[r]; cpu.xlo[d] = (cpu.xlo[r] & m) | v; }
    },
    disasm: moveWideText,
  },
];

// ---- Bitfield --------------------------------------------------------------------------------
// sf opc 100110 N immr imms Rn Rd; N must equal sf; 32-bit: immr<5> = imms<5> = 0.

/** BFXPreferred (Arm ARM J1). */
function bfxPreferred(sf: boolean, uns: boolean, imms: number, immr: number): boolean {
  if (imms < immr) return false;
  if (imms === (sf ? 63 : 31)) return false;
  if (immr === 0) {
    if (!sf && (imms === 7 || imms === 15)) return false;
    if (sf && !uns && (imms === 7 || imms === 15 || imms === 31)) return false;
  }
  return true;
}

function bitfieldText(i: number): string {
  const sf = i < 0, opc = (i >>> 29) & 3, nb = (i >>> 22) & 1;
  const immr = (i >>> 16) & 63, imms = (i >>> 10) & 63, n = (i >>> 5) & 31, d = i & 31;
  if (nb !== (sf ? 1 : 0) || (!sf && (immr >= 32 || imms >= 32))) return undefText(i);
  const size = sf ? 64 : 32;
  const rd = reg(d, sf), rn = reg(n, sf);
  const lsbW = [`#${(size - immr) & (size - 1)}`, `#${imms + 1}`];
  const xW = [`#${immr}`, `#${imms - immr + 1}`];
  if (opc === 0) { // SBFM
    if (imms === size - 1) return ins('asr', rd, rn, `#${immr}`);
    if (imms < immr) return ins('sbfiz', rd, rn, ...lsbW);
    if (bfxPreferred(sf, false, imms, immr)) return ins('sbfx', rd, rn, ...xW);
    if (immr === 0 && imms === 7) return ins('sxtb', rd, reg(n, false));
    if (immr === 0 && imms === 15) return ins('sxth', rd, reg(n, false));
    if (immr === 0 && imms === 31) return ins('sxtw', rd, reg(n, false));
    return ins('sbfm', rd, rn, `#${immr}`, `#${imms}`);
  }
  if (opc === 1) { // BFM
    if (imms < immr) return n === 31 ? ins('bfc', rd, ...lsbW) : ins('bfi', rd, rn, ...lsbW);
    return ins('bfxil', rd, rn, ...xW);
  }
  if (opc === 2) { // UBFM
    if (imms !== size - 1 && imms + 1 === immr) return ins('lsl', rd, rn, `#${size - 1 - imms}`);
    if (imms === size - 1) return ins('lsr', rd, rn, `#${immr}`);
    if (imms < immr) return ins('ubfiz', rd, rn, ...lsbW);
    if (bfxPreferred(sf, true, imms, immr)) return ins('ubfx', rd, rn, ...xW);
    if (immr === 0 && imms === 7) return ins('uxtb', rd, reg(n, false));
    if (immr === 0 && imms === 15) return ins('uxth', rd, reg(n, false));
    return ins('ubfm', rd, rn, `#${immr}`, `#${imms}`);
  }
  return undefText(i);
}

const bf32FuzzOk = (i: number): boolean => (i & 0x00608000) === 0; // N, immr<5>, imms<5>
const bf64FuzzOk = (i: number): boolean => (i & 0x00400000) !== 0;
function bf32Check(cpu: Cpu, i: number): void {
  if (i & 0x00608000) cpu.undefinedInstruction(i, 'bitfield: N, immr<5> or imms<5> set in 32-bit form');
}
function bf64Check(cpu: Cpu, i: number): void {
  if ((i & 0x00400000) === 0) cpu.undefinedInstruction(i, 'bitfield: N=0 in 64-bit form');
}

// Bitfield semantics (Arm ARM C6.2 SBFM/BFM/UBFM): bot = ROR(src, R) AND wmask; then merge with
// tmask. The 32-bit forms use the low halves of the 64-bit masks (esize <= 32 when N=0).
const ror32 = (x: number, r: number): number => (x >>> r) | (x << (32 - r));

const BITFIELD: EncodingSpec[] = [
  {
    name: 'SBFM_32M_bitfield', cls: 'dp-imm', pattern: '000100110Nrrrrrrssssssnnnnnddddd', fuzzOk: bf32FuzzOk,
    exec: (cpu, i) => {
      bf32Check(cpu, i);
      const k = (i >>> 10) & 0x1fff, src = cpu.xlo[rz((i >>> 5) & 31)], d = wz(i & 31);
      const bot = ror32(src, (i >>> 16) & 31) & WMASK_LO[k];
      const top = (src << (31 - ((i >>> 10) & 31))) >> 31;
      cpu.xlo[d] = (top & ~TMASK_LO[k]) | (bot & TMASK_LO[k]); cpu.xhi[d] = 0;
    },
    disasm: bitfieldText,
  },
  {
    name: 'BFM_32M_bitfield', cls: 'dp-imm', pattern: '001100110Nrrrrrrssssssnnnnnddddd', fuzzOk: bf32FuzzOk,
    exec: (cpu, i) => {
      bf32Check(cpu, i);
      const k = (i >>> 10) & 0x1fff, src = cpu.xlo[rz((i >>> 5) & 31)], d = wz(i & 31), dst = cpu.xlo[rz(i & 31)];
      const w = WMASK_LO[k], t = TMASK_LO[k];
      const bot = (dst & ~w) | (ror32(src, (i >>> 16) & 31) & w);
      cpu.xlo[d] = (dst & ~t) | (bot & t); cpu.xhi[d] = 0;
    },
    disasm: bitfieldText,
  },
  {
    name: 'UBFM_32M_bitfield', cls: 'dp-imm', pattern: '010100110Nrrrrrrssssssnnnnnddddd', fuzzOk: bf32FuzzOk,
    exec: (cpu, i) => {
      bf32Check(cpu, i);
      const k = (i >>> 10) & 0x1fff, d = wz(i & 31);
      cpu.xlo[d] = ror32(cpu.xlo[rz((i >>> 5) & 31)], (i >>> 16) & 31) & WMASK_LO[k] & TMASK_LO[k]; cpu.xhi[d] = 0;
    },
    disasm: bitfieldText,
  },
  {
    name: 'SBFM_64M_bitfield', cls: 'dp-imm', pattern: '100100110Nrrrrrrssssssnnnnnddddd', fuzzOk: bf64FuzzOk,
    exec: (cpu, i) => {
      bf64Check(cpu, i);
      const k = (i >>> 10) & 0x1fff, n = rz((i >>> 5) & 31), d = wz(i & 31);
      ror64(cpu.xlo[n], cpu.xhi[n], (i >>> 16) & 63);
      const s = (i >>> 10) & 63;
      const top = s < 32 ? (cpu.xlo[n] << (31 - s)) >> 31 : (cpu.xhi[n] << (63 - s)) >> 31;
      const tl = TMASK_LO[k], th = TMASK_HI[k];
      cpu.xlo[d] = (top & ~tl) | (RLO & WMASK_LO[k] & tl);
      cpu.xhi[d] = (top & ~th) | (RHI & WMASK_HI[k] & th);
    },
    disasm: bitfieldText,
  },
  {
    name: 'BFM_64M_bitfield', cls: 'dp-imm', pattern: '101100110Nrrrrrrssssssnnnnnddddd', fuzzOk: bf64FuzzOk,
    exec: (cpu, i) => {
      bf64Check(cpu, i);
      const k = (i >>> 10) & 0x1fff, n = rz((i >>> 5) & 31), d = wz(i & 31), r = rz(i & 31);
      ror64(cpu.xlo[n], cpu.xhi[n], (i >>> 16) & 63);
      const wl = WMASK_LO[k], wh = WMASK_HI[k], tl = TMASK_LO[k], th = TMASK_HI[k];
      const dl = cpu.xlo[r], dh = cpu.xhi[r];
      const bl = (dl & ~wl) | (RLO & wl), bh = (dh & ~wh) | (RHI & wh);
      cpu.xlo[d] = (dl & ~tl) | (bl & tl);
      cpu.xhi[d] = (dh & ~th) | (bh & th);
    },
    disasm: bitfieldText,
  },
  {
    name: 'UBFM_64M_bitfield', cls: 'dp-imm', pattern: '110100110Nrrrrrrssssssnnnnnddddd', fuzzOk: bf64FuzzOk,
    exec: (cpu, i) => {
      bf64Check(cpu, i);
      const k = (i >>> 10) & 0x1fff, n = rz((i >>> 5) & 31), d = wz(i & 31);
      ror64(cpu.xlo[n], cpu.xhi[n], (i >>> 16) & 63);
      cpu.xlo[d] = RLO & WMASK_LO[k] & TMASK_LO[k];
      cpu.xhi[d] = RHI & WMASK_HI[k] & TMASK_HI[k];
    },
    disasm: bitfieldText,
  },
];

let RLO = 0, RHI = 0;
/** (RLO, RHI) := ROR(lo:hi, r), 0 <= r < 64. */
function ror64(lo: number, hi: number, r: number): void {
  if (r >= 32) { const t = lo; lo = hi; hi = t; r -= 32; }
  if (r === 0) { RLO = lo; RHI = hi; return; }
  RLO = (lo >>> r) | (hi << (32 - r));
  RHI = (hi >>> r) | (lo << (32 - r));
}

// ---- Extract ---------------------------------------------------------------------------------
// sf 00 100111 N 0 Rm imms Rn Rd; N must equal sf; 32-bit: imms<5> = 0.

function extrText(i: number): string {
  const sf = i < 0, nb = (i >>> 22) & 1, m = (i >>> 16) & 31, imms = (i >>> 10) & 63, n = (i >>> 5) & 31, d = i & 31;
  if (nb !== (sf ? 1 : 0) || (!sf && imms >= 32)) return undefText(i);
  if (n === m) return ins('ror', reg(d, sf), reg(n, sf), `#${imms}`);
  return ins('extr', reg(d, sf), reg(n, sf), reg(m, sf), `#${imms}`);
}

const EXTRACT: EncodingSpec[] = [
  {
    name: 'EXTR_32_extract', cls: 'dp-imm', pattern: '000100111N0mmmmmssssssnnnnnddddd', fuzzOk: (i) => (i & 0x00408000) === 0,
    exec: (cpu, i) => {
      if (i & 0x00408000) cpu.undefinedInstruction(i, 'EXTR: N=1 or imms<5> set in 32-bit form');
      const lsb = (i >>> 10) & 31, d = wz(i & 31);
      const lo = cpu.xlo[rz((i >>> 16) & 31)], hi = cpu.xlo[rz((i >>> 5) & 31)];
      cpu.xlo[d] = lsb === 0 ? lo : (lo >>> lsb) | (hi << (32 - lsb)); cpu.xhi[d] = 0;
    },
    disasm: extrText,
  },
  {
    name: 'EXTR_64_extract', cls: 'dp-imm', pattern: '100100111N0mmmmmssssssnnnnnddddd', fuzzOk: (i) => (i & 0x00400000) !== 0,
    exec: (cpu, i) => {
      if ((i & 0x00400000) === 0) cpu.undefinedInstruction(i, 'EXTR: N=0 in 64-bit form');
      let lsb = (i >>> 10) & 63;
      const m = rz((i >>> 16) & 31), n = rz((i >>> 5) & 31), d = wz(i & 31);
      // 128-bit value Rn:Rm as four words w3 w2 w1 w0; take 64 bits from lsb.
      let w0 = cpu.xlo[m], w1 = cpu.xhi[m], w2 = cpu.xlo[n];
      if (lsb >= 32) { w0 = w1; w1 = w2; w2 = cpu.xhi[n]; lsb -= 32; }
      if (lsb === 0) { cpu.xlo[d] = w0; cpu.xhi[d] = w1; } else {
        cpu.xlo[d] = (w0 >>> lsb) | (w1 << (32 - lsb));
        cpu.xhi[d] = (w1 >>> lsb) | (w2 << (32 - lsb));
      }
    },
    disasm: extrText,
  },
];

export const DP_IMM: EncodingSpec[] = [...PCREL, ...ADDSUB_IMM, ...LOGICAL_IMM, ...MOVE_WIDE, ...BITFIELD, ...EXTRACT];
export { logImmValue };
