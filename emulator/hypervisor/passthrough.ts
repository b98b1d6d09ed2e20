// Device passthrough, as Xen does for `iomem` and `irqs` (xen/arch/arm/domctl.c map_mmio_regions,
// vgic route_irq_to_guest; xl.cfg(5)):
//   iomem  host MMIO pages mapped into the domain's stage 2 at the guest address the config names,
//          as Device-nGnRE, read/write, never executable (Arm ARM D8.5.5 stage 2 MemAttr, XN): the
//          guest's accesses reach the device with no trap.
//   irqs   the physical SPI is routed (GICD_IROUTER) to the CPU of the domain's vCPU 0 affinity
//          and enabled. When it fires at EL2 the hypervisor only drops the running priority
//          (EOImode = 1, phys-gic.ts) and makes the same INTID pending in the domain's vGIC with
//          the HW bit (ICH_LR<n>_EL2.HW = 1, pINTID = the SPI): the guest's own EOI/deactivation
//          through the list register deactivates the physical interrupt (IHI 0069 "Interrupt
//          deactivation"), so the device cannot interrupt again before the guest has handled it
//          — with no trap on the guest's EOI.
// A domain given the RTC's page (0x09010000) also gets the RTC node in its device tree.
import type { Cpu } from '../cpu/cpu';
import { VIRT } from '../machine/memory-map';
import type { Domain, Vcpu } from './domain';
import type { Hypervisor } from './hypervisor';
import { RW, S2_DEVICE } from './stage2';

/** One routed SPI and the domain it belongs to. */
interface RoutedIrq { intid: number; domain: Domain }

export class Passthrough {
  private readonly routed = new Map<number, RoutedIrq>();

  constructor(private readonly hv: Hypervisor) {
    hv.domainHooks.push((d) => this.domainBuilt(d));
    hv.cpuStartHooks.push((cpu) => this.cpuStarted(cpu));
  }

  /** The physical CPU an SPI of `d` is routed to: vCPU 0's first allowed CPU (CPU 0 without affinity). */
  targetCpu(d: Domain): number {
    const a = d.vcpus[0].affinity.filter((c) => c < this.hv.board.cpus.length);
    return a.length ? Math.min(...a) : 0;
  }

  private domainBuilt(d: Domain): void {
    for (const io of d.desc.iomem) {
      // A rebuilt domain keeps its stage 2: map once.
      if (d.stage2.mappings.some((m) => m.ipa === io.guestAddress && m.pa === io.hostAddress && m.size === io.size)) continue;
      d.stage2.map(io.guestAddress, io.hostAddress, io.size, S2_DEVICE, RW,
        `${d.name} iomem 0x${io.hostAddress.toString(16)}`);
      if (io.hostAddress <= VIRT.RTC && VIRT.RTC < io.hostAddress + io.size) {
        const extras = this.hv.dtbExtras.get(d.name) ?? { rtc: false, sharedMemory: [] };
        extras.rtc = true;
        this.hv.dtbExtras.set(d.name, extras);
      }
    }
    for (const intid of d.desc.irqs) {
      const prev = this.routed.get(intid);
      if (prev && prev.domain !== d) throw new Error(`passthrough: interrupt ${intid} is already given to ${prev.domain.name}`);
      this.routed.set(intid, { intid, domain: d });
      this.hv.irqHandlers.set(intid, (cpu, v) => this.fired(cpu, v, intid));
    }
  }

  /** Routing is written once the distributor is up: by the CPU the SPI goes to, when it starts. */
  private cpuStarted(cpu: Cpu): void {
    for (const r of this.routed.values()) {
      if (this.targetCpu(r.domain) !== cpu.index) continue;
      // Level-sensitive: the devices of the virt board (PL011, PL031) hold their line.
      this.hv.gic.enableSpi(r.intid, cpu.index, false);
    }
  }

  private fired(cpu: Cpu, _v: Vcpu | undefined, intid: number): boolean {
    const r = this.routed.get(intid)!;
    const d = r.domain;
    const vgic = this.hv.vgic;
    if (d.state !== 'running' || !vgic) {
      // Nobody to hand it to (the domain is gone): stop it for good rather than take it forever.
      this.hv.gic.disableSpi(intid);
      this.hv.gic.deactivate(cpu, intid);
      this.hv.say(`passthrough: interrupt ${intid} of ${d.name} fired with the domain ${d.state}: disabled`);
      return true;
    }
    const target = vgic.raise(d.vcpus[0], intid, { hwIntid: intid });
    if (!target) {
      this.hv.gic.deactivate(cpu, intid);
      this.hv.say(`passthrough: interrupt ${intid}: ${d.name}'s vGIC has no such SPI: not delivered`);
      return true;
    }
    this.hv.wake(target);
    // Still active physically: the guest's deactivation through the HW list register ends it.
    return true;
  }
}
