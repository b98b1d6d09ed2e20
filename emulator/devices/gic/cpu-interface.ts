// One PE's GICv3 CPU interface (IHI 0069 chapter "CPU interface" and the ICC_/ICH_/ICV_ register
// descriptions): the physical interface (ICC_*: acknowledge, priority drop, deactivation, active
// priorities, running priority, masking, preemption, SGI generation) and the virtual interface
// (ICH_*_EL2 state, and the ICV_* behaviour that EL1 sees through the ICC_* encodings when
// HCR_EL2.IMO/FMO route it there). Which of ICC or ICV an access reaches, and the traps, are
// decided in sysregs.ts; the methods here implement one side each.
//
// Outputs: `irq`, `fiq` (physical), `virq`, `vfiq` (virtual) — plain booleans recomputed whenever
// the state they depend on changes; GicV3.onLines is told when any of them flips. The
// maintenance interrupt (PPI 25) is driven into this CPU's redistributor as a level.
import {
  IDLE_PRIO, INTID_NONSECURE, INTID_SPURIOUS, LPI_INTID_START, MAINTENANCE_INTID,
  MIN_BPR0, MIN_BPR1, MIN_VBPR0, MIN_VBPR1, NO_PRIO, NUM_APR, NUM_LRS, PRE_BITS, PRI_BITS,
  VPRE_BITS, VPRI_BITS, VPRIO_MASK, ctz32,
} from './constants';
import type { GicV3 } from './gicv3';

/**
 * What a system-register access needs to know about the accessing PE. The CPU keeps one object
 * per core and refreshes it before an access (no allocation per access).
 */
export interface GicAccessContext {
  /** Current exception level, 0..3. */
  el: number;
  /** EL2 is implemented and enabled in the current Security state (Arm ARM EL2Enabled()). */
  el2Enabled: boolean;
  /**
   * Effective HCR_EL2.IMO / FMO: the values after HCR_EL2.TGE is applied (TGE = 1 with E2H = 0
   * makes them behave as 1), Arm ARM HCR_EL2.IMO/FMO descriptions.
   */
  imo: boolean;
  fmo: boolean;
  /** SCR_EL3.IRQ / SCR_EL3.FIQ; false when EL3 is not implemented. */
  scrIrq: boolean;
  scrFiq: boolean;
}

// ICC_CTLR_EL1 fields (IHI 0069 ICC_CTLR_EL1)
const CTLR_CBPR = 1 << 0;
const CTLR_EOIMODE = 1 << 1;
const CTLR_PRIBITS_SHIFT = 8;
const CTLR_IDBITS_SHIFT = 11;
const CTLR_A3V = 1 << 15;
/** Read-only part: PRIbits = 7 (8 bits), IDbits = 1 (24-bit INTIDs, as QEMU reports), A3V. */
const CTLR_EL1_RO = ((PRI_BITS - 1) << CTLR_PRIBITS_SHIFT) | (1 << CTLR_IDBITS_SHIFT) | CTLR_A3V;
// ICC_CTLR_EL3 fields (IHI 0069 ICC_CTLR_EL3)
const CTLR3_CBPR_EL1S = 1 << 0;
const CTLR3_CBPR_EL1NS = 1 << 1;
const CTLR3_EOIMODE_EL3 = 1 << 2;
const CTLR3_EOIMODE_EL1S = 1 << 3;
const CTLR3_EOIMODE_EL1NS = 1 << 4;

/** ICC_SRE_ELx: SRE = 1 (system registers always on), DFB = DIB = 1 (no bypass); RAO/WI. */
export const ICC_SRE_EL1_VALUE = 0x7;
/** ICC_SRE_EL2/EL3 additionally have Enable = 1 (lower ELs may use ICC_SRE_EL1). */
export const ICC_SRE_EL2_VALUE = 0xf;
export const ICC_SRE_EL3_VALUE = 0xf;

// ICH_HCR_EL2 (IHI 0069 ICH_HCR_EL2)
export const ICH_HCR = {
  EN: 1 << 0, UIE: 1 << 1, LRENPIE: 1 << 2, NPIE: 1 << 3,
  VGRP0EIE: 1 << 4, VGRP0DIE: 1 << 5, VGRP1EIE: 1 << 6, VGRP1DIE: 1 << 7,
  TC: 1 << 10, TALL0: 1 << 11, TALL1: 1 << 12, TDIR: 1 << 14,
  EOICOUNT_SHIFT: 27,
} as const;
/**
 * Writable ICH_HCR_EL2 bits. TSEI is RES0 (ICH_VTR_EL2.SEIS = 0); DVIM/vSGIEOICount (GICv4.1)
 * are RES0.
 */
