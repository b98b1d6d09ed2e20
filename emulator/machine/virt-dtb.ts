// The device tree QEMU 7.2 writes for `-M virt,gic-version=3` (hw/arm/virt.c: create_fdt,
// fdt_add_psci_node, fdt_add_cpu_nodes, fdt_add_timer_nodes, create_gic, create_uart,
// create_rtc; hw/arm/boot.c: arm_load_dtb adds /memory, /chosen bootargs and initrd), restricted
// to the devices hvlab has. Checked against `qemu-system-aarch64 -machine dumpdtb=` in
// test/machine/virt-dtb.test.ts: same node names, compatibles, reg, interrupts and phandle links;
// phandle numbers are even allocated in QEMU's order (clock first, then CPUs from the last one
// down, then the GIC), so for the same machine they come out equal.
//
// Left out because hvlab has no such device (a kernel must not probe what is absent):
//   virtio_mmio@a000000.. (32 transports), fw-cfg@9020000, pl061@9030000 + gpio-keys,
//   pcie@10000000, flash@0, platform-bus@c000000, the GICv3 ITS child (its@8080000), and the
//   `pmu` node (no PMU is modelled; QEMU lists one for cortex-a53: pass `pmu: true` once it is).
// Also left out unless given: /chosen rng-seed and kaslr-seed, which QEMU fills with fresh random
// bytes on every run; hvlab is deterministic, so a board passes fixed seeds or none.
//
// Integration (board):
//   const blob = writeDtb(buildVirtDtb({ cpus: n, ramBase: VIRT.RAM, ramSize: mem, psciConduit:
//     virtualization ? 'smc' : 'hvc', hasVirtualization: virtualization, bootargs: append,
//     initrd: plan.initrdStart !== undefined ? { start: plan.initrdStart, end: plan.initrdEnd } : undefined }));
import { FdtNode, type FdtTree } from './fdt';
import { VIRT } from './memory-map';

/** GIC_FDT_IRQ_TYPE_* and GIC_FDT_IRQ_FLAGS_* (the GIC binding's three interrupt cells). */
const IRQ_TYPE_SPI = 0, IRQ_TYPE_PPI = 1, IRQ_LEVEL_HI = 4;
/** PPI numbers (INTID - 16) QEMU's virt.h names ARCH_TIMER_*_IRQ and ARCH_GIC_MAINT_IRQ. */
export const VIRT_PPI = { SEC_PHYS_TIMER: 13, PHYS_TIMER: 14, VIRT_TIMER: 11, HYP_TIMER: 10, HYP_VIRT_TIMER: 12, GIC_MAINT: 9, PMU: 7 } as const;

export interface MmioSpi { base: number; spi: number }

export interface VirtDtbOptions {
  cpus: number;
  /** "arm,cortex-a53" unless told; QEMU writes the CPU model's dtb_compatible. */
  cpuCompatible?: string;
  /** MPIDR_EL1 affinity of CPU i; default QEMU's GICv3 layout (16 CPUs per cluster: Aff0 = i % 16, Aff1 = i / 16). */
  mpidr?: (i: number) => bigint;
  ramBase: number | bigint;
  ramSize: number | bigint;
  bootargs?: string;
  /** Physical [start, end) of the initrd; QEMU writes both as one cell each. */
  initrd?: { start: number; end: number };
  /** 'none' leaves out /psci and the CPUs' enable-method, as QEMU does when no PSCI conduit exists. */
  psciConduit: 'hvc' | 'smc' | 'none';
  /** PSCI version the firmware reports (major << 16 | minor); >= 1.0 adds "arm,psci-1.0". QEMU 7.2: 1.1. */
  psciVersion?: number;
  /** GICv3 frames; defaults are QEMU's: distributor 0x08000000 (64 KiB), one redistributor region 0x080a0000 (0xf60000). */
  gic?: { distBase: number; distSize: number; redistBase: number; redistSize: number };
  /** virtualization=on: the GIC node gets the maintenance interrupt (PPI 9, INTID 25). */
  hasVirtualization: boolean;
  /** List the EL2 virtual timer (PPI 12, INTID 28) as a fifth timer interrupt; only with FEAT_VHE. QEMU 7.2 never does. */
  hypVirtualTimer?: boolean;
  uart?: MmioSpi;
  /** null leaves the RTC out. */
  rtc?: MmioSpi | null;
  /** A second PL011 (QEMU 9's VIRT_UART1 slot: 0x09040000, SPI 8); adds /aliases serial0/serial1 as QEMU 9 does. */
  uart1?: MmioSpi;
  /** Add the `pmu` node (PPI 7) QEMU writes for CPUs with a PMU. */
  pmu?: boolean;
  kaslrSeed?: bigint;
  /** Bytes for /chosen rng-seed (QEMU uses 32). */
  rngSeed?: Uint8Array;
}

export const VIRT_DEFAULTS = {
  gic: { distBase: VIRT.GIC_DIST, distSize: 0x10000, redistBase: VIRT.GIC_REDIST, redistSize: 0xf60000 },
  uart: { base: VIRT.UART0, spi: VIRT.UART0_SPI },
  rtc: { base: VIRT.RTC, spi: 2 },
  uart1: { base: 0x09040000, spi: 8 },
  clockHz: 24_000_000,
} as const;

