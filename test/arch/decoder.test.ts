import { strict as assert } from 'node:assert';
import { Decoder, a64Decoder } from '../../emulator/arch/decoder';
import { compilePattern, type EncodingSpec } from '../../emulator/arch/encoding';

const nop = (): void => undefined;
const spec = (name: string, pattern: string): EncodingSpec => ({ name, pattern, cls: 'dp-imm', exec: nop, disasm: () => name });

describe('decode table', () => {
  it('compiles a pattern into mask and value', () => {
    const e = compilePattern(spec('X', '1101 0101 0000 0011 0010 0000 0001 1111'));
    assert.equal(e.mask, 0xffffffff);
    assert.equal(e.value, 0xd503201f);
    const f = compilePattern(spec('Y', 'z0010001shiiiiiiiiiiiinnnnnddddd'));
    assert.equal(f.mask, 0x7f000000);
    assert.equal(f.value, 0x11000000);
    assert.equal(f.fixedBits, 7);
  });

  it('rejects a pattern of the wrong length and duplicate names', () => {
    assert.throws(() => compilePattern(spec('short', '0101')), /4 bits, want 32/);
    assert.throws(() => new Decoder([spec('A', '0'.repeat(32)), spec('A', '1'.repeat(32))]), /duplicate encoding name A/);
  });

  it('prefers the more specific of two overlapping patterns', () => {
    const d = new Decoder([spec('wide', '1101010100000011001000xxxxx11111'), spec('narrow', '11010101000000110010000000011111')]);
    assert.equal(d.decode(0xd503201f | 0)?.name, 'narrow');
    assert.equal(d.decode(0xd503203f | 0)?.name, 'wide');
    assert.equal(d.decode(0x00000000), undefined);
  });

  it('has no two encodings of equal specificity that match the same word', () => {
    // Ambiguity would make the decoder's choice depend on table order.
    const encs = a64Decoder().encodings;
    const clashes: string[] = [];
    for (let i = 0; i < encs.length; i++) {
      for (let j = i + 1; j < encs.length; j++) {
        const a = encs[i], b = encs[j];
        if (a.fixedBits !== b.fixedBits) continue;
        const common = a.mask & b.mask;
        if (((a.value ^ b.value) & common) === 0) clashes.push(`${a.name} ~ ${b.name}`);
      }
    }
    assert.deepEqual(clashes, []);
  });

  it('returns the same encoding object as the full table for every encoding value', () => {
    const d = a64Decoder();
    for (const e of d.encodings) {
      const got = d.decode(e.value | 0);
      assert.ok(got, `${e.name}: its own fixed bits do not decode`);
      // A more specific encoding may legitimately claim the all-zero-variable word; it must be more specific.
      if (got !== e) assert.ok(got.fixedBits > e.fixedBits, `${e.name} shadowed by ${got.name}`);
    }
  });
});
