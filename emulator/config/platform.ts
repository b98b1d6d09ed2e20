// Facts about the boards hvlab emulates that the validator needs. The `virt` board follows
// QEMU's `virt` machine layout (see ARCHITECTURE.md), so guests and firmware find devices
// where they expect them.

import { MiB } from './sizes';
import { VIRT_MAX_CPUS } from '../machine/memory-map';

/** RAM the hypervisor keeps for itself (its image, stage-2 tables, per-domain state). */
export const HYPERVISOR_RESERVE_BYTES = 64 * MiB;

export const PAGE_SIZE = 4096;

export interface MmioRegion {
  name: string;
  base: number;
  size: number;
}

export interface PlatformInfo {
  name: string;
  maxCpus: number;
  ramBase: number;
  /** Size of the window RAM is placed in; iomem may not reach into it. */
  ramWindow: number;
  minMemoryMiB: number;
  maxMemoryMiB: number;
  /** Highest INTID the platform's GIC implements for SPIs. */
  maxSpiIntid: number;
  /** The UART the hypervisor keeps for its own console. */
  uart: MmioRegion;
  uartIntid: number;
  /** MMIO frames that belong to the hypervisor and can never be given to a guest. */
  reservedMmio(cpus: number): MmioRegion[];
}

const GICD_BASE = 0x08000000;
const GICD_SIZE = 0x10000;
const GICR_BASE = 0x080a0000;
const GICR_STRIDE = 0x20000;
const GICR_REGION_END = 0x09000000;

export const VIRT: PlatformInfo = {
  name: 'virt',
  // The board's limit (machine/memory-map.ts), well inside the 123 redistributor frames of 128 KiB
  // that QEMU's region 0x080A0000..0x09000000 holds.
  maxCpus: Math.min(VIRT_MAX_CPUS, Math.floor((GICR_REGION_END - GICR_BASE) / GICR_STRIDE)),
  ramBase: 0x40000000,
  // QEMU virt's low RAM window runs from 1 GiB to 256 GiB.
  ramWindow: 255 * 1024 * MiB,
  minMemoryMiB: 128,
  maxMemoryMiB: 255 * 1024,
  // QEMU virt wires 256 SPIs: INTIDs 32..287.
  maxSpiIntid: 287,
  uart: { name: 'the hypervisor\'s UART (PL011)', base: 0x09000000, size: 0x1000 },
  uartIntid: 33,
  reservedMmio(cpus: number): MmioRegion[] {
    return [
      { name: 'the GIC distributor', base: GICD_BASE, size: GICD_SIZE },
      { name: 'the GIC redistributors', base: GICR_BASE, size: GICR_STRIDE * cpus },
      this.uart,
    ];
  },
};

export const PLATFORMS: Record<string, PlatformInfo> = { virt: VIRT };

/** The GIC's maintenance interrupt, a PPI the hypervisor uses for the virtual interface. */
export const MAINTENANCE_INTID = 25;

/** The SPI Xen on Arm gives a guest's emulated SBSA UART (vuart = "sbsa_uart"). */
export const GUEST_VPL011_SPI = 32;

/** Where Xen on Arm (and hvlab) places a guest's RAM in its physical address space. */
export const GUEST_RAM_BASE = 0x40000000;

/** Why an interrupt cannot be handed to a guest, or undefined if it can. */
export function interruptRestriction(intid: number, platform: PlatformInfo): string | undefined {
  if (intid < 16) return `interrupt ${intid} is an SGI (0-15): software-generated interrupts belong to the hypervisor`;
  if (intid === MAINTENANCE_INTID) return `interrupt ${intid} is the GIC maintenance interrupt, used by the hypervisor`;
  if (intid < 32) return `interrupt ${intid} is a PPI (16-31): per-CPU interrupts cannot be passed through`;
  if (intid === platform.uartIntid) return `interrupt ${intid} is the UART the hypervisor keeps for its console`;
  if (intid > platform.maxSpiIntid) return `interrupt ${intid} does not exist: the ${platform.name} platform's GIC has SPIs 32-${platform.maxSpiIntid}`;
  return undefined;
}
