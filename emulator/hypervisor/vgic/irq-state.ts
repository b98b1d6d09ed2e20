// The state of one virtual interrupt, as a GICv3 distributor/redistributor keeps it (IHI 0069
// 4.1 "Interrupt handling state machine"): enable, pending (a latch for edge-triggered
// interrupts, the input level for level-sensitive ones), active, priority, group, trigger mode,
// and for SPIs the routing. A virtual interrupt may be mapped to a physical one (HW bit in the
// list register), whose deactivation then follows the guest's.
export class VirqState {
  enabled = false;
  /** Edge: latched pending. Level: pending is `line` (or a latch set through GICD_ISPENDR). */
  pendingLatch = false;
  line = false;
  active = false;
  priority = 0;
  group = 1;
  /** ICFGR: true = edge-triggered. SGIs are always edge. */
  edge: boolean;
  /** For SPIs: GICD_IROUTER (Aff3.Aff2.Aff1.Aff0 and IRM at bit 31 of the high word kept here). */
  routeLo = 0;
  routeHi = 0;
  /** Physical INTID backing it (HW = 1 in the LR), or -1. */
  hwIntid = -1;
  /** Which vCPU sent the SGI (GICv3 SGIs carry no source with ARE; kept for the debugger). */
  source = -1;

  constructor(readonly intid: number, edge: boolean) {
    this.edge = edge;
  }

  get pending(): boolean { return this.pendingLatch || (!this.edge && this.line); }

  /** Pending, enabled: a candidate to be delivered. */
  get deliverable(): boolean { return this.enabled && this.pending; }
}
