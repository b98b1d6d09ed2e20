import { strict as assert } from 'node:assert';
import { ElfError, parseElf } from '../../emulator/machine/loaders/elf';
import { tinyElf } from '../tools/tiny-elf';

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
