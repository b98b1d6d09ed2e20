// The public A64 disassembler: the decode table's `disasm` functions behind a word/address API.
// Text matches GNU objdump (binutils 2.40) `-d` after the raw word: `mnemonic\toperands[\t// comment]`.
// Words the decode table has no encoding for print as objdump prints unallocated encodings.
import { a64Decoder } from './decoder';

const MASK64 = 0xffffffffffffffffn;

function hex8(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}

/** objdump's text for a word it cannot decode: `.inst\t0x0000dead ; undefined`. */
export function undefinedText(word: number): string {
  return `.inst\t0x${hex8(word)} ; undefined`;
}

/**
 * Disassembles one instruction word (any number; its low 32 bits are used) at address `pc`.
 * A word with no encoding in the decode table gives `.inst\t0x…… ; undefined`. A `disasm`
 * function that throws (a bug in the table) does not take the caller down: the text says so,
 * starting with `.inst` so it can never be mistaken for a real instruction.
 */
export function disassemble(word: number, pc: bigint): string {
  const insn = word | 0;
  const enc = a64Decoder().decode(insn);
  if (!enc) return undefinedText(insn);
  const p = pc & MASK64;
  const lo = Number(p & 0xffffffffn) | 0, hi = Number(p >> 32n) | 0;
  try {
    return enc.disasm(insn, lo, hi);
  } catch (e) {
    return `.inst\t0x${hex8(insn)} ; hvlab ${enc.name} disasm error: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Name of the decode-table encoding for a word (e.g. `ADD_64_addsub_imm`), or undefined. */
export function encodingName(word: number): string | undefined {
  return a64Decoder().decode(word | 0)?.name;
}

export interface DisassembledInsn {
  /** Address of the instruction. */
  addr: bigint;
  /** The instruction word, unsigned. */
  word: number;
  /** objdump-style text (see `disassemble`). */
  text: string;
}

/**
 * Disassembles a block of little-endian A64 code loaded at `base` (for the debugger's
 * disassembly view). Instructions are 4-byte aligned relative to `base`; trailing bytes that do
 * not make a whole word are not returned.
 */
export function disassembleRange(bytes: Uint8Array, base: bigint): DisassembledInsn[] {
  const out: DisassembledInsn[] = [];
  const n = bytes.length >>> 2;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    const word = (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0;
    const addr = (base + BigInt(o)) & MASK64;
    out.push({ addr, word, text: disassemble(word, addr) });
  }
  return out;
}
