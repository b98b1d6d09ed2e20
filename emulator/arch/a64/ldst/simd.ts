// Advanced SIMD structure loads and stores (Arm ARM C4.1.67 "Advanced SIMD load/store multiple
// structures", "… single structure", with and without post-index): LD1-LD4/ST1-ST4 (multiple),
// LD1-LD4/ST1-ST4 to/from one lane, LD1R-LD4R. One table entry per valid (L, opcode, size, S, R)
// combination, so reserved field values are simply absent from the table (UNDEFINED).
// Memory is read completely into a scratch buffer before any register is written.
import type { Cpu } from '../../../cpu/cpu';
import { TWO32 } from '../../../cpu/regs';
import type { EncodingSpec } from '../../encoding';
import { reg, xsp } from '../../disasm-util';

const bin = (v: number, n: number): string => v.toString(2).padStart(n, '0');

/** Scratch for up to 64 bytes of structure data. */
const TB = new Uint8Array(64);
const TW = new Int32Array(TB.buffer);

/**
 * Multiple structures move whole registers; the architecture accesses them element by element
 * (Mem[address, ebytes, AccType_VEC]), so with SCTLR_ELx.A set the alignment unit is the element:
 * check it once (every element shares the base's alignment) and fall back to byte accesses when
 * the 8-byte chunks would be misaligned.
 */
function loadBytes(cpu: Cpu, lo: number, hi: number, nbytes: number, ebytes: number): void {
  cpu.checkAlignment(lo, hi, ebytes, false);
  if ((nbytes & 7) === 0 && (lo & 7 & cpu.alignMask) === 0) {
    for (let k = 0; k < nbytes; k += 8) {
      const s = (lo >>> 0) + k;
      TW[k >> 2] = cpu.ld64(s | 0, s >= TWO32 ? (hi + 1) | 0 : hi);
      TW[(k >> 2) + 1] = cpu.ldHi;
    }
  } else {
    for (let k = 0; k < nbytes; k++) {
      const s = (lo >>> 0) + k;
      TB[k] = cpu.ld8(s | 0, s >= TWO32 ? (hi + 1) | 0 : hi);
    }
  }
}
function storeBytes(cpu: Cpu, lo: number, hi: number, nbytes: number, ebytes: number): void {
  cpu.checkAlignment(lo, hi, ebytes, true);
  if ((nbytes & 7) === 0 && (lo & 7 & cpu.alignMask) === 0) {
    for (let k = 0; k < nbytes; k += 8) {
      const s = (lo >>> 0) + k;
      cpu.st64(s | 0, s >= TWO32 ? (hi + 1) | 0 : hi, TW[k >> 2], TW[(k >> 2) + 1]);
    }
  } else {
    for (let k = 0; k < nbytes; k++) {
      const s = (lo >>> 0) + k;
      cpu.st8(s | 0, s >= TWO32 ? (hi + 1) | 0 : hi, TB[k]);
    }
  }
}

/** Post-index: base += (Rm == 31 ? imm : X[m]). */
function postIndex(cpu: Cpu, n: number, m: number, imm: number): void {
  let olo: number, ohi: number;
  if (m === 31) { olo = imm; ohi = 0; } else { olo = cpu.xlo[m]; ohi = cpu.xhi[m]; }
  const s = (cpu.xlo[n] >>> 0) + (olo >>> 0);
  cpu.xlo[n] = s | 0;
  cpu.xhi[n] = (cpu.xhi[n] + ohi + (s >= TWO32 ? 1 : 0)) | 0;
}

// ------------------------------------------------------------------ disassembly

const ARR = [['8b', '16b'], ['4h', '8h'], ['2s', '4s'], ['1d', '2d']];
const ESZ = ['b', 'h', 's', 'd'];

/** `{v0.16b, v1.16b}`, or `{v0.16b-v3.16b}` for more than two registers without wrap-around. */
function vlist(t: number, count: number, suffix: string): string {
  if (count > 2 && t + count - 1 <= 31) return `{v${t}.${suffix}-v${t + count - 1}.${suffix}}`;
  const r: string[] = [];
  for (let k = 0; k < count; k++) r.push(`v${(t + k) & 31}.${suffix}`);
  return `{${r.join(', ')}}`;
}
function addrText(i: number, post: boolean, imm: number): string {
  const n = (i >>> 5) & 31, m = (i >>> 16) & 31;
  if (!post) return `[${xsp(n)}]`;
  return m === 31 ? `[${xsp(n)}], #${imm}` : `[${xsp(n)}], ${reg(m, true)}`;
}

// ------------------------------------------------------------------ multiple structures

