// The interface between the hypervisor and its vCPU schedulers (emulator/hypervisor/sched/).
// The hypervisor tells a scheduler what happens to vCPUs (added, woken, blocked, yielded, gone)
// and asks it, whenever a physical CPU must choose, which vCPU runs there next and until when.
// Time is the board's virtual time in nanoseconds, read by the hypervisor from CNTPCT_EL0.
import type { SchedulerConfig } from '../config/types';
import type { Vcpu } from './domain';

export interface Decision {
  /** The vCPU to run, or undefined to idle the physical CPU. */
  vcpu: Vcpu | undefined;
  /** When to ask again (end of the slice or window), or undefined for "not until something happens". */
  untilNs: number | undefined;
  /**
   * Other physical CPUs that should choose again now: an idle CPU that can take the vCPU this
   * decision preempted (Xen's credit scheduler "kicks it away" the same way).
   */
  kick?: number[];
}

export interface Scheduler {
  readonly name: SchedulerConfig['name'];
  /** A vCPU comes into existence (offline: it is not runnable until `wake`). */
  add(v: Vcpu): void;
  /** A vCPU goes away for good (domain destroyed). */
  remove(v: Vcpu): void;
  /**
   * The vCPU became runnable (powered on, interrupt arrived while blocked). Returns the physical
   * CPU that should choose again now (an idle CPU it may use, or one it should preempt), or
   * undefined when none needs to (it will be picked at the next decision).
   */
  wake(v: Vcpu, nowNs: number): number | undefined;
  /** The vCPU stopped being runnable (WFI with nothing pending, SCHEDOP_block, CPU_OFF). */
  block(v: Vcpu, nowNs: number): void;
  /** The vCPU gives up the rest of its slice (WFE, SCHEDOP_yield). */
  yield(v: Vcpu, nowNs: number): void;
  /** `current` (running on `pcpu`, or undefined) has run until now: choose what runs next. */
  pick(pcpu: number, nowNs: number, current: Vcpu | undefined): Decision;
  /** One line per physical CPU for --stats and the debugger (optional). */
  describe?(): string[];
}

/** The physical CPUs a vCPU may use: its affinity intersected with the board's CPUs. */
export function allowedCpus(v: Vcpu, pcpus: number): number[] {
  const all = Array.from({ length: pcpus }, (_, i) => i);
  return v.affinity.length ? v.affinity.filter((c) => c < pcpus) : all;
}
