// Semantics of the data-processing class vs QEMU (differential harness), part 1: generated words of
// every encoding (fuzzOk, not UNDEFINED) run with edge-value registers and random flags; bit
// operations, CRC32, move wide, PC-relative. Plus: reserved encodings stop with kind 'undefined'.
// Part 2 (hand-written edge cases) is dp-semantics-edge.test.ts.
import { strict as assert } from 'node:assert';
import { DATA_PROCESSING } from '../../emulator/arch/a64/dp';
import { a64Decoder } from '../../emulator/arch/decoder';
import { describeMismatches, diffSnippets } from '../tools/harness/diff';
import type { SnippetState } from '../tools/harness/snippet';
import { isUndefinedText, objdumpWords } from '../tools/objdump';
import { rng, wordsFor } from './dp-disasm.test';

const EDGE: bigint[] = [
  0n, 1n, 2n, 31n, 32n, 63n, 64n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n,
  0xffffffffn, 0xfffffffen, 0x100000000n, 0x1ffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n,
  0xffffffffffffffffn, 0xfffffffffffffffen, 0xffffffff80000000n, 0xffffffff7fffffffn, 0x8000000080000000n,
  0x123456789abcdef0n, 0xfedcba9876543210n, 0x00000000deadbeefn, 0x5555555555555555n, 0xaaaaaaaaaaaaaaaan,
];

type Case = { body: string[]; state?: SnippetState };

function randomState(r: () => number): SnippetState {
  const x: bigint[] = [];
  for (let k = 0; k <= 30; k++) {
    const c = r() % 4;
    x.push(c === 3 ? (BigInt(r()) << 32n) | BigInt(r()) : EDGE[r() % EDGE.length]);
  }
  return { x, nzcv: r() & 15, sp: EDGE[r() % EDGE.length] & ~15n };
}

