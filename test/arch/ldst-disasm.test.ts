// Load/store class: disassembly vs GNU objdump, and decode coverage of the class.
import { strict as assert } from 'node:assert';
import { a64Decoder } from '../../emulator/arch/decoder';
import { compilePattern } from '../../emulator/arch/encoding';
import { LOAD_STORE } from '../../emulator/arch/a64/ldst';
import { isUndefinedText, normalise, objdumpWords } from '../tools/objdump';

const BASE = 0x40001000n;

/** Deterministic xorshift32. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

/** Words of one encoding: its variable bits all zero, all one, and `n` random fillings. */
function wordsFor(pattern: string, n: number, rand: () => number): number[] {
  const e = compilePattern({ name: 'x', pattern, cls: 'ldst', exec: () => undefined, disasm: () => '' });
  const free = ~e.mask >>> 0;
  const out = [e.value, (e.value | free) >>> 0];
  // register fields 31 and 0 exercised explicitly: low 5 bits (Rt) and 9:5 (Rn)
  out.push((e.value | (free & 0x3ff)) >>> 0);
  for (let k = 0; k < n; k++) out.push((e.value | (rand() & free)) >>> 0);
  return out;
}

describe('load/store disassembly vs objdump', function () {
  this.timeout(120000);

  it('matches objdump on generated words of every load/store encoding', () => {
    const rand = rng(0x1d57);
    const dec = a64Decoder();
    const words: number[] = [];
    for (const e of LOAD_STORE) words.push(...wordsFor(e.pattern, 60, rand));
    const ref = objdumpWords(words, BASE);
    const bad: string[] = [];
    let matched = 0, compared = 0;
    words.forEach((w, k) => {
      const pc = BASE + BigInt(k * 4);
      const enc = dec.decode(w | 0);
      const theirs = ref[k];
      if (isUndefinedText(theirs)) {
        // objdump refuses it: we must not claim it as a load/store either (reserved field values),
        // except CONSTRAINED UNPREDICTABLE register overlaps that objdump rejects for some forms
        // (LDPSW with Rt == Rt2…) and that we execute the way QEMU does (fuzzOk says false).
        if (enc && LOAD_STORE.some((s) => s.name === enc.name) && enc.fuzzOk?.(w | 0) !== false) bad.push(`${w.toString(16)}: objdump '${theirs}', we decode ${enc.name}`);
        return;
      }
      if (!enc || !LOAD_STORE.some((s) => s.name === enc.name)) return; // another class's word (checked in the coverage test)
      compared++;
      const ours = enc.disasm(w | 0, Number(pc & 0xffffffffn) | 0, Number(pc >> 32n) | 0);
      if (normalise(ours) === normalise(theirs)) matched++;
      else bad.push(`${w.toString(16).padStart(8, '0')} ${enc.name}: ours '${ours}' objdump '${theirs}'`);
    });
    console.log(`      ${matched}/${compared} words match objdump (${LOAD_STORE.length} encodings)`);
    assert.deepEqual(bad.slice(0, 40), []);
    assert.equal(matched, compared);
  });

  it('decodes every word objdump decodes in the load/store space, except the extensions left out', () => {
    // Loads and Stores: op0 = x1x0 (bits 28:25). Random words there, compared with objdump.
    const LEFT_OUT = new RegExp('^(' + [
      'stg', 'stzg', 'st2g', 'stz2g', 'ldg', 'stgp', 'ldgm', 'stgm', 'stzgm', // FEAT_MTE
      'ldapur[bhw]?', 'ldapurs[bhw]', 'stlur[bh]?',                           // FEAT_LRCPC2
      'ldapr[bh]?',                                                           // FEAT_LRCPC
      'ldlar[bh]?', 'stllr[bh]?',                                             // FEAT_LOR
      'ldra[ab]',                                                             // FEAT_PAuth
      'st64bv?0?', 'ld64b',                                                   // FEAT_LS64
      'cpyf?[pme]\\w*', 'setg?[pme]\\w*',                                      // FEAT_MOPS
    ].join('|') + ')$');
    const rand = rng(0xc0ffee);
    const words: number[] = [];
    for (let k = 0; k < 120000; k++) words.push(((rand() & ~0x0a000000) | 0x08000000) >>> 0);
    const ref = objdumpWords(words, BASE);
    const dec = a64Decoder();
    const missing = new Map<string, number>(), wrong: string[] = [];
    let ours = 0, leftOut = 0;
    words.forEach((w, k) => {
      const text = ref[k], enc = dec.decode(w | 0);
      if (isUndefinedText(text)) {
        if (enc && enc.fuzzOk?.(w | 0) !== false) wrong.push(`${w.toString(16)}: objdump undefined, we decode ${enc.name}`);
        return;
      }
      const m = text.split('\t')[0];
      if (!enc) {
        if (LEFT_OUT.test(m)) leftOut++;
        else missing.set(m, (missing.get(m) ?? 0) + 1);
        return;
      }
      ours++;
      const pc = BASE + BigInt(k * 4);
      const got = enc.disasm(w | 0, Number(pc & 0xffffffffn) | 0, Number(pc >> 32n) | 0);
      if (normalise(got) !== normalise(text)) wrong.push(`${w.toString(16)} ${enc.name}: ours '${got}' objdump '${text}'`);
    });
    console.log(`      ${ours} random load/store words decoded and matching objdump; ${leftOut} in extensions left out`);
    assert.deepEqual([...missing.entries()], []);
    assert.deepEqual(wrong.slice(0, 20), []);
  });
});
