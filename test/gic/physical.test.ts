// The physical interrupt path: routing, SGIs, PPI lines, grouping, masking, preemption, and the
// ICC_ acknowledge / priority-drop / deactivation protocol.
import { strict as assert } from 'node:assert';
import { GICD } from '../../emulator/devices/gic/distributor';
import { GICR } from '../../emulator/devices/gic/redistributor';
import {
  EL1, EL3, bringUp, dread, dwrite, eoir1, iar0, iar1, makeGic, rwrite, setupPrivate, setupSpi, sread, swrite,
  sysread, syswrite,
} from './helpers';

const sgi1r = (targets: number, intid: number, o: { aff1?: number; irm?: boolean } = {}): bigint =>
  BigInt(targets) | (BigInt(o.aff1 ?? 0) << 16n) | (BigInt(intid) << 24n) | (o.irm ? 1n << 40n : 0n);

describe('GICv3 SPI routing', () => {
  it('IROUTER affinity selects the CPU that sees the interrupt', () => {
    const { gic } = makeGic(2);
    bringUp(gic);
    setupSpi(gic, 40, { aff: 1 });
    gic.setSpiLevel(40, true);
    assert.equal(gic.irqPending(1), true);
    assert.equal(gic.irqPending(0), false);
    dwrite(gic, GICD.IROUTER + 8 * 40, 0); // re-route to CPU 0
    assert.equal(gic.irqPending(0), true);
    assert.equal(gic.irqPending(1), false);
    assert.equal(iar1(gic, 1), 1023, 'CPU 1 no longer gets it');
    assert.equal(iar1(gic, 0), 40);
  });

  it('an affinity matching no CPU leaves the SPI pending but undelivered', () => {
    const { gic } = makeGic(2);
    bringUp(gic);
    setupSpi(gic, 41, { aff: 0x0100 }); // Aff1 = 1: no such CPU
    gic.setSpiLevel(41, true);
    assert.equal(gic.irqPending(0) || gic.irqPending(1), false);
    assert.equal((dread(gic, GICD.ISPENDR + 4) >>> 9) & 1, 1);
    dwrite(gic, GICD.IROUTER + 8 * 41, 1);
    assert.equal(gic.irqPending(1), true, 'delivered once routed to an existing CPU');
  });

  it('IRM = 1 delivers to a participating CPU (awake, group enabled), the lowest-numbered', () => {
    const { gic } = makeGic(3);
    bringUp(gic);
    rwrite(gic, 0, GICR.WAKER, 0x2); // CPU 0 asleep: not participating
    setupSpi(gic, 50, { irm: true, aff: 2 });
    gic.setSpiLevel(50, true);
    assert.deepEqual([0, 1, 2].map((c) => gic.irqPending(c)), [false, true, false]);
    syswrite(gic, 1, 'ICC_IGRPEN1_EL1', 0); // CPU 1 stops participating in Group 1
    assert.deepEqual([0, 1, 2].map((c) => gic.irqPending(c)), [false, false, true]);
    syswrite(gic, 2, 'ICC_IGRPEN1_EL1', 0);
    assert.deepEqual([0, 1, 2].map((c) => gic.irqPending(c)), [false, false, false], 'nobody participates');
    rwrite(gic, 0, GICR.WAKER, 0);
    assert.deepEqual([0, 1, 2].map((c) => gic.irqPending(c)), [true, false, false]);
  });

  it('equal priorities: the lowest INTID is taken first', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 45, { prio: 0x80 });
    setupSpi(gic, 44, { prio: 0x80 });
    gic.setSpiLevel(45, true);
    gic.setSpiLevel(44, true);
    assert.equal(iar1(gic, 0), 44);
  });
});