const ICH_HCR_MASK = (ICH_HCR.EN | ICH_HCR.UIE | ICH_HCR.LRENPIE | ICH_HCR.NPIE | ICH_HCR.VGRP0EIE |
  ICH_HCR.VGRP0DIE | ICH_HCR.VGRP1EIE | ICH_HCR.VGRP1DIE | ICH_HCR.TC | ICH_HCR.TALL0 | ICH_HCR.TALL1 |
  ICH_HCR.TDIR | (0x1f << ICH_HCR.EOICOUNT_SHIFT)) >>> 0;

// ICH_VMCR_EL2 (IHI 0069 ICH_VMCR_EL2)
export const ICH_VMCR = {
  VENG0: 1 << 0, VENG1: 1 << 1, VFIQEN: 1 << 3, VCBPR: 1 << 4, VEOIM: 1 << 9,
  VBPR1_SHIFT: 18, VBPR0_SHIFT: 21, VPMR_SHIFT: 24,
} as const;
const VMCR_MASK = (ICH_VMCR.VENG0 | ICH_VMCR.VENG1 | ICH_VMCR.VCBPR | ICH_VMCR.VEOIM |
  (7 << ICH_VMCR.VBPR1_SHIFT) | (7 << ICH_VMCR.VBPR0_SHIFT) | (0xff << ICH_VMCR.VPMR_SHIFT)) >>> 0;

// ICH_MISR_EL2 (IHI 0069 ICH_MISR_EL2)
export const ICH_MISR = {
  EOI: 1 << 0, U: 1 << 1, LRENP: 1 << 2, NP: 1 << 3,
  VGRP0E: 1 << 4, VGRP0D: 1 << 5, VGRP1E: 1 << 6, VGRP1D: 1 << 7,
} as const;

/**
 * ICH_VTR_EL2: ListRegs = NUM_LRS-1, TDS = 1 (ICH_HCR_EL2.TDIR implemented), nV4 = 1 (no direct
 * vLPI injection), A3V = 1, IDbits = 1 (24-bit virtual INTIDs), PREbits = PRIbits = 4 (5 bits).
 */
export const ICH_VTR_VALUE = ((NUM_LRS - 1) | (1 << 19) | (1 << 20) | (1 << 21) | (1 << 23) |
  ((VPRE_BITS - 1) << 26) | ((VPRI_BITS - 1) << 29)) >>> 0;

// ICH_LR<n>_EL2, upper word (bits [63:32] of the register), IHI 0069 ICH_LR<n>_EL2
const LR_HI_STATE_PENDING = 1 << 30; // bit 62
const LR_HI_STATE_ACTIVE = 1 << 31;  // bit 63
const LR_HI_HW = 1 << 29;            // bit 61
const LR_HI_GROUP = 1 << 28;         // bit 60
const LR_HI_EOI = 1 << 9;            // bit 41 (when HW = 0)
const LR_HI_PINTID_MASK = 0x1fff;    // bits [44:32]
/** Stored bits of the upper word: State, HW, Group, Priority (implemented bits), pINTID. */
const LR_HI_MASK = ((3 << 30) | LR_HI_HW | LR_HI_GROUP | (VPRIO_MASK << 16) | LR_HI_PINTID_MASK) >>> 0;

export const LR_STATE = { INVALID: 0, PENDING: 1, ACTIVE: 2, ACTIVE_PENDING: 3 } as const;

function isSpecial(intid: number): boolean { return intid >= 1020 && intid <= 1023; }

export class GicCpuInterface {
  // ---- set by GicV3.updateCpu: this PE's highest priority pending interrupt
  hppiId = INTID_SPURIOUS;
  /** NO_PRIO (0x100) when nothing is pending. */
  hppiPrio = NO_PRIO;
  hppiGroup = 0;

  // ---- physical CPU interface state
  pmr = 0;
  bpr0 = MIN_BPR0;
  bpr1 = MIN_BPR1;
  /** ICC_CTLR_EL1.CBPR / EOImode (one copy: one Security state). */
  cbpr = false;
  eoiMode = false;
  /** ICC_CTLR_EL3.EOImode_EL3. */
  eoiModeEl3 = false;
  igrpen0 = false;
  igrpen1 = false;
  /** ICC_IGRPEN1_EL3.EnableGrp1S: stored; with GICD_CTLR.DS = 1 there is no Secure Group 1. */
  igrpen1S = false;
  /** ICC_AP0R<n>_EL1 / ICC_AP1R<n>_EL1: one bit per group priority (prio >> 1). */
  readonly apr: [Uint32Array, Uint32Array] = [new Uint32Array(NUM_APR), new Uint32Array(NUM_APR)];

