// Register-file indexing. The general registers live as two 32-bit halves in Int32Arrays
// (`xlo`, `xhi`), which measured ~4x faster than BigInt in a dispatch loop (ARCHITECTURE.md).
// Slots: 0..30 are X0..X30, 31 is the current stack pointer, 32 always reads as zero, and 33 is a
// sink for writes to XZR. Register number 31 means SP or ZR depending on the encoding
// (Arm ARM C1.2.5); these branch-free maps pick the slot without a test in the handler.

export const SP = 31;
export const ZERO = 32;
export const SINK = 33;
export const SLOTS = 34;

/** Slot to read for a register field where 31 means XZR. */
export function rz(r: number): number {
  return r + ((r + 1) >> 5);
}

/** Slot to write for a register field where 31 means XZR (the write is discarded). */
export function wz(r: number): number {
  return r + (((r + 1) >> 5) << 1);
}

export const TWO32 = 4294967296;
