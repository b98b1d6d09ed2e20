// FP/SIMD register file access for the move instructions: element reads and writes on the
// V registers (cpu.vbytes / cpu.vwords, V0 at offset 0, little-endian), and operand spelling.
import type { Cpu } from '../../../cpu/cpu';

/** Element size (log2 bytes: 0 = B, 1 = H, 2 = S, 3 = D) encoded by imm5's lowest set bit. */
export function imm5Size(imm5: number): number {
  return imm5 & 1 ? 0 : imm5 & 2 ? 1 : imm5 & 4 ? 2 : imm5 & 8 ? 3 : -1;
}

/** Element of 8/16/32 bits of V[r] (zero-extended); for D use the word pair directly. */
export function getElem(cpu: Cpu, r: number, size: number, idx: number): number {
  switch (size) {
    case 0: return cpu.vbytes[(r << 4) + idx];
    case 1: { const o = (r << 4) + (idx << 1), b = cpu.vbytes; return b[o] | (b[o + 1] << 8); }
    default: return cpu.vwords[(r << 2) + idx];
  }
}

/** Writes one element of 8/16/32 bits of V[r], leaving the other elements unchanged. */
export function setElem(cpu: Cpu, r: number, size: number, idx: number, v: number): void {
  switch (size) {
    case 0: cpu.vbytes[(r << 4) + idx] = v; break;
    case 1: { const o = (r << 4) + (idx << 1), b = cpu.vbytes; b[o] = v; b[o + 1] = v >>> 8; break; }
    default: cpu.vwords[(r << 2) + idx] = v;
  }
}

/** Replicates an element of 8/16/32 bits over a 32-bit word. */
export function replicate32(size: number, v: number): number {
  switch (size) {
    case 0: return Math.imul(v & 0xff, 0x01010101);
    case 1: return (v & 0xffff) | (v << 16);
    default: return v | 0;
  }
}

/** Writes a 128-bit value given as four words. */
export function setV(cpu: Cpu, r: number, w0: number, w1: number, w2: number, w3: number): void {
  const w = cpu.vwords, o = r << 2;
  w[o] = w0; w[o + 1] = w1; w[o + 2] = w2; w[o + 3] = w3;
}

// ------------------------------------------------------------------ disassembly spelling

export const SIZE_LETTER = ['b', 'h', 's', 'd'];

/** `v3.16b`: a vector register with an arrangement (size, Q). */
export function vArr(r: number, size: number, q: number): string {
  return `v${r}.${q ? 16 >>> size : 8 >>> size}${SIZE_LETTER[size]}`;
}

/** `v1.s[2]`: one element. */
export function vElem(r: number, size: number, idx: number): string {
  return `v${r}.${SIZE_LETTER[size]}[${idx}]`;
}
