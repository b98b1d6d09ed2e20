// A domain (a guest virtual machine) and its vCPUs, as the hypervisor keeps them. The guest's
// memory lives in board RAM mapped by the domain's stage-2 tables; everything else of the guest
// machine (vGIC, vUART, vCPU contexts) is hypervisor state here.
import type { DomainDescription } from '../config/types';
import type { Stage2Tables } from './stage2';
import { VcpuContext } from './vcpu-context';
import { TrapCounters } from './stats';

/** An emulated device region in the guest's physical address space, reached by stage-2 aborts. */
export interface MmioHandler {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  /** Returns the value read (size 1, 2, 4 or 8 bytes; value as bigint for 8). */
  read(vcpu: Vcpu, offset: number, size: number): bigint;
  write(vcpu: Vcpu, offset: number, size: number, value: bigint): void;
}

export type VcpuState = 'offline' | 'runnable' | 'running' | 'blocked';

export class Vcpu {
  readonly ctx = new VcpuContext();
  state: VcpuState = 'offline';
  /** The physical CPU it runs on now, or -1. */
  pcpu = -1;
  /** Physical CPUs it may run on (hard affinity, from `cpus=`). */
  affinity: number[];
  /** Virtual time spent running (ns), and how often it was switched in. */
  runNs = 0;
  switches = 0;
  /** Set by scheduler implementations for their own bookkeeping. */
  sched: Record<string, unknown> = {};
  /** When it was last switched in (ns). */
  lastIn = 0;

  constructor(readonly domain: Domain, readonly id: number, affinity: number[]) {
    this.affinity = affinity;
  }

  /** MPIDR the guest reads: Aff0 = vCPU id (up to 16 per cluster as QEMU's GICv3 layout), bit 31 RES1. */
  get mpidr(): bigint { return 0x80000000n | (BigInt(this.id >> 4) << 8n) | BigInt(this.id & 15); }

  get label(): string { return `${this.domain.name}.vcpu${this.id}`; }
}

export type DomainState = 'running' | 'shutdown' | 'destroyed';
export type ShutdownReason = 'poweroff' | 'reboot' | 'crash';

export class Domain {
  readonly vcpus: Vcpu[] = [];
  readonly mmio: MmioHandler[] = [];
  state: DomainState = 'running';
  /** Why the domain last shut down, and what was done about it. */
  shutdownReason: ShutdownReason | undefined;
  readonly counters = new TrapCounters();
  /** Times the domain was built (1 + restarts). */
  generation = 1;
  /** CNTPCT_EL0 when this life began: every vCPU's CNTVOFF_EL2, so its CNTVCT counts from its boot. */
  bootCount = 0n;

  constructor(
    readonly id: number,
    readonly desc: DomainDescription,
    /** VMID in VTTBR_EL2 (8 bits). */
    readonly vmid: number,
    /** Host physical base of the guest's RAM and its size. */
    readonly ramPa: number,
    readonly ramSize: number,
    readonly stage2: Stage2Tables,
  ) {}

  get name(): string { return this.desc.name; }

  addMmio(h: MmioHandler): void {
    for (const m of this.mmio) {
      if (h.base < m.base + m.size && m.base < h.base + h.size) throw new Error(`domain ${this.name}: ${h.name} overlaps ${m.name}`);
    }
    this.mmio.push(h);
  }

  findMmio(ipa: number): MmioHandler | undefined {
    for (const m of this.mmio) if (ipa >= m.base && ipa < m.base + m.size) return m;
    return undefined;
  }
}
