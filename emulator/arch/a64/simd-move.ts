// FP/SIMD register moves (Arm ARM C7): FMOV (general, register, scalar immediate, vector
// immediate), DUP, INS, UMOV, SMOV, MOVI/MVNI/ORR/BIC (vector, immediate), ORR (vector, register)
// with its MOV alias. Every other FP/SIMD instruction is left to a later issue: the patterns here
// are exact, so those words stay undecoded (UNDEFINED).
//
// Writes to a scalar or a 64-bit vector zero the rest of the 128-bit register; INS and
// FMOV Vd.D[1] write one element and keep the others (Arm ARM "Vector registers").
import type { Cpu } from '../../cpu/cpu';
import type { EncodingSpec } from '../encoding';
import { rz, wz } from '../../cpu/regs';
import { ins, reg } from '../disasm-util';
import { getElem, replicate32, setElem, setV, SIZE_LETTER, vArr, vElem } from './simd/vreg';
import { fpImmText, vfpExpandDoubleHi, vfpExpandSingle } from './simd/fp-imm';
import {
  advImm8, bicImm, byteMaskHi, byteMaskLo, disasmFmovVec, disasmMovi64, disasmMovi8, disasmMsl, disasmShifted16,
  disasmShifted32, imm16Shifted, imm32Msl, imm32Shifted, orrImm, writeImm,
} from './simd/adv-imm';

const rd = (i: number): number => i & 31;
const rn = (i: number): number => (i >>> 5) & 31;
const imm5 = (i: number): number => (i >>> 16) & 31;
const qbit = (i: number): number => (i >>> 30) & 1;
const undef = (reason: string) => (cpu: Cpu, i: number): never => cpu.undefinedInstruction(i, reason);
const FP16 = undef('half-precision FP (FEAT_FP16) not implemented');

// ------------------------------------------------------------------ AdvSIMD copy (C4.1.95)

const IMM5 = ['iiii1', 'iii10', 'ii100', 'i1000'];
const copyPattern = (q: string, op: string, size: number, imm4: string): string =>
  `0${q}${op}01110000${IMM5[size]}0${imm4}1nnnnnddddd`;
const elemIdx = (i: number, size: number): number => imm5(i) >>> (size + 1);

function dupElement(size: number): EncodingSpec {
  return {
    name: `DUP_asimdins_DV_${SIZE_LETTER[size]}`, cls: 'simd-move', pattern: copyPattern(size === 3 ? '1' : 'Q', '0', size, '0000'),
    exec: size === 3
      ? (cpu, i) => {
        const s = (rn(i) << 2) + (elemIdx(i, 3) << 1), w = cpu.vwords;
        const lo = w[s], hi = w[s + 1];
        setV(cpu, rd(i), lo, hi, lo, hi);
      }
      : (cpu, i) => {
        const v = replicate32(size, getElem(cpu, rn(i), size, elemIdx(i, size)));
        if (qbit(i)) setV(cpu, rd(i), v, v, v, v); else setV(cpu, rd(i), v, v, 0, 0);
      },
    disasm: (i) => ins('dup', vArr(rd(i), size, qbit(i)), vElem(rn(i), size, elemIdx(i, size))),
  };
}

function dupGeneral(size: number): EncodingSpec {
  return {
    name: `DUP_asimdins_DR_${SIZE_LETTER[size]}`, cls: 'simd-move', pattern: copyPattern(size === 3 ? '1' : 'Q', '0', size, '0001'),
    exec: size === 3
      ? (cpu, i) => { const n = rz(rn(i)), lo = cpu.xlo[n], hi = cpu.xhi[n]; setV(cpu, rd(i), lo, hi, lo, hi); }
      : (cpu, i) => {
        const v = replicate32(size, cpu.xlo[rz(rn(i))]);
        if (qbit(i)) setV(cpu, rd(i), v, v, v, v); else setV(cpu, rd(i), v, v, 0, 0);
      },
    disasm: (i) => ins('dup', vArr(rd(i), size, qbit(i)), reg(rn(i), size === 3)),
  };
}