  // ---- virtual CPU interface state (ICH_*_EL2)
  ichHcr = 0;
  ichVmcr = 0;
  /** ICH_LR<n>_EL2 as two 32-bit halves: lo = vINTID, hi = bits [63:32]. */
  readonly lrLo = new Uint32Array(NUM_LRS);
  readonly lrHi = new Uint32Array(NUM_LRS);
  /** ICH_AP0R0_EL2 / ICH_AP1R0_EL2 (32 virtual group priorities: bit = vprio >> 3). */
  readonly vapr = new Uint32Array(2);

  // ---- outputs
  irq = false;
  fiq = false;
  virq = false;
  vfiq = false;
  /** Level of the maintenance interrupt (PPI 25) this interface drives. */
  maintenance = false;

  constructor(private readonly gic: GicV3, readonly index: number) {}

  /** CPU-interface reset (part of the PE's reset domain). */
  reset(): void {
    this.pmr = 0; this.bpr0 = MIN_BPR0; this.bpr1 = MIN_BPR1;
    this.cbpr = false; this.eoiMode = false; this.eoiModeEl3 = false;
    this.igrpen0 = false; this.igrpen1 = false; this.igrpen1S = false;
    this.apr[0].fill(0); this.apr[1].fill(0);
    this.ichHcr = 0;
    this.ichVmcr = ICH_VMCR.VFIQEN | (MIN_VBPR1 << ICH_VMCR.VBPR1_SHIFT) | (MIN_VBPR0 << ICH_VMCR.VBPR0_SHIFT);
    this.lrLo.fill(0); this.lrHi.fill(0); this.vapr.fill(0);
  }

  // =================================================================== physical interface

  /** Running priority: the group priority of the highest active priority bit (ICC_RPR_EL1). */
  runningPriority(): number {
    const a0 = this.apr[0], a1 = this.apr[1];
    for (let i = 0; i < NUM_APR; i++) {
      const a = (a0[i] | a1[i]) >>> 0;
      if (a) return ((i * 32 + ctz32(a)) << (8 - PRE_BITS)) & 0xff;
    }
    return IDLE_PRIO;
  }

  /**
   * Mask selecting the group-priority bits of a priority in group `g` (Arm GroupBits()):
   * BPR0 = n means bits [7:n+1]; BPR1 = n means bits [7:n]; with CBPR, Group 1 uses BPR0.
   */
  groupMask(g: number): number {
    const bpr = g === 0 || this.cbpr ? this.bpr0 : this.bpr1 - 1;
    return (0xff << (bpr + 1)) & 0xff;
  }

  /**
   * Whether the highest priority pending interrupt can be signalled: above the priority mask and
   * with higher group priority than the running priority (preemption), IHI 0069 "Preemption".
   */
  canSignal(): boolean {
    const p = this.hppiPrio;
    if (p === NO_PRIO || p >= this.pmr) return false;
    const rpr = this.runningPriority();
    if (rpr === IDLE_PRIO) return true;
    const m = this.groupMask(this.hppiGroup);
    return (p & m) < (rpr & m);
  }

  /** Recomputes `irq`/`fiq` (Group 0 -> FIQ, Group 1 -> IRQ with DS = 1). */
  updatePhysical(): void {
    const s = this.canSignal();
    const irq = s && this.hppiGroup === 1, fiq = s && this.hppiGroup === 0;
    if (irq !== this.irq || fiq !== this.fiq) {
      this.irq = irq; this.fiq = fiq;
      this.gic.notify(this.index);
    }
  }

  /**
   * ICC_HPPIR0/1_EL1: the highest priority pending interrupt if it is in group `g`, whatever the
   * priority mask. At EL3, HPPIR0 reports a pending Group 1 interrupt as 1021 (IHI 0069
   * CheckGroup0ForSpecialIdentifiers; all Group 1 is Non-secure when DS = 1).
   */
  hppir(g: number, el: number): number {
    if (this.hppiPrio === NO_PRIO) return INTID_SPURIOUS;
    if (this.hppiGroup === g) return this.hppiId;
    if (g === 0 && el === 3) return INTID_NONSECURE;
    return INTID_SPURIOUS;
  }

