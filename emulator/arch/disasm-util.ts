// Operand spelling shared by every disassembler function, matching GNU objdump (binutils 2.40).

/** General register name. `sf` = 64-bit; `sp` = register 31 names the stack pointer, not ZR. */
export function reg(r: number, sf: boolean, sp = false): string {
  if (r === 31) return sp ? (sf ? 'sp' : 'wsp') : (sf ? 'xzr' : 'wzr');
  return (sf ? 'x' : 'w') + r;
}
export const xr = (r: number): string => reg(r, true);
export const xsp = (r: number): string => reg(r, true, true);

/** `#0x1f`, `#-0x8`: objdump's spelling of most immediates. */
export function hexImm(v: number | bigint): string {
  const n = typeof v === 'bigint' ? v : BigInt(v);
  return n < 0n ? `#-0x${(-n).toString(16)}` : `#0x${n.toString(16)}`;
}
/** `#16`, `#-8`: objdump's spelling of load/store offsets and shift amounts. */
export const decImm = (v: number | bigint): string => `#${v}`;

export const COND = ['eq', 'ne', 'hs', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'] as const;
export const SHIFT = ['lsl', 'lsr', 'asr', 'ror'] as const;
export const EXTEND = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'] as const;

/** Absolute address of PC + offset, as objdump prints a branch/literal target in a file without symbols. */
export function target(pcLo: number, pcHi: number, offset: number): string {
  const pc = (BigInt(pcHi >>> 0) << 32n) | BigInt(pcLo >>> 0);
  return '0x' + ((pc + BigInt(offset)) & 0xffffffffffffffffn).toString(16);
}

/** Sign-extends the low `bits` bits of `v`. */
export function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

/**
 * Joins a mnemonic and operands the way objdump does: one tab, operands separated by ", ".
 * Comments objdump adds (`// #0`) are appended by the caller after a tab.
 */
export function ins(mnemonic: string, ...ops: string[]): string {
  return ops.length ? `${mnemonic}\t${ops.join(', ')}` : mnemonic;
}

/** Field extraction: bits [lo+len-1 : lo] of the word, unsigned. */
export function bits(insn: number, lo: number, len: number): number {
  return (insn >>> lo) & ((len === 32 ? 0 : 1 << len) - 1);
}
