// The resolved system description: what the hypervisor consumes after validation. Sizes are
// bytes, times nanoseconds, CPU lists expanded, paths absolute. Nothing here refers back to
// the source text; source positions live in the validation result, for tools.

export type DomainType = 'pvh';

/** What the hypervisor does when a domain powers off, reboots or crashes. */
export type ShutdownAction = 'destroy' | 'restart' | 'preserve';

export type SchedulerName = 'credit' | 'null' | 'arinc653' | 'rtds';

export type KernelFormat = 'elf64' | 'arm64-image';

export interface IomemRange {
  /** Host physical address (IOMEM_START page * 4 KiB). */
  hostAddress: number;
  size: number;
  /** Guest physical address the range appears at (GFN * 4 KiB; defaults to 1:1). */
  guestAddress: number;
}

export interface DomainDescription {
  name: string;
  type: DomainType;
  /** The domain file this came from (absolute). */
  file: string;
  memoryBytes: number;
  maxMemoryBytes: number;
  vcpus: number;
  maxVcpus: number;
  /**
   * Hard affinity per vCPU (length maxVcpus): the physical CPUs each may run on, or null for
   * "any CPU". Xen's `cpus="..."` applies one list to every vCPU; `cpus=[...]` one per vCPU.
   */
  cpuAffinity: (number[] | null)[];
  kernel: string;
  kernelFormat: KernelFormat;
  ramdisk?: string;
  /** The final kernel command line (cmdline, or root= + extra, as xl builds it). */
  cmdline: string;
  deviceTree?: string;
  dtdev: string[];
  iomem: IomemRange[];
  /** Physical INTIDs passed through (mapped 1:1). */
  irqs: number[];
  vuart: 'sbsa_uart' | null;
  gicVersion: 'v3';
  onPoweroff: ShutdownAction;
  onReboot: ShutdownAction;
  onCrash: ShutdownAction;
  scheduling: {
    /** credit: relative weight 1..65535 (default 256). */
    weight: number;
    /** credit: percent of one CPU, 0 = no cap. */
    cap: number;
    /** rtds: period and budget per vCPU, nanoseconds. */
    periodNs: number;
    budgetNs: number;
  };
}

export interface SharedMemoryRegion {
  id: string;
  sizeBytes: number;
  owner: string;
  borrowers: string[];
  /** Guest physical address the region is mapped at in every domain, if fixed. */
  guestAddress?: number;
}

export interface EventChannel {
  domain: string;
  port: number;
  peer: string;
  peerPort: number;
}

export interface Arinc653Window {
  domain: string;
  vcpu: number;
  cpu: number;
  startNs: number;
  durationNs: number;
}

export type SchedulerConfig =
  | { name: 'credit'; timesliceNs: number }
  | { name: 'null' }
  | { name: 'rtds' }
  | { name: 'arinc653'; majorFrameNs: number; windows: Arinc653Window[] };

export interface SystemDescription {
  /** The system file (absolute). */
  file: string;
  platform: 'virt';
  cpus: number;
  memoryBytes: number;
  /** RAM left for domains: memory less the hypervisor's reserve. */
  availableMemoryBytes: number;
  gicVersion: 'v3';
  scheduler: SchedulerConfig;
  domains: DomainDescription[];
  sharedMemory: SharedMemoryRegion[];
  eventChannels: EventChannel[];
}