  /** ICC_IAR0/1_EL1: acknowledge the signalled interrupt of group `g`; 1023 if none. */
  iar(g: number, el: number): number {
    if (!this.canSignal()) return INTID_SPURIOUS;
    const id = this.hppir(g, el);
    if (id >= 1020) return id;
    const bit = (this.hppiPrio & this.groupMask(g)) >> (8 - PRE_BITS);
    this.apr[g][bit >>> 5] |= 1 << (bit & 31);
    this.gic.acknowledge(this.index, id); // recomputes the HPPI and the lines
    return id;
  }

  private splitEoi(el: number): boolean { return el === 3 ? this.eoiModeEl3 : this.eoiMode; }

  /** Group with the highest priority active bit (Group 0 on a tie), -1 if none is active. */
  private highestActiveGroup(): number {
    for (let i = 0; i < NUM_APR; i++) {
      const c0 = ctz32(this.apr[0][i]), c1 = ctz32(this.apr[1][i]);
      if (c0 === 32 && c1 === 32) continue;
      return c1 < c0 ? 1 : 0;
    }
    return -1;
  }

  /**
   * ICC_EOIR0/1_EL1: priority drop (clear the highest active priority bit of the group), and
   * with EOImode = 0 also deactivation of the INTID. Special INTIDs (1020..1023) and unimplemented
   * ones are ignored; an EOI whose group does not own the highest active priority is ignored
   * (IHI 0069 ICC_EOIR1_EL1: UNPREDICTABLE, this implementation ignores it, as QEMU does).
   */
  eoir(g: number, value: number, el: number): void {
    const id = value & 0xffffff;
    if (id >= this.gic.numIrq) return;
    if (this.highestActiveGroup() !== g) return;
    const a = this.apr[g];
    for (let i = 0; i < NUM_APR; i++) {
      if (a[i]) { a[i] &= a[i] - 1; break; }
    }
    if (!this.splitEoi(el)) this.gic.deactivate(this.index, id);
    this.updatePhysical();
  }

  /**
   * ICC_DIR_EL1: deactivation when EOImode = 1 (ignored with EOImode = 0: UNPREDICTABLE, as
   * QEMU). The permission checks of the Arm ARM pseudocode for one Security state apply: an
   * interrupt routed by SCR_EL3/HCR_EL2 to a higher EL may not be deactivated from here.
   */
  dir(value: number, ctx: GicAccessContext): void {
    const id = value & 0xffffff;
    if (id >= this.gic.numIrq || !this.splitEoi(ctx.el)) return;
    const g0 = this.gic.groupOf(this.index, id) === 0;
    if (ctx.el === 2) {
      if (g0 ? ctx.scrFiq : ctx.scrIrq) return;
    } else if (ctx.el === 1) {
      if (g0 ? ctx.scrFiq || (ctx.el2Enabled && ctx.fmo) : ctx.scrIrq || (ctx.el2Enabled && ctx.imo)) return;
    }
    this.gic.deactivate(this.index, id);
  }

  /** ICC_BPR0/1_EL1 read. With CBPR, BPR1 reads as BPR0 + 1 (saturating at 7) below EL3. */
  readBpr(g: number, el: number): number {
    if (g === 1 && this.cbpr && el < 3) return Math.min(this.bpr0 + 1, 7);
    return g ? this.bpr1 : this.bpr0;
  }

  /** ICC_BPR0/1_EL1 write: values below the minimum set the minimum; BPR1 is WI under CBPR. */
  writeBpr(g: number, value: number, el: number): void {
    if (g === 1 && this.cbpr && el < 3) return;
    const v = Math.max(value & 7, g ? MIN_BPR1 : MIN_BPR0);
    if (g) this.bpr1 = v; else this.bpr0 = v;
    this.updatePhysical();
  }

  writePmr(value: number): void {
    this.pmr = value & ((0xff << (8 - PRI_BITS)) & 0xff);
    this.updatePhysical();
  }

  readAp(g: number, n: number): number { return this.apr[g][n]; }
  writeAp(g: number, n: number, value: number): void {
    this.apr[g][n] = value >>> 0;
    this.updatePhysical();
  }

  readCtlrEl1(): number {
    return CTLR_EL1_RO | (this.cbpr ? CTLR_CBPR : 0) | (this.eoiMode ? CTLR_EOIMODE : 0);
  }
  /** Only CBPR and EOImode are writable (PMHE RAZ/WI: no priority-based routing). */
  writeCtlrEl1(value: number): void {
    this.cbpr = (value & CTLR_CBPR) !== 0;
    this.eoiMode = (value & CTLR_EOIMODE) !== 0;
    this.updatePhysical();
  }

