// Semantics of the SIMD-move class vs QEMU (differential harness, which dumps V0-V31, X0-X30 and
// FPSR): random words of every implemented encoding on random register contents, every FMOV
// immediate, gcc-style idioms; plus unit tests that SIMD arithmetic, half precision and reserved
// encodings stop with kind 'undefined'.
import { strict as assert } from 'node:assert';
import { SIMD_MOVE } from '../../emulator/arch/a64/simd-move';
import { a64Decoder } from '../../emulator/arch/decoder';
import { compilePattern } from '../../emulator/arch/encoding';
import { describeMismatches, diffSnippets } from '../tools/harness/diff';
import type { SnippetState } from '../tools/harness/snippet';
import { hex, lastRunAddress, makeFpCpu, rand64, rng, runWords } from './system-util';

type Case = { body: string[]; state?: SnippetState };

function check(cases: Case[], tag: string): void {
  let bad: string[] = [];
  for (let k = 0; k < cases.length; k += 300) {
    const rep = diffSnippets(cases.slice(k, k + 300), tag);
    bad = bad.concat(describeMismatches(rep));
  }
  console.log(`      ${cases.length - bad.length}/${cases.length} cases identical to QEMU`);
  assert.deepEqual(bad.slice(0, 10), [], `${bad.length} mismatches`);
}

function randomState(r: () => number): SnippetState {
  const x: bigint[] = [];
  for (let k = 0; k < 28; k++) x.push(rand64(r)); // X28 (scratch pointer) and above: defaults
  const v: bigint[] = [];
  for (let k = 0; k < 32; k++) v.push((rand64(r) << 64n) | rand64(r));
  return { x, v, nzcv: r() & 15 };
}

const isFp16 = (name: string): boolean => /(^FMOV_(H|32H|64H|H32|H64)_|asimdimm_H_h)/.test(name);

