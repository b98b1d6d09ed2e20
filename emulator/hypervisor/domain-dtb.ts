// The device tree each domain gets: QEMU virt's tree (emulator/machine/virt-dtb.ts, the one
// source for that layout) for the domain's own machine — its RAM, its vCPUs with PSCI over HVC,
// the GICv3 distributor and redistributors, the architected timer — with the console described
// as an SBSA UART as Xen does for vpl011 (compatible "arm,sbsa-uart"; the emulation also answers
// the PL011 registers a bare-board driver initialises), the RTC only when it is passed through,
// and /chosen with bootargs, initrd and stdout-path.
import type { DomainDescription } from '../config/types';
import { GUEST_RAM_BASE } from '../config/platform';
import type { FdtTree } from '../machine/fdt';
import { buildVirtDtb, VIRT_DEFAULTS } from '../machine/virt-dtb';

export interface DomainDtbExtras {
  /** The RTC (PL031 at 0x09010000, SPI 2) is passed through to this domain. */
  rtc: boolean;
  /** Shared-memory regions mapped into the domain: described under /reserved-memory. */
  sharedMemory: { id: string; ipa: number; size: number }[];
}

export function buildDomainDtb(desc: DomainDescription, initrd: { start: number; end: number } | undefined, extras: DomainDtbExtras): FdtTree {
  const tree = buildVirtDtb({
    cpus: desc.maxVcpus, ramBase: GUEST_RAM_BASE, ramSize: desc.memoryBytes, psciConduit: 'hvc',
    hasVirtualization: false, bootargs: desc.cmdline || undefined, initrd, rtc: extras.rtc ? VIRT_DEFAULTS.rtc : null,
  });
  const uartName = `pl011@${VIRT_DEFAULTS.uart.base.toString(16)}`;
  const uart = tree.root.child(uartName);
  if (uart) {
    // Linux's sbsa-uart driver needs only reg, interrupts and current-speed.
    uart.props.delete('clock-names');
    uart.props.delete('clocks');
    uart.setU32('current-speed', 115200).setString('compatible', 'arm,sbsa-uart');
  }
  if (extras.sharedMemory.length) {
    const rm = tree.root.addNode('reserved-memory');
    rm.setEmpty('ranges').setU32('#size-cells', 2).setU32('#address-cells', 2);
    for (const s of extras.sharedMemory) {
      rm.addNode(`shm@${s.ipa.toString(16)}`)
        .setCells('reg', [[2, s.ipa], [2, s.size]])
        .setString('label', s.id)
        .setString('compatible', 'hvlab,shared-memory');
    }
  }
  return tree;
}