describe('GICv3 groups and enables', () => {
  it('Group 1 signals IRQ, Group 0 signals FIQ', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33, { group: 1 });
    gic.setSpiLevel(33, true);
    assert.deepEqual([gic.irqPending(0), gic.fiqPending(0)], [true, false]);
    gic.setSpiLevel(33, false);
    setupSpi(gic, 34, { group: 0 });
    gic.setSpiLevel(34, true);
    assert.deepEqual([gic.irqPending(0), gic.fiqPending(0)], [false, true]);
    assert.equal(iar1(gic, 0), 1023, 'IAR1 does not acknowledge Group 0');
    assert.equal(iar0(gic, 0), 34);
  });

  it('GICD_CTLR.EnableGrp1 gates Group 1 delivery', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33);
    gic.setSpiLevel(33, true);
    assert.equal(gic.irqPending(0), true);
    dwrite(gic, GICD.CTLR, 0x1); // Group 0 only
    assert.equal(gic.irqPending(0), false);
    assert.equal(iar1(gic, 0), 1023);
  });

  it('ICC_IGRPEN1_EL1 gates Group 1 at the CPU interface', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33);
    gic.setSpiLevel(33, true);
    syswrite(gic, 0, 'ICC_IGRPEN1_EL1', 0);
    assert.equal(gic.irqPending(0), false);
    assert.equal(Number(sysread(gic, 0, 'ICC_HPPIR1_EL1')), 1023);
    syswrite(gic, 0, 'ICC_IGRPEN1_EL1', 1);
    assert.equal(Number(sysread(gic, 0, 'ICC_HPPIR1_EL1')), 33);
  });

  it('a disabled interrupt is not delivered; enabling it delivers it', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 35);
    dwrite(gic, GICD.ICENABLER + 4, 1 << 3);
    gic.setSpiLevel(35, true);
    assert.equal(gic.irqPending(0), false);
    dwrite(gic, GICD.ISENABLER + 4, 1 << 3);
    assert.equal(gic.irqPending(0), true);
  });
});

describe('GICv3 SGIs', () => {
  it('SGI1R with a target list reaches the listed CPUs only', () => {
    const { gic } = makeGic(3);
    bringUp(gic);
    for (let c = 0; c < 3; c++) setupPrivate(gic, c, 5);
    syswrite(gic, 0, 'ICC_SGI1R_EL1', sgi1r(0b100, 5));
    assert.deepEqual([0, 1, 2].map((c) => gic.irqPending(c)), [false, false, true]);
    assert.equal(iar1(gic, 2), 5);
  });

  it('the Aff1 field must match the target CPUs affinity', () => {
    const { gic } = makeGic(2);
    bringUp(gic);
    setupPrivate(gic, 1, 3);
    syswrite(gic, 0, 'ICC_SGI1R_EL1', sgi1r(0b10, 3, { aff1: 1 }));
    assert.equal(gic.irqPending(1), false, 'no CPU has Aff1 = 1');
    syswrite(gic, 0, 'ICC_SGI1R_EL1', sgi1r(0b10, 3, { aff1: 0 }));
    assert.equal(gic.irqPending(1), true);
  });

  it('IRM = 1 broadcasts to every CPU except the sender', () => {
    const { gic } = makeGic(3);
    bringUp(gic);
    for (let c = 0; c < 3; c++) setupPrivate(gic, c, 1);
    syswrite(gic, 1, 'ICC_SGI1R_EL1', sgi1r(0, 1, { irm: true }));
    assert.deepEqual([0, 1, 2].map((c) => gic.irqPending(c)), [true, false, true]);
  });

  it('an SGI is accepted only in the group it is configured in (SGI1R: Group 1, SGI0R: Group 0)', () => {
    const { gic } = makeGic(2);
    bringUp(gic);
    setupPrivate(gic, 1, 7, { group: 0 });
    syswrite(gic, 0, 'ICC_SGI1R_EL1', sgi1r(0b10, 7));
    assert.equal((sread(gic, 1, GICR.ISPENDR0) >>> 7) & 1, 0, 'Group 1 SGI not accepted by a Group 0 SGI');
    syswrite(gic, 0, 'ICC_SGI0R_EL1', sgi1r(0b10, 7));
    assert.equal((sread(gic, 1, GICR.ISPENDR0) >>> 7) & 1, 1);
    assert.equal(gic.fiqPending(1), true);
  });

  it('the INTID field selects the SGI; SGIs are edge: acknowledging clears pending', () => {
    const { gic } = makeGic(2);
    bringUp(gic);
    setupPrivate(gic, 1, 15);
    syswrite(gic, 0, 'ICC_SGI1R_EL1', sgi1r(0b10, 15));
    assert.equal(iar1(gic, 1), 15);
    assert.equal((sread(gic, 1, GICR.ISPENDR0) >>> 15) & 1, 0);
    assert.equal((sread(gic, 1, GICR.ISACTIVER0) >>> 15) & 1, 1);
  });
});

