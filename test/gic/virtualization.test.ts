// The virtual CPU interface: list registers, ICV_ behaviour seen by a guest at EL1 with
// HCR_EL2.IMO/FMO set, HW=1 deactivation of the physical interrupt, maintenance interrupts.
import { strict as assert } from 'node:assert';
import { GICD } from '../../emulator/devices/gic/distributor';
import { GICR } from '../../emulator/devices/gic/redistributor';
import { ICH_MISR } from '../../emulator/devices/gic/cpu-interface';
import type { GicV3 } from '../../emulator/devices/gic/gicv3';
import {
  EL1, EL2, GUEST, bringUp, dread, makeGic, setupPrivate, setupSpi, sread, sysread, syswrite,
} from './helpers';

const STATE = { invalid: 0n, pending: 1n, active: 2n, activePending: 3n } as const;

function lr(o: { vintid: number; prio?: number; group?: number; state?: keyof typeof STATE; hw?: boolean; pintid?: number; eoi?: boolean }): bigint {
  let v = BigInt(o.vintid);
  v |= BigInt(o.prio ?? 0xa0) << 48n;
  v |= BigInt(o.group ?? 1) << 60n;
  v |= STATE[o.state ?? 'pending'] << 62n;
  if (o.hw) v |= (1n << 61n) | (BigInt(o.pintid ?? 0) << 32n);
  if (o.eoi) v |= 1n << 41n;
  return v;
}
const lrState = (v: bigint): bigint => v >> 62n;

/** Hypervisor side: enable the virtual interface, guest groups 0/1 on, VPMR wide open. */
function vgicOn(gic: GicV3, cpu = 0, hcrExtra = 0): void {
  syswrite(gic, cpu, 'ICH_HCR_EL2', 1 | hcrExtra, EL2);
  syswrite(gic, cpu, 'ICH_VMCR_EL2', (0xff << 24) | 0x3, EL2);
}
const misr = (gic: GicV3, cpu = 0): number => Number(sysread(gic, cpu, 'ICH_MISR_EL2', EL2));
const hcr = (gic: GicV3, cpu = 0): number => Number(sysread(gic, cpu, 'ICH_HCR_EL2', EL2));
const maintenancePending = (gic: GicV3, cpu = 0): boolean => ((sread(gic, cpu, GICR.ISPENDR0) >>> 25) & 1) === 1;

describe('GICv3 virtual interface: signalling', () => {
  it('a pending Group 1 list register raises vIRQ; Group 0 raises vFIQ', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    assert.deepEqual([gic.virqPending(0), gic.vfiqPending(0)], [true, false]);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40, group: 0 }), EL2);
    assert.deepEqual([gic.virqPending(0), gic.vfiqPending(0)], [false, true]);
    assert.equal(gic.irqPending(0), false, 'no physical interrupt involved');
  });

  it('no virtual signal while ICH_HCR_EL2.En = 0 or the virtual group is disabled', () => {
    const { gic } = makeGic(1);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    syswrite(gic, 0, 'ICH_VMCR_EL2', (0xff << 24) | 0x2, EL2);
    assert.equal(gic.virqPending(0), false, 'En = 0');
    syswrite(gic, 0, 'ICH_HCR_EL2', 1, EL2);
    assert.equal(gic.virqPending(0), true);
    syswrite(gic, 0, 'ICC_IGRPEN1_EL1', 0, GUEST); // ICV_IGRPEN1_EL1 -> VMCR.VENG1
    assert.equal(gic.virqPending(0), false, 'VENG1 = 0');
    assert.equal(Number(sysread(gic, 0, 'ICH_VMCR_EL2', EL2)) & 2, 0);
  });

  it('VPMR masks list registers whose priority is not higher', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    syswrite(gic, 0, 'ICC_PMR_EL1', 0xa0, GUEST); // ICV_PMR_EL1
    assert.equal(Number(sysread(gic, 0, 'ICH_VMCR_EL2', EL2)) >>> 24, 0xa0, 'ICV_PMR is VMCR.VPMR');
    assert.equal(Number(sysread(gic, 0, 'ICC_PMR_EL1', EL1)), 0, 'the physical PMR is untouched');
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40, prio: 0xa0 }), EL2);
    assert.equal(gic.virqPending(0), false);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', GUEST)), 1023);
    syswrite(gic, 0, 'ICC_PMR_EL1', 0xa8, GUEST);
    assert.equal(gic.virqPending(0), true);
  });

  it('a pending LR preempts an active one only with a higher group priority', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40, prio: 0x80 }), EL2);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', GUEST)), 40);
    syswrite(gic, 0, 'ICH_LR1_EL2', lr({ vintid: 41, prio: 0x90 }), EL2);
    assert.equal(gic.virqPending(0), false, 'lower priority than the running one');
    syswrite(gic, 0, 'ICH_LR2_EL2', lr({ vintid: 42, prio: 0x40 }), EL2);
    assert.equal(gic.virqPending(0), true);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1', GUEST)), 0x80, 'ICV_RPR');
  });
});

