// GICv3 interrupt controller with the virtualization extension (GIC Architecture Specification
// IHI 0069), configured like QEMU `virt` with security disabled: one Security state
// (GICD_CTLR.DS = 1, ARE always on), 288 INTIDs (256 SPIs), no LPIs/ITS, one redistributor per
// CPU, the system-register CPU interface (ICC_*), and the virtual CPU interface (ICH_*, ICV_*).
//
// Pieces (all in this folder):
//   gicv3.ts           this file: interrupt state, routing, highest-priority-pending selection,
//                      the input lines and the output signals
//   distributor.ts     GICD_* MMIO frame (64 KiB)            -> `gic.distributor`
//   redistributor.ts   GICR_* MMIO frames (128 KiB per CPU)  -> `gic.redistributors`
//   cpu-interface.ts   per-CPU ICC_* and ICH_*/ICV_* logic   -> `gic.cpus[n]`
//   sysregs.ts         encodings of every ICC_/ICH_ register, ICC->ICV routing and trap rules
//
// INTEGRATION (the board and the CPU):
//   const gic = new GicV3({ cpus: n, onLines: (c) => cpus[c].interruptLinesChanged() });
//   mem.map(VIRT.GIC_DIST, gic.distributor);        // 0x08000000, 64 KiB
//   mem.map(VIRT.GIC_REDIST, gic.redistributors);   // 0x080A0000, n * 128 KiB
//   uart.irq = (level) => gic.setSpiLevel(32 + VIRT.UART0_SPI, level);
//   timer.irq = (c, intid, level) => gic.setPpiLevel(c, intid, level);   // 30, 27, 26
//   // at instruction boundaries (cheap: plain boolean fields, recomputed only on change):
//   gic.cpus[c].irq / .fiq / .virq / .vfiq      (or gic.irqPending(c) etc.)
//   // MRS/MSR: see sysregs.ts (findGicSysreg(key), gicSysregCheck(), def.read/def.write)
//
// Output signals (per CPU), IHI 0069 "Interrupt signaling" with GICD_CTLR.DS = 1: Group 0 -> FIQ, Group 1 -> IRQ.
// Virtual interrupts: list-register Group 0 -> vFIQ, Group 1 -> vIRQ. Whether the PE takes them
// (PSTATE masks, HCR_EL2.IMO/FMO routing, current EL) is the CPU's business, not the GIC's.
//
// Not modelled: LPIs/ITS (GICD_TYPER.LPIS = 0), two Security states (DS is RAO), GICv4 direct
// vLPI injection, NMIs (FEAT_GICv3_NMI), Extended SPI/PPI ranges, message-based SPIs.
import {
  GIC_INTERNAL, GIC_NR_SGIS, GICD_CTLR_ARE, GICD_CTLR_DS, GICD_CTLR_EN_GRP0, GICD_CTLR_EN_GRP1,
  INTID_SPURIOUS, NO_PRIO, VIRT_NUM_IRQ, WAKER_CHILDREN_ASLEEP, WAKER_PROCESSOR_SLEEP,
} from './constants';
import { GicCpuInterface } from './cpu-interface';
import { GicDistributor } from './distributor';
import { GicRedistributors } from './redistributor';

export interface GicV3Options {
  /** Number of CPUs (PEs), 1..8 on `virt`; each gets a redistributor and a CPU interface. */
  cpus: number;
  /** INTIDs including the 32 private ones: a multiple of 32, 64..992. Default 288 (QEMU virt). */
  numIrq?: number;
  /**
   * Affinity of each CPU packed as Aff3:Aff2:Aff1:Aff0 (one byte each, Aff3 in bits [31:24]), as
   * GICR_TYPER[63:32] reports it. Default: CPU n has Aff0 = n (QEMU virt with <= 8 CPUs per
   * cluster: MPIDR_EL1.Aff0 = n). The CPU's MPIDR_EL1 must agree.
   */
  affinity?: readonly number[];
  /** Called (synchronously) after any of CPU `cpu`'s irq/fiq/virq/vfiq outputs changed. */
  onLines?: (cpu: number) => void;
}

/** State of one redistributor: the SGIs and PPIs (INTIDs 0..31) of its CPU, and GICR_WAKER. */
export class RedistributorState {
  readonly enabled = new Uint8Array(GIC_INTERNAL);
  /** Pending latch (edge events, ISPENDR writes, SGIs); level interrupts also pend on `level`. */
  readonly pendLatch = new Uint8Array(GIC_INTERNAL);
  readonly active = new Uint8Array(GIC_INTERNAL);
  /** Input line levels of the PPIs. */
  readonly level = new Uint8Array(GIC_INTERNAL);
  /** 1 = edge-triggered (GICR_ICFGR Int_config[1]); SGIs are always edge. */
  readonly edge = new Uint8Array(GIC_INTERNAL);
  readonly group = new Uint8Array(GIC_INTERNAL);
  readonly prio = new Uint8Array(GIC_INTERNAL);
  waker = WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP;

