// The `rtds` scheduler: the Real-Time Deferrable Server after Xen's xen/common/sched/rt.c.
// Each vCPU has a budget per period (the domain file's `budget` and `period`). Its deadline is the
// end of its current period; every period its budget is replenished in full. The physical CPUs
// run global EDF: each runs, of the vCPUs it may run, the runnable one with the earliest deadline
// that has budget left (ties: lower domain id, then vCPU id — the same every run). A vCPU that
// has used its budget waits for its replenishment even if a CPU is idle (no extra time, as Xen's
// RTDS without the extratime flag). A blocked vCPU keeps its budget (deferrable): when it wakes
// after its deadline it starts a new period at the next period boundary of its own timeline.
//
// Budget is charged exactly at every decision and block, split at a deadline that passed in
// between. A decision lasts until the running vCPU's budget runs out, its deadline (its priority
// changes), or the replenishment of a waiting vCPU that may run here, whichever comes first.
// Wake-ups go to an idle CPU, else to the CPU running the latest deadline later than the woken one.
import type { Domain, Vcpu } from '../domain';
import { allowedCpus, type Decision, type Scheduler } from '../scheduler';
import { checkAffinity, RunTracker } from './run-tracker';

interface RtVcpu {
  v: Vcpu;
  periodNs: number;
  budgetNs: number;
  /** End of the current period; undefined before its first release. */
  deadline: number | undefined;
  budgetLeft: number;
}

export class RtdsScheduler implements Scheduler {
  readonly name = 'rtds' as const;
  private readonly vcpus: RtVcpu[] = [];
  private readonly byVcpu = new Map<Vcpu, RtVcpu>();
  private readonly run: RunTracker<RtVcpu>;
  /** Deadlines each vCPU missed (budget left at its deadline while it was runnable), for tests and --stats. */
  readonly missed = new Map<Vcpu, number>();

  constructor(private readonly pcpus: number) {
    this.run = new RunTracker(pcpus);
  }

  add(v: Vcpu): void {
    checkAffinity('rtds', v, this.pcpus);
    const { periodNs, budgetNs } = v.domain.desc.scheduling;
    if (!(periodNs > 0) || !(budgetNs > 0) || budgetNs > periodNs) {
      throw new Error(`rtds scheduler: ${v.label} needs 0 < budget <= period (budget ${budgetNs} ns, period ${periodNs} ns)`);
    }
    const s: RtVcpu = { v, periodNs, budgetNs, deadline: undefined, budgetLeft: 0 };
    this.vcpus.push(s);
    this.byVcpu.set(v, s);
  }

  remove(v: Vcpu): void {
    const s = this.byVcpu.get(v);
    if (!s) return;
    this.run.release(s);
    this.vcpus.splice(this.vcpus.indexOf(s), 1);
    this.byVcpu.delete(v);
  }

  wake(v: Vcpu, nowNs: number): number | undefined {
    const s = this.get(v);
    this.replenish(s, nowNs, false);
    if (s.budgetLeft <= 0 || this.run.where(s) !== undefined) return undefined;
    const idle = this.run.idleFor(v);
    if (idle !== undefined) return idle;
    let target: number | undefined;
    let latest = s.deadline!;
    for (const c of allowedCpus(v, this.pcpus)) {
      const o = this.run.on[c];
      if (o && o.s.deadline! > latest) { latest = o.s.deadline!; target = c; }
    }
    return target;
  }

  block(v: Vcpu, nowNs: number): void {
    const c = this.run.where(this.get(v));
    if (c !== undefined) this.charge(c, nowNs);
  }

  /** RTDS has no yield (Xen's rt.c neither): EDF would choose the same vCPU again. */
  yield(v: Vcpu, nowNs: number): void { this.block(v, nowNs); }