describe('GICv3 virtual interface: acknowledge and EOI', () => {
  it('ICV_IAR1 acknowledges the highest priority pending LR: pending -> active', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40, prio: 0xa0 }), EL2);
    syswrite(gic, 0, 'ICH_LR1_EL2', lr({ vintid: 41, prio: 0x60 }), EL2);
    assert.equal(Number(sysread(gic, 0, 'ICC_HPPIR1_EL1', GUEST)), 41);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', GUEST)), 41);
    assert.equal(lrState(sysread(gic, 0, 'ICH_LR1_EL2', EL2)), STATE.active);
    assert.equal(lrState(sysread(gic, 0, 'ICH_LR0_EL2', EL2)), STATE.pending, 'the other LR untouched');
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1', GUEST)), 0x60);
    assert.equal(sysread(gic, 0, 'ICH_AP1R0_EL2', EL2), 1n << BigInt(0x60 >> 3));
  });

  it('ICV_IAR1 returns 1023 with nothing pending, and for a Group 0 LR; ICV_IAR0 takes that', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', GUEST)), 1023);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40, group: 0 }), EL2);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', GUEST)), 1023);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR0_EL1', GUEST)), 40);
  });

  it('the guest ICV_ accesses never touch the physical interface', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupSpi(gic, 33);
    gic.setSpiLevel(33, true);
    vgicOn(gic);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 33 }), EL2);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', GUEST)), 33);
    assert.equal((dread(gic, GICD.ISACTIVER + 4) >>> 1) & 1, 0, 'physical 33 not acknowledged');
    assert.equal(gic.irqPending(0), true);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', EL2)), 33, 'EL2 reaches the physical IAR');
  });

  it('ICV_EOIR1 with EOImode 0 drops the priority and deactivates the LR', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', GUEST)), 40);
    syswrite(gic, 0, 'ICC_EOIR1_EL1', 40, GUEST);
    assert.equal(lrState(sysread(gic, 0, 'ICH_LR0_EL2', EL2)), STATE.invalid);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1', GUEST)), 0xff);
    assert.equal(hcr(gic) >>> 27, 0, 'EOIcount unchanged: the interrupt was in an LR');
  });

  it('ICV_EOIR1 with EOImode 1 only drops the priority; ICV_DIR deactivates', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    syswrite(gic, 0, 'ICC_CTLR_EL1', 2, GUEST); // ICV_CTLR_EL1.EOImode -> VMCR.VEOIM
    assert.equal((Number(sysread(gic, 0, 'ICH_VMCR_EL2', EL2)) >>> 9) & 1, 1);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', GUEST)), 40);
    syswrite(gic, 0, 'ICC_EOIR1_EL1', 40, GUEST);
    assert.equal(Number(sysread(gic, 0, 'ICC_RPR_EL1', GUEST)), 0xff);
    assert.equal(lrState(sysread(gic, 0, 'ICH_LR0_EL2', EL2)), STATE.active);
    syswrite(gic, 0, 'ICC_DIR_EL1', 40, GUEST);
    assert.equal(lrState(sysread(gic, 0, 'ICH_LR0_EL2', EL2)), STATE.invalid);
  });

  it('ICV_DIR with EOImode 0 is ignored', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    sysread(gic, 0, 'ICC_IAR1_EL1', GUEST);
    syswrite(gic, 0, 'ICC_DIR_EL1', 40, GUEST);
    assert.equal(lrState(sysread(gic, 0, 'ICH_LR0_EL2', EL2)), STATE.active);
    assert.equal(hcr(gic) >>> 27, 0);
  });

  it('an active+pending LR goes back to pending when deactivated', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    sysread(gic, 0, 'ICC_IAR1_EL1', GUEST);
    const v = sysread(gic, 0, 'ICH_LR0_EL2', EL2) | (1n << 62n); // the hypervisor re-injects
    syswrite(gic, 0, 'ICH_LR0_EL2', v, EL2);
    assert.equal(gic.virqPending(0), false, 'active at the same priority: no preemption');
    syswrite(gic, 0, 'ICC_EOIR1_EL1', 40, GUEST);
    assert.equal(lrState(sysread(gic, 0, 'ICH_LR0_EL2', EL2)), STATE.pending);
    assert.equal(gic.virqPending(0), true);
  });
});