function dupScalar(size: number): EncodingSpec {
  return {
    // DUP (element, scalar): objdump always prints the MOV (scalar) alias.
    name: `DUP_asisdone_only_${SIZE_LETTER[size]}`, cls: 'simd-move', pattern: `01011110000${IMM5[size]}000001nnnnnddddd`,
    exec: size === 3
      ? (cpu, i) => { const s = (rn(i) << 2) + (elemIdx(i, 3) << 1), w = cpu.vwords; setV(cpu, rd(i), w[s], w[s + 1], 0, 0); }
      : (cpu, i) => setV(cpu, rd(i), getElem(cpu, rn(i), size, elemIdx(i, size)), 0, 0, 0),
    disasm: (i) => ins('mov', `${SIZE_LETTER[size]}${rd(i)}`, vElem(rn(i), size, elemIdx(i, size))),
  };
}

function insGeneral(size: number): EncodingSpec {
  return {
    name: `INS_asimdins_IR_${SIZE_LETTER[size]}`, cls: 'simd-move', pattern: copyPattern('1', '0', size, '0011'),
    exec: size === 3
      ? (cpu, i) => {
        const n = rz(rn(i)), o = (rd(i) << 2) + (elemIdx(i, 3) << 1);
        cpu.vwords[o] = cpu.xlo[n]; cpu.vwords[o + 1] = cpu.xhi[n];
      }
      : (cpu, i) => setElem(cpu, rd(i), size, elemIdx(i, size), cpu.xlo[rz(rn(i))]),
    disasm: (i) => ins('mov', vElem(rd(i), size, elemIdx(i, size)), reg(rn(i), size === 3)),
  };
}

function insElement(size: number): EncodingSpec {
  // INS (element): destination index from imm5, source index from imm4<3:size>.
  const srcIdx = (i: number): number => ((i >>> 11) & 15) >>> size;
  return {
    name: `INS_asimdins_IV_v_${SIZE_LETTER[size]}`, cls: 'simd-move', pattern: copyPattern('1', '1', size, 'jjjj'),
    exec: size === 3
      ? (cpu, i) => {
        const w = cpu.vwords, s = (rn(i) << 2) + (srcIdx(i) << 1), o = (rd(i) << 2) + (elemIdx(i, 3) << 1);
        const lo = w[s], hi = w[s + 1];
        w[o] = lo; w[o + 1] = hi;
      }
      : (cpu, i) => setElem(cpu, rd(i), size, elemIdx(i, size), getElem(cpu, rn(i), size, srcIdx(i))),
    disasm: (i) => ins('mov', vElem(rd(i), size, elemIdx(i, size)), vElem(rn(i), size, srcIdx(i))),
  };
}

function umov(size: number): EncodingSpec {
  return {
    name: `UMOV_asimdins_X_${SIZE_LETTER[size]}`, cls: 'simd-move', pattern: copyPattern(size === 3 ? '1' : '0', '0', size, '0111'),
    exec: size === 3
      ? (cpu, i) => {
        const s = (rn(i) << 2) + (elemIdx(i, 3) << 1), d = wz(rd(i));
        cpu.xlo[d] = cpu.vwords[s]; cpu.xhi[d] = cpu.vwords[s + 1];
      }
      : (cpu, i) => { const d = wz(rd(i)); cpu.xlo[d] = getElem(cpu, rn(i), size, elemIdx(i, size)); cpu.xhi[d] = 0; },
    // objdump prefers the MOV alias for the 32- and 64-bit element sizes.
    disasm: (i) => ins(size >= 2 ? 'mov' : 'umov', reg(rd(i), size === 3), vElem(rn(i), size, elemIdx(i, size))),
  };
}

function smov(size: number, q: number): EncodingSpec {
  const bits = 32 - (8 << size);
  return {
    name: `SMOV_asimdins_${q ? 'X' : 'W'}_${SIZE_LETTER[size]}`, cls: 'simd-move', pattern: copyPattern(String(q), '0', size, '0101'),
    exec: (cpu, i) => {
      const v = (getElem(cpu, rn(i), size, elemIdx(i, size)) << bits) >> bits, d = wz(rd(i));
      cpu.xlo[d] = v; cpu.xhi[d] = q ? v >> 31 : 0;
    },
    disasm: (i) => ins('smov', reg(rd(i), q === 1), vElem(rn(i), size, elemIdx(i, size))),
  };
}