/** PSCI 0.2+ function IDs QEMU lists in /psci for an AArch64 guest (SMC64 forms where they exist). */
const PSCI_DT_IDS = { cpu_suspend: 0xc4000001, cpu_off: 0x84000002, cpu_on: 0xc4000003, migrate: 0xc4000005 } as const;

const hex = (v: number | bigint): string => BigInt(v).toString(16);

/** Builds the tree; pass it to writeDtb. Throws on inputs the board could never have. */
export function buildVirtDtb(o: VirtDtbOptions): FdtTree {
  if (!Number.isInteger(o.cpus) || o.cpus < 1 || o.cpus > 512) throw new Error(`virt DTB: ${o.cpus} CPUs is out of range`);
  const gic = o.gic ?? VIRT_DEFAULTS.gic;
  const uart = o.uart ?? VIRT_DEFAULTS.uart;
  const rtc = o.rtc === undefined ? VIRT_DEFAULTS.rtc : o.rtc;
  const mpidr = o.mpidr ?? ((i: number) => BigInt(((i >> 4) << 8) | (i & 15)));
  const psciVersion = o.psciVersion ?? 0x10001;

  // Phandles in QEMU 7.2's allocation order (qemu_fdt_alloc_phandle starts at 0x8000).
  let next = 0x8000;
  const clockPh = next++;
  const cpuPh: number[] = [];
  for (let i = o.cpus - 1; i >= 0; i--) cpuPh[i] = next++;
  const gicPh = next++;

  const root = new FdtNode('');
  root.setPhandle('interrupt-parent', gicPh)
    .setString('model', 'linux,dummy-virt')
    .setU32('#size-cells', 2)
    .setU32('#address-cells', 2)
    .setString('compatible', 'linux,dummy-virt');

  if (o.psciConduit !== 'none') {
    const psci = root.addNode('psci');
    psci.setU32('migrate', PSCI_DT_IDS.migrate)
      .setU32('cpu_on', PSCI_DT_IDS.cpu_on)
      .setU32('cpu_off', PSCI_DT_IDS.cpu_off)
      .setU32('cpu_suspend', PSCI_DT_IDS.cpu_suspend)
      .setString('method', o.psciConduit)
      .setStrings('compatible', psciVersion >= 0x10000 ? ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'] : ['arm,psci-0.2', 'arm,psci']);
  }

  root.addNode(`memory@${hex(o.ramBase)}`)
    .setCells('reg', [[2, o.ramBase], [2, o.ramSize]])
    .setString('device_type', 'memory');

  if (rtc) {
    root.addNode(`pl031@${hex(rtc.base)}`)
      .setString('clock-names', 'apb_pclk')
      .setPhandle('clocks', clockPh)
      .setU32s('interrupts', [IRQ_TYPE_SPI, rtc.spi, IRQ_LEVEL_HI])
      .setCells('reg', [[2, rtc.base], [2, 0x1000]])
      .setStrings('compatible', ['arm,pl031', 'arm,primecell']);
  }

  const uartNode = (u: MmioSpi): string => {
    const name = `pl011@${hex(u.base)}`;
    root.addNode(name)
      .setStrings('clock-names', ['uartclk', 'apb_pclk'])
      .setU32s('clocks', [clockPh, clockPh])
      .setU32s('interrupts', [IRQ_TYPE_SPI, u.spi, IRQ_LEVEL_HI])
      .setCells('reg', [[2, u.base], [2, 0x1000]])
      .setStrings('compatible', ['arm,pl011', 'arm,primecell']);
    return '/' + name;
  };
  // QEMU 9 creates UART1 before UART0 so that UART0 comes first in the blob; order is immaterial.
  const uart1Path = o.uart1 ? uartNode(o.uart1) : undefined;
  const uart0Path = uartNode(uart);

  if (o.pmu) {
    root.addNode('pmu')
      .setU32s('interrupts', [IRQ_TYPE_PPI, VIRT_PPI.PMU, IRQ_LEVEL_HI])
      .setString('compatible', 'arm,armv8-pmuv3');
  }

  const intc = root.addNode(`intc@${hex(gic.distBase)}`);
  intc.setPhandle('phandle', gicPh);
  if (o.hasVirtualization) intc.setU32s('interrupts', [IRQ_TYPE_PPI, VIRT_PPI.GIC_MAINT, IRQ_LEVEL_HI]);
  intc.setCells('reg', [[2, gic.distBase], [2, gic.distSize], [2, gic.redistBase], [2, gic.redistSize]])
    .setU32('#redistributor-regions', 1)
    .setString('compatible', 'arm,gic-v3')
    .setEmpty('ranges')
    .setU32('#size-cells', 2)
    .setU32('#address-cells', 2)
    .setEmpty('interrupt-controller')
    .setU32('#interrupt-cells', 3);

  // /cpus: one address cell unless some MPIDR has Aff3 (bits 39:32), as fdt_add_cpu_nodes decides.
  const affs = Array.from({ length: o.cpus }, (_, i) => mpidr(i) & 0xff00ffffffn);
  const addrCells: 1 | 2 = affs.some((a) => a >> 32n) ? 2 : 1;
  const cpus = root.addNode('cpus');
  cpus.setU32('#size-cells', 0).setU32('#address-cells', addrCells);
  const map = cpus.addNode('cpu-map').addNode('socket0');
  // QEMU 7.2's topology for -smp N: one socket, one cluster, N cores (threads=1).
  const cluster = map.addNode('cluster0');
  for (let i = 0; i < o.cpus; i++) cluster.addNode(`core${i}`).setPhandle('cpu', cpuPh[i]);
  for (let i = 0; i < o.cpus; i++) {
    const c = cpus.addNode(`cpu@${hex(affs[i])}`);
    c.setPhandle('phandle', cpuPh[i]).setCells('reg', [[addrCells, affs[i]]]);
    // QEMU writes enable-method only for SMP (secondaries need a way to start).
    if (o.psciConduit !== 'none' && o.cpus > 1) c.setString('enable-method', 'psci');
    c.setString('compatible', o.cpuCompatible ?? 'arm,cortex-a53').setString('device_type', 'cpu');
  }

  // Timer interrupts in the binding's order: secure phys, non-secure phys, virtual, hyp (+ hyp virtual).
  const ppis: number[] = [VIRT_PPI.SEC_PHYS_TIMER, VIRT_PPI.PHYS_TIMER, VIRT_PPI.VIRT_TIMER, VIRT_PPI.HYP_TIMER];
  if (o.hypVirtualTimer) ppis.push(VIRT_PPI.HYP_VIRT_TIMER);
  root.addNode('timer')
    .setU32s('interrupts', ppis.flatMap((p) => [IRQ_TYPE_PPI, p, IRQ_LEVEL_HI]))
    .setEmpty('always-on')
    .setStrings('compatible', ['arm,armv8-timer', 'arm,armv7-timer']);

  root.addNode('apb-pclk')
    .setPhandle('phandle', clockPh)
    .setString('clock-output-names', 'clk24mhz')
    .setU32('clock-frequency', VIRT_DEFAULTS.clockHz)
    .setU32('#clock-cells', 0)
    .setString('compatible', 'fixed-clock');

  if (uart1Path) root.addNode('aliases').setString('serial1', uart1Path).setString('serial0', uart0Path);

  const chosen = root.addNode('chosen');
  if (o.initrd) {
    if (o.initrd.end < o.initrd.start) throw new Error(`virt DTB: initrd end 0x${hex(o.initrd.end)} is below its start 0x${hex(o.initrd.start)}`);
    chosen.setU32('linux,initrd-end', o.initrd.end).setU32('linux,initrd-start', o.initrd.start);
  }
  // arm_load_dtb writes bootargs only for a non-empty command line.
  if (o.bootargs) chosen.setString('bootargs', o.bootargs);
  chosen.setString('stdout-path', uart0Path);
  if (o.rngSeed) chosen.setBytes('rng-seed', o.rngSeed);
  if (o.kaslrSeed !== undefined) chosen.setU64('kaslr-seed', o.kaslrSeed);
  return { root, reservations: [] };
}

/**
 * What QEMU's arm_load_dtb does to a user's `-dtb` blob before loading it: /memory reg set to the
 * board's RAM (with the blob's own root #address-cells/#size-cells), /chosen bootargs when the
 * command line is non-empty, and linux,initrd-start/end when an initrd was loaded. Throws with
 * QEMU's reasons when the blob cannot carry them.
 */
export function patchUserDtb(tree: FdtTree, o: { ramBase: number | bigint; ramSize: number | bigint; bootargs?: string; initrd?: { start: number; end: number } }): void {
  const acells = tree.root.getU32('#address-cells') ?? 0;
  const scells = tree.root.getU32('#size-cells') ?? 0;
  if (acells === 0 || scells === 0) throw new Error('dtb file invalid (#address-cells or #size-cells 0)');
  if (acells > 2 || scells > 2) throw new Error(`dtb file has #address-cells ${acells} / #size-cells ${scells}; at most 2 are supported`);
  if (scells < 2 && BigInt(o.ramSize) >= 1n << 32n) throw new Error('dtb file not compatible with RAM size > 4GB');
  // QEMU 7.2 turns every existing memory node into NOPs and adds memory@<base> (fdt_add_memory_node).
  for (const c of [...tree.root.children]) if (c.name === 'memory' || c.name.startsWith('memory@')) tree.root.removeNode(c.name);
  tree.root.addNode(`memory@${hex(o.ramBase)}`)
    .setCells('reg', [[acells as 1 | 2, o.ramBase], [scells as 1 | 2, o.ramSize]])
    .setString('device_type', 'memory');
  const chosen = tree.root.ensureNode('chosen');
  if (o.bootargs) chosen.setString('bootargs', o.bootargs);
  if (o.initrd) chosen.setU32('linux,initrd-start', o.initrd.start).setU32('linux,initrd-end', o.initrd.end);
}