/** opcode -> [registers, elements per structure] */
const MULTI: Record<number, [number, number]> = { 0b0000: [4, 4], 0b0010: [4, 1], 0b0100: [3, 3], 0b0110: [3, 1], 0b0111: [1, 1], 0b1000: [2, 2], 0b1010: [2, 1] };

function multiple(l: number, opcode: number, q: number, size: number, post: boolean): EncodingSpec {
  const [nregs, selem] = MULTI[opcode];
  const regBytes = q ? 16 : 8, ebytes = 1 << size, total = regBytes * nregs, elements = regBytes / ebytes;
  const m = `${l ? 'ld' : 'st'}${selem}`;
  const suffix = ARR[size][q];
  const pattern = '0' + q + '001100' + (post ? '1' : '0') + l + (post ? '0mmmmm' : '000000') + bin(opcode, 4) + bin(size, 2) + 'nnnnnttttt';
  const exec = l
    ? (cpu: Cpu, i: number): void => {
      const n = (i >>> 5) & 31, t = i & 31;
      loadBytes(cpu, cpu.xlo[n], cpu.xhi[n], total, ebytes);
      const vb = cpu.vbytes;
      if (selem === 1) {
        for (let r = 0; r < nregs; r++) {
          const d = ((t + r) & 31) << 4;
          vb.set(TB.subarray(r * regBytes, (r + 1) * regBytes), d);
          if (regBytes === 8) vb.fill(0, d + 8, d + 16);
        }
      } else {
        for (let e = 0; e < elements; e++) {
          for (let s = 0; s < selem; s++) {
            const d = (((t + s) & 31) << 4) + e * ebytes, src = (e * selem + s) * ebytes;
            for (let b = 0; b < ebytes; b++) vb[d + b] = TB[src + b];
          }
        }
        if (regBytes === 8) for (let s = 0; s < selem; s++) { const d = ((t + s) & 31) << 4; vb.fill(0, d + 8, d + 16); }
      }
      if (post) postIndex(cpu, n, (i >>> 16) & 31, total);
    }
    : (cpu: Cpu, i: number): void => {
      const n = (i >>> 5) & 31, t = i & 31;
      const vb = cpu.vbytes;
      if (selem === 1) {
        for (let r = 0; r < nregs; r++) {
          const d = ((t + r) & 31) << 4;
          TB.set(vb.subarray(d, d + regBytes), r * regBytes);
        }
      } else {
        for (let e = 0; e < elements; e++) {
          for (let s = 0; s < selem; s++) {
            const d = (((t + s) & 31) << 4) + e * ebytes, dst = (e * selem + s) * ebytes;
            for (let b = 0; b < ebytes; b++) TB[dst + b] = vb[d + b];
          }
        }
      }
      storeBytes(cpu, cpu.xlo[n], cpu.xhi[n], total, ebytes);
      if (post) postIndex(cpu, n, (i >>> 16) & 31, total);
    };
  return {
    name: `${m.toUpperCase()}_asisdlse${post ? 'p' : ''}_R${nregs}_${suffix}`, cls: 'ldst-simd', pattern, exec,
    disasm: (i) => `${m}\t${vlist(i & 31, nregs, suffix)}, ${addrText(i, post, total)}`,
  };
}

// ------------------------------------------------------------------ single structure

/** Element loads/stores of 1, 2, 4 or 8 bytes between memory and TB[off]. */
function ldElem(cpu: Cpu, lo: number, hi: number, k: number, ebytes: number): void {
  const s = (lo >>> 0) + k * ebytes, l = s | 0, h = s >= TWO32 ? (hi + 1) | 0 : hi;
  const off = k * ebytes;
  switch (ebytes) {
    case 1: TB[off] = cpu.ld8(l, h); break;
    case 2: { const v = cpu.ld16(l, h); TB[off] = v; TB[off + 1] = v >>> 8; break; }
    case 4: TW[off >> 2] = cpu.ld32(l, h); break;
    default: TW[off >> 2] = cpu.ld64(l, h); TW[(off >> 2) + 1] = cpu.ldHi; break;
  }
}
function stElem(cpu: Cpu, lo: number, hi: number, k: number, ebytes: number): void {
  const s = (lo >>> 0) + k * ebytes, l = s | 0, h = s >= TWO32 ? (hi + 1) | 0 : hi;
  const off = k * ebytes;
  switch (ebytes) {
    case 1: cpu.st8(l, h, TB[off]); break;
    case 2: cpu.st16(l, h, TB[off] | (TB[off + 1] << 8)); break;
    case 4: cpu.st32(l, h, TW[off >> 2]); break;
    default: cpu.st64(l, h, TW[off >> 2], TW[(off >> 2) + 1]); break;
  }
}

