// Virtual time the hypervisor's own work costs. hvlab's hypervisor is TypeScript and runs in no
// emulated time, so without a model a trap would be free and guest-visible latencies (a hypercall
// round trip, an MMIO access, a virtual IPI, a vCPU switch) would be implausibly short. Each trap
// class is charged a fixed cost, so runs stay deterministic.
//
// Defaults: the Xen-on-Arm column of Dall et al., "ARM Virtualization: Performance and
// Architectural Implications", ISCA 2016, Table 3 (cycles on an APM X-Gene at 2.4 GHz):
// hypercall 376, interrupt-controller trap 1,356, virtual IPI 5,326, virtual IRQ completion 71,
// VM switch 8,799, I/O latency out 1,723, I/O latency in 2,305 — converted to nanoseconds
// (cycles / 2.4), which is what hvlab's virtual clock counts (1 ns per guest instruction).
export interface CostModel {
  /** HVC/SMC round trip: PSCI and Xen hypercalls (Dall et al.: "Hypercall"). */
  hypercallNs: number;
  /** A trapped access to the emulated GIC distributor/redistributor ("Interrupt Controller Trap"). */
  gicTrapNs: number;
  /** A trapped access to another emulated device, e.g. the vUART ("I/O Latency Out"). */
  mmioNs: number;
  /** A physical interrupt taken to EL2 and forwarded ("I/O Latency In"). */
  irqNs: number;
  /** A virtual IPI: trapped ICC_SGI1R_EL1 write ("Virtual IPI"). */
  sgiNs: number;
  /** Any other trap: WFI/WFE, trapped system registers, injected aborts (as a hypercall). */
  trapNs: number;
  /** Switching a physical CPU from one vCPU to another ("VM Switch"). */
  switchNs: number;
}

const ns = (cycles: number): number => Math.round(cycles / 2.4);

export const XEN_ON_ARM_COSTS: Readonly<CostModel> = {
  hypercallNs: ns(376),
  gicTrapNs: ns(1356),
  mmioNs: ns(1723),
  irqNs: ns(2305),
  sgiNs: ns(5326),
  trapNs: ns(376),
  switchNs: ns(8799),
};