  constructor(readonly affinity: number) { this.reset(); }

  reset(): void {
    this.enabled.fill(0); this.pendLatch.fill(0); this.active.fill(0); this.level.fill(0);
    this.group.fill(0); this.prio.fill(0);
    // SGIs edge-triggered (fixed), PPIs level-sensitive at reset, as QEMU (GICR_ICFGR1 = 0).
    this.edge.fill(0); this.edge.fill(1, 0, GIC_NR_SGIS);
    // IHI 0069 GICR_WAKER: a redistributor comes out of reset with its PE asleep.
    this.waker = WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP;
  }

  pending(i: number): boolean {
    return this.pendLatch[i] !== 0 || (this.level[i] !== 0 && this.edge[i] === 0);
  }
}

export class GicV3 {
  readonly numCpus: number;
  readonly numIrq: number;
  readonly affinity: readonly number[];
  readonly distributor: GicDistributor;
  readonly redistributors: GicRedistributors;
  readonly cpus: GicCpuInterface[] = [];
  readonly redist: RedistributorState[] = [];
  onLines: ((cpu: number) => void) | undefined;

  // ---- distributor state, indexed by INTID (entries 0..31 unused: those live per redistributor)
  /** GICD_CTLR; ARE and DS are RAO/WI (IHI 0069 GICD_CTLR with one Security state). */
  ctlr = GICD_CTLR_ARE | GICD_CTLR_DS;
  readonly enabled: Uint8Array;
  readonly pendLatch: Uint8Array;
  readonly active: Uint8Array;
  readonly level: Uint8Array;
  readonly edge: Uint8Array;
  readonly group: Uint8Array;
  readonly prio: Uint8Array;
  /** GICD_IROUTER<n>: affinity packed Aff3:Aff2:Aff1:Aff0, and Interrupt_Routing_Mode. */
  readonly routeAff: Uint32Array;
  readonly routeIrm: Uint8Array;
  /** Cached CPU each SPI is currently delivered to, -1 = none (no PE matches / participates). */
  readonly target: Int8Array;

  constructor(opts: GicV3Options) {
    const n = opts.cpus;
    if (!Number.isInteger(n) || n < 1 || n > 8) throw new RangeError(`GICv3: ${n} CPUs (1..8 supported)`);
    const numIrq = opts.numIrq ?? VIRT_NUM_IRQ;
    if (numIrq % 32 !== 0 || numIrq < 64 || numIrq > 992) throw new RangeError(`GICv3: ${numIrq} INTIDs (a multiple of 32, 64..992)`);
    this.numCpus = n;
    this.numIrq = numIrq;
    this.affinity = opts.affinity ?? Array.from({ length: n }, (_, i) => i);
    if (this.affinity.length !== n) throw new RangeError('GICv3: one affinity per CPU');
    this.onLines = opts.onLines;
    this.enabled = new Uint8Array(numIrq);
    this.pendLatch = new Uint8Array(numIrq);
    this.active = new Uint8Array(numIrq);
    this.level = new Uint8Array(numIrq);
    this.edge = new Uint8Array(numIrq);
    this.group = new Uint8Array(numIrq);
    this.prio = new Uint8Array(numIrq);
    this.routeAff = new Uint32Array(numIrq);
    this.routeIrm = new Uint8Array(numIrq);
    this.target = new Int8Array(numIrq);
    for (let c = 0; c < n; c++) {
      this.redist.push(new RedistributorState(this.affinity[c] >>> 0));
      this.cpus.push(new GicCpuInterface(this, c));
    }
    this.distributor = new GicDistributor(this);
    this.redistributors = new GicRedistributors(this);
    this.reset();
  }

  /** Cold reset of the whole GIC including the CPU interfaces. */
  reset(): void {
    this.ctlr = GICD_CTLR_ARE | GICD_CTLR_DS;
    for (const a of [this.enabled, this.pendLatch, this.active, this.group, this.prio, this.edge, this.routeAff, this.routeIrm]) a.fill(0);
    // Line levels are inputs driven by devices: a reset of the GIC does not change them.
    for (const r of this.redist) { const lv = r.level.slice(); r.reset(); r.level.set(lv); }
    for (const c of this.cpus) c.reset();
    this.refreshAllTargets();
    this.updateAll();
    for (const c of this.cpus) c.updateVirtual();
  }

  // ------------------------------------------------------------------ inputs