function single(l: number, r: number, opcode: number, s: number, size: number, post: boolean): EncodingSpec | undefined {
  const selem = (((opcode & 1) << 1) | r) + 1;
  let scale = opcode >> 1;
  const replicate = scale === 3;
  // index = Q:S:size bits, trimmed by scale (Arm ARM, shared decode for single structure)
  let indexOf: (q: number) => number;
  switch (scale) {
    case 0: indexOf = (q) => (q << 3) | (s << 2) | size; break;
    case 1: if (size & 1) return undefined; indexOf = (q) => (q << 2) | (s << 1) | (size >> 1); break;
    case 2:
      if (size & 2) return undefined;
      if ((size & 1) === 0) indexOf = (q) => (q << 1) | s;
      else { if (s) return undefined; indexOf = (q) => q; scale = 3; }
      break;
    default:
      if (l === 0 || s === 1) return undefined;
      scale = size; indexOf = () => 0;
  }
  const ebytes = 1 << scale, total = selem * ebytes;
  const m = `${l ? 'ld' : 'st'}${selem}${replicate ? 'r' : ''}`;
  const pattern = '0q001101' + (post ? '1' : '0') + l + r + (post ? 'mmmmm' : '00000') + bin(opcode, 3) + s + bin(size, 2) + 'nnnnnttttt';
  const exec = (cpu: Cpu, i: number): void => {
    const n = (i >>> 5) & 31, t = i & 31, q = (i >>> 30) & 1;
    const lo = cpu.xlo[n], hi = cpu.xhi[n], vb = cpu.vbytes;
    if (replicate) {
      for (let k = 0; k < selem; k++) ldElem(cpu, lo, hi, k, ebytes);
      const regBytes = q ? 16 : 8;
      for (let k = 0; k < selem; k++) {
        const d = ((t + k) & 31) << 4;
        for (let e = 0; e < regBytes; e += ebytes) for (let b = 0; b < ebytes; b++) vb[d + e + b] = TB[k * ebytes + b];
        if (!q) vb.fill(0, d + 8, d + 16);
      }
    } else {
      const lane = indexOf(q) * ebytes;
      if (l) {
        for (let k = 0; k < selem; k++) ldElem(cpu, lo, hi, k, ebytes);
        for (let k = 0; k < selem; k++) {
          const d = (((t + k) & 31) << 4) + lane;
          for (let b = 0; b < ebytes; b++) vb[d + b] = TB[k * ebytes + b];
        }
      } else {
        for (let k = 0; k < selem; k++) {
          const d = (((t + k) & 31) << 4) + lane;
          for (let b = 0; b < ebytes; b++) TB[k * ebytes + b] = vb[d + b];
        }
        for (let k = 0; k < selem; k++) stElem(cpu, lo, hi, k, ebytes);
      }
    }
    if (post) postIndex(cpu, n, (i >>> 16) & 31, total);
  };
  const name = `${m.toUpperCase()}_asisdlso${post ? 'p' : ''}_${r}${bin(opcode, 3)}${s}${bin(size, 2)}`;
  return {
    name, cls: 'ldst-simd', pattern, exec,
    disasm: (i) => {
      const q = (i >>> 30) & 1, t = i & 31;
      const list = replicate ? vlist(t, selem, ARR[size][q]) : vlist(t, selem, ESZ[scale]) + `[${indexOf(q)}]`;
      return `${m}\t${list}, ${addrText(i, post, total)}`;
    },
  };
}

function build(): EncodingSpec[] {
  const out: EncodingSpec[] = [];
  for (const post of [false, true]) {
    for (let l = 0; l < 2; l++) {
      for (const opcode of Object.keys(MULTI).map(Number)) {
        const selem = MULTI[opcode][1];
        for (let size = 0; size < 4; size++) {
          for (let q = 0; q < 2; q++) {
            if (size === 3 && q === 0 && selem > 1) continue; // reserved .1d with LD2-LD4
            out.push(multiple(l, opcode, q, size, post));
          }
        }
      }
      for (let r = 0; r < 2; r++) {
        for (let opcode = 0; opcode < 8; opcode++) {
          for (let s = 0; s < 2; s++) {
            for (let size = 0; size < 4; size++) {
              const e = single(l, r, opcode, s, size, post);
              if (e) out.push(e);
            }
          }
        }
      }
    }
  }
  return out;
}

export const SIMD_STRUCT: EncodingSpec[] = build();
