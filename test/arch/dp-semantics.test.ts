// Semantics of the data-processing class vs QEMU (differential harness): (1) generated words of
// every encoding (fuzzOk, not UNDEFINED) run with edge-value registers and random flags; (2)
// hand-written edge cases (carries, overflow, all shift amounts, all conditions, divides,
// multiplies, CRC). Plus: reserved encodings stop with kind 'undefined'.
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
    const r = rng(0xdada);
    const words: number[] = [];
    DATA_PROCESSING.forEach((spec, si) => {
      const ws = wordsFor(spec, 60, 0xbeef + si * 104729).filter((w) => !spec.fuzzOk || spec.fuzzOk(w | 0));
      words.push(...ws);
    });
    const text = objdumpWords(words, 0n);
    const dec = a64Decoder();
    const cases: Case[] = [];
    words.forEach((w, k) => {
      if (isUndefinedText(text[k]) || !dec.decode(w | 0)) return;
      cases.push({ body: [`.inst ${hex(BigInt(w))}`], state: randomState(r) });
    });
    console.log(`      ${cases.length} generated cases`);
    check(cases, 'dp-gen');
  });

  it('add/sub/adc/sbc (imm, shifted, extended) and flags at the edges', () => {
    const cases: Case[] = [];
    const pairs: [bigint, bigint][] = [];
    for (const a of EDGE) for (const b of [0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn]) pairs.push([a, b]);
    const ops = ['adds x0, x1, x2', 'subs x0, x1, x2', 'adds w0, w1, w2', 'subs w0, w1, w2', 'adcs x0, x1, x2', 'sbcs x0, x1, x2',
      'adcs w0, w1, w2', 'sbcs w0, w1, w2', 'adc x0, x1, x2', 'sbc w0, w1, w2', 'negs x0, x2', 'ngcs w0, w2',
      'adds x0, x1, w2, sxtw #2', 'subs w0, w1, w2, sxth #4', 'add x0, sp, w2, uxtb #1', 'sub sp, x1, x2, sxtx #3',
      'cmp x1, #0xfff', 'cmn w1, #0x1, lsl #12', 'subs x0, x1, #0x1', 'add w0, w1, #0xfff, lsl #12', 'sub x0, x1, #0x1, lsl #12'];
    for (const op of ops) for (const [a, b] of pairs) for (const nzcv of [0, 2]) cases.push({ body: [op], state: { x: [0n, a, b], nzcv: nzcv << 28 >>> 28 } });
    check(cases, 'dp-arith');
  });

  it('shifts: every amount, register and immediate, 32 and 64 bit', () => {
    const cases: Case[] = [];
    for (let s = 0; s < 64; s++) {
      const body: string[] = [];
      for (const op of ['lsl', 'lsr', 'asr', 'ror']) {
        body.push(`${op} x0, x1, x2`, `${op} w3, w1, w2`, `${op} x4, x1, #${s}`);
        if (s < 32) body.push(`${op} w5, w1, #${s}`);
        body.push(`add x6, x6, x0`, `eor x7, x7, x3, ror #1`, `add x8, x8, x4`, `eor x9, x9, x5`);
        body.push(`add x10, x1, x2, ${op === 'ror' ? 'lsl' : op} #${s}`, `eor x11, x11, x10`);
        body.push(`orn x12, x1, x2, ${op} #${s}`, `eor x13, x13, x12`);
      }
      for (const v of [0x8000000000000001n, 0x123456789abcdef0n, 0xffffffff00000000n])
        cases.push({ body, state: { x: [0n, v, BigInt(s) | (BigInt(s) << 8n) | 0xffffff00000000n] } });
      cases.push({ body: [`ubfx x0, x1, #${s}, #${64 - s}`, `sbfx x2, x1, #${s}, #${64 - s}`, `ubfiz x3, x1, #${s}, #${64 - s}`,
        `sbfiz x4, x1, #${s}, #${64 - s}`, `bfi x5, x1, #${s}, #${64 - s}`, `bfxil x6, x1, #${s}, #${64 - s}`, `extr x7, x1, x2, #${s}`],
      state: { x: [0n, 0xf0e1d2c3b4a59687n, 0x8877665544332211n] } });
    }
    check(cases, 'dp-shift');
  });

  it('multiply and divide at the edges', () => {
    const cases: Case[] = [];
    const vals = [0n, 1n, 2n, 3n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n,
      0xffffffffffffffffn, 0x123456789abcdef0n, 0xfedcba9876543210n, 0x10001n, 0xffff0000ffffn, 0x00000000fffffffen];
    for (const a of vals) for (const b of vals) {
      cases.push({
        body: ['mul x0, x1, x2', 'madd x3, x1, x2, x4', 'msub x5, x1, x2, x4', 'smulh x6, x1, x2', 'umulh x7, x1, x2',
          'smaddl x8, w1, w2, x4', 'umsubl x9, w1, w2, x4', 'mul w10, w1, w2', 'msub w11, w1, w2, w4',
          'udiv x12, x1, x2', 'sdiv x13, x1, x2', 'udiv w14, w1, w2', 'sdiv w15, w1, w2', 'smnegl x16, w1, w2', 'umull x17, w1, w2'],
        state: { x: [0n, a, b, 0n, 0x0123456789abcdefn] },
      });
    }
    check(cases, 'dp-muldiv');
  });

  it('conditional compare and select: every condition and flag combination', () => {
    const cases: Case[] = [];
    for (let cond = 0; cond < 16; cond++) {
      for (let nzcv = 0; nzcv < 16; nzcv++) {
        const c = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'][cond];
        cases.push({
          body: [`csel x0, x1, x2, ${c}`, `csinc w3, w1, w2, ${c}`, `csinv x4, x1, x2, ${c}`, `csneg x5, x1, x2, ${c}`,
            `csneg w6, w1, w2, ${c}`, `csinc x7, x1, x2, ${c}`, `ccmp x1, x2, #${(nzcv * 7) & 15}, ${c}`, 'mrs x8, nzcv',
            `msr nzcv, x9`, `ccmn w1, #31, #${(nzcv * 5) & 15}, ${c}`],
          state: { x: [0n, 0x80000000ffffffffn, 0x7fffffff00000001n, 0n, 0n, 0n, 0n, 0n, 0n, BigInt(nzcv) << 28n], nzcv },
        });
      }
    }
    check(cases, 'dp-cond');
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
});