  /**
   * Drives the input line of SPI `intid` (32..numIrq-1). Level-sensitive SPIs are pending while
   * the line is high; edge-triggered ones latch pending on a rising edge (IHI 0069, "Interrupt handling state machine").
   */
  setSpiLevel(intid: number, level: boolean): void {
    if (intid < GIC_INTERNAL || intid >= this.numIrq) throw new RangeError(`setSpiLevel: INTID ${intid} is not an SPI of this GIC`);
    const v = level ? 1 : 0;
    if (this.level[intid] === v) return;
    this.level[intid] = v;
    if (v && this.edge[intid]) this.pendLatch[intid] = 1;
    this.updateSpi(intid);
  }

  /** Drives PPI `intid` (16..31) of CPU `cpu` (timers, maintenance interrupt, PMU). */
  setPpiLevel(cpu: number, intid: number, level: boolean): void {
    if (intid < GIC_NR_SGIS || intid >= GIC_INTERNAL) throw new RangeError(`setPpiLevel: INTID ${intid} is not a PPI`);
    const r = this.redist[cpu];
    const v = level ? 1 : 0;
    if (r.level[intid] === v) return;
    r.level[intid] = v;
    if (v && r.edge[intid]) r.pendLatch[intid] = 1;
    this.updateCpu(cpu);
  }

  // ------------------------------------------------------------------ outputs

  irqPending(cpu: number): boolean { return this.cpus[cpu].irq; }
  fiqPending(cpu: number): boolean { return this.cpus[cpu].fiq; }
  virqPending(cpu: number): boolean { return this.cpus[cpu].virq; }
  vfiqPending(cpu: number): boolean { return this.cpus[cpu].vfiq; }

  /** @internal called by a CPU interface when one of its output lines changed. */
  notify(cpu: number): void { this.onLines?.(cpu); }

  // ------------------------------------------------------------------ per-interrupt helpers

  /** Group (0 or 1) of `intid` as seen by CPU `cpu` (private INTIDs are banked per CPU). */
  groupOf(cpu: number, intid: number): number {
    return intid < GIC_INTERNAL ? this.redist[cpu].group[intid] : this.group[intid];
  }

  spiPending(i: number): boolean {
    return this.pendLatch[i] !== 0 || (this.level[i] !== 0 && this.edge[i] === 0);
  }

  /**
   * Acknowledge (IAR): pending -> active, or active-and-pending while a level line stays high
   * (IHI 0069, "Interrupt handling state machine"). Clears the pending latch for both edge and level interrupts.
   */
  acknowledge(cpu: number, intid: number): void {
    if (intid < GIC_INTERNAL) {
      const r = this.redist[cpu];
      r.active[intid] = 1; r.pendLatch[intid] = 0;
      this.updateCpu(cpu);
    } else if (intid < this.numIrq) {
      this.active[intid] = 1; this.pendLatch[intid] = 0;
      this.updateSpi(intid);
      if (this.target[intid] !== cpu) this.updateCpu(cpu);
    }
  }

  /** Deactivation (EOI with EOImode 0, DIR, or a guest EOI of a HW=1 list register). */
  deactivate(cpu: number, intid: number): void {
    if (intid < GIC_INTERNAL) {
      this.redist[cpu].active[intid] = 0;
      this.updateCpu(cpu);
    } else if (intid < this.numIrq) {
      this.active[intid] = 0;
      this.updateSpi(intid);
    }
  }

  /**
   * SGI generation from ICC_SGI0R/SGI1R/ASGI1R_EL1 written on CPU `from` (IHI 0069 ICC_SGI1R_EL1):
   * lo = value[31:0] (TargetList [15:0], Aff1 [23:16], INTID [27:24]),
   * hi = value[63:32] (Aff2 [7:0], IRM [8], RS [15:12], Aff3 [23:16]).
   * With IRM = 1 every PE but the sender is a target; otherwise the PEs Aff3.Aff2.Aff1.<n> with
   * n = RS*16 + bit for each TargetList bit. A target accepts the SGI only if the SGI is
   * configured in the requested group there (the forwarding rules with DS = 1).
   */
  generateSgi(from: number, lo: number, hi: number, grp: number): void {
    const intid = (lo >>> 24) & 0xf;
    const irm = (hi >>> 8) & 1;
    const targetList = lo & 0xffff;
    const rs = (hi >>> 12) & 0xf;
    const affHi = (((hi >>> 16) & 0xff) << 24 | (hi & 0xff) << 16 | ((lo >>> 16) & 0xff) << 8) >>> 0;
    for (let c = 0; c < this.numCpus; c++) {
      if (irm) {
        if (c === from) continue;
      } else {
        const aff = this.redist[c].affinity;
        if (((aff & 0xffffff00) >>> 0) !== affHi) continue;
        const n = (aff & 0xff) - rs * 16;
        if (n < 0 || n > 15 || !((targetList >>> n) & 1)) continue;
      }
      const r = this.redist[c];
      if (r.group[intid] !== grp) continue;
      r.pendLatch[intid] = 1;
      this.updateCpu(c);
    }
  }

