// AdvSIMD modified immediate (Arm ARM C4.1.95, AdvSIMDExpandImm): MOVI, MVNI, ORR, BIC, FMOV
// (vector, immediate). The 64-bit immediate is replicated over one or both halves of Vd.
import type { Cpu } from '../../../cpu/cpu';
import { hexImm } from '../../disasm-util';
import { fpImmText } from './fp-imm';

/** imm8 = a:b:c (bits 18:16) : d:e:f:g:h (bits 9:5). */
export const advImm8 = (i: number): number => ((i >>> 11) & 0xe0) | ((i >>> 5) & 0x1f);

/** Writes the 64-bit pattern lo:hi to Vd's low half and, if Q, its high half (else zero). */
export function writeImm(cpu: Cpu, i: number, lo: number, hi: number): void {
  const w = cpu.vwords, o = (i & 31) << 2;
  w[o] = lo; w[o + 1] = hi;
  if (i & 0x40000000) { w[o + 2] = lo; w[o + 3] = hi; } else { w[o + 2] = 0; w[o + 3] = 0; }
}

/** Vd |= imm32 per 32-bit lane (ORR / BIC pass `~imm`-style masks through `and`). */
export function orrImm(cpu: Cpu, i: number, imm32: number): void {
  const w = cpu.vwords, o = (i & 31) << 2;
  w[o] |= imm32; w[o + 1] |= imm32;
  if (i & 0x40000000) { w[o + 2] |= imm32; w[o + 3] |= imm32; } else { w[o + 2] = 0; w[o + 3] = 0; }
}

export function bicImm(cpu: Cpu, i: number, imm32: number): void {
  const w = cpu.vwords, o = (i & 31) << 2, m = ~imm32;
  w[o] &= m; w[o + 1] &= m;
  if (i & 0x40000000) { w[o + 2] &= m; w[o + 3] &= m; } else { w[o + 2] = 0; w[o + 3] = 0; }
}

/** cmode 0xx0 / 0xx1: the 32-bit-lane immediate imm8 << 8*cmode<2:1>. */
export const imm32Shifted = (i: number): number => advImm8(i) << (((i >>> 13) & 3) << 3);
/** cmode 10x0 / 10x1: the 16-bit-lane immediate replicated over 32 bits. */
export const imm16Shifted = (i: number): number => { const h = advImm8(i) << (((i >>> 13) & 1) << 3); return h | (h << 16); };
/** cmode 110x: the "shifting ones" immediate (MSL #8 / #16). */
export const imm32Msl = (i: number): number => (i & 0x1000) ? (advImm8(i) << 16) | 0xffff : (advImm8(i) << 8) | 0xff;

/** cmode 1110, op 1: each bit of imm8 becomes a byte of ones; returns the low word (bits 3:0). */
export function byteMaskLo(imm8: number): number {
  return ((imm8 & 1 ? 0xff : 0) | (imm8 & 2 ? 0xff00 : 0) | (imm8 & 4 ? 0xff0000 : 0) | (imm8 & 8 ? 0xff000000 : 0)) | 0;
}
export const byteMaskHi = (imm8: number): number => byteMaskLo(imm8 >>> 4);

// ------------------------------------------------------------------ disassembly

const arr = (i: number, lanes32: boolean): string => {
  const q = (i >>> 30) & 1;
  return `v${i & 31}.${lanes32 ? (q ? '4s' : '2s') : (q ? '8h' : '4h')}`;
};
const shiftText = (kind: 'lsl' | 'msl', amount: number): string[] => amount ? [`${kind} #${amount}`] : [];

export function disasmShifted32(m: string, i: number): string {
  return [`${m}\t${arr(i, true)}`, hexImm(advImm8(i)), ...shiftText('lsl', ((i >>> 13) & 3) * 8)].join(', ');
}
export function disasmShifted16(m: string, i: number): string {
  return [`${m}\t${arr(i, false)}`, hexImm(advImm8(i)), ...shiftText('lsl', ((i >>> 13) & 1) * 8)].join(', ');
}
export function disasmMsl(m: string, i: number): string {
  return [`${m}\t${arr(i, true)}`, hexImm(advImm8(i)), ...shiftText('msl', i & 0x1000 ? 16 : 8)].join(', ');
}
export function disasmMovi8(i: number): string {
  return `movi\tv${i & 31}.${(i >>> 30) & 1 ? '16b' : '8b'}, ${hexImm(advImm8(i))}`;
}
export function disasmMovi64(i: number): string {
  const imm8 = advImm8(i);
  const v = (BigInt(byteMaskHi(imm8) >>> 0) << 32n) | BigInt(byteMaskLo(imm8) >>> 0);
  return (i >>> 30) & 1 ? `movi\tv${i & 31}.2d, ${hexImm(v)}` : `movi\td${i & 31}, ${hexImm(v)}`;
}
export function disasmFmovVec(i: number, arrangement: string): string {
  return `fmov\tv${i & 31}.${arrangement}, ${fpImmText(advImm8(i))}`;
}
