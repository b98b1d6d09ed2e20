// One line of the A64 decode table: a bit pattern plus the semantics and the disassembly of the
// encoding it names. The same table builds the execution decoder and the disassembler, so the two
// can never disagree on what a word means (ARCHITECTURE.md, "One decode table").
import type { Cpu } from '../cpu/cpu';

/**
 * Semantics of one encoding. `insn` is the 32-bit instruction word (as a signed int32); the handler
 * extracts its own fields, which costs a few shifts and keeps the decoded-instruction cache to a
 * (handler, word) pair. A later block compiler emits straight-line calls to these same handlers.
 * On entry `cpu.pcLo/pcHi` hold the address of this instruction. A handler that changes the PC
 * (branch, exception) sets `cpu.jumped`; otherwise the run loop advances the PC by 4.
 */
export type Exec = (cpu: Cpu, insn: number) => void;

/** objdump-compatible text (`mnemonic\toperands`) for the word at address `pc` (low/high halves). */
export type Disasm = (insn: number, pcLo: number, pcHi: number) => string;

/** Instruction classes: used by the random differential tester to draw encodings per class. */
export type InsnClass =
  | 'dp-imm' | 'dp-reg' | 'branch' | 'system' | 'ldst' | 'ldst-excl' | 'ldst-atomic'
  | 'ldst-simd' | 'simd-move';

export interface EncodingSpec {
  /** Unique name, e.g. `ADD_64_imm`; the Arm ARM's encoding name where one exists. */
  name: string;
  /**
   * 32 characters, bit 31 first. '0' and '1' are fixed bits; any other character (letters naming
   * the field, as in dynarmic's a64.inc) is a variable bit. Spaces are ignored.
   */
  pattern: string;
  cls: InsnClass;
  exec: Exec;
  disasm: Disasm;
  /** True if exec can change the PC (ends a basic block for a block compiler). */
  branch?: boolean;
  /**
   * Encodings that are valid for the differential fuzzer: a predicate over the word excluding
   * reserved / UNPREDICTABLE field values that QEMU and hvlab may legitimately treat differently.
   */
  fuzzOk?: (insn: number) => boolean;
}

export interface Encoding extends EncodingSpec {
  mask: number;   // 1 where the pattern has a fixed bit (unsigned 32-bit)
  value: number;  // the fixed bits' values (unsigned 32-bit)
  fixedBits: number;
}

export function compilePattern(spec: EncodingSpec): Encoding {
  const bits = spec.pattern.replace(/ /g, '');
  if (bits.length !== 32) throw new Error(`decode table: ${spec.name}: pattern has ${bits.length} bits, want 32`);
  let mask = 0, value = 0, fixedBits = 0;
  for (let i = 0; i < 32; i++) {
    const ch = bits[i], bit = 31 - i;
    if (ch === '0' || ch === '1') {
      mask |= 1 << bit;
      if (ch === '1') value |= 1 << bit;
      fixedBits++;
    }
  }
  return { ...spec, mask: mask >>> 0, value: value >>> 0, fixedBits };
}
