// The block compiler: turns a hot run of instructions into one JavaScript function that calls the
// decode table's own handlers in sequence, with the instruction words as constants. No semantics
// are written twice: a block is just the interpreter's work with the dispatch taken out, and each
// call site in the generated code sees a single handler, so V8 can inline it.
//
// What a block may contain: instructions that neither branch nor touch system state (the table's
// `branch` flag and the 'system' class end a block, included as its last instruction). Those are
// the only handlers that set `cpu.jumped` or change how the next instruction must be fetched, so
// inside a block execution is straight-line. Loads and stores may still take an exception: they
// throw, and `cpu.progress` (set before each instruction) tells the run loop how many completed.
// A block never crosses a 4 KiB page, so its PC high half is constant and its decoded page is the
// unit of invalidation (a store into the page drops the page's blocks with its decoded slots).
import type { Exec } from '../arch/encoding';

/** A compiled block: `run(cpu, done)` executes `len` instructions starting at the current PC. */
export interface CompiledBlock {
  readonly len: number;
  readonly run: (cpu: unknown, done: number) => void;
}

/** Longest block: long enough to amortise the dispatch, short enough to keep compiles cheap. */
export const MAX_BLOCK = 64;

/**
 * Builds the block for instructions `handlers[k]`/`words[k]` at addresses PC + 4k.
 * The generated code sets `pcLo` (the handlers' view of the PC, and ELR on an exception) and
 * `progress` (instructions completed, for the run loop) before each instruction.
 */
export function compileBlock(handlers: readonly Exec[], words: readonly number[]): CompiledBlock {
  const n = handlers.length;
  // Every PC is derived from the PC at entry, never baked in: blocks are cached per physical
  // page, and the same code may run at several virtual addresses (an identity map and a
  // kernel's high alias). Within a page the offset is the same for every alias.
  const lines: string[] = ['const s = c.pcLo;'];
  for (let k = 0; k < n; k++) {
    lines.push(`c.pcLo = ${k === 0 ? 's' : `(s + ${4 * k}) | 0`}; c.progress = d + ${k}; h${k}(c, ${words[k] | 0});`);
  }
  const params = handlers.map((_, k) => `h${k}`);
  // new Function: the body is generated from numbers only (offsets and words), never from
  // guest-controlled text, and the handlers are passed in as values.
  const factory = new Function(...params, `"use strict"; return function block(c, d) {\n${lines.join('\n')}\n};`) as
    (...h: Exec[]) => (cpu: unknown, done: number) => void;
  return { len: n, run: factory(...handlers) };
}
