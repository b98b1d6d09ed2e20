// What each key means: the table behind validation, completion and hover. Domain keys
// follow xl.cfg(5) — names, units and defaults as Xen documents them; the descriptions are
// our own words. System keys are hvlab's (the system file is hvlab's format, in xl syntax).

export type ValueKind = 'string' | 'number' | 'boolean' | 'list' | 'string-or-list' | 'path';

export interface KeyInfo {
  key: string;
  kind: ValueKind;
  /** One paragraph of Markdown. */
  doc: string;
  unit?: string;
  default?: string;
  /** Allowed values, for completion and did-you-mean. */
  values?: readonly string[];
  required?: boolean;
  /** Example value text, used as the completion snippet. */
  example?: string;
}

export const SHUTDOWN_ACTIONS = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart', 'soft-reset'] as const;

export const DOMAIN_KEYS: readonly KeyInfo[] = [
  { key: 'name', kind: 'string', required: true, example: '"guest"', doc: 'The domain\'s name. Names must be unique within a system; other domains and the system file refer to the domain by it.' },
  { key: 'type', kind: 'string', values: ['pvh', 'pv', 'hvm'], default: '"pvh"', example: '"pvh"', doc: 'Guest type. On Arm, as in Xen, only `pvh` exists: a guest with hardware virtualisation and no device model.' },
  { key: 'memory', kind: 'number', unit: 'MiB', default: '32 (libxl\'s default)', example: '256', doc: 'RAM the domain starts with, in megabytes (MiB).' },
  { key: 'maxmem', kind: 'number', unit: 'MiB', default: 'the value of `memory`', example: '256', doc: 'The most memory the domain can ever have, in MiB; must be at least `memory`. hvlab does not balloon, so the domain is given `memory` and `maxmem` is reserved for it.' },
  { key: 'vcpus', kind: 'number', default: '1', example: '1', doc: 'Number of virtual CPUs online at boot.' },
  { key: 'maxvcpus', kind: 'number', default: 'the value of `vcpus`', example: '2', doc: 'Number of virtual CPUs the domain may ever bring up; those above `vcpus` start offline.' },
  { key: 'cpus', kind: 'string-or-list', default: 'no pinning', example: '"0-1"', doc: 'Hard affinity: the physical CPUs the vCPUs may run on. A string (`"0-3,^1"`, `"all"`, `"node:0"`) applies to every vCPU; a list (`["2", "3"]`) gives one CPU list per vCPU. Under the null scheduler each vCPU needs a CPU of its own.' },
  { key: 'kernel', kind: 'path', required: true, example: '"Image"', doc: 'The guest kernel, loaded directly (no bootloader): an AArch64 ELF64 executable or an arm64 `Image`. Relative paths are relative to this file.' },
  { key: 'ramdisk', kind: 'path', example: '"initrd.img"', doc: 'An initial ramdisk loaded next to the kernel and passed in the guest\'s device tree. Relative paths are relative to this file.' },
  { key: 'cmdline', kind: 'string', example: '"console=hvc0"', doc: 'The kernel command line. When set, `root` and `extra` are ignored.' },
  { key: 'root', kind: 'string', example: '"/dev/vda"', doc: 'Adds `root=VALUE` to the kernel command line (ignored if `cmdline` is set).' },
  { key: 'extra', kind: 'string', example: '"console=hvc0"', doc: 'Appended to the kernel command line (ignored if `cmdline` is set).' },
  { key: 'device_tree', kind: 'path', example: '"passthrough.dtb"', doc: 'A partial device tree (a compiled `.dtb`): everything under its `/passthrough` node is copied into the guest\'s device tree.' },
  { key: 'dtdev', kind: 'list', example: '[ "/soc/ethernet@0" ]', doc: 'Host device-tree nodes (absolute paths) to pass through to this guest.' },
  { key: 'iomem', kind: 'list', example: '[ "9010,1" ]', doc: 'Host MMIO pages given to the guest: `"IOMEM_START,NUM_PAGES[@GFN]"`, all in hexadecimal 4 KiB page numbers. Without `@GFN` the pages appear at the same address in the guest (1:1).' },
  { key: 'irqs', kind: 'list', example: '[ 40 ]', doc: 'Physical interrupts (GIC INTIDs, decimal) routed to this guest. Only SPIs (32 and up) can be passed through; the hypervisor keeps its UART\'s interrupt (33).' },
  { key: 'vuart', kind: 'string', values: ['sbsa_uart'], example: '"sbsa_uart"', doc: 'Gives the guest an emulated SBSA UART as its console. It uses guest SPI 32, which `irqs` may then not contain.' },
  { key: 'gic_version', kind: 'string', values: ['v3', 'default', 'v2'], default: '"default" (the host\'s: v3)', example: '"v3"', doc: 'Version of the GIC emulated for the guest. hvlab\'s board has a GICv3 and emulates only v3.' },
  { key: 'on_poweroff', kind: 'string', values: SHUTDOWN_ACTIONS, default: '"destroy"', example: '"destroy"', doc: 'What to do when the guest powers off.' },
  { key: 'on_reboot', kind: 'string', values: SHUTDOWN_ACTIONS, default: '"restart"', example: '"restart"', doc: 'What to do when the guest asks to reboot.' },
  { key: 'on_crash', kind: 'string', values: SHUTDOWN_ACTIONS, default: '"destroy"', example: '"destroy"', doc: 'What to do when the guest crashes.' },
  { key: 'cpu_weight', kind: 'number', default: '256', example: '256', doc: 'Credit scheduler: relative share of CPU time (1-65535). A domain with weight 512 gets twice the CPU of one with 256 when CPUs are contended.' },
  { key: 'cap', kind: 'number', unit: '% of one CPU', default: '0 (no cap)', example: '50', doc: 'Credit scheduler: the most CPU the domain may use, in percent of one physical CPU (100 = one CPU, 0 = no cap).' },
  { key: 'period', kind: 'number', unit: 'µs', default: '10000', example: '10000', doc: 'RTDS scheduler: the period of each vCPU\'s budget, in microseconds (10 to 4294967295).' },
  { key: 'budget', kind: 'number', unit: 'µs', default: '4000', example: '4000', doc: 'RTDS scheduler (an hvlab key; Xen sets it with `xl sched-rtds`): CPU time each vCPU gets per period, in microseconds; at most `period`.' },
];