const COPY: EncodingSpec[] = [
  ...[0, 1, 2, 3].map(dupElement),
  ...[0, 1, 2, 3].map(dupGeneral),
  ...[0, 1, 2, 3].map(dupScalar),
  ...[0, 1, 2, 3].map(insGeneral),
  ...[0, 1, 2, 3].map(insElement),
  ...[0, 1, 2, 3].map(umov),
  smov(0, 0), smov(1, 0), smov(0, 1), smov(1, 1), smov(2, 1),
];

// ------------------------------------------------------------------ FMOV (general, register, immediate)

const GENERAL_TO_FP: EncodingSpec[] = [
  {
    name: 'FMOV_32S_float2int', cls: 'simd-move', pattern: '0001111000100110000000nnnnnddddd',
    exec: (cpu, i) => { const d = wz(rd(i)); cpu.xlo[d] = cpu.vwords[rn(i) << 2]; cpu.xhi[d] = 0; },
    disasm: (i) => ins('fmov', reg(rd(i), false), `s${rn(i)}`),
  },
  {
    name: 'FMOV_S32_float2int', cls: 'simd-move', pattern: '0001111000100111000000nnnnnddddd',
    exec: (cpu, i) => setV(cpu, rd(i), cpu.xlo[rz(rn(i))], 0, 0, 0),
    disasm: (i) => ins('fmov', `s${rd(i)}`, reg(rn(i), false)),
  },
  {
    name: 'FMOV_64D_float2int', cls: 'simd-move', pattern: '1001111001100110000000nnnnnddddd',
    exec: (cpu, i) => { const d = wz(rd(i)), s = rn(i) << 2; cpu.xlo[d] = cpu.vwords[s]; cpu.xhi[d] = cpu.vwords[s + 1]; },
    disasm: (i) => ins('fmov', reg(rd(i), true), `d${rn(i)}`),
  },
  {
    name: 'FMOV_D64_float2int', cls: 'simd-move', pattern: '1001111001100111000000nnnnnddddd',
    exec: (cpu, i) => { const n = rz(rn(i)); setV(cpu, rd(i), cpu.xlo[n], cpu.xhi[n], 0, 0); },
    disasm: (i) => ins('fmov', `d${rd(i)}`, reg(rn(i), true)),
  },
  {
    name: 'FMOV_64VX_float2int', cls: 'simd-move', pattern: '1001111010101110000000nnnnnddddd',
    exec: (cpu, i) => { const d = wz(rd(i)), s = (rn(i) << 2) + 2; cpu.xlo[d] = cpu.vwords[s]; cpu.xhi[d] = cpu.vwords[s + 1]; },
    disasm: (i) => ins('fmov', reg(rd(i), true), `v${rn(i)}.d[1]`),
  },
  {
    // Writes the top half only; the bottom half of Vd is kept.
    name: 'FMOV_V64I_float2int', cls: 'simd-move', pattern: '1001111010101111000000nnnnnddddd',
    exec: (cpu, i) => { const n = rz(rn(i)), o = (rd(i) << 2) + 2; cpu.vwords[o] = cpu.xlo[n]; cpu.vwords[o + 1] = cpu.xhi[n]; },
    disasm: (i) => ins('fmov', `v${rd(i)}.d[1]`, reg(rn(i), true)),
  },
  // Half precision: decoded for the disassembler, UNDEFINED until FEAT_FP16.
  ...[0, 1].flatMap((sf): EncodingSpec[] => [
    {
      name: `FMOV_${sf ? 64 : 32}H_float2int`, cls: 'simd-move', pattern: `${sf}001111011100110000000nnnnnddddd`,
      exec: FP16, fuzzOk: () => false, disasm: (i) => ins('fmov', reg(rd(i), sf === 1), `h${rn(i)}`),
    },
    {
      name: `FMOV_H${sf ? 64 : 32}_float2int`, cls: 'simd-move', pattern: `${sf}001111011100111000000nnnnnddddd`,
      exec: FP16, fuzzOk: () => false, disasm: (i) => ins('fmov', `h${rd(i)}`, reg(rn(i), sf === 1)),
    },
  ]),
];