describe('GICv3 virtual interface: HW interrupts', () => {
  /** Physical SPI 40 taken by the hypervisor with EOImode 1, then handed to the guest. */
  function hwSetup(hw: boolean): GicV3 {
    const { gic } = makeGic(1);
    bringUp(gic);
    syswrite(gic, 0, 'ICC_CTLR_EL1', 2, EL2); // host EOImode 1: priority drop now, deactivate later
    setupSpi(gic, 40, { edge: true });
    gic.setSpiLevel(40, true);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', EL2)), 40);
    syswrite(gic, 0, 'ICC_EOIR1_EL1', 40, EL2);
    assert.equal((dread(gic, GICD.ISACTIVER + 4) >>> 8) & 1, 1, 'physically still active');
    vgicOn(gic);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 27, hw, pintid: 40 }), EL2);
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', GUEST)), 27);
    syswrite(gic, 0, 'ICC_EOIR1_EL1', 27, GUEST);
    return gic;
  }

  it('HW = 1: the guest EOI deactivates the physical interrupt pINTID', () => {
    const gic = hwSetup(true);
    assert.equal((dread(gic, GICD.ISACTIVER + 4) >>> 8) & 1, 0);
    assert.equal(lrState(sysread(gic, 0, 'ICH_LR0_EL2', EL2)), STATE.invalid);
  });

  it('HW = 0: the physical interrupt stays active', () => {
    const gic = hwSetup(false);
    assert.equal((dread(gic, GICD.ISACTIVER + 4) >>> 8) & 1, 1);
  });

  it('HW = 1 with a private pINTID deactivates it in this CPU\'s redistributor', () => {
    const { gic } = makeGic(2);
    bringUp(gic);
    syswrite(gic, 1, 'ICC_CTLR_EL1', 2, EL2);
    setupPrivate(gic, 1, 27);
    gic.setPpiLevel(1, 27, true);
    assert.equal(Number(sysread(gic, 1, 'ICC_IAR1_EL1', EL2)), 27);
    syswrite(gic, 1, 'ICC_EOIR1_EL1', 27, EL2);
    gic.setPpiLevel(1, 27, false);
    vgicOn(gic, 1);
    syswrite(gic, 1, 'ICH_LR0_EL2', lr({ vintid: 27, hw: true, pintid: 27 }), EL2);
    sysread(gic, 1, 'ICC_IAR1_EL1', GUEST);
    assert.equal((sread(gic, 1, GICR.ISACTIVER0) >>> 27) & 1, 1);
    syswrite(gic, 1, 'ICC_EOIR1_EL1', 27, GUEST);
    assert.equal((sread(gic, 1, GICR.ISACTIVER0) >>> 27) & 1, 0);
  });
});