/**
 * Real xl.cfg keys (xl.cfg(5) and xl's parser) that hvlab does not implement. They parse and
 * get a warning instead of an "unknown key" error, so an existing Xen config can be loaded.
 */
export const XEN_ONLY_KEYS: readonly string[] = [
  'acpi', 'acpi_firmware', 'acpi_laptop_slate', 'acpi_s3', 'acpi_s4', 'altp2m', 'altp2m_count', 'altp2mhvm', 'apic',
  'arm_sci', 'bios', 'bios_path_override', 'boot', 'bootloader', 'bootloader_args', 'bootloader_restrict', 'bootloader_user',
  'builder', 'channel', 'cpuid', 'cpus_soft', 'device_model', 'device_model_args', 'device_model_args_hvm',
  'device_model_args_pv', 'device_model_override', 'device_model_stubdomain_override', 'device_model_stubdomain_seclabel',
  'device_model_user', 'device_model_version', 'disk', 'display', 'dm_restrict', 'driver_domain', 'e820_host', 'extratime',
  'firmware', 'firmware_override', 'gfx_passthru', 'hap', 'hdtype', 'hpet', 'hvm_pirq', 'init_seclabel', 'ioports',
  'keymap', 'latency', 'llc_colors', 'localtime', 'max_event_channels', 'max_grant_frames', 'max_grant_version',
  'max_maptrack_frames', 'mca_caps', 'mmio_hole', 'ms_vm_genid', 'msr_relaxed', 'nestedhvm', 'nographic', 'nomigrate',
  'nr_spis', 'nx', 'on_soft_reset', 'on_watchdog', 'oos', 'opengl', 'p9', 'pae', 'passthrough', 'pci', 'pci_msitranslate',
  'pci_permissive', 'pci_power_mgmt', 'pci_seize', 'pool', 'pvcalls', 'pvshim', 'pvshim_cmdline', 'pvshim_extra',
  'pvshim_path', 'rdm', 'rdm_mem_boundary', 'rtc_timeoffset', 'sdl', 'seclabel', 'serial', 'shadow_memory', 'slice',
  'smbios', 'smbios_firmware', 'soundhw', 'spice', 'spice_clipboard_sharing', 'spice_image_compression',
  'spice_streaming_video', 'spiceagent_mouse', 'spicedisable_ticketing', 'spicehost', 'spicepasswd', 'spiceport',
  'spicetls_port', 'spiceusbredirection', 'spicevdagent', 'static_shm', 'stdvga', 'stubdomain_cmdline', 'stubdomain_kernel',
  'stubdomain_memory', 'stubdomain_ramdisk', 'sve', 'tee', 'timer_mode', 'trap_unmapped_accesses', 'tsc_mode', 'usb',
  'usbctrl', 'usbdev', 'usbdevice', 'usbversion', 'uuid', 'vcpu_hard_affinity', 'vcpu_soft_affinity', 'vdispl',
  'vendor_device', 'vfb', 'vga', 'videoram', 'vif', 'vif2', 'viridian', 'virtio', 'vkb', 'vkb_device', 'vmtrace_buf_kb',
  'vnc', 'vncdisplay', 'vnclisten', 'vncpasswd', 'vncunused', 'vncviewer', 'vnuma', 'vpmu', 'vpt_align', 'vsnd', 'vtpm',
  'xauthority', 'xen_platform_pci', 'xen_platform_pci_bar_uc', 'xend_suspend_evtchn_compat', 'xenstore_feature_mask',
  'xenstore_quota',
];

