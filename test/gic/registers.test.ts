// Distributor and redistributor register behaviour: reset values, RES0/RAZ/WI fields, byte access
// to IPRIORITYR, IROUTER halves, WAKER handshake, TYPER, ID registers.
import { strict as assert } from 'node:assert';
import { GICD } from '../../emulator/devices/gic/distributor';
import { GICR, GICR_FRAME_SIZE } from '../../emulator/devices/gic/redistributor';
import { dread, dwrite, makeGic, rread, rwrite, sread, swrite } from './helpers';

describe('GICv3 distributor registers', () => {
  it('GICD_CTLR: DS and ARE read as one and ignore writes; only the group enables are writable', () => {
    const { gic } = makeGic();
    assert.equal(dread(gic, GICD.CTLR), 0x50, 'reset: DS (bit 6) | ARE (bit 4)');
    dwrite(gic, GICD.CTLR, 0xffffffff);
    assert.equal(dread(gic, GICD.CTLR), 0x53, 'EnableGrp0/1 set; E1NWF, RWP and the rest stay 0');
    dwrite(gic, GICD.CTLR, 0);
    assert.equal(dread(gic, GICD.CTLR), 0x50, 'clearing: DS and ARE remain set');
  });

  it('GICD_TYPER describes INTIDs up to 287, 16 ID bits, A3V, no LPIs, no security, 1-of-N supported', () => {
    const { gic } = makeGic();
    const t = dread(gic, GICD.TYPER);
    // IHI 0069 GICD_TYPER: N means a maximum SPI INTID of 32(N+1) - 1, so 287 -> N = 8.
    // (QEMU 7.2 computes (num_irq - 32)/32 - 1 = 7 here, under-reporting by 32 INTIDs.)
    assert.equal(t & 0x1f, 8, 'ITLinesNumber');
    assert.equal((t >>> 19) & 0x1f, 15, 'IDbits');
    assert.equal((t >>> 24) & 1, 1, 'A3V');
    assert.equal((t >>> 25) & 1, 0, 'No1N = 0');
    assert.equal((t >>> 17) & 1, 0, 'LPIS');
    assert.equal((t >>> 10) & 1, 0, 'SecurityExtn');
    dwrite(gic, GICD.TYPER, 0);
    assert.equal(dread(gic, GICD.TYPER), t, 'read-only');
  });

  it('GICD_IIDR and the CoreSight ID registers (PIDR2.ArchRev = 3)', () => {
    const { gic } = makeGic();
    assert.equal(dread(gic, GICD.IIDR), 0x43b);
    assert.equal(dread(gic, 0xffe8), 0x3b, 'PIDR2');
    assert.equal((dread(gic, 0xffe8) >>> 4) & 0xf, 3, 'ArchRev');
    assert.equal(dread(gic, 0xffe0), 0x92, 'PIDR0 of the distributor');
    assert.deepEqual([0xfff0, 0xfff4, 0xfff8, 0xfffc].map((o) => dread(gic, o)), [0x0d, 0xf0, 0x05, 0xb1], 'CIDR0..3');
  });

  it('the SGI/PPI words of the bitmaps are RAZ/WI with affinity routing; SPI words are not', () => {
    const { gic } = makeGic();
    for (const off of [GICD.IGROUPR, GICD.ISENABLER, GICD.ISPENDR, GICD.ISACTIVER]) {
      dwrite(gic, off, 0xffffffff);
      assert.equal(dread(gic, off), 0, `0x${off.toString(16)} word 0`);
      dwrite(gic, off + 4, 0xffffffff);
      assert.equal(dread(gic, off + 4), 0xffffffff, `0x${off.toString(16)} word 1 (INTIDs 32..63)`);
    }
    assert.equal(gic.redist[0].enabled[3], 0, 'no write reached the redistributor');
  });

  it('words beyond the implemented INTIDs are RAZ/WI', () => {
    const { gic } = makeGic();
    dwrite(gic, GICD.ISENABLER + 4 * 9, 0xffffffff); // INTIDs 288..319
    assert.equal(dread(gic, GICD.ISENABLER + 4 * 9), 0);
    dwrite(gic, GICD.ISENABLER + 4 * 8, 0xffffffff); // INTIDs 256..287 exist
    assert.equal(dread(gic, GICD.ISENABLER + 4 * 8), 0xffffffff);
  });

  it('ISENABLER sets, ICENABLER clears, both read the enable state', () => {
    const { gic } = makeGic();
    dwrite(gic, GICD.ISENABLER + 4, 0x00000005);
    dwrite(gic, GICD.ISENABLER + 4, 0x00000010); // writing 0s changes nothing
    assert.equal(dread(gic, GICD.ICENABLER + 4), 0x15);
    dwrite(gic, GICD.ICENABLER + 4, 0x00000001);
    assert.equal(dread(gic, GICD.ISENABLER + 4), 0x14);
  });

  it('IPRIORITYR: byte writes and reads hit one INTID; word access covers four', () => {
    const { gic } = makeGic();
    dwrite(gic, GICD.IPRIORITYR + 33, 0x80, 1);
    assert.equal(dread(gic, GICD.IPRIORITYR + 33, 1), 0x80);
    assert.equal(dread(gic, GICD.IPRIORITYR + 32), 0x00008000, 'INTID 33 is byte 1 of the word');
    dwrite(gic, GICD.IPRIORITYR + 36, 0x44332211);
    assert.deepEqual([36, 37, 38, 39].map((i) => dread(gic, GICD.IPRIORITYR + i, 1)), [0x11, 0x22, 0x33, 0x44]);
    dwrite(gic, GICD.IPRIORITYR + 3, 0x80, 1);
    assert.equal(dread(gic, GICD.IPRIORITYR + 3, 1), 0, 'private INTIDs RAZ/WI here');
  });

  it('ICFGR: Int_config[1] is the edge bit, Int_config[0] is RES0; private words RAZ/WI', () => {
    const { gic } = makeGic();
    dwrite(gic, GICD.ICFGR + 8, 0xffffffff); // INTIDs 32..47
    assert.equal(dread(gic, GICD.ICFGR + 8), 0xaaaaaaaa);
    assert.equal(gic.edge[32], 1);
    dwrite(gic, GICD.ICFGR + 8, 0);
    assert.equal(gic.edge[32], 0);
    dwrite(gic, GICD.ICFGR + 4, 0xffffffff);
    assert.equal(dread(gic, GICD.ICFGR + 4), 0, 'ICFGR1 (PPIs) belongs to the redistributor');
  });

  it('IGRPMODR and NSACR are RAZ/WI with DS = 1; ITARGETSR RAZ/WI with ARE = 1', () => {
    const { gic } = makeGic();
    for (const off of [GICD.IGRPMODR + 4, GICD.NSACR + 8, GICD.ITARGETSR + 32]) {
      dwrite(gic, off, 0xffffffff);
      assert.equal(dread(gic, off), 0, `0x${off.toString(16)}`);
    }
    dwrite(gic, GICD.ITARGETSR + 40, 0xff, 1);
    assert.equal(dread(gic, GICD.ITARGETSR + 40, 1), 0);
  });

  it('IROUTER: 64-bit register accessed as halves; RES0 bits read 0; SGI/PPI slots RAZ/WI', () => {
    const { gic } = makeGic();
    const off = GICD.IROUTER + 8 * 40;
    dwrite(gic, off, 0xffffffff);
    dwrite(gic, off + 4, 0xffffffff);
    assert.equal(dread(gic, off), 0x80ffffff, 'Aff2.Aff1.Aff0 and IRM; bits [30:24] RES0');
    assert.equal(dread(gic, off + 4), 0xff, 'Aff3 only');
    dwrite(gic, off, 0x00030201);
    assert.equal(dread(gic, off), 0x00030201);
    assert.equal(dread(gic, off + 4), 0xff, 'writing the low half keeps Aff3');
    assert.equal(gic.routeAff[40], 0xff030201);
    assert.equal(gic.routeIrm[40], 0);
    dwrite(gic, GICD.IROUTER + 8 * 20, 0x1);
    assert.equal(dread(gic, GICD.IROUTER + 8 * 20), 0, 'INTID 20 has no IROUTER');
  });

  it('ISPENDR/ICPENDR on a level SPI: the latch clears, the line keeps it pending', () => {
    const { gic } = makeGic();
    dwrite(gic, GICD.ISPENDR + 4, 1 << 1); // INTID 33 latch
    assert.equal(dread(gic, GICD.ISPENDR + 4) & 2, 2);
    dwrite(gic, GICD.ICPENDR + 4, 1 << 1);
    assert.equal(dread(gic, GICD.ISPENDR + 4) & 2, 0, 'latch cleared, line low: not pending');
    gic.setSpiLevel(33, true);
    assert.equal(dread(gic, GICD.ISPENDR + 4) & 2, 2, 'line high: pending');
    dwrite(gic, GICD.ICPENDR + 4, 1 << 1);
    assert.equal(dread(gic, GICD.ISPENDR + 4) & 2, 2, 'ICPENDR cannot clear a level that is still asserted');
  });

  it('ISACTIVER/ICACTIVER set and clear the active state', () => {
    const { gic } = makeGic();
    dwrite(gic, GICD.ISACTIVER + 4, 0x100);
    assert.equal(dread(gic, GICD.ICACTIVER + 4), 0x100);
    dwrite(gic, GICD.ICACTIVER + 4, 0x100);
    assert.equal(dread(gic, GICD.ISACTIVER + 4), 0);
  });

  it('16-bit accesses and unaligned words are RAZ/WI', () => {
    const { gic } = makeGic();
    dwrite(gic, GICD.ISENABLER + 4, 0xffff, 2);
    assert.equal(dread(gic, GICD.ISENABLER + 4), 0);
    assert.equal(dread(gic, GICD.CTLR, 2), 0);
  });
});