describe('GICv3 virtual interface: maintenance', () => {
  it('underflow (UIE): asserted with at most one valid LR, not with two', () => {
    const { gic } = makeGic(1);
    bringUp(gic);
    setupPrivate(gic, 0, 25);
    vgicOn(gic, 0, 1 << 1); // UIE
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    syswrite(gic, 0, 'ICH_LR1_EL2', lr({ vintid: 41 }), EL2);
    assert.equal(misr(gic) & ICH_MISR.U, 0);
    assert.equal(maintenancePending(gic), false);
    syswrite(gic, 0, 'ICH_LR1_EL2', 0n, EL2);
    assert.equal(misr(gic) & ICH_MISR.U, ICH_MISR.U);
    assert.equal(maintenancePending(gic), true, 'PPI 25 asserted');
    assert.equal(gic.irqPending(0), true, 'and delivered as a physical IRQ');
    assert.equal(Number(sysread(gic, 0, 'ICC_IAR1_EL1', EL2)), 25);
  });

  it('underflow needs UIE, and the maintenance interrupt needs En', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    assert.equal(misr(gic) & ICH_MISR.U, 0, 'UIE = 0');
    syswrite(gic, 0, 'ICH_HCR_EL2', 1 << 1, EL2); // UIE without En
    assert.equal(misr(gic) & ICH_MISR.U, ICH_MISR.U, 'MISR reports the condition');
    assert.equal(maintenancePending(gic), false, 'but no interrupt while En = 0');
  });

  it('EOIcount counts EOIs of interrupts not in the LRs; LRENPIE turns that into maintenance', () => {
    const { gic } = makeGic(1);
    vgicOn(gic, 0, 1 << 2); // LRENPIE
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    sysread(gic, 0, 'ICC_IAR1_EL1', GUEST);
    assert.equal(misr(gic) & ICH_MISR.LRENP, 0);
    syswrite(gic, 0, 'ICH_LR0_EL2', 0n, EL2); // the hypervisor reclaims the LR
    syswrite(gic, 0, 'ICC_EOIR1_EL1', 40, GUEST);
    assert.equal(hcr(gic) >>> 27, 1);
    assert.equal(misr(gic) & ICH_MISR.LRENP, ICH_MISR.LRENP);
    assert.equal(maintenancePending(gic), true);
    syswrite(gic, 0, 'ICH_HCR_EL2', 1 | (1 << 2), EL2); // hypervisor resets EOIcount
    assert.equal(misr(gic) & ICH_MISR.LRENP, 0);
    assert.equal(maintenancePending(gic), false);
  });

  it('EOImode 1: EOIR of an interrupt not in the LRs does not count; DIR does', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    syswrite(gic, 0, 'ICC_CTLR_EL1', 2, GUEST);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    sysread(gic, 0, 'ICC_IAR1_EL1', GUEST);
    syswrite(gic, 0, 'ICH_LR0_EL2', 0n, EL2);
    syswrite(gic, 0, 'ICC_EOIR1_EL1', 40, GUEST);
    assert.equal(hcr(gic) >>> 27, 0);
    syswrite(gic, 0, 'ICC_DIR_EL1', 40, GUEST);
    assert.equal(hcr(gic) >>> 27, 1);
  });

  it('NPIE: maintenance when no LR is pending, not while one is', () => {
    const { gic } = makeGic(1);
    vgicOn(gic, 0, 1 << 3);
    syswrite(gic, 0, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    assert.equal(misr(gic) & ICH_MISR.NP, 0);
    sysread(gic, 0, 'ICC_IAR1_EL1', GUEST); // now active, none pending
    assert.equal(misr(gic) & ICH_MISR.NP, ICH_MISR.NP);
    assert.equal(maintenancePending(gic), true);
  });

  it('EOI maintenance: an LR with EOI = 1 that becomes invalid shows in EISR and MISR.EOI', () => {
    const { gic } = makeGic(1);
    vgicOn(gic);
    syswrite(gic, 0, 'ICH_LR2_EL2', lr({ vintid: 40, eoi: true }), EL2);
    assert.equal(sysread(gic, 0, 'ICH_EISR_EL2', EL2), 0n, 'still pending');
    assert.equal(misr(gic) & ICH_MISR.EOI, 0);
    sysread(gic, 0, 'ICC_IAR1_EL1', GUEST);
    syswrite(gic, 0, 'ICC_EOIR1_EL1', 40, GUEST);
    assert.equal(sysread(gic, 0, 'ICH_EISR_EL2', EL2), 0b100n);
    assert.equal(misr(gic) & ICH_MISR.EOI, ICH_MISR.EOI);
    assert.equal(maintenancePending(gic), true);
    assert.equal(sysread(gic, 0, 'ICH_ELRSR_EL2', EL2) & 0b100n, 0n, 'not empty until the EOI is serviced');
  });

  it('ELRSR: empty LRs are set; valid ones and those awaiting EOI maintenance are not', () => {
    const { gic } = makeGic(1);
    assert.equal(sysread(gic, 0, 'ICH_ELRSR_EL2', EL2), 0b1111n);
    syswrite(gic, 0, 'ICH_LR1_EL2', lr({ vintid: 40 }), EL2);
    syswrite(gic, 0, 'ICH_LR3_EL2', lr({ vintid: 41, state: 'invalid', eoi: true }), EL2);
    assert.equal(sysread(gic, 0, 'ICH_ELRSR_EL2', EL2), 0b0101n);
  });

  it('VGrp0E/VGrp0D/VGrp1E/VGrp1D follow the virtual group enables', () => {
    const { gic } = makeGic(1);
    syswrite(gic, 0, 'ICH_HCR_EL2', 1 | (0xf << 4), EL2);
    syswrite(gic, 0, 'ICH_VMCR_EL2', 0x1, EL2); // VENG0 only
    assert.equal(misr(gic) & 0xf0, ICH_MISR.VGRP0E | ICH_MISR.VGRP1D);
    syswrite(gic, 0, 'ICH_VMCR_EL2', 0x2, EL2); // VENG1 only
    assert.equal(misr(gic) & 0xf0, ICH_MISR.VGRP0D | ICH_MISR.VGRP1E);
    syswrite(gic, 0, 'ICH_HCR_EL2', 1, EL2);
    assert.equal(misr(gic), 0, 'none without the enables in ICH_HCR_EL2');
  });
});