describe('SIMD moves: semantics vs QEMU', function () {
  this.timeout(120_000);

  it('random words of every encoding (random V and X registers)', () => {
    const r = rng(0x5eed);
    const dec = a64Decoder();
    const words: number[] = [];
    for (const spec of SIMD_MOVE) {
      if (isFp16(spec.name)) continue;
      const e = compilePattern(spec);
      for (let k = 0; k < 40; k++) {
        const w = (e.value | (r() & ~e.mask)) >>> 0;
        assert.equal(dec.decode(w | 0)?.name, spec.name, `${hex(w)} should decode as ${spec.name}`);
        words.push(w);
      }
    }
    // Shuffle so that each case mixes encodings, 6 words a case.
    for (let k = words.length - 1; k > 0; k--) { const j = r() % (k + 1); [words[k], words[j]] = [words[j], words[k]]; }
    const cases: Case[] = [];
    for (let k = 0; k < words.length; k += 6) cases.push({ body: words.slice(k, k + 6).map((w) => `.inst ${hex(w)}`), state: randomState(r) });
    console.log(`      ${words.length} words in ${cases.length} cases`);
    check(cases, 'simd-gen');
  });

  it('every FMOV immediate (scalar S/D, vector 2S/4S/2D) and MOVI 64-bit pattern', () => {
    const r = rng(0xf00);
    const cases: Case[] = [];
    for (let a = 0; a < 256; a += 8) {
      const body: string[] = [];
      for (let k = 0; k < 8; k++) {
        const imm8 = a + k, abc = imm8 >> 5, defgh = imm8 & 31;
        body.push(`.inst ${hex(0x1e201000 | (imm8 << 13) | k)}`); // fmov s<k>, #imm
        body.push(`.inst ${hex(0x1e601000 | (imm8 << 13) | (k + 8))}`); // fmov d<k+8>, #imm
        body.push(`.inst ${hex(0x0f00f400 | (abc << 16) | (defgh << 5) | ((k & 1) << 30) | (k + 16))}`); // fmov v.2s/4s
        body.push(`.inst ${hex(0x6f00f400 | (abc << 16) | (defgh << 5) | (k + 24))}`); // fmov v.2d
      }
      cases.push({ body, state: randomState(r) });
      const movi: string[] = [];
      for (let k = 0; k < 8; k++) {
        const imm8 = a + k, abc = imm8 >> 5, defgh = imm8 & 31;
        movi.push(`.inst ${hex(0x2f00e400 | (abc << 16) | (defgh << 5) | ((k & 1) << 30) | (k * 3))}`); // movi d / v.2d
      }
      cases.push({ body: movi, state: randomState(r) });
    }
    check(cases, 'simd-imm');
  });

  it('assembler idioms: gcc/glibc-style moves, aliasing registers, zero registers', () => {
    const r = rng(0x1d10);
    const bodies: string[][] = [
      ['mov v0.16b, v1.16b', 'mov v2.8b, v3.8b', 'mov v4.16b, v4.16b', 'orr v5.16b, v6.16b, v7.16b', 'orr v8.8b, v9.8b, v10.8b'],
      ['movi v0.2d, #0', 'movi d1, #0', 'movi v2.16b, #0xff', 'movi v3.4s, #0x80, lsl #24', 'mvni v4.4s, #0', 'mvni v5.8h, #0x12, lsl #8'],
      ['orr v0.4s, #0x1, lsl #8', 'bic v1.4s, #0xff', 'orr v2.8h, #0x80', 'bic v3.4h, #0x1, lsl #8', 'orr v4.2s, #0xf0, lsl #16', 'bic v5.2s, #0x3, lsl #24'],
      ['movi v6.4s, #0x12, msl #8', 'movi v7.2s, #0x34, msl #16', 'mvni v8.4s, #0x56, msl #16', 'mvni v9.2s, #0x78, msl #8'],
      ['fmov s0, w1', 'fmov w2, s3', 'fmov d4, x5', 'fmov x6, d7', 'fmov v8.d[1], x9', 'fmov x10, v11.d[1]', 'fmov s12, wzr', 'fmov d13, xzr'],
      ['fmov s0, s1', 'fmov d2, d3', 'fmov d4, d4', 'fmov s5, s5', 'fmov d6, #1.0', 'fmov s7, #-0.5', 'fmov v8.4s, #2.0', 'fmov v9.2d, #-31.0'],
      ['dup v0.16b, w1', 'dup v2.8h, w3', 'dup v4.4s, w5', 'dup v6.2d, x7', 'dup v8.8b, wzr', 'dup v9.4h, w10', 'dup v11.2s, w12'],
      ['dup v0.16b, v1.b[15]', 'dup v2.8h, v3.h[7]', 'dup v4.4s, v5.s[3]', 'dup v6.2d, v7.d[1]', 'dup v8.2s, v8.s[1]', 'dup v9.4h, v9.h[0]'],
      ['mov b0, v1.b[15]', 'mov h2, v3.h[5]', 'mov s4, v5.s[3]', 'mov d6, v7.d[1]', 'mov s8, v8.s[2]'],
      ['mov v0.b[3], w1', 'mov v2.h[7], w3', 'mov v4.s[2], w5', 'mov v6.d[1], x7', 'mov v8.d[0], xzr', 'ins v9.s[0], w10'],
      ['mov v0.b[0], v1.b[15]', 'mov v2.h[3], v3.h[6]', 'mov v4.s[1], v5.s[2]', 'mov v6.d[1], v7.d[0]', 'mov v8.s[3], v8.s[0]', 'ins v9.d[0], v9.d[1]'],
      ['umov w0, v1.b[9]', 'umov w2, v3.h[6]', 'mov w4, v5.s[3]', 'mov x6, v7.d[1]', 'umov w8, v9.b[0]', 'mov x10, v11.d[0]'],
      ['smov w0, v1.b[9]', 'smov w2, v3.h[6]', 'smov x4, v5.b[15]', 'smov x6, v7.h[0]', 'smov x8, v9.s[3]', 'smov x10, v11.s[0]'],
    ];
    const cases: Case[] = [];
    for (const body of bodies) for (let k = 0; k < 4; k++) cases.push({ body, state: randomState(r) });
    // Sign edges for SMOV/UMOV: all-ones and 0x80 bytes.
    const v = Array.from({ length: 32 }, (_, i) => (i & 1 ? 0x80808080808080808080808080808080n : 0xffffffffffffffffffffffffffffffffn));
    cases.push({ body: ['smov x0, v1.b[3]', 'smov w2, v1.h[1]', 'smov x3, v1.s[2]', 'umov w4, v1.b[3]', 'smov x5, v2.b[0]', 'smov w6, v2.h[7]'], state: { v } });
    check(cases, 'simd-idiom');
  });
});

