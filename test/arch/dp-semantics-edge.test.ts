// Semantics of the data-processing class vs QEMU, part 2: hand-written edge cases (carries and
// overflow, every shift amount, every condition and flag combination, multiply/divide edges).
import { strict as assert } from 'node:assert';
import { describeMismatches, diffSnippets } from '../tools/harness/diff';
import type { SnippetState } from '../tools/harness/snippet';

type Case = { body: string[]; state?: SnippetState };

function check(cases: Case[], tag: string): void {
  for (let k = 0; k < cases.length; k += 400) {
    const rep = diffSnippets(cases.slice(k, k + 400), tag);
    const bad = describeMismatches(rep);
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} mismatches`);
  }
}

describe('data processing: edge-case semantics vs QEMU', function () {
  this.timeout(300000);

  it('add/sub/adc/sbc (imm, shifted, extended) and flags at the edges', () => {
    // Per case: x1 = a, x2 = b, x30 = the initial NZCV; each op writes its own register and its
    // flags are saved with MRS, then NZCV is restored so every op sees the same carry in.
    const ops = ['adds x3, x1, x2', 'subs x4, x1, x2', 'adds w5, w1, w2', 'subs w6, w1, w2', 'adcs x7, x1, x2', 'sbcs x8, x1, x2',
      'adcs w9, w1, w2', 'sbcs w10, w1, w2', 'adc x11, x1, x2', 'sbc w12, w1, w2', 'negs x13, x2', 'ngcs w14, w2',
      'adds x15, x1, w2, sxtw #2', 'subs w16, w1, w2, sxth #4', 'add x17, sp, w2, uxtb #1', 'sub x18, x1, x2, sxtx #3',
      'cmp x1, #0xfff', 'cmn w1, #0x1, lsl #12', 'subs x19, x1, #0x1', 'add w20, w1, #0xfff, lsl #12', 'sub x21, x1, #0x1, lsl #12',
      'cmp w1, w2, asr #31', 'cmn x1, x2, lsr #63'];
    const groups = [ops.slice(0, 8), ops.slice(8, 16), ops.slice(16)];
    const A = [0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n,
      0xffffffffffffffffn, 0xffffffff80000000n, 0x123456789abcdef0n, 0xfedcba9876543210n];
    const B = [0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn];
    const cases: Case[] = [];
    let k = 0;
    for (const a of A) for (const b of B) for (const g of groups) {
      const nzcv = [0, 2, 6, 9, 15][k++ % 5];
      const body: string[] = [];
      g.forEach((op, j) => body.push(op, `mrs x${22 + j}, nzcv`, 'msr nzcv, x30'));
      cases.push({ body, state: { x: [0n, a, b, ...Array<bigint>(27).fill(0n), BigInt(nzcv) << 28n], nzcv, sp: 0x40100000n } });
    }
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
        if (s < 32) body.push(`eon w14, w1, w2, ${op} #${s}`, `eor x15, x15, x14`, `bics w16, w1, w2, ${op} #${s}`, `mrs x17, nzcv`, `eor x18, x18, x16`, `eor x19, x19, x17, ror #3`);
      }
      for (const v of [0x8000000000000001n, 0xffffffff00000000n])
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
      0xffffffffffffffffn, 0x123456789abcdef0n, 0x00000000fffffffen, 0xffffffff80000000n];
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

});