  /**
   * ICC_CTLR_EL3. With one Security state there is one ICC_CTLR_EL1, so the _EL1S and _EL1NS
   * aliases both read it; writes take the _EL1NS bits. nDS = 0: this interface supports
   * GICD_CTLR.DS = 1, as it must for the distributor configured here.
   */
  readCtlrEl3(): number {
    return CTLR_EL1_RO |
      (this.cbpr ? CTLR3_CBPR_EL1S | CTLR3_CBPR_EL1NS : 0) |
      (this.eoiModeEl3 ? CTLR3_EOIMODE_EL3 : 0) |
      (this.eoiMode ? CTLR3_EOIMODE_EL1S | CTLR3_EOIMODE_EL1NS : 0);
  }
  writeCtlrEl3(value: number): void {
    this.cbpr = (value & CTLR3_CBPR_EL1NS) !== 0;
    this.eoiMode = (value & CTLR3_EOIMODE_EL1NS) !== 0;
    this.eoiModeEl3 = (value & CTLR3_EOIMODE_EL3) !== 0;
    this.updatePhysical();
  }

  /** ICC_IGRPEN0/1_EL1 write. The group enables decide forwarding and 1-of-N participation. */
  writeIgrpen(g: number, value: number): void {
    const en = (value & 1) !== 0;
    if (g) this.igrpen1 = en; else this.igrpen0 = en;
    this.gic.participationChanged();
  }
  readIgrpen1El3(): number { return (this.igrpen1 ? 1 : 0) | (this.igrpen1S ? 2 : 0); }
  writeIgrpen1El3(value: number): void {
    this.igrpen1S = (value & 2) !== 0;
    this.writeIgrpen(1, value & 1);
  }

  /** ICC_SGI0R/SGI1R/ASGI1R_EL1 (`grp`: 0 for SGI0R, 1 for SGI1R; see GicV3.generateSgi). */
  writeSgi(lo: number, hi: number, grp: number): void {
    this.gic.generateSgi(this.index, lo, hi, grp);
  }

  // =================================================================== virtual interface

  private lrState(i: number): number { return this.lrHi[i] >>> 30; }
  private lrGroup(i: number): number { return (this.lrHi[i] >>> 28) & 1; }
  private lrPrio(i: number): number { return (this.lrHi[i] >>> 16) & 0xff; }

  private get vpmr(): number { return this.ichVmcr >>> ICH_VMCR.VPMR_SHIFT; }
  private get vbpr0(): number { return (this.ichVmcr >>> ICH_VMCR.VBPR0_SHIFT) & 7; }
  private get vbpr1(): number { return (this.ichVmcr >>> ICH_VMCR.VBPR1_SHIFT) & 7; }
  private get veoim(): boolean { return (this.ichVmcr & ICH_VMCR.VEOIM) !== 0; }

  /** Virtual running priority from ICH_AP0R0/AP1R0 (ICV_RPR_EL1). */
  vRunningPriority(): number {
    const a = (this.vapr[0] | this.vapr[1]) >>> 0;
    return a ? (ctz32(a) << (8 - VPRE_BITS)) & 0xff : IDLE_PRIO;
  }

  /** Arm VGroupBits(): as groupMask() with VBPR0/VBPR1 and VCBPR. */
  vGroupMask(g: number): number {
    const bpr = g === 0 || (this.ichVmcr & ICH_VMCR.VCBPR) ? this.vbpr0 : this.vbpr1 - 1;
    return (0xff << (bpr + 1)) & 0xff;
  }

  /**
   * Index of the highest priority pending list register whose group is enabled (VENG0/VENG1),
   * -1 if none (Arm HighestPriorityVirtualInterrupt()). A priority of 0xff is never reported.
   * Equal priorities: the lowest-numbered list register.
   */
  hppvi(): number {
    const v = this.ichVmcr;
    if (!(v & (ICH_VMCR.VENG0 | ICH_VMCR.VENG1))) return -1;
    let idx = -1, best = 0xff;
    for (let i = 0; i < NUM_LRS; i++) {
      if (this.lrState(i) !== LR_STATE.PENDING) continue;
      if (!(v & (this.lrGroup(i) ? ICH_VMCR.VENG1 : ICH_VMCR.VENG0))) continue;
      const p = this.lrPrio(i);
      if (p < best) { best = p; idx = i; }
    }
    return idx;
  }

