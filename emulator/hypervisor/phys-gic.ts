// The hypervisor's driver for the board's physical GICv3 (IHI 0069): the distributor and this
// CPU's redistributor through their MMIO frames, the CPU interface through ICC_*_EL1 at EL2.
// Like Xen (xen/arch/arm/gic-v3.c), it runs with EOImode = 1: writing ICC_EOIR1_EL1 only drops
// the running priority, and the interrupt is deactivated separately — by ICC_DIR_EL1 for the
// hypervisor's own interrupts, or by the guest's EOI through a list register with the HW bit for
// interrupts passed through to a guest.
import type { Cpu } from '../cpu/cpu';
import type { PhysicalMemory } from '../cpu/physical-memory';
import { VIRT } from '../machine/memory-map';
import { mrs32, msr } from './arch-state';

const GICD_CTLR = 0x0000, GICD_ISENABLER = 0x0100, GICD_ICENABLER = 0x0180, GICD_IGROUPR = 0x0080,
  GICD_IPRIORITYR = 0x0400, GICD_ICFGR = 0x0c00, GICD_IROUTER = 0x6000;
const GICR_WAKER = 0x0014, SGI_BASE = 0x10000, GICR_IGROUPR0 = 0x0080, GICR_ISENABLER0 = 0x0100,
  GICR_IPRIORITYR = 0x0400, GICR_ISACTIVER0 = 0x0300, GICR_ICACTIVER0 = 0x0380;
const GICR_STRIDE = 0x20000;
/** GICD_CTLR: EnableGrp1 (bit 1 with DS = 1), ARE (bit 4). */
const CTLR_ENABLE = (1 << 1) | (1 << 4);
/** ICC_CTLR_EL1.EOImode (bit 1). */
const ICC_CTLR_EOIMODE = 1 << 1;

/** Priority the hypervisor gives its own interrupts (all equal: none preempts another at EL2). */
const HV_PRIORITY = 0xa0;

export const SPURIOUS = 1023;

export class PhysicalGic {
  constructor(private readonly mem: PhysicalMemory) {}

  private rd(cpu: number): number { return VIRT.GIC_REDIST + cpu * GICR_STRIDE; }

  /** Once, on the boot CPU: affinity routing, Group 1 enabled. */
  initDistributor(): void {
    this.mem.write32(VIRT.GIC_DIST + GICD_CTLR, CTLR_ENABLE);
  }

  /** On each CPU: wake its redistributor, the CPU interface on, every priority unmasked. */
  initCpu(cpu: Cpu): void {
    const rd = this.rd(cpu.index);
    this.mem.write32(rd + GICR_WAKER, 0); // ProcessorSleep = 0
    this.mem.write32(rd + SGI_BASE + GICR_IGROUPR0, -1); // SGIs and PPIs in Group 1
    msr(cpu, 'ICC_SRE_EL2', 0xf);
    msr(cpu, 'ICC_PMR_EL1', 0xff);
    msr(cpu, 'ICC_BPR1_EL1', 0);
    msr(cpu, 'ICC_CTLR_EL1', ICC_CTLR_EOIMODE);
    msr(cpu, 'ICC_IGRPEN1_EL1', 1);
  }

  /** Enables an SGI or PPI on CPU `cpu` (its redistributor). */
  enablePrivate(cpu: number, intid: number, priority = HV_PRIORITY): void {
    const rd = this.rd(cpu) + SGI_BASE;
    this.mem.write8(rd + GICR_IPRIORITYR + intid, priority);
    this.mem.write32(rd + GICR_ISENABLER0, 1 << intid);
  }

  /** Routes an SPI to physical CPU `target` (Aff0 = index) and enables it, as level or edge. */
  enableSpi(intid: number, target: number, edge: boolean, priority = HV_PRIORITY): void {
    const d = VIRT.GIC_DIST;
    const n = intid >>> 5, bit = 1 << (intid & 31);
    this.mem.write32(d + GICD_IGROUPR + n * 4, this.mem.read32(d + GICD_IGROUPR + n * 4) | bit);
    this.mem.write8(d + GICD_IPRIORITYR + intid, priority);
    const cfg = d + GICD_ICFGR + (intid >>> 4) * 4, shift = (intid & 15) * 2 + 1;
    const c = this.mem.read32(cfg);
    this.mem.write32(cfg, edge ? c | (1 << shift) : c & ~(1 << shift));
    this.mem.write32(d + GICD_IROUTER + intid * 8, ((target >> 4) << 8) | (target & 15));
    this.mem.write32(d + GICD_IROUTER + intid * 8 + 4, 0);
    this.mem.write32(d + GICD_ISENABLER + n * 4, bit);
  }

  disableSpi(intid: number): void {
    this.mem.write32(VIRT.GIC_DIST + GICD_ICENABLER + (intid >>> 5) * 4, 1 << (intid & 31));
  }

  /** ICC_IAR1_EL1: acknowledges the highest-priority pending interrupt (1023 when none). */
  acknowledge(cpu: Cpu): number { return mrs32(cpu, 'ICC_IAR1_EL1') & 0xffffff; }

  /** Priority drop (EOImode = 1). */
  endOfInterrupt(cpu: Cpu, intid: number): void { msr(cpu, 'ICC_EOIR1_EL1', intid); }

  /** Deactivation of an interrupt the hypervisor handled itself. */
  deactivate(cpu: Cpu, intid: number): void { msr(cpu, 'ICC_DIR_EL1', intid); }

  /** Sets or clears the active state of a PPI on `cpu` (vCPU switch with a HW-mapped LR). */
  setPrivateActive(cpu: number, intid: number, active: boolean): void {
    this.mem.write32(this.rd(cpu) + SGI_BASE + (active ? GICR_ISACTIVER0 : GICR_ICACTIVER0), 1 << intid);
  }

  /** Whether a PPI/SGI is active on `cpu` (GICR_ISACTIVER0 read). */
  privateActive(cpu: number, intid: number): boolean {
    return ((this.mem.read32(this.rd(cpu) + SGI_BASE + GICR_ISACTIVER0) >>> intid) & 1) === 1;
  }

  /** Sends SGI `intid` to physical CPU `target` (ICC_SGI1R_EL1: TargetList, Aff1, INTID). */
  sendSgi(cpu: Cpu, target: number, intid: number): void {
    const aff1 = BigInt(target >> 4), list = BigInt(1 << (target & 15));
    msr(cpu, 'ICC_SGI1R_EL1', (BigInt(intid & 15) << 24n) | (aff1 << 16n) | list);
  }
}