  pick(pcpu: number, nowNs: number, current: Vcpu | undefined): Decision {
    this.run.choosing(pcpu);
    if (this.run.on[pcpu]) this.charge(pcpu, nowNs);
    const cur = current ? this.byVcpu.get(current) : undefined;
    if (this.run.on[pcpu] && this.run.on[pcpu]!.s !== cur) this.run.on[pcpu] = undefined;
    // Waiting vCPUs whose period ended start the next one (running ones were split in charge()).
    for (const s of this.vcpus) if (s.v.state === 'runnable' && this.run.where(s) === undefined) this.replenish(s, nowNs, true);

    let next: RtVcpu | undefined;
    for (const s of this.vcpus) {
      if (s.budgetLeft <= 0 || !this.run.free(s, pcpu) || !allowedCpus(s.v, this.pcpus).includes(pcpu)) continue;
      if (!next || this.before(s, next)) next = s;
    }
    const kick: number[] = [];
    if (cur && next !== cur && cur.budgetLeft > 0 && this.run.free(cur, pcpu)) {
      const idle = this.run.idleFor(cur.v, pcpu);
      if (idle !== undefined) kick.push(idle);
    }
    // Replenishments of vCPUs waiting without budget that may run here can change the choice.
    let until: number | undefined;
    for (const s of this.vcpus) {
      if (s === next || s.budgetLeft > 0 || s.deadline === undefined || s.v.state !== 'runnable') continue;
      if (!allowedCpus(s.v, this.pcpus).includes(pcpu)) continue;
      if (until === undefined || s.deadline < until) until = s.deadline;
    }
    if (next) {
      const own = Math.min(nowNs + next.budgetLeft, next.deadline!);
      until = until === undefined ? own : Math.min(until, own);
      this.run.on[pcpu] = { s: next, since: nowNs };
    } else {
      this.run.on[pcpu] = undefined;
    }
    return { vcpu: next?.v, untilNs: until === undefined ? undefined : Math.max(until, nowNs + 1), kick };
  }

  describe(): string[] {
    return this.run.on.map((o, c) => {
      if (!o) return `cpu${c}: idle`;
      return `cpu${c}: ${o.s.v.label} (budget left ${(o.s.budgetLeft / 1e6).toFixed(3)} ms, deadline ${(o.s.deadline! / 1e6).toFixed(3)} ms)`;
    });
  }

  /** Scheduling state of a vCPU, for tests and the debugger. */
  stateOf(v: Vcpu): { deadlineNs: number | undefined; budgetLeftNs: number } {
    const s = this.get(v);
    return { deadlineNs: s.deadline, budgetLeftNs: s.budgetLeft };
  }

  // ---------------------------------------------------------------- internals

  private get(v: Vcpu): RtVcpu {
    const s = this.byVcpu.get(v);
    if (!s) throw new Error(`rtds scheduler: ${v.label} was never added`);
    return s;
  }

  /** EDF order; equal deadlines by domain id, then vCPU id. */
  private before(a: RtVcpu, b: RtVcpu): boolean {
    if (a.deadline! !== b.deadline!) return a.deadline! < b.deadline!;
    const da: Domain = a.v.domain, db: Domain = b.v.domain;
    return da.id !== db.id ? da.id < db.id : a.v.id < b.v.id;
  }

  /** First release, or the start of the period `now` falls in once the deadline has passed. */
  private replenish(s: RtVcpu, now: number, waited: boolean): void {
    if (s.deadline === undefined) {
      s.deadline = now + s.periodNs;
      s.budgetLeft = s.budgetNs;
      return;
    }
    if (now < s.deadline) return;
    if (waited && s.budgetLeft > 0) this.missed.set(s.v, (this.missed.get(s.v) ?? 0) + 1);
    s.deadline += (Math.floor((now - s.deadline) / s.periodNs) + 1) * s.periodNs;
    s.budgetLeft = s.budgetNs;
  }

  /** Burns the budget of what `pcpu` ran since it was last charged, across any deadline in between. */
  private charge(pcpu: number, now: number): void {
    const o = this.run.on[pcpu];
    if (!o) return;
    const s = o.s;
    while (o.since < now) {
      const end = Math.min(now, s.deadline!);
      s.budgetLeft = Math.max(0, s.budgetLeft - (end - o.since));
      o.since = end;
      if (end >= s.deadline!) {
        if (s.budgetLeft > 0) this.missed.set(s.v, (this.missed.get(s.v) ?? 0) + 1);
        s.deadline! += s.periodNs;
        s.budgetLeft = s.budgetNs;
      }
    }
  }
}