  /**
   * Arm CanSignalVirtualInterrupt(): the virtual interface is enabled (ICH_HCR_EL2.En), the
   * priority is above ICH_VMCR_EL2.VPMR, and its group priority beats the virtual running
   * priority.
   */
  private vCanSignal(idx: number): boolean {
    if (!(this.ichHcr & ICH_HCR.EN)) return false;
    const p = this.lrPrio(idx);
    if (p >= this.vpmr) return false;
    const rpr = this.vRunningPriority();
    if (rpr === IDLE_PRIO) return true;
    const m = this.vGroupMask(this.lrGroup(idx));
    return (p & m) < (rpr & m);
  }

  /** ICH_EISR_EL2: LRs with State = Invalid, HW = 0 and EOI = 1 (EOI maintenance requested). */
  eisr(): number {
    let v = 0;
    for (let i = 0; i < NUM_LRS; i++) {
      if ((this.lrHi[i] & ((3 << 30) | LR_HI_HW | LR_HI_EOI)) >>> 0 === LR_HI_EOI) v |= 1 << i;
    }
    return v;
  }

  /** ICH_ELRSR_EL2: LRs with no valid interrupt (State = Invalid and not awaiting EOI maintenance). */
  elrsr(): number {
    let v = 0;
    for (let i = 0; i < NUM_LRS; i++) {
      const h = this.lrHi[i];
      if (h >>> 30 === 0 && ((h & LR_HI_HW) || !(h & LR_HI_EOI))) v |= 1 << i;
    }
    return v;
  }

  /** ICH_MISR_EL2: the maintenance interrupt conditions (IHI 0069 ICH_MISR_EL2). */
  misr(): number {
    const h = this.ichHcr, v = this.ichVmcr;
    let valid = 0, pending = false;
    for (let i = 0; i < NUM_LRS; i++) {
      const s = this.lrState(i);
      if (s !== LR_STATE.INVALID) valid++;
      if (s === LR_STATE.PENDING) pending = true;
    }
    let m = 0;
    if (this.eisr()) m |= ICH_MISR.EOI;
    // Underflow: zero or one list register entries hold a valid interrupt.
    if ((h & ICH_HCR.UIE) && valid < 2) m |= ICH_MISR.U;
    if ((h & ICH_HCR.LRENPIE) && (h >>> ICH_HCR.EOICOUNT_SHIFT) !== 0) m |= ICH_MISR.LRENP;
    if ((h & ICH_HCR.NPIE) && !pending) m |= ICH_MISR.NP;
    if ((h & ICH_HCR.VGRP0EIE) && (v & ICH_VMCR.VENG0)) m |= ICH_MISR.VGRP0E;
    // VGrp0D tests VENG0 (IHI 0069 ICH_MISR_EL2.VGrp0D). QEMU tests VENG1 here; the spec wins.
    if ((h & ICH_HCR.VGRP0DIE) && !(v & ICH_VMCR.VENG0)) m |= ICH_MISR.VGRP0D;
    if ((h & ICH_HCR.VGRP1EIE) && (v & ICH_VMCR.VENG1)) m |= ICH_MISR.VGRP1E;
    if ((h & ICH_HCR.VGRP1DIE) && !(v & ICH_VMCR.VENG1)) m |= ICH_MISR.VGRP1D;
    return m;
  }

  /**
   * Recomputes `virq`/`vfiq` and the maintenance interrupt level (asserted while
   * ICH_HCR_EL2.En = 1 and ICH_MISR_EL2 != 0). Called after every change of virtual state.
   */
  updateVirtual(): void {
    const idx = this.hppvi();
    const s = idx >= 0 && this.vCanSignal(idx);
    const g1 = s && this.lrGroup(idx) === 1;
    const virq = s && g1, vfiq = s && !g1;
    const maint = (this.ichHcr & ICH_HCR.EN) !== 0 && this.misr() !== 0;
    if (maint !== this.maintenance) {
      this.maintenance = maint;
      this.gic.setPpiLevel(this.index, MAINTENANCE_INTID, maint);
    }
    if (virq !== this.virq || vfiq !== this.vfiq) {
      this.virq = virq; this.vfiq = vfiq;
      this.gic.notify(this.index);
    }
  }