function check(cases: Case[], tag: string): void {
  for (let k = 0; k < cases.length; k += 400) {
    const rep = diffSnippets(cases.slice(k, k + 400), tag);
    const bad = describeMismatches(rep);
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} mismatches`);
  }
}

const hex = (v: bigint): string => '0x' + v.toString(16);

describe('data processing: semantics vs QEMU', function () {
  this.timeout(300000);

  it('generated words of every encoding (edge registers, random flags)', () => {
    // Each case runs up to 8 words. Word k writes Rd = k (the last one keeps Rd = 31: SP or ZR)
    // and is followed by `mrs x(8+k), nzcv`; sources come from x16..x30 (edge values) or 31.
    const r = rng(0xdada);
    const dec = a64Decoder();
    const words: number[] = [];
    const hasRd = new Map<number, boolean>();
    DATA_PROCESSING.forEach((spec, si) => {
      const p = spec.pattern.replace(/ /g, '');
      const has = (ch: string, lo: number): boolean => p.slice(31 - lo - 4, 32 - lo) === ch.repeat(5);
      const ws = wordsFor(spec, 32, 0xbeef + si * 104729).filter((w) => !spec.fuzzOk || spec.fuzzOk(w | 0));
      ws.forEach((w) => {
        const src = (): number => (r() % 6 === 0 ? 31 : 16 + (r() % 15));
        if (has('n', 5)) w = (w & ~(31 << 5)) | (src() << 5);
        if (has('m', 16)) w = (w & ~(31 << 16)) | (src() << 16);
        if (has('a', 10)) w = (w & ~(31 << 10)) | (src() << 10);
        words.push(w >>> 0);
        hasRd.set(w >>> 0, has('d', 0));
      });
    });
    const text = objdumpWords(words, 0n);
    const ok = words.filter((w, k) => !isUndefinedText(text[k]) && dec.decode(w | 0) !== undefined);
    const cases: Case[] = [];
    for (let k = 0; k < ok.length; k += 8) {
      const body: string[] = [];
      ok.slice(k, k + 8).forEach((w, j) => {
        if (hasRd.get(w)) w = ((w & ~31) | (j === 7 ? 31 : j)) >>> 0;
        body.push(`.inst ${hex(BigInt(w))}`, `mrs x${8 + j}, nzcv`);
      });
      cases.push({ body, state: randomState(r) });
    }
    console.log(`      ${ok.length} generated words in ${cases.length} cases`);
    check(cases, 'dp-gen');
  });

  it('bit operations, CRC32, move wide, PC-relative', () => {
    const cases: Case[] = [];
    for (const v of EDGE) {
      cases.push({
        body: ['rbit x0, x1', 'rbit w2, w1', 'rev x3, x1', 'rev32 x4, x1', 'rev16 x5, x1', 'rev w6, w1', 'rev16 w7, w1',
          'clz x8, x1', 'clz w9, w1', 'cls x10, x1', 'cls w11, w1', 'crc32b w12, w1, w2', 'crc32h w13, w1, w2', 'crc32w w14, w1, w2',
          'crc32x w15, w1, x2', 'crc32cb w16, w1, w2', 'crc32ch w17, w1, w2', 'crc32cw w18, w1, w2', 'crc32cx w19, w1, x2',
          'movk x20, #0xbeef, lsl #32', 'movk w21, #0xbeef, lsl #16', 'movn w22, #0x1234', 'movz x23, #0x8000, lsl #48',
          'adr x24, .', 'adrp x25, .', 'sxtb x26, w1', 'uxth w27, w1', 'sxtw x29, w1', 'sxth w30, w1'],
        state: { x: [0n, v, v ^ 0x0f0f0f0f12345678n] },
      });
    }
    check(cases, 'dp-bits');
  });

  it('reserved encodings stop with kind undefined', () => {
    const dec = a64Decoder();
    const reserved = [
      0x32400000, // ORR w0, w0, #imm with N=1 (32-bit)
      0x92400000 | (0x3f << 10), // AND x0: imms = 111111 (all ones: invalid DecodeBitMasks)
      0x1203fc00, // AND w: N=0 imms=111111
      0x52c00000, // MOVZ w0 with hw=2
      0x13400000, // SBFM w with N=1
      0x93000000, // SBFM x with N=0
      0x0b000000 | (0x20 << 10), // ADD w (shifted) imm6 = 32
      0x8bc00000, // ADD x (shifted) shift = 11
      0x8b200000 | (5 << 10), // ADD x (extended) shift = 5
      0x13808000, // EXTR w with imms<5> = 1
      0x2a008000, // ORR w (shifted) imm6 = 32
    ];
    const objd = objdumpWords(reserved, 0n);
    reserved.forEach((w, k) => {
      assert.ok(isUndefinedText(objd[k]), `objdump decodes ${w.toString(16)} as ${objd[k]}`);
      const e = dec.decode(w | 0);
      assert.ok(e, `${w.toString(16)} should fall in a data-processing pattern`);
      let stop: unknown;
      const cpu = { pc: 0n, undefinedInstruction: (insn: number, reason: string) => { stop = { kind: 'undefined', insn, reason }; throw new Error('stop'); } };
      assert.throws(() => e.exec(cpu as never, w | 0));
      assert.equal((stop as { kind: string }).kind, 'undefined', `${w.toString(16)} (${e.name})`);
    });
  });

  it('64-bit multiply and divide handlers equal BigInt arithmetic on random operands', () => {
    // A bare register file is enough for these handlers (they touch only xlo/xhi).
    const cpu = { xlo: new Int32Array(34), xhi: new Int32Array(34) };
    const byName = new Map(DATA_PROCESSING.map((e) => [e.name, e]));
    const M = (1n << 64n) - 1n;
    const r = rng(0x6d756c);
    const set = (k: number, v: bigint): void => { cpu.xlo[k] = Number(v & 0xffffffffn) | 0; cpu.xhi[k] = Number((v >> 32n) & 0xffffffffn) | 0; };
    const get = (k: number): bigint => (BigInt(cpu.xhi[k] >>> 0) << 32n) | BigInt(cpu.xlo[k] >>> 0);
    const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
    const s32 = (v: bigint): bigint => BigInt.asIntN(32, v & 0xffffffffn);
    const rand = (): bigint => {
      const c = r() % 4;
      if (c === 0) return EDGE[r() % EDGE.length];
      if (c === 1) return BigInt(r()); // 32-bit only
      if (c === 2) return BigInt.asUintN(64, BigInt(r() | 0)); // sign-extended 32-bit
      return (BigInt(r()) << 32n) | BigInt(r());
    };
    const w = (name: string): number => (Number(BigInt('0b' + byName.get(name)!.pattern.replace(/[^01]/g, '0'))) | (2 << 16) | (3 << 10) | (1 << 5) | 4) | 0;
    const checks: [string, (a: bigint, b: bigint, c: bigint) => bigint][] = [
      ['MADD_64A_dp_3src', (a, b, c) => (c + a * b) & M],
      ['MSUB_64A_dp_3src', (a, b, c) => (c - a * b) & M],
      ['SMADDL_64WA_dp_3src', (a, b, c) => (c + s32(a) * s32(b)) & M],
      ['UMSUBL_64WA_dp_3src', (a, b, c) => (c - (a & 0xffffffffn) * (b & 0xffffffffn)) & M],
      ['SMULH_64_dp_3src', (a, b) => ((s64(a) * s64(b)) >> 64n) & M],
      ['UMULH_64_dp_3src', (a, b) => (a * b) >> 64n],
      ['UDIV_64_dp_2src', (a, b) => (b === 0n ? 0n : a / b)],
      ['SDIV_64_dp_2src', (a, b) => (b === 0n ? 0n : (s64(a) / s64(b)) & M)],
      ['MADD_32A_dp_3src', (a, b, c) => (c + a * b) & 0xffffffffn],
      ['UDIV_32_dp_2src', (a, b) => ((b & 0xffffffffn) === 0n ? 0n : (a & 0xffffffffn) / (b & 0xffffffffn))],
      ['SDIV_32_dp_2src', (a, b) => (s32(b) === 0n ? 0n : (s32(a) / s32(b)) & 0xffffffffn)],
    ];
    for (const [name, f] of checks) {
      const e = byName.get(name)!, insn = w(name);
      for (let k = 0; k < 3000; k++) {
        const a = rand(), b = rand(), c = rand();
        set(1, a); set(2, b); set(3, c);
        e.exec(cpu as never, insn);
        assert.equal(get(4), f(a, b, c), `${name}(0x${a.toString(16)}, 0x${b.toString(16)}, 0x${c.toString(16)})`);
      }
    }
  });
});
