import { strict as assert } from 'node:assert';
import { a64Decoder } from '../../emulator/arch/decoder';
import { normalise, objdumpWords } from '../tools/objdump';
import { describeMismatches, diffSnippets } from '../tools/harness/diff';

/** Deterministic word generator: xorshift32. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

describe('branch and exception-generating class', () => {
  const d = a64Decoder();
  const names = ['B', 'BL', 'B_cond', 'CBZ', 'CBNZ', 'TBZ', 'TBNZ', 'BR', 'BLR', 'RET', 'SVC', 'HVC', 'SMC', 'BRK', 'HLT'];

  it('disassembles like objdump (random words of every encoding, at a 64-bit address)', () => {
    const next = rng(0xb4a9c1);
    const words: number[] = [];
    for (const n of names) {
      const e = d.encodings.find((x) => x.name === n)!;
      for (let k = 0; k < 300; k++) words.push(((next() & ~e.mask) | e.value) >>> 0);
    }
    const base = 0xffff800010080000n;
    const ref = objdumpWords(words, base);
    const bad: string[] = [];
    words.forEach((w, k) => {
      const e = d.decode(w | 0);
      const pc = base + BigInt(k * 4);
      const ours = e ? e.disasm(w | 0, Number(pc & 0xffffffffn) | 0, Number(pc >> 32n) | 0) : '(none)';
      if (normalise(ours) !== normalise(ref[k])) bad.push(`${w.toString(16)}: objdump '${ref[k]}' hvlab '${ours}'`);
    });
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} of ${words.length} differ`);
  });

  it('takes and skips conditional branches exactly as QEMU does, for every condition and flag state', () => {
    const cases = [];
    for (let nzcv = 0; nzcv < 16; nzcv++) {
      for (const c of ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv']) {
        cases.push({ body: [`b.${c} 1f`, 'add x0, x0, #1', '1: nop'], state: { nzcv } });
      }
    }
    const regs = [0n, 1n, 0x100000000n, 0x8000000000000000n, 0xffffffffffffffffn];
    for (const v of regs) {
      for (const bit of [0, 1, 31, 32, 63]) {
        cases.push({ body: [`tbz x3, #${bit}, 1f`, 'add x0, x0, #1', `1: tbnz x3, #${bit}, 2f`, 'add x1, x1, #1', '2: nop'], state: { x: [0n, 0n, 0n, v] } });
      }
      cases.push({ body: ['cbz x3, 1f', 'add x0, x0, #1', '1: cbnz w3, 2f', 'add x1, x1, #1', '2: cbz w3, 3f', 'add x2, x2, #1', '3: nop'], state: { x: [0n, 0n, 0n, v] } });
    }
    // BL / BLR / RET / BR round trips, including BLR X30 (reads the target before linking).
    cases.push({ body: ['bl 1f', 'b 2f', '1: mov x5, x30', 'ret', '2: nop'] });
    cases.push({ body: ['adr x30, 1f', 'blr x30', 'b 2f', '1: mov x6, x30', 'br x6', '2: nop'] });
    const r = diffSnippets(cases, 'branch');
    assert.deepEqual(describeMismatches(r), []);
  });
});
