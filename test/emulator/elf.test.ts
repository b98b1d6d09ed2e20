import { strict as assert } from 'node:assert';
import { ElfError, parseElf } from '../../emulator/machine/loaders/elf';

/** A minimal valid ELF64 AArch64 executable with one PT_LOAD segment holding `code`. */
export function tinyElf(code: Uint8Array, paddr = 0x40200000n, entry = paddr): Uint8Array {
  const buf = new Uint8Array(64 + 56 + code.length);
  const dv = new DataView(buf.buffer);
  buf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  dv.setUint16(16, 2, true); dv.setUint16(18, 183, true); dv.setUint32(20, 1, true);
  dv.setBigUint64(24, entry, true); dv.setBigUint64(32, 64n, true);
  dv.setUint16(52, 64, true); dv.setUint16(54, 56, true); dv.setUint16(56, 1, true);
  const ph = 64;
  dv.setUint32(ph, 1, true); dv.setUint32(ph + 4, 5, true);
  dv.setBigUint64(ph + 8, 120n, true); dv.setBigUint64(ph + 16, paddr, true); dv.setBigUint64(ph + 24, paddr, true);
  dv.setBigUint64(ph + 32, BigInt(code.length), true); dv.setBigUint64(ph + 40, BigInt(code.length + 16), true);
  buf.set(code, 120);
  return buf;
}

describe('ELF loader', () => {
  it('parses PT_LOAD segments and the entry point', () => {
    const img = parseElf(tinyElf(new Uint8Array([1, 2, 3, 4])));
    assert.equal(img.entry, 0x40200000n);
    assert.equal(img.segments.length, 1);
    assert.equal(img.segments[0].paddr, 0x40200000);
    assert.deepEqual([...img.segments[0].data], [1, 2, 3, 4]);
    assert.equal(img.segments[0].memsz, 20);
  });

  const broken: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['a short file', (b) => b.subarray(0, 10), /offset 0x0: too short/],
    ['bad magic', (b) => { b[1] = 0; return b; }, /bad magic/],
    ['32-bit class', (b) => { b[4] = 1; return b; }, /offset 0x4: not ELFCLASS64/],
    ['big-endian', (b) => { b[5] = 2; return b; }, /offset 0x5: not little-endian/],
    ['another machine', (b) => { b[18] = 62; return b; }, /offset 0x12: e_machine 62 is not AArch64/],
    ['program headers past the end', (b) => { b[56] = 200; return b; }, /run past the end/],
    ['segment data past the end', (b) => { b[64 + 32] = 0xff; b[64 + 40] = 0xff; b[64 + 41] = 0xff; return b; }, /segment 0: file data/],
    ['filesz > memsz', (b) => { b[64 + 40] = 1; return b; }, /p_filesz 0x4 exceeds p_memsz 0x1/],
  ];
  for (const [what, mutate, msg] of broken) {
    it(`rejects ${what} with a located message`, () => {
      const b = mutate(tinyElf(new Uint8Array([1, 2, 3, 4])));
      assert.throws(() => parseElf(b, 'k.elf'), (e: unknown) => e instanceof ElfError && /^k\.elf: offset 0x[0-9a-f]+: /.test(e.message) && msg.test(e.message));
    });
  }
});
