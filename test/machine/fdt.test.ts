import { strict as assert } from 'node:assert';
import { DtbError, FdtNode, readDtb, writeDtb } from '../../emulator/machine/fdt';
import { dtcCompile, dtcDecompile } from './dtc';

function sample(): FdtNode {
  const root = new FdtNode('');
  root.setU32('#address-cells', 2).setU32('#size-cells', 2).setString('compatible', 'test,board');
  const mem = root.addNode('memory@40000000');
  mem.setString('device_type', 'memory').setCells('reg', [[2, 0x40000000], [2, 0x8000000]]);
  const intc = root.addNode('intc@8000000');
  intc.setEmpty('interrupt-controller').setPhandle('phandle', 0x8001).setU32s('interrupts', [1, 9, 4]);
  root.setPhandle('interrupt-parent', 0x8001);
  const chosen = root.addNode('chosen');
  chosen.setStrings('compat-list', ['a,b', 'c']).setU64('kaslr-seed', 0x0123456789abcdefn)
    .setBytes('odd', new Uint8Array([1, 2, 3])).setString('bootargs', 'console=ttyAMA0');
  return root;
}

describe('FDT writer', () => {
  it('writes a v17 header with aligned blocks, sizes that add up, and a terminated reservation map', () => {
    const blob = writeDtb({ root: sample(), reservations: [{ address: 0x48000000n, size: 0x1000n }], bootCpuId: 3 });
    const dv = new DataView(blob.buffer);
    assert.equal(dv.getUint32(0), 0xd00dfeed);
    assert.equal(dv.getUint32(4), blob.length);
    const offStruct = dv.getUint32(8), offStrings = dv.getUint32(12), offRsv = dv.getUint32(16);
    assert.equal(dv.getUint32(20), 17);
    assert.equal(dv.getUint32(24), 16);
    assert.equal(dv.getUint32(28), 3);
    assert.equal(offRsv % 8, 0);
    assert.equal(offStruct % 4, 0);
    assert.equal(offStruct, offRsv + 32, 'one entry + terminator');
    assert.equal(dv.getBigUint64(offRsv), 0x48000000n);
    assert.equal(dv.getBigUint64(offRsv + 16) | dv.getBigUint64(offRsv + 24), 0n);
    assert.equal(offStruct + dv.getUint32(36), offStrings);
    assert.equal(offStrings + dv.getUint32(32), blob.length);
    assert.equal(dv.getUint32(offStrings - 4), 9, 'structure block ends with FDT_END');
  });

  it('deduplicates property names in the strings block, reusing suffixes', () => {
    const root = new FdtNode('');
    root.setU32('#address-cells', 2).setU32('#size-cells', 2);
    root.addNode('a').setU32('address-cells', 1).setU32('cells', 1);
    root.addNode('b').setU32('#size-cells', 1);
    const blob = writeDtb({ root });
    const dv = new DataView(blob.buffer);
    const strings = Buffer.from(blob.subarray(dv.getUint32(12), dv.getUint32(12) + dv.getUint32(32))).toString('latin1');
    assert.equal(strings, '#address-cells\0#size-cells\0', '"address-cells" and "cells" are tails of "#address-cells"');
    const back = readDtb(blob);
    assert.equal(back.root.find('a')?.getU32('cells'), 1);
    assert.equal(back.root.find('a')?.getU32('address-cells'), 1);
  });

  it('round-trips through its own reader: nodes, property order and values', () => {
    const blob = writeDtb({ root: sample(), reservations: [{ address: 0x1000n, size: 0x2000n }] });
    const t = readDtb(blob);
    assert.deepEqual(t.reservations, [{ address: 0x1000n, size: 0x2000n }]);
    assert.deepEqual([...t.root.props.keys()], ['#address-cells', '#size-cells', 'compatible', 'interrupt-parent']);
    assert.deepEqual(t.root.children.map((c) => c.name), ['memory@40000000', 'intc@8000000', 'chosen']);
    assert.deepEqual(t.root.find('/memory@40000000')?.getCells('reg', [2, 2]), [0x40000000n, 0x8000000n]);
    assert.deepEqual(t.root.find('chosen')?.getStrings('compat-list'), ['a,b', 'c']);
    assert.equal(t.root.find('chosen')?.getString('bootargs'), 'console=ttyAMA0');
    assert.deepEqual([...(t.root.find('chosen')?.getBytes('odd') ?? [])], [1, 2, 3]);
    assert.equal(t.root.find('intc@8000000')?.getBytes('interrupt-controller')?.length, 0);
    assert.deepEqual(writeDtb(t), blob, 'rewriting the parsed tree gives the same bytes');
  });

  it('is accepted by dtc, which decompiles every value type as written', () => {
    const { dts } = dtcDecompile(writeDtb({ root: sample(), reservations: [{ address: 0x48000000n, size: 0x1000n }] }));
    assert.match(dts, /\/memreserve\/\s+0x0*48000000 0x0*1000;/);
    assert.match(dts, /reg = <0x00 0x40000000 0x00 0x8000000>;/);
    assert.match(dts, /interrupt-controller;/);
    assert.match(dts, /compat-list = "a,b\\0c";/);
    assert.match(dts, /kaslr-seed = <0x1234567 0x89abcdef>;/);
    assert.match(dts, /odd = \[01 02 03\];/);
    assert.match(dts, /interrupt-parent = <0x8001>;/);
  });

  it('reads blobs dtc wrote (labels turned into phandles, NOPs-free v17)', () => {
    const blob = dtcCompile('/dts-v1/;\n/memreserve/ 0x1000 0x10;\n/ { #address-cells = <1>; gic: intc { interrupt-controller; }; dev { interrupt-parent = <&gic>; s = "x", "yz"; }; };');
    const t = readDtb(blob, 'dtc.dtb');
    assert.deepEqual(t.reservations, [{ address: 0x1000n, size: 0x10n }]);
    const ph = t.root.find('intc')?.getU32('phandle');
    assert.ok(ph !== undefined && ph > 0);
    assert.equal(t.root.find('dev')?.getU32('interrupt-parent'), ph);
    assert.deepEqual(t.root.find('dev')?.getStrings('s'), ['x', 'yz']);
  });

  it('skips FDT_NOP tokens', () => {
    const blob = writeDtb({ root: sample() });
    const dv = new DataView(blob.buffer);
    const off = dv.getUint32(8);
    // Replace the root's first property (#address-cells, 4 words) by four NOPs.
    for (let i = 0; i < 4; i++) dv.setUint32(off + 8 + i * 4, 4);
    const t = readDtb(blob);
    assert.equal(t.root.has('#address-cells'), false);
    assert.equal(t.root.getU32('#size-cells'), 2);
  });

  it('rejects values that do not fit their cells and bad names', () => {
    const n = new FdtNode('x');
    assert.throws(() => n.setCells('reg', [[1, 0x100000000]]), /does not fit in 1 cell/);
    assert.throws(() => n.setU32('v', 2 ** 32), /not a 32-bit value/);
    assert.throws(() => n.setString('s', 'a\0b'), /NUL/);
    assert.throws(() => n.setEmpty('bad name'), /bad property name/);
    assert.throws(() => new FdtNode('a/b'), /bad node name/);
    n.addNode('c');
    assert.throws(() => n.addNode('c'), /already has a child "c"/);
  });
});