const FP_REG_IMM: EncodingSpec[] = [
  {
    name: 'FMOV_S_floatdp1', cls: 'simd-move', pattern: '0001111000100000010000nnnnnddddd',
    exec: (cpu, i) => setV(cpu, rd(i), cpu.vwords[rn(i) << 2], 0, 0, 0),
    disasm: (i) => ins('fmov', `s${rd(i)}`, `s${rn(i)}`),
  },
  {
    name: 'FMOV_D_floatdp1', cls: 'simd-move', pattern: '0001111001100000010000nnnnnddddd',
    exec: (cpu, i) => { const s = rn(i) << 2; setV(cpu, rd(i), cpu.vwords[s], cpu.vwords[s + 1], 0, 0); },
    disasm: (i) => ins('fmov', `d${rd(i)}`, `d${rn(i)}`),
  },
  {
    name: 'FMOV_H_floatdp1', cls: 'simd-move', pattern: '0001111011100000010000nnnnnddddd',
    exec: FP16, fuzzOk: () => false, disasm: (i) => ins('fmov', `h${rd(i)}`, `h${rn(i)}`),
  },
  {
    name: 'FMOV_S_floatimm', cls: 'simd-move', pattern: '00011110001iiiiiiii10000000ddddd',
    exec: (cpu, i) => setV(cpu, rd(i), vfpExpandSingle((i >>> 13) & 0xff), 0, 0, 0),
    disasm: (i) => ins('fmov', `s${rd(i)}`, fpImmText((i >>> 13) & 0xff)),
  },
  {
    name: 'FMOV_D_floatimm', cls: 'simd-move', pattern: '00011110011iiiiiiii10000000ddddd',
    exec: (cpu, i) => setV(cpu, rd(i), 0, vfpExpandDoubleHi((i >>> 13) & 0xff), 0, 0),
    disasm: (i) => ins('fmov', `d${rd(i)}`, fpImmText((i >>> 13) & 0xff)),
  },
  {
    name: 'FMOV_H_floatimm', cls: 'simd-move', pattern: '00011110111iiiiiiii10000000ddddd',
    exec: FP16, fuzzOk: () => false, disasm: (i) => ins('fmov', `h${rd(i)}`, fpImmText((i >>> 13) & 0xff)),
  },
];

// ------------------------------------------------------------------ AdvSIMD modified immediate

