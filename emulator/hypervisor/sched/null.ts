// The `null` scheduler (Xen's sched_null.c; Bao's and Jailhouse's static partitioning): each vCPU
// is given one physical CPU of its own when it is added, keeps it for its whole life, and nothing
// else ever runs there. No time slices, so no scheduler tick: a physical CPU whose vCPU blocks
// just waits for that vCPU's next interrupt.
import type { Vcpu } from '../domain';
import { allowedCpus, type Decision, type Scheduler } from '../scheduler';

export class NullScheduler implements Scheduler {
  readonly name = 'null' as const;
  /** owner[pcpu] = the vCPU assigned to it. */
  private readonly owner: (Vcpu | undefined)[];

  constructor(private readonly pcpus: number) {
    this.owner = new Array<Vcpu | undefined>(pcpus).fill(undefined);
  }

  add(v: Vcpu): void {
    const free = allowedCpus(v, this.pcpus).find((c) => this.owner[c] === undefined);
    if (free === undefined) throw new Error(`null scheduler: no free physical CPU for ${v.label} (affinity ${v.affinity.join(',') || 'any'}; each vCPU needs a CPU of its own)`);
    this.owner[free] = v;
    v.sched.nullCpu = free;
  }

  remove(v: Vcpu): void {
    const c = v.sched.nullCpu as number | undefined;
    if (c !== undefined && this.owner[c] === v) this.owner[c] = undefined;
  }

  /** The vCPU's own CPU runs it whenever it is runnable. */
  wake(v: Vcpu): number | undefined { return v.sched.nullCpu as number | undefined; }
  block(): void { /* its CPU idles until it is woken */ }
  yield(): void { /* nothing else may run on its CPU */ }

  pick(pcpu: number): Decision {
    const v = this.owner[pcpu];
    return { vcpu: v !== undefined && (v.state === 'runnable' || v.state === 'running') ? v : undefined, untilNs: undefined };
  }

  describe(): string[] {
    return this.owner.map((v, c) => `cpu${c}: ${v ? v.label : 'unassigned'}`);
  }
}