describe('DTB reader: malformed blobs give located errors', () => {
  const good = (): Uint8Array => writeDtb({ root: sample(), reservations: [{ address: 0x1000n, size: 0x10n }] });
  const w32 = (b: Uint8Array, off: number, v: number): void => new DataView(b.buffer, b.byteOffset).setUint32(off, v);
  const r32 = (b: Uint8Array, off: number): number => new DataView(b.buffer, b.byteOffset).getUint32(off);
  // Offsets of the first struct tokens of `sample()`: root BEGIN_NODE (4) + name "" padded (4),
  // then the first FDT_PROP (#address-cells) at +8: token, len, nameoff.
  const cases: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['a short file', (b) => b.subarray(0, 20), /offset 0x0: too short for a DTB header/],
    ['bad magic', (b) => { w32(b, 0, 0xd00dfeee); return b; }, /offset 0x0: bad magic 0xd00dfeee/],
    ['totalsize larger than the file', (b) => b.subarray(0, b.length - 4), /offset 0x4: totalsize 0x[0-9a-f]+ is larger than the file/],
    ['an old version', (b) => { w32(b, 20, 3); return b; }, /offset 0x14: version 3 is too old/],
    ['misaligned reservation map', (b) => { w32(b, 16, 44); return b; }, /offset 0x10: off_mem_rsvmap 0x2c is not 8-byte aligned/],
    ['misaligned structure block', (b) => { w32(b, 8, r32(b, 8) + 2); return b; }, /offset 0x8: off_dt_struct 0x[0-9a-f]+ is not 4-byte aligned/],
    ['structure block past the end', (b) => { w32(b, 36, 0x10000); return b; }, /offset 0x8: structure block .* runs past totalsize/],
    ['strings block past the end', (b) => { w32(b, 32, 0x10000); return b; }, /offset 0xc: strings block .* runs past totalsize/],
    ['unterminated reservation map', (b) => {
      // Point the map at the strings block's end so no zero entry follows inside the blob.
      w32(b, 16, (b.length - 8) & ~7); return b;
    }, /memory reservation block has no \{0, 0\} terminator/],
    ['a first token that is not BEGIN_NODE', (b) => { w32(b, r32(b, 8), 3); return b; }, /offset 0x48: structure block must start with FDT_BEGIN_NODE, found token 3/],
    ['an unknown token', (b) => { w32(b, r32(b, 8) + 8, 7); return b; }, /offset 0x50: unknown structure token 0x7/],
    ['a nameoff outside the strings block', (b) => { w32(b, r32(b, 8) + 16, 0x7777); return b; }, /offset 0x58: property nameoff 0x7777 is outside the strings block/],
    ['a property length past the block', (b) => { w32(b, r32(b, 8) + 12, 0x100000); return b; }, /offset 0x54: property #address-cells: length 0x100000 runs past the structure block/],
    ['a missing FDT_END', (b) => { w32(b, 36, r32(b, 36) - 4); return b; }, /ends in the middle of a token \(missing FDT_END\?\)|FDT_END/],
    ['FDT_END with open nodes', (b) => {
      const end = r32(b, 8) + r32(b, 36) - 8; // the root's END_NODE
      w32(b, end, 9); return b;
    }, /FDT_END with 1 node\(s\) still open \(\/\)/],
    ['a duplicate property', (b) => {
      const off = r32(b, 8);
      w32(b, off + 32, r32(b, off + 16)); // second property's nameoff := first's
      return b;
    }, /offset 0x60: duplicate property #address-cells in \//],
  ];
  for (const [what, mutate, msg] of cases) {
    it(`rejects ${what}`, () => {
      assert.throws(() => readDtb(mutate(good()), 'my.dtb'), (e: unknown) => {
        assert.ok(e instanceof DtbError, String(e));
        assert.match(e.message, /^my\.dtb: offset 0x[0-9a-f]+: /);
        assert.match(e.message, msg);
        return true;
      });
    });
  }

  it('rejects a property after a subnode, and an unbalanced END_NODE', () => {
    const root = new FdtNode('');
    root.addNode('a');
    const blob = writeDtb({ root });
    // struct: BEGIN "" | BEGIN "a" | END | END | END_TREE
    const dv = new DataView(blob.buffer);
    const s = dv.getUint32(8);
    dv.setUint32(s + 16, 2); dv.setUint32(s + 20, 2); dv.setUint32(s + 24, 2);
    assert.throws(() => readDtb(blob, 'x'), /x: offset 0x[0-9a-f]+: FDT_END_NODE without a matching FDT_BEGIN_NODE|FDT_BEGIN_NODE after|FDT_END_NODE/);
  });
});