  // ------------------------------------------------------------------ routing

  /**
   * Recomputes the delivery target of SPI `i` from GICD_IROUTER<i> (IHI 0069 GICD_IROUTER<n>).
   * IRM = 0: the PE whose affinity equals the routing affinity (none: the SPI stays pending).
   * IRM = 1 (1 of N): this implementation picks the lowest-numbered participating PE — its
   * redistributor awake (GICR_WAKER.ProcessorSleep = 0) and the SPI's group enabled at its CPU
   * interface; with none participating the SPI stays pending. (The architecture leaves the
   * choice among participating PEs IMPLEMENTATION DEFINED: IHI 0069 GICD_IROUTER<n>.IRM.)
   */
  refreshTarget(i: number): void {
    let t = -1;
    if (this.routeIrm[i]) {
      const g = this.group[i];
      for (let c = 0; c < this.numCpus; c++) {
        const ci = this.cpus[c];
        if (this.redist[c].waker & WAKER_PROCESSOR_SLEEP) continue;
        if (g ? !ci.igrpen1 : !ci.igrpen0) continue;
        t = c; break;
      }
    } else {
      const a = this.routeAff[i];
      for (let c = 0; c < this.numCpus; c++) if (this.redist[c].affinity === a) { t = c; break; }
    }
    this.target[i] = t;
  }

  refreshAllTargets(): void {
    for (let i = GIC_INTERNAL; i < this.numIrq; i++) this.refreshTarget(i);
  }

  /** After something that decides 1-of-N participation changed (WAKER, IGRPEN, IGROUPR). */
  participationChanged(): void {
    for (let i = GIC_INTERNAL; i < this.numIrq; i++) if (this.routeIrm[i]) this.refreshTarget(i);
    this.updateAll();
  }

  // ------------------------------------------------------------------ highest priority pending

  /** Re-evaluates the CPU(s) SPI `i` can be delivered to. */
  updateSpi(i: number): void {
    const t = this.target[i];
    if (t >= 0) this.updateCpu(t);
  }

  /** Re-evaluates every CPU that one of SPIs first..first+count-1 is delivered to. */
  updateSpis(first: number, count: number): void {
    let mask = 0;
    for (let i = first; i < first + count && i < this.numIrq; i++) if (this.target[i] >= 0) mask |= 1 << this.target[i];
    for (let c = 0; c < this.numCpus; c++) if (mask & (1 << c)) this.updateCpu(c);
  }

  updateAll(): void {
    for (let c = 0; c < this.numCpus; c++) this.updateCpu(c);
  }

  /**
   * Selects CPU `cpu`'s highest priority pending interrupt among its SGIs/PPIs and the SPIs
   * routed to it, considering only interrupts that are pending, enabled, not active, and whose
   * group is enabled both in GICD_CTLR and at the CPU interface (ICC_IGRPEN<g>_EL1) — the
   * redistributor does not forward disabled groups (IHI 0069, "Interrupt grouping" / group enables). Equal priorities: lowest
   * INTID (an IMPLEMENTATION DEFINED choice, the same as QEMU's). Then updates the IRQ/FIQ lines.
   */
  updateCpu(cpu: number): void {
    const ci = this.cpus[cpu];
    const en0 = (this.ctlr & GICD_CTLR_EN_GRP0) !== 0 && ci.igrpen0;
    const en1 = (this.ctlr & GICD_CTLR_EN_GRP1) !== 0 && ci.igrpen1;
    let bestPrio = NO_PRIO, bestId = INTID_SPURIOUS, bestGroup = 0;
    if (en0 || en1) {
      const r = this.redist[cpu];
      for (let i = 0; i < GIC_INTERNAL; i++) {
        if (!r.enabled[i] || r.active[i] || !r.pending(i)) continue;
        const g = r.group[i];
        if (g ? !en1 : !en0) continue;
        const p = r.prio[i];
        if (p < bestPrio) { bestPrio = p; bestId = i; bestGroup = g; }
      }
      const tgt = this.target, enabled = this.enabled, active = this.active, group = this.group, prio = this.prio;
      for (let i = GIC_INTERNAL; i < this.numIrq; i++) {
        if (tgt[i] !== cpu || !enabled[i] || active[i] || !this.spiPending(i)) continue;
        const g = group[i];
        if (g ? !en1 : !en0) continue;
        const p = prio[i];
        if (p < bestPrio) { bestPrio = p; bestId = i; bestGroup = g; }
      }
    }
    ci.hppiPrio = bestPrio;
    ci.hppiId = bestId;
    ci.hppiGroup = bestGroup;
    ci.updatePhysical();
  }
}