describe('GICv3 virtual interface: registers', () => {
  it('ICH_VTR_EL2: 4 list registers, 5 priority and 5 preemption bits, TDS, nV4, A3V', () => {
    const { gic } = makeGic(1);
    const v = Number(sysread(gic, 0, 'ICH_VTR_EL2', EL2));
    assert.equal(v & 0x1f, 3, 'ListRegs');
    assert.equal(v >>> 29, 4, 'PRIbits');
    assert.equal((v >>> 26) & 7, 4, 'PREbits');
    assert.equal((v >>> 19) & 7, 0b111, 'TDS, nV4, A3V');
  });

  it('ICH_LR write: unimplemented priority bits and RES0 fields read as zero', () => {
    const { gic } = makeGic(1);
    syswrite(gic, 0, 'ICH_LR0_EL2', 0xffffffffffffffffn, EL2);
    assert.equal(sysread(gic, 0, 'ICH_LR0_EL2', EL2), 0xf0f81fffffffffffn);
  });

  it('ICH_VMCR_EL2: VFIQEn RES1, VBPRs clamp to their minimum, VPMR keeps 5 bits', () => {
    const { gic } = makeGic(1);
    const reset = Number(sysread(gic, 0, 'ICH_VMCR_EL2', EL2));
    assert.equal(reset, (3 << 18) | (2 << 21) | (1 << 3));
    syswrite(gic, 0, 'ICH_VMCR_EL2', 0xffffffff, EL2);
    assert.equal(Number(sysread(gic, 0, 'ICH_VMCR_EL2', EL2)), ((0xf8 << 24) | (7 << 21) | (7 << 18) | 0x21b) >>> 0);
    syswrite(gic, 0, 'ICH_VMCR_EL2', 0, EL2);
    assert.equal(Number(sysread(gic, 0, 'ICH_VMCR_EL2', EL2)), (3 << 18) | (2 << 21) | (1 << 3));
  });

  it('ICV_BPR0/1 and ICV_CTLR are views of ICH_VMCR_EL2', () => {
    const { gic } = makeGic(1);
    syswrite(gic, 0, 'ICC_BPR0_EL1', 6, EL1); // the physical BPR0, before the guest writes its view
    syswrite(gic, 0, 'ICC_BPR1_EL1', 5, GUEST);
    assert.equal((Number(sysread(gic, 0, 'ICH_VMCR_EL2', EL2)) >>> 18) & 7, 5);
    syswrite(gic, 0, 'ICC_BPR0_EL1', 0, GUEST);
    assert.equal(sysread(gic, 0, 'ICC_BPR0_EL1', GUEST), 2n, 'minimum VBPR0 = 2');
    assert.equal(sysread(gic, 0, 'ICC_BPR0_EL1', EL1), 6n, 'the physical BPR0 is separate');
    const ctlr = Number(sysread(gic, 0, 'ICC_CTLR_EL1', GUEST));
    assert.equal((ctlr >>> 8) & 7, 4, 'ICV_CTLR.PRIbits = 5 bits');
  });

  it('the virtual interface state is per CPU', () => {
    const { gic } = makeGic(2);
    vgicOn(gic, 0);
    vgicOn(gic, 1);
    syswrite(gic, 1, 'ICH_LR0_EL2', lr({ vintid: 40 }), EL2);
    assert.deepEqual([gic.virqPending(0), gic.virqPending(1)], [false, true]);
  });
});