describe('GICv3 redistributor registers', () => {
  it('frames are 128 KiB per CPU; the device covers them all', () => {
    const { gic } = makeGic(4);
    assert.equal(gic.redistributors.size, 4 * GICR_FRAME_SIZE);
  });

  it('GICR_TYPER: affinity in the high word, Processor_Number, Last only on the final frame', () => {
    const { gic } = makeGic(3);
    for (let c = 0; c < 3; c++) {
      const lo = rread(gic, c, GICR.TYPER), hi = rread(gic, c, GICR.TYPER + 4);
      assert.equal(hi, c, `Aff0 of CPU ${c}`);
      assert.equal((lo >>> 8) & 0xffff, c, 'Processor_Number');
      assert.equal((lo >>> 4) & 1, c === 2 ? 1 : 0, 'Last');
      assert.equal(lo & 1, 0, 'PLPIS');
    }
  });

  it('GICR_WAKER: asleep at reset; ChildrenAsleep follows ProcessorSleep; other bits RO', () => {
    const { gic } = makeGic();
    assert.equal(rread(gic, 0, GICR.WAKER), 0x6);
    rwrite(gic, 0, GICR.WAKER, 0x4); // attempt to write ChildrenAsleep alone
    assert.equal(rread(gic, 0, GICR.WAKER), 0, 'clearing ProcessorSleep wakes; ChildrenAsleep is RO');
    rwrite(gic, 0, GICR.WAKER, 0x2);
    assert.equal(rread(gic, 0, GICR.WAKER), 0x6);
    assert.equal(rread(gic, 1, GICR.WAKER), 0x6, 'the other CPU is untouched');
  });

  it('GICR_IIDR, PIDR2 and the RD_base PIDR0', () => {
    const { gic } = makeGic();
    assert.equal(rread(gic, 1, GICR.IIDR), 0x43b);
    assert.equal((rread(gic, 1, 0xffe8) >>> 4) & 0xf, 3);
    assert.equal(rread(gic, 1, 0xffe0), 0x93);
  });

  it('GICR_CTLR is RAZ/WI (no LPIs)', () => {
    const { gic } = makeGic();
    rwrite(gic, 0, GICR.CTLR, 0xffffffff);
    assert.equal(rread(gic, 0, GICR.CTLR), 0);
  });

  it('SGI_base registers are banked per CPU', () => {
    const { gic } = makeGic();
    swrite(gic, 0, GICR.ISENABLER0, 0x80000001);
    assert.equal(sread(gic, 0, GICR.ICENABLER0), 0x80000001);
    assert.equal(sread(gic, 1, GICR.ISENABLER0), 0, 'CPU 1 has its own');
    swrite(gic, 0, GICR.ICENABLER0, 1);
    assert.equal(sread(gic, 0, GICR.ISENABLER0), 0x80000000);
    swrite(gic, 1, GICR.IGROUPR0, 0xffff0000);
    assert.equal(sread(gic, 1, GICR.IGROUPR0), 0xffff0000);
    assert.equal(sread(gic, 0, GICR.IGROUPR0), 0);
  });

  it('GICR_IPRIORITYR: byte and word access to the 32 private priorities', () => {
    const { gic } = makeGic();
    swrite(gic, 1, GICR.IPRIORITYR + 27, 0xc0, 1);
    assert.equal(sread(gic, 1, GICR.IPRIORITYR + 24), 0xc0000000);
    swrite(gic, 1, GICR.IPRIORITYR, 0x04030201);
    assert.equal(sread(gic, 1, GICR.IPRIORITYR + 1, 1), 0x02);
    assert.equal(sread(gic, 0, GICR.IPRIORITYR), 0, 'CPU 0 unaffected');
  });

  it('GICR_ICFGR0 reads SGIs as edge and ignores writes; ICFGR1 programs the PPIs', () => {
    const { gic } = makeGic();
    assert.equal(sread(gic, 0, GICR.ICFGR0), 0xaaaaaaaa);
    swrite(gic, 0, GICR.ICFGR0, 0);
    assert.equal(sread(gic, 0, GICR.ICFGR0), 0xaaaaaaaa);
    assert.equal(sread(gic, 0, GICR.ICFGR1), 0, 'PPIs level-sensitive at reset');
    swrite(gic, 0, GICR.ICFGR1, 0xffffffff);
    assert.equal(sread(gic, 0, GICR.ICFGR1), 0xaaaaaaaa, 'Int_config[0] RES0');
  });

  it('IGRPMODR0 and NSACR are RAZ/WI with DS = 1', () => {
    const { gic } = makeGic();
    swrite(gic, 0, GICR.IGRPMODR0, 0xffffffff);
    swrite(gic, 0, GICR.NSACR, 0xffffffff);
    assert.equal(sread(gic, 0, GICR.IGRPMODR0), 0);
    assert.equal(sread(gic, 0, GICR.NSACR), 0);
  });

  it('a level PPI reads pending while asserted; ICPENDR0 cannot clear it', () => {
    const { gic } = makeGic();
    gic.setPpiLevel(0, 27, true);
    assert.equal(sread(gic, 0, GICR.ISPENDR0) >>> 27 & 1, 1);
    swrite(gic, 0, GICR.ICPENDR0, 1 << 27);
    assert.equal(sread(gic, 0, GICR.ISPENDR0) >>> 27 & 1, 1);
    gic.setPpiLevel(0, 27, false);
    assert.equal(sread(gic, 0, GICR.ISPENDR0) >>> 27 & 1, 0);
  });
});