const MODIMM: EncodingSpec[] = [
  {
    name: 'MOVI_asimdimm_L_sl', cls: 'simd-move', pattern: '0Q00111100000abc0ss001defghddddd',
    exec: (cpu, i) => { const v = imm32Shifted(i); writeImm(cpu, i, v, v); },
    disasm: (i) => disasmShifted32('movi', i),
  },
  {
    name: 'ORR_asimdimm_L_sl', cls: 'simd-move', pattern: '0Q00111100000abc0ss101defghddddd',
    exec: (cpu, i) => orrImm(cpu, i, imm32Shifted(i)),
    disasm: (i) => disasmShifted32('orr', i),
  },
  {
    name: 'MVNI_asimdimm_L_sl', cls: 'simd-move', pattern: '0Q10111100000abc0ss001defghddddd',
    exec: (cpu, i) => { const v = ~imm32Shifted(i); writeImm(cpu, i, v, v); },
    disasm: (i) => disasmShifted32('mvni', i),
  },
  {
    name: 'BIC_asimdimm_L_sl', cls: 'simd-move', pattern: '0Q10111100000abc0ss101defghddddd',
    exec: (cpu, i) => bicImm(cpu, i, imm32Shifted(i)),
    disasm: (i) => disasmShifted32('bic', i),
  },
  {
    name: 'MOVI_asimdimm_L_hl', cls: 'simd-move', pattern: '0Q00111100000abc10s001defghddddd',
    exec: (cpu, i) => { const v = imm16Shifted(i); writeImm(cpu, i, v, v); },
    disasm: (i) => disasmShifted16('movi', i),
  },
  {
    name: 'ORR_asimdimm_L_hl', cls: 'simd-move', pattern: '0Q00111100000abc10s101defghddddd',
    exec: (cpu, i) => orrImm(cpu, i, imm16Shifted(i)),
    disasm: (i) => disasmShifted16('orr', i),
  },
  {
    name: 'MVNI_asimdimm_L_hl', cls: 'simd-move', pattern: '0Q10111100000abc10s001defghddddd',
    exec: (cpu, i) => { const v = ~imm16Shifted(i); writeImm(cpu, i, v, v); },
    disasm: (i) => disasmShifted16('mvni', i),
  },
  {
    name: 'BIC_asimdimm_L_hl', cls: 'simd-move', pattern: '0Q10111100000abc10s101defghddddd',
    exec: (cpu, i) => bicImm(cpu, i, imm16Shifted(i)),
    disasm: (i) => disasmShifted16('bic', i),
  },
  {
    name: 'MOVI_asimdimm_M_sm', cls: 'simd-move', pattern: '0Q00111100000abc110s01defghddddd',
    exec: (cpu, i) => { const v = imm32Msl(i); writeImm(cpu, i, v, v); },
    disasm: (i) => disasmMsl('movi', i),
  },
  {
    name: 'MVNI_asimdimm_M_sm', cls: 'simd-move', pattern: '0Q10111100000abc110s01defghddddd',
    exec: (cpu, i) => { const v = ~imm32Msl(i); writeImm(cpu, i, v, v); },
    disasm: (i) => disasmMsl('mvni', i),
  },
  {
    name: 'MOVI_asimdimm_N_b', cls: 'simd-move', pattern: '0Q00111100000abc111001defghddddd',
    exec: (cpu, i) => { const v = Math.imul(advImm8(i), 0x01010101); writeImm(cpu, i, v, v); },
    disasm: disasmMovi8,
  },
  {
    // Q=0: MOVI Dd, #imm (scalar); Q=1: MOVI Vd.2D, #imm.
    name: 'MOVI_asimdimm_D2_d', cls: 'simd-move', pattern: '0Q10111100000abc111001defghddddd',
    exec: (cpu, i) => { const m = advImm8(i); writeImm(cpu, i, byteMaskLo(m), byteMaskHi(m)); },
    disasm: disasmMovi64,
  },
  {
    name: 'FMOV_asimdimm_S_s', cls: 'simd-move', pattern: '0Q00111100000abc111101defghddddd',
    exec: (cpu, i) => { const v = vfpExpandSingle(advImm8(i)); writeImm(cpu, i, v, v); },
    disasm: (i) => disasmFmovVec(i, qbit(i) ? '4s' : '2s'),
  },
  {
    name: 'FMOV_asimdimm_D2_d', cls: 'simd-move', pattern: '0110111100000abc111101defghddddd',
    exec: (cpu, i) => writeImm(cpu, i, 0, vfpExpandDoubleHi(advImm8(i))),
    disasm: (i) => disasmFmovVec(i, '2d'),
  },
  {
    name: 'FMOV_asimdimm_H_h', cls: 'simd-move', pattern: '0Q00111100000abc111111defghddddd',
    exec: FP16, fuzzOk: () => false, disasm: (i) => disasmFmovVec(i, qbit(i) ? '8h' : '4h'),
  },
];

// ------------------------------------------------------------------ ORR (vector, register)

const ORR_REG: EncodingSpec = {
  // objdump prints MOV when Rn == Rm (gcc's `mov v0.16b, v1.16b`).
  name: 'ORR_asimdsame_only', cls: 'simd-move', pattern: '0Q001110101mmmmm000111nnnnnddddd',
  exec: (cpu, i) => {
    const w = cpu.vwords, n = rn(i) << 2, m = ((i >>> 16) & 31) << 2, d = rd(i) << 2;
    const a0 = w[n] | w[m], a1 = w[n + 1] | w[m + 1];
    if (qbit(i)) { const a2 = w[n + 2] | w[m + 2], a3 = w[n + 3] | w[m + 3]; w[d + 2] = a2; w[d + 3] = a3; } else { w[d + 2] = 0; w[d + 3] = 0; }
    w[d] = a0; w[d + 1] = a1;
  },
  disasm: (i) => {
    const m = (i >>> 16) & 31, q = qbit(i);
    return m === rn(i) ? ins('mov', vArr(rd(i), 0, q), vArr(m, 0, q)) : ins('orr', vArr(rd(i), 0, q), vArr(rn(i), 0, q), vArr(m, 0, q));
  },
};

export const SIMD_MOVE: EncodingSpec[] = [...COPY, ...GENERAL_TO_FP, ...FP_REG_IMM, ...MODIMM, ORR_REG];