describe('SIMD moves: unit tests (UNDEFINED encodings, register writes)', () => {
  it('SIMD arithmetic, conversions, FP16 and reserved copy/immediate encodings stop with kind undefined', () => {
    const words: [number, string][] = [
      [0x4ea28420, 'add v0.4s, v1.4s, v2.4s'],
      [0x1e222820, 'fadd s0, s1, s2'],
      [0x0e621c23, 'bic v3.8b, v1.8b, v2.8b'],
      [0x4e211c20, 'and v0.16b, v1.16b, v1.16b'],
      [0x6e221c20, 'eor v0.16b, v1.16b, v2.16b'],
      [0x1e380020, 'fcvtzs w0, s1'],
      [0x1e220020, 'scvtf s0, w1'],
      [0x1e21c020, 'fsqrt s0, s1'],
      [0x1e60c020, 'fabs d0, d1'],
      [0x1ee70020, 'fmov h0, w1 (FP16)'],
      [0x1ee04020, 'fmov h0, h1 (FP16)'],
      [0x0f00fc00, 'fmov v0.4h, #2.0 (FP16)'],
      [0x0e080c20, 'dup v0.1d, x1 (reserved)'],
      [0x0e100c20, 'dup imm5=10000 (reserved)'],
      [0x0e003c20, 'umov imm5=00000 (reserved)'],
      [0x0e0c2c20, 'smov w0, v1.s[1] (reserved)'],
      [0x2f00f400, 'fmov v0.1d (Q=0, reserved)'],
      [0x0f000c00, 'modified immediate o2=1 (unallocated)'],
      [0x1e201020 | 0, 'fmov imm5 != 0 (unallocated)'],
    ];
    for (const [w, what] of words) {
      const cpu = makeFpCpu();
      const stop = runWords(cpu, [w]);
      assert.equal(stop?.kind, 'undefined', `${what} (${hex(w)}) should be UNDEFINED`);
      assert.equal(stop.kind === 'undefined' && stop.pc, BigInt(lastRunAddress));
    }
  });

  it('scalar and 64-bit vector writes zero the upper bits; INS and FMOV Vd.D[1] keep the rest', () => {
    const cpu = makeFpCpu();
    const fill = (): void => { for (let k = 0; k < 32 * 16; k++) cpu.vbytes[k] = 0xee; };
    const v = (r: number): bigint => {
      let x = 0n;
      for (let k = 15; k >= 0; k--) x = (x << 8n) | BigInt(cpu.vbytes[r * 16 + k]);
      return x;
    };
    cpu.setX(1, 0x1122334455667788n);
    fill(); assert.equal(runWords(cpu, [0x1e270020 /* fmov s0, w1 */]), undefined); assert.equal(v(0), 0x55667788n);
    fill(); assert.equal(runWords(cpu, [0x9e670020 /* fmov d0, x1 */]), undefined); assert.equal(v(0), 0x1122334455667788n);
    fill(); assert.equal(runWords(cpu, [0x9eaf0020 /* fmov v0.d[1], x1 */]), undefined); assert.equal(v(0), 0x1122334455667788eeeeeeeeeeeeeeeen);
    fill(); assert.equal(runWords(cpu, [0x4e0c1c20 /* mov v0.s[1], w1 */]), undefined); assert.equal(v(0), 0xeeeeeeeeeeeeeeee55667788eeeeeeeen);
    fill(); assert.equal(runWords(cpu, [0x0e040c20 /* dup v0.2s, w1 */]), undefined); assert.equal(v(0), 0x5566778855667788n);
    fill(); assert.equal(runWords(cpu, [0x5e030420 /* mov b0, v1.b[1] */]), undefined); assert.equal(v(0), 0xeen);
    fill(); assert.equal(runWords(cpu, [0x2f00e400 /* movi d0, #0 */]), undefined); assert.equal(v(0), 0n);
    fill(); assert.equal(runWords(cpu, [0x0ea11c20 /* mov v0.8b, v1.8b */]), undefined); assert.equal(v(0), 0xeeeeeeeeeeeeeeeen);
    fill(); assert.equal(runWords(cpu, [0x1e6e1000 /* fmov d0, #1.0 */]), undefined); assert.equal(v(0), 0x3ff0000000000000n);
    fill(); assert.equal(runWords(cpu, [0x1e2e1000 /* fmov s0, #1.0 */]), undefined); assert.equal(v(0), 0x3f800000n);
  });
});