  private incrementEoiCount(): void {
    const n = ((this.ichHcr >>> ICH_HCR.EOICOUNT_SHIFT) + 1) & 0x1f;
    this.ichHcr = ((this.ichHcr & ~(0x1f << ICH_HCR.EOICOUNT_SHIFT)) | (n << ICH_HCR.EOICOUNT_SHIFT)) >>> 0;
  }

  /** Arm FindActiveVirtualInterrupt(): the LR holding `intid` in an active state, else -1. */
  private findActiveLr(intid: number): number {
    for (let i = 0; i < NUM_LRS; i++) {
      if ((this.lrHi[i] & LR_HI_STATE_ACTIVE) && this.lrLo[i] === intid) return i;
    }
    return -1;
  }

  /**
   * Deactivates the interrupt in LR `i` (active -> invalid, active+pending -> pending). With
   * HW = 1 the physical interrupt pINTID is deactivated too (IHI 0069 ICH_LR<n>_EL2.HW).
   */
  private deactivateLr(i: number): void {
    const h = this.lrHi[i];
    if (h & LR_HI_HW) {
      const p = h & LR_HI_PINTID_MASK;
      if (p < 1020) this.gic.deactivate(this.index, p);
    }
    this.lrHi[i] = (h & ~LR_HI_STATE_ACTIVE) >>> 0;
  }

  /** ICV_IAR0/1_EL1 (Arm VirtualReadIAR0/1): acknowledge a list register of group `g`. */
  icvIar(g: number): number {
    const idx = this.hppvi();
    let id = INTID_SPURIOUS;
    if (idx >= 0 && this.lrGroup(idx) === g && this.vCanSignal(idx)) {
      id = this.lrLo[idx];
      if (isSpecial(id)) {
        // A special INTID in an LR: pending -> invalid, and the value is returned as is.
        this.lrHi[idx] &= ~LR_HI_STATE_PENDING;
      } else {
        const bit = (this.lrPrio(idx) & this.vGroupMask(g)) >> (8 - VPRE_BITS);
        this.vapr[g] |= 1 << bit;
        this.lrHi[idx] = ((this.lrHi[idx] & ~LR_HI_STATE_PENDING) | LR_HI_STATE_ACTIVE) >>> 0;
      }
    }
    this.updateVirtual();
    return id;
  }

  /** ICV_HPPIR0/1_EL1. */
  icvHppir(g: number): number {
    const idx = this.hppvi();
    return idx >= 0 && this.lrGroup(idx) === g ? this.lrLo[idx] : INTID_SPURIOUS;
  }

  /** Clears the highest active virtual priority bit (Group 0 on a tie); its priority or -1. */
  private vDropPriority(): number {
    const c0 = ctz32(this.vapr[0]), c1 = ctz32(this.vapr[1]);
    if (c0 === 32 && c1 === 32) return -1;
    const g = c0 <= c1 ? 0 : 1;
    this.vapr[g] &= this.vapr[g] - 1;
    return ((g ? c1 : c0) << (8 - VPRE_BITS)) & 0xff;
  }

  /**
   * ICV_EOIR0/1_EL1 (Arm VirtualWriteEOIR0/1): priority drop; then, with VEOIM = 0, deactivation
   * of the matching active LR, or — when no LR holds the INTID — ICH_HCR_EL2.EOIcount + 1, so
   * the hypervisor learns of EOIs for interrupts it had to take out of the LRs. IHI 0069
   * ICH_HCR_EL2.EOIcount counts writes that "would have resulted in a virtual interrupt
   * deactivation", so with VEOIM = 1 an EOIR never counts (the later ICV_DIR does). An EOIR with
   * no active priority is ignored (CONSTRAINED UNPREDICTABLE; QEMU does the same).
   */
  icvEoir(g: number, value: number): void {
    const id = value & 0xffffff;
    if (isSpecial(id)) return;
    const dropped = this.vDropPriority();
    if (dropped >= 0) {
      const idx = this.findActiveLr(id);
      if (idx < 0) {
        if (!this.veoim && id < LPI_INTID_START) this.incrementEoiCount();
      } else if (!this.veoim && this.lrGroup(idx) === g && (this.lrPrio(idx) & this.vGroupMask(g)) === dropped) {
        this.deactivateLr(idx);
      }
    }
    this.updateVirtual();
  }

  /** ICV_DIR_EL1 (Arm VirtualWriteDIR): deactivation with VEOIM = 1; ignored with VEOIM = 0. */
  icvDir(value: number): void {
    const id = value & 0xffffff;
    if (id >= 1020 || !this.veoim) return; // special INTIDs, and LPIs (not in this range anyway)
    const idx = this.findActiveLr(id);
    if (idx < 0) this.incrementEoiCount(); else this.deactivateLr(idx);
    this.updateVirtual();
  }