describe('GICv3 PPI and SPI lines', () => {
  it('a level PPI signals while asserted and stops when deasserted', () => {
    const { gic } = makeGic(2);
    bringUp(gic);
    setupPrivate(gic, 1, 30);
    gic.setPpiLevel(1, 30, true);
    assert.equal(gic.irqPending(1), true);
    assert.equal(gic.irqPending(0), false, 'PPIs are per CPU');
    gic.setPpiLevel(1, 30, false);
    assert.equal(gic.irqPending(1), false);
  });

  it('an edge-configured PPI latches on the rising edge', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupPrivate(gic, 0, 23);
    swrite(gic, 0, GICR.ICFGR1, 2 << (2 * 7)); // INTID 23 edge
    gic.setPpiLevel(0, 23, true);
    gic.setPpiLevel(0, 23, false);
    assert.equal(gic.irqPending(0), true, 'still pending after the pulse');
    assert.equal(iar1(gic, 0), 23);
    assert.equal(gic.irqPending(0), false);
  });

  it('edge SPI pulse stays pending; level SPI does not outlive its line', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 60, { edge: true });
    setupSpi(gic, 61, { edge: false });
    gic.setSpiLevel(60, true); gic.setSpiLevel(60, false);
    gic.setSpiLevel(61, true); gic.setSpiLevel(61, false);
    assert.equal((dread(gic, GICD.ISPENDR + 4) >>> 28) & 3, 0b01);
  });

  it('a level interrupt acknowledged with its line still high becomes active and pending', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33);
    gic.setSpiLevel(33, true);
    assert.equal(iar1(gic, 0), 33);
    assert.equal(gic.irqPending(0), false, 'active: not signalled again');
    assert.equal((dread(gic, GICD.ISPENDR + 4) >>> 1) & 1, 1, 'still pending');
    eoir1(gic, 0, 33);
    assert.equal(gic.irqPending(0), true, 're-signalled after deactivation');
    gic.setSpiLevel(33, false);
    assert.equal(gic.irqPending(0), false);
  });

  it('rejects INTIDs that are not SPIs / PPIs', () => {
    const { gic } = makeGic(1);
    assert.throws(() => gic.setSpiLevel(20, true), RangeError);
    assert.throws(() => gic.setSpiLevel(288, true), RangeError);
    assert.throws(() => gic.setPpiLevel(0, 5, true), RangeError);
  });

  it('tells the listener when a CPU line changes, and only then', () => {
    const { gic, changes } = makeGic(2);
    bringUp(gic);
    setupSpi(gic, 33, { aff: 1 });
    changes.length = 0;
    gic.setSpiLevel(33, true);
    assert.deepEqual(changes, [1]);
    gic.setSpiLevel(33, true); // no change
    setupSpi(gic, 34, { aff: 1, prio: 0xc0 });
    gic.setSpiLevel(34, true); // lower priority: IRQ already asserted
    assert.deepEqual(changes, [1]);
  });
});

