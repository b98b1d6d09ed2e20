// VFPExpandImm (Arm ARM J1 shared/functions/float/vfpexpandimm) and objdump's spelling of the
// 8-bit floating-point immediates of FMOV (scalar / vector, immediate).

/** imm8 = a:b:c:d:e:f:g:h -> single-precision bit pattern a:NOT(b):bbbbb:cd:efgh:Zeros(19). */
export function vfpExpandSingle(imm8: number): number {
  const b = (imm8 >>> 6) & 1;
  const exp = (b ? 0x7c : 0x80) | ((imm8 >>> 4) & 3);
  return (((imm8 >>> 7) << 31) | (exp << 23) | ((imm8 & 15) << 19)) | 0;
}

/** High word of the double-precision expansion (the low word is zero). */
export function vfpExpandDoubleHi(imm8: number): number {
  const b = (imm8 >>> 6) & 1;
  const exp = (b ? 0x3fc : 0x400) | ((imm8 >>> 4) & 3);
  return (((imm8 >>> 7) << 31) | (exp << 20) | ((imm8 & 15) << 16)) | 0;
}

/** Half-precision expansion (16 bits). */
export function vfpExpandHalf(imm8: number): number {
  const b = (imm8 >>> 6) & 1;
  const exp = (b ? 0x0c : 0x10) | ((imm8 >>> 4) & 3);
  return ((imm8 >>> 7) << 15) | (exp << 10) | ((imm8 & 15) << 6);
}

/** The value of the immediate (exact in every precision). */
export function fpImmValue(imm8: number): number {
  const b = (imm8 >>> 6) & 1, cd = (imm8 >>> 4) & 3;
  const v = ((16 + (imm8 & 15)) / 16) * 2 ** (b ? cd - 3 : cd + 1);
  return imm8 & 0x80 ? -v : v;
}

/** `#1.000000000000000000e+00`: objdump prints these immediates with printf's `%.18e`. */
export function fpImmText(imm8: number): string {
  return '#' + fpImmValue(imm8).toExponential(18).replace(/e([+-])(\d)$/, 'e$10$2');
}
