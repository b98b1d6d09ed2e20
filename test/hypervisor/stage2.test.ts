// Stage-2 table writer: mappings as the MMU will walk them (lookup walks the same RAM).
import { strict as assert } from 'node:assert';
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';
import { MemoryLayout } from '../../emulator/hypervisor/memory-layout';
import { RW, RWX, S2_DEVICE, S2_NORMAL, Stage2Tables } from '../../emulator/hypervisor/stage2';

const MiB = 1 << 20;

function tables(): { s2: Stage2Tables; mem: PhysicalMemory; layout: MemoryLayout } {
  const mem = new PhysicalMemory(0x40000000, 256 * MiB);
  const layout = new MemoryLayout(0x40000000, 256 * MiB);
  return { s2: new Stage2Tables(mem, layout), mem, layout };
}

describe('hypervisor: stage-2 tables', () => {
  it('maps 2 MiB blocks where aligned and pages elsewhere; lookup walks them', () => {
    const { s2, layout } = tables();
    const before = layout.tableBytes;
    s2.map(0x40000000, 0x44000000, 4 * MiB, S2_NORMAL, RWX, 'ram');
    // Root + one level-2 table: two blocks need no level-3 table.
    assert.equal(layout.tableBytes - before, 4096);
    assert.equal(s2.lookup(0x40000000), 0x44000000);
    assert.equal(s2.lookup(0x40345678), 0x44345678);
    assert.equal(s2.lookup(0x403fffff), 0x443fffff);
    assert.equal(s2.lookup(0x40400000), -1);
    s2.map(0x09040000, 0x09040000, 0x2000, S2_DEVICE, RW, 'uart');
    assert.equal(layout.tableBytes - before, 3 * 4096); // a level-2 and a level-3 table
    assert.equal(s2.lookup(0x09040abc), 0x09040abc);
    assert.equal(s2.lookup(0x09041004), 0x09041004);
    assert.equal(s2.lookup(0x09042000), -1);
  });

  it('refuses overlaps, unaligned ranges and IPAs past 39 bits, naming the mapping', () => {
    const { s2 } = tables();
    s2.map(0x40000000, 0x44000000, 2 * MiB, S2_NORMAL, RWX, 'ram');
    assert.throws(() => s2.map(0x401ff000, 0x50000000, 0x2000, S2_DEVICE, RW, 'dev'), /dev at IPA 0x401ff000 overlaps ram/);
    assert.throws(() => s2.map(0x1000800, 0, 0x1000, S2_DEVICE, RW, 'x'), /unaligned/);
    assert.throws(() => s2.map(2 ** 39, 0, 0x1000, S2_DEVICE, RW, 'far'), /beyond the 39-bit IPA space/);
  });
});