describe('GICv3 priority masking and preemption', () => {
  it('ICC_PMR_EL1 masks interrupts whose priority is not higher than the mask', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33, { prio: 0xa0 });
    gic.setSpiLevel(33, true);
    syswrite(gic, 0, 'ICC_PMR_EL1', 0xa0);
    assert.equal(gic.irqPending(0), false);
    assert.equal(iar1(gic, 0), 1023);
    assert.equal(Number(sysread(gic, 0, 'ICC_HPPIR1_EL1')), 33, 'HPPIR ignores the mask');
    syswrite(gic, 0, 'ICC_PMR_EL1', 0xa8);
    assert.equal(gic.irqPending(0), true);
  });

  it('a higher group priority preempts the running priority; BPR decides the group priority', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    syswrite(gic, 0, 'ICC_BPR1_EL1', 3); // group priority = bits [7:3]
    setupSpi(gic, 33, { prio: 0x88 });
    setupSpi(gic, 34, { prio: 0x80 });
    gic.setSpiLevel(33, true);
    assert.equal(iar1(gic, 0), 33);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0x88);
    gic.setSpiLevel(34, true);
    assert.equal(gic.irqPending(0), true, '0x80 < 0x88 in bits [7:3]: preempts');
    syswrite(gic, 0, 'ICC_BPR1_EL1', 4); // group priority = bits [7:4]: 0x80 vs 0x80
    assert.equal(gic.irqPending(0), false, 'same group priority: no preemption');
    assert.equal(iar1(gic, 0), 1023);
  });

  it('CBPR makes Group 1 use BPR0 for preemption', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    syswrite(gic, 0, 'ICC_BPR1_EL1', 2);
    syswrite(gic, 0, 'ICC_BPR0_EL1', 3); // bits [7:4]
    setupSpi(gic, 33, { prio: 0x88 });
    setupSpi(gic, 34, { prio: 0x80 });
    gic.setSpiLevel(33, true);
    assert.equal(iar1(gic, 0), 33);
    gic.setSpiLevel(34, true);
    assert.equal(gic.irqPending(0), true, 'BPR1 = 2: bits [7:2] differ');
    syswrite(gic, 0, 'ICC_CTLR_EL1', 1); // CBPR
    assert.equal(gic.irqPending(0), false, 'BPR0 = 3: bits [7:4] equal');
  });

  it('BPR writes below the minimum read back as the minimum; BPR1 is BPR0+1 and WI under CBPR', () => {
    // 5 preemption bits (QEMU's A53/A57 CPU interface): minimum BPR0 = 2, BPR1 = 3.
    const { gic } = makeGic(1);
    syswrite(gic, 0, 'ICC_BPR1_EL1', 0);
    assert.equal(sysread(gic, 0, 'ICC_BPR1_EL1'), 3n);
    syswrite(gic, 0, 'ICC_BPR0_EL1', 0);
    assert.equal(sysread(gic, 0, 'ICC_BPR0_EL1'), 2n);
    syswrite(gic, 0, 'ICC_BPR0_EL1', 7);
    syswrite(gic, 0, 'ICC_CTLR_EL1', 1);
    assert.equal(sysread(gic, 0, 'ICC_BPR1_EL1'), 7n, 'saturates at 7');
    syswrite(gic, 0, 'ICC_BPR0_EL1', 4);
    syswrite(gic, 0, 'ICC_BPR1_EL1', 2);
    assert.equal(sysread(gic, 0, 'ICC_BPR1_EL1'), 5n);
    syswrite(gic, 0, 'ICC_CTLR_EL1', 0);
    assert.equal(sysread(gic, 0, 'ICC_BPR1_EL1'), 3n, 'the write under CBPR was ignored (still the minimum)');
  });
});