  icvReadBpr(g: number): number {
    if (g === 1 && (this.ichVmcr & ICH_VMCR.VCBPR)) return Math.min(this.vbpr0 + 1, 7);
    return g ? this.vbpr1 : this.vbpr0;
  }
  icvWriteBpr(g: number, value: number): void {
    if (g === 1 && (this.ichVmcr & ICH_VMCR.VCBPR)) return;
    this.setVbpr(g, value & 7);
    this.updateVirtual();
  }
  private setVbpr(g: number, value: number): void {
    const v = Math.max(value, g ? MIN_VBPR1 : MIN_VBPR0);
    const sh = g ? ICH_VMCR.VBPR1_SHIFT : ICH_VMCR.VBPR0_SHIFT;
    this.ichVmcr = ((this.ichVmcr & ~(7 << sh)) | (v << sh)) >>> 0;
  }

  icvReadPmr(): number { return this.vpmr; }
  icvWritePmr(value: number): void {
    this.ichVmcr = ((this.ichVmcr & 0x00ffffff) | ((value & VPRIO_MASK) << ICH_VMCR.VPMR_SHIFT)) >>> 0;
    this.updateVirtual();
  }

  icvReadRpr(): number { return this.vRunningPriority(); }

  /** ICV_CTLR_EL1: CBPR <-> VCBPR, EOImode <-> VEOIM; PRIbits/IDbits as ICH_VTR_EL2, A3V. */
  icvReadCtlr(): number {
    return ((VPRI_BITS - 1) << CTLR_PRIBITS_SHIFT) | (1 << CTLR_IDBITS_SHIFT) | CTLR_A3V |
      ((this.ichVmcr & ICH_VMCR.VCBPR) ? CTLR_CBPR : 0) | (this.veoim ? CTLR_EOIMODE : 0);
  }
  icvWriteCtlr(value: number): void {
    let v = this.ichVmcr & ~(ICH_VMCR.VCBPR | ICH_VMCR.VEOIM);
    if (value & CTLR_CBPR) v |= ICH_VMCR.VCBPR;
    if (value & CTLR_EOIMODE) v |= ICH_VMCR.VEOIM;
    this.ichVmcr = v >>> 0;
    this.updateVirtual();
  }

  icvReadIgrpen(g: number): number { return (this.ichVmcr >>> (g ? 1 : 0)) & 1; }
  icvWriteIgrpen(g: number, value: number): void {
    const bit = g ? ICH_VMCR.VENG1 : ICH_VMCR.VENG0;
    this.ichVmcr = ((value & 1) ? this.ichVmcr | bit : this.ichVmcr & ~bit) >>> 0;
    this.updateVirtual();
  }

  /** ICV_AP0R0/AP1R0_EL1 are the same state as ICH_AP0R0/AP1R0_EL2. */
  readVapr(g: number): number { return this.vapr[g]; }
  writeVapr(g: number, value: number): void {
    this.vapr[g] = value >>> 0;
    this.updateVirtual();
  }

  // ---- ICH_*_EL2
  writeIchHcr(value: number): void {
    this.ichHcr = (value & ICH_HCR_MASK) >>> 0;
    this.updateVirtual();
  }

  /** ICH_VMCR_EL2 write: VFIQEn is RES1 (AArch64), VBPRs below the minimum read as the minimum. */
  writeIchVmcr(value: number): void {
    this.ichVmcr = ((value & VMCR_MASK) | ICH_VMCR.VFIQEN) >>> 0;
    this.ichVmcr = ((this.ichVmcr & ~(0xff << ICH_VMCR.VPMR_SHIFT)) | ((this.vpmr & VPRIO_MASK) << ICH_VMCR.VPMR_SHIFT)) >>> 0;
    this.setVbpr(0, this.vbpr0);
    this.setVbpr(1, this.vbpr1);
    this.updateVirtual();
  }

  readLr(n: number): bigint {
    return (BigInt(this.lrHi[n]) << 32n) | BigInt(this.lrLo[n]);
  }
  /** ICH_LR<n>_EL2 write: unimplemented priority bits and RES0 fields (incl. NMI) read as 0. */
  writeLr(n: number, lo: number, hi: number): void {
    this.lrLo[n] = lo >>> 0;
    this.lrHi[n] = (hi & LR_HI_MASK) >>> 0;
    this.updateVirtual();
  }
}
