// The PL061 GPIO (PL061 TRM DDI 0190) as QEMU's secure=on board has it: lines pulled down,
// output rises reported, masked data accesses, edge and level interrupts.
import { strict as assert } from 'node:assert';
import { Pl061 } from '../../emulator/devices/pl061';

function gpio(): { g: Pl061; rises: number[]; irqs: boolean[] } {
  const rises: number[] = [], irqs: boolean[] = [];
  const g = new Pl061('pl061', { onOutputRise: (l) => rises.push(l), onIrq: (v) => irqs.push(v) });
  return { g, rises, irqs };
}

describe('PL061 GPIO', () => {
  it('has the PrimeCell IDs 61 10 04 00 / 0d f0 05 b1', () => {
    const { g } = gpio();
    assert.deepEqual([0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => g.read(o)), [0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
  });

  it('writes only masked output lines; reads see masked line levels; inputs read 0 (pulled down)', () => {
    const { g, rises } = gpio();
    g.write(0x3fc, 4, 0xff);             // all lines are inputs: nothing is driven
    assert.equal(g.read(0x3fc), 0);
    assert.deepEqual(rises, []);
    g.write(0x400, 4, 0x0f);             // lines 0-3 outputs: the write above stored no input bits (mask & DIR)
    assert.equal(g.read(0x3fc), 0);
    g.write(0x3fc, 4, 0xff);
    assert.equal(g.read(0x3fc), 0x0f);
    assert.deepEqual(rises, [0, 1, 2, 3]);
    g.write(0x3fc, 4, 0);
    g.write(0x008, 4, 0xff);             // address mask 0b10: only line 1
    assert.equal(g.read(0x3fc), 0x02);
    assert.equal(g.read(0x004), 0);      // mask selects line 0 only
    assert.deepEqual(rises, [0, 1, 2, 3, 1]);
  });

  it('raises its interrupt on a rising edge (IEV = 1) and clears it through GPIOIC', () => {
    const { g, irqs } = gpio();
    g.write(0x40c, 4, 0x01);             // IEV: rising
    g.write(0x410, 4, 0x01);             // IE
    g.write(0x400, 4, 0x01);             // line 0 output (still 0)
    assert.equal(g.read(0x414), 0);
    g.write(0x004, 4, 1);
    assert.equal(g.read(0x414), 1);
    assert.equal(g.read(0x418), 1);
    assert.deepEqual(irqs, [true]);
    g.write(0x41c, 4, 1);
    assert.equal(g.read(0x414), 0);
    assert.deepEqual(irqs, [true, false]);
  });

  it('level-sensitive lines (IS) are active while the level equals IEV, and GPIOIC does not clear them', () => {
    const { g, irqs } = gpio();
    g.write(0x404, 4, 0x80);             // line 7 level-sensitive, IEV = 0: active low; it is a low input
    assert.equal(g.read(0x414), 0x80);
    assert.deepEqual(irqs, []);          // masked
    g.write(0x410, 4, 0x80);
    assert.deepEqual(irqs, [true]);
    g.write(0x41c, 4, 0x80);
    assert.equal(g.read(0x414), 0x80);
  });
});