describe('GICv3 acknowledge, EOI and deactivation', () => {
  it('IAR returns 1023 when nothing is pending, and the running priority is idle (0xff)', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    assert.equal(iar1(gic, 0), 1023);
    assert.equal(iar0(gic, 0), 1023);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0xff);
  });

  it('EOImode 0: EOIR drops the priority and deactivates', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33, { prio: 0x40, edge: true });
    gic.setSpiLevel(33, true);
    assert.equal(iar1(gic, 0), 33);
    assert.equal((dread(gic, GICD.ISACTIVER + 4) >>> 1) & 1, 1);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0x40);
    eoir1(gic, 0, 33);
    assert.equal((dread(gic, GICD.ISACTIVER + 4) >>> 1) & 1, 0);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0xff);
  });

  it('EOImode 1: EOIR only drops the priority; DIR deactivates', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    syswrite(gic, 0, 'ICC_CTLR_EL1', 2); // EOImode
    setupSpi(gic, 33, { prio: 0x40 });
    gic.setSpiLevel(33, true);
    assert.equal(iar1(gic, 0), 33);
    eoir1(gic, 0, 33);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0xff, 'priority dropped');
    assert.equal((dread(gic, GICD.ISACTIVER + 4) >>> 1) & 1, 1, 'still active');
    assert.equal(gic.irqPending(0), false, 'an active level interrupt is not re-signalled');
    syswrite(gic, 0, 'ICC_DIR_EL1', 33);
    assert.equal((dread(gic, GICD.ISACTIVER + 4) >>> 1) & 1, 0);
    assert.equal(gic.irqPending(0), true, 'line still high: pending again');
  });

  it('DIR is ignored with EOImode 0', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33);
    gic.setSpiLevel(33, true);
    assert.equal(iar1(gic, 0), 33);
    syswrite(gic, 0, 'ICC_DIR_EL1', 33);
    assert.equal((dread(gic, GICD.ISACTIVER + 4) >>> 1) & 1, 1);
  });

  it('nested interrupts build an active priority stack, unwound by EOIs', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33, { prio: 0xa0 });
    setupSpi(gic, 34, { prio: 0x40 });
    gic.setSpiLevel(33, true);
    assert.equal(iar1(gic, 0), 33);
    gic.setSpiLevel(34, true);
    assert.equal(gic.irqPending(0), true);
    assert.equal(iar1(gic, 0), 34);
    // With 5 preemption bits the active-priority bit is prio >> 3: 0x40 -> bit 8, 0xa0 -> bit 20.
    assert.equal(sysread(gic, 0, 'ICC_AP1R0_EL1'), (1n << 8n) | (1n << 20n));
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0x40);
    eoir1(gic, 0, 34);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0xa0);
    eoir1(gic, 0, 33);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0xff);
    assert.equal(sysread(gic, 0, 'ICC_AP1R2_EL1'), 0n);
  });

  it('EOIR of a special INTID (1023, 1022) is ignored: no priority drop', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33, { prio: 0x40 });
    gic.setSpiLevel(33, true);
    assert.equal(iar1(gic, 0), 33);
    eoir1(gic, 0, 1023);
    eoir1(gic, 0, 1022);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0x40);
    eoir1(gic, 0, 33);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0xff);
  });

  it('EOIR1 does not drop a Group 0 active priority', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 34, { prio: 0x40, group: 0 });
    gic.setSpiLevel(34, true);
    assert.equal(iar0(gic, 0), 34);
    eoir1(gic, 0, 34);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0x40);
    syswrite(gic, 0, 'ICC_EOIR0_EL1', 34);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1')), 0xff);
  });

  it('at EL3, IAR0/HPPIR0 report a pending Group 1 interrupt as 1021 without acknowledging it', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33);
    gic.setSpiLevel(33, true);
    assert.equal(Number(sysread(gic, 0, 'ICC_HPPIR0_EL1', EL3)), 1021);
    assert.equal(iar0(gic, 0, EL3), 1021);
    assert.equal(Number(sysread(gic, 0, 'ICC_HPPIR0_EL1', EL1)), 1023, 'below EL3: spurious');
    assert.equal(iar1(gic, 0, EL3), 33, 'still pending');
  });

  it('ICC_CTLR_EL1: PRIbits/IDbits/A3V read-only, CBPR and EOImode writable', () => {
    const { gic } = makeGic(1);
    assert.equal(Number(sysread(gic, 0, 'ICC_CTLR_EL1')), (4 << 8) | (1 << 11) | (1 << 15)); // PRIbits = 5 - 1
    syswrite(gic, 0, 'ICC_CTLR_EL1', 0xffffffff);
    assert.equal(Number(sysread(gic, 0, 'ICC_CTLR_EL1')), (4 << 8) | (1 << 11) | (1 << 15) | 3);
    assert.equal(Number(sysread(gic, 0, 'ICC_CTLR_EL3', EL3)) & 0x1f, 0b11011, 'EL1 aliases in CTLR_EL3');
  });

  it('ICC_SRE_ELx read as enabled system registers and ignore writes', () => {
    const { gic } = makeGic(1);
    syswrite(gic, 0, 'ICC_SRE_EL1', 0);
    assert.equal(sysread(gic, 0, 'ICC_SRE_EL1'), 7n);
    assert.equal(sysread(gic, 0, 'ICC_SRE_EL2', { ...EL1, el: 2 }), 0xfn);
    assert.equal(sysread(gic, 0, 'ICC_SRE_EL3', EL3), 0xfn);
  });

  it('ICC_IGRPEN1_EL3 bit 0 aliases ICC_IGRPEN1_EL1', () => {
    const { gic } = makeGic(1);
    syswrite(gic, 0, 'ICC_IGRPEN1_EL3', 1, EL3);
    assert.equal(sysread(gic, 0, 'ICC_IGRPEN1_EL1'), 1n);
    syswrite(gic, 0, 'ICC_IGRPEN1_EL1', 0);
    assert.equal(sysread(gic, 0, 'ICC_IGRPEN1_EL3', EL3), 0n);
  });

  it('private interrupts are deactivated in the acknowledging CPU\'s redistributor', () => {
    const { gic } = makeGic(2);
    bringUp(gic);
    setupPrivate(gic, 0, 2);
    setupPrivate(gic, 1, 2);
    syswrite(gic, 0, 'ICC_SGI1R_EL1', sgi1r(0b11, 2));
    assert.equal(iar1(gic, 0), 2);
    assert.equal(iar1(gic, 1), 2);
    eoir1(gic, 1, 2);
    assert.equal((sread(gic, 1, GICR.ISACTIVER0) >>> 2) & 1, 0);
    assert.equal((sread(gic, 0, GICR.ISACTIVER0) >>> 2) & 1, 1);
  });
});
