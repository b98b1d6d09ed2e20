// What the hypervisor core needs from the virtual GIC (emulator/hypervisor/vgic/): the
// distributor and redistributor emulation for each domain (stage-2 MMIO), the queue of pending
// virtual interrupts per vCPU, and the list registers (ICH_LR<n>_EL2) it fills before a vCPU
// runs and reads back after. Everything it does to the processor goes through ICH_*_EL2.
import type { Cpu } from '../cpu/cpu';
import type { Domain, Vcpu } from './domain';

/** One virtual interrupt as the debugger shows it (GICD/GICR state of the domain's vGIC). */
export interface VirtualInterruptView {
  intid: number;
  /** The vCPU whose bank holds it (SGIs/PPIs), or the SPI's target vCPU. */
  vcpu: number;
  enabled: boolean;
  pending: boolean;
  active: boolean;
  priority: number;
  group: number;
  edge: boolean;
  /** Physical INTID behind it (HW bit in the list register), or -1. */
  hwIntid: number;
}

export interface VirtualGic {
  /** Creates the domain's vGIC state and registers its MMIO regions (GICD, GICR frames). */
  attach(domain: Domain): void;
  /** Forgets the domain (destroyed or rebuilt). */
  detach(domain: Domain): void;
  /**
   * An edge on a virtual interrupt (SGI from another vCPU, doorbell, timer): made pending on
   * `vcpu` (PPI/SGI) or on the SPI's target vCPU (pass any vCPU of the domain for an SPI).
   * Returns the vCPU that got it pending, if any (the hypervisor wakes/kicks it).
   */
  raise(vcpu: Vcpu, intid: number, opts?: { hwIntid?: number; sourceVcpu?: number }): Vcpu | undefined;
  /**
   * `vcpu`'s virtual timer fired (taken as the physical PPI while it ran, or found expired by the
   * hypervisor's wake-up timer while it was blocked): its PPI 27, mapped to the physical one (HW).
   */
  vtimerFired(vcpu: Vcpu): Vcpu | undefined;
  /** A level-sensitive virtual interrupt line (vUART, passthrough level SPIs). */
  setLevel(domain: Domain, intid: number, level: boolean, vcpu?: Vcpu): Vcpu | undefined;
  /** Whether `vcpu` has an interrupt that should wake it from WFI (pending, enabled). */
  hasPending(vcpu: Vcpu): boolean;
  /** Before `vcpu` runs on `cpu`: its context is loaded; move pending interrupts into the LRs. */
  flush(cpu: Cpu, vcpu: Vcpu): void;
  /** After `vcpu` left the guest (any trap): read back what the guest did to the LRs. */
  sync(cpu: Cpu, vcpu: Vcpu): void;
  /** The maintenance interrupt (INTID 25) fired while `vcpu` was running. */
  maintenance(cpu: Cpu, vcpu: Vcpu): void;
  /** A trapped ICC_SGI1R_EL1 write by `vcpu` (virtual IPIs). Returns the vCPUs that got one. */
  sgi(vcpu: Vcpu, value: bigint): Vcpu[];
  /** Every interrupt of the domain that is not in its reset state (enabled, pending, active or prioritised). */
  interruptsOf(domain: Domain): VirtualInterruptView[];
}