export const SCHEDULERS = ['credit', 'null', 'arinc653', 'rtds'] as const;

export const SYSTEM_KEYS: readonly KeyInfo[] = [
  { key: 'platform', kind: 'string', required: true, values: ['virt'], example: '"virt"', doc: 'The board to emulate. `virt` follows QEMU\'s `virt` machine: RAM at 0x40000000, GICv3 distributor at 0x08000000, PL011 UART at 0x09000000.' },
  { key: 'cpus', kind: 'number', default: '1', example: '4', doc: 'Number of physical CPUs on the board.' },
  { key: 'memory', kind: 'number', unit: 'MiB', default: '128', example: '1024', doc: 'Physical RAM on the board, in MiB. The hypervisor keeps 64 MiB; the rest is for domains and shared memory.' },
  { key: 'gic_version', kind: 'string', values: ['v3'], default: '"v3"', example: '"v3"', doc: 'The board\'s interrupt controller. hvlab implements GICv3.' },
  { key: 'scheduler', kind: 'string', values: SCHEDULERS, default: '"credit"', example: '"credit"', doc: 'The hypervisor\'s vCPU scheduler: `credit` (weighted fair share), `null` (each vCPU owns one physical CPU), `arinc653` (fixed time windows in a repeating major frame) or `rtds` (real-time deferrable server: budget per period).' },
  { key: 'timeslice', kind: 'number', unit: 'ms', default: '30', example: '30', doc: 'Credit scheduler: time slice in milliseconds (1-1000), as Xen\'s `sched_credit_tslice_ms`.' },
  { key: 'major_frame', kind: 'number', unit: 'ms', example: '100', doc: 'ARINC 653 scheduler: length of the major frame, in milliseconds. The windows repeat with this period.' },
  { key: 'windows', kind: 'list', example: '[ "domain=guest, start=0, duration=50" ]', doc: 'ARINC 653 scheduler: the time windows of the major frame, one string each: `"domain=NAME, start=T, duration=T[, vcpu=N][, cpu=N]"`. Times are milliseconds, or carry a unit: `ms`, `us`, `ns`. Windows on one CPU may not overlap and must end within the major frame.' },
  { key: 'domains', kind: 'list', required: true, example: '[ "guest.cfg" ]', doc: 'The domain files (xl.cfg), relative to this file. Each describes one guest.' },
  { key: 'shmem', kind: 'list', example: '[ "id=ring, size=64K, owner=a, borrower=b" ]', doc: 'Shared memory between domains, one string per region: `"id=NAME, size=SIZE, owner=DOMAIN, borrower=DOMAIN[, borrower=DOMAIN...][, gpa=ADDR]"`. SIZE takes K/M/G suffixes and must be a multiple of 4 KiB; `gpa` fixes the guest address it appears at. Modelled on Xen\'s `static_shm`.' },
  { key: 'evtchn', kind: 'list', example: '[ "domain=a, port=10, peer=b, peer_port=10" ]', doc: 'Event channels bound between two domains before they boot, one string each: `"domain=A, port=N, peer=B, peer_port=M"` (ports 1-4095).' },
];

export const DOMAIN_KEY_MAP = new Map(DOMAIN_KEYS.map((k) => [k.key, k]));
export const SYSTEM_KEY_MAP = new Map(SYSTEM_KEYS.map((k) => [k.key, k]));
export const XEN_ONLY_KEY_SET = new Set(XEN_ONLY_KEYS);

/** Fields of the spec strings in the system file, for completion and checks. */
export const SPEC_FIELDS: Record<'shmem' | 'evtchn' | 'windows', readonly string[]> = {
  shmem: ['id', 'size', 'owner', 'borrower', 'gpa'],
  evtchn: ['domain', 'port', 'peer', 'peer_port'],
  windows: ['domain', 'start', 'duration', 'vcpu', 'cpu'],
};

/** Spec fields whose value is a domain name. */
export const DOMAIN_NAME_FIELDS = new Set(['owner', 'borrower', 'domain', 'peer']);

export function keyDocumentation(info: KeyInfo): string {
  const lines = [`**${info.key}**${info.unit ? ` (${info.unit})` : ''}`, '', info.doc];
  if (info.values) lines.push('', `Values: ${info.values.map((v) => `\`${v}\``).join(', ')}`);
  if (info.default) lines.push('', `Default: ${info.default}`);
  if (info.required) lines.push('', 'Required.');
  return lines.join('\n');
}
