// The `credit` scheduler: weighted fair sharing after Xen's credit1 (xen/common/sched/credit.c).
//
// Currency: a credit is one nanosecond of CPU time. Every accounting period (one time slice, as
// Xen's master ticker) the CPU time of the period — the period times the CPUs the active vCPUs
// may use — is shared out among the active domains in proportion to weight × active vCPUs (Xen's
// rule, so weight is in effect per vCPU), no domain getting more than its active vCPUs can use or
// its cap allows; what they cannot use goes to the others (water filling, as Xen's credit_xtra
// loop). A domain's share is split evenly among its active vCPUs. Running burns credit, charged
// exactly at every decision, block and period boundary.
//
// Priorities, highest first: BOOST (an UNDER vCPU that just woke from blocking, for at most a
// third of a slice of running — Xen's tick), UNDER (credit left), OVER (credit used up). A CPU
// runs the highest-priority runnable vCPU it may run; within a priority, first come first served
// (each vCPU holds a ticket, renewed when it is queued), so ties break the same way every run.
// A running vCPU keeps its CPU until its slice ends, it blocks or yields, or a higher priority
// waits; its decision also ends when its credit runs out or the period ends, so that priorities
// are looked at again there.
//
// Caps (percent of one CPU per domain): a capped domain that has run its cap's worth in the
// current period is parked — none of its vCPUs is chosen — until the next period (Xen parks at
// accounting; hvlab parks at the exact moment, and an overrun is carried into the next period).
//
// Several vCPUs share each CPU; hard affinity is respected; a woken vCPU goes to an idle CPU it
// may use (returned for the hypervisor to kick), or preempts the CPU running the lowest priority
// below its own; a vCPU preempted by one that can only run here is kicked to an idle CPU.
import type { Domain, Vcpu } from '../domain';
import { allowedCpus, type Decision, type Scheduler } from '../scheduler';
import { checkAffinity, RunTracker } from './run-tracker';

export type CreditPriority = 'boost' | 'under' | 'over';
const RANK: Record<CreditPriority, number> = { boost: 2, under: 1, over: 0 };

/** Shortest decision a credit or boost limit may ask for (Xen's CSCHED_MIN_TIMER, 100 µs). */
const MIN_TIMER_NS = 100_000;

interface CreditVcpu {
  v: Vcpu;
  dom: CreditDomain;
  credit: number;
  pri: CreditPriority;
  /** Queue ticket: lower goes first within a priority. */
  seq: number;
  /** Ran during the current accounting period (so it takes part in the next share-out). */
  ranInPeriod: boolean;
  /** Run time since it was boosted. */
  boostRunNs: number;
  yielded: boolean;
  /** End of its current time slice, while it runs. */
  sliceEnd: number;
}

interface CreditDomain {
  d: Domain;
  weight: number;
  /** Percent of one CPU, 0 = none. */
  cap: number;
  /** Run time in the current period (capped domains), overrun of the last one included. */
  usedNs: number;
  parked: boolean;
}

export class CreditScheduler implements Scheduler {
  readonly name = 'credit' as const;
  /** In add order: every scan is deterministic. */
  private readonly vcpus: CreditVcpu[] = [];
  private readonly byVcpu = new Map<Vcpu, CreditVcpu>();
  private readonly doms = new Map<Domain, CreditDomain>();
  private readonly run: RunTracker<CreditVcpu>;
  private readonly periodNs: number;
  private readonly boostNs: number;
  /** Next accounting time; undefined until the first decision (the first share-out happens then). */
  private nextAcct: number | undefined;
  private tickets = 0;
  /** Accounting periods run (for describe and tests). */
  periods = 0;

  constructor(private readonly timesliceNs: number, private readonly pcpus: number) {
    if (!(timesliceNs > 0)) throw new Error(`credit scheduler: time slice ${timesliceNs} ns is not positive`);
    this.periodNs = timesliceNs;
    this.boostNs = Math.max(MIN_TIMER_NS, Math.floor(timesliceNs / 3));
    this.run = new RunTracker(pcpus);
  }

  add(v: Vcpu): void {
    checkAffinity('credit', v, this.pcpus);
    let dom = this.doms.get(v.domain);
    if (!dom) {
      const s = v.domain.desc.scheduling;
      dom = { d: v.domain, weight: s.weight, cap: s.cap, usedNs: 0, parked: false };
      this.doms.set(v.domain, dom);
    }
    const s: CreditVcpu = { v, dom, credit: 0, pri: 'under', seq: ++this.tickets, ranInPeriod: false, boostRunNs: 0, yielded: false, sliceEnd: 0 };
    this.vcpus.push(s);
    this.byVcpu.set(v, s);
  }

  remove(v: Vcpu): void {
    const s = this.byVcpu.get(v);
    if (!s) return;
    this.run.release(s);
    this.vcpus.splice(this.vcpus.indexOf(s), 1);
    this.byVcpu.delete(v);
    if (!this.vcpus.some((x) => x.dom === s.dom)) this.doms.delete(v.domain);
  }

  wake(v: Vcpu, nowNs: number): number | undefined {
    const s = this.get(v);
    if (this.run.where(s) !== undefined) this.charge(this.run.where(s)!, nowNs);
    // Xen boosts a waking vCPU that still has credit: it gets the CPU quickly (I/O latency).
    if (s.pri === 'under') { s.pri = 'boost'; s.boostRunNs = 0; }
    s.seq = ++this.tickets;
    s.yielded = false;
    if (s.dom.parked || this.run.where(s) !== undefined) return undefined;
    const idle = this.run.idleFor(v);
    if (idle !== undefined) return idle;
    // No idle CPU: preempt the one running the lowest priority below ours (lowest index on ties).
    let target: number | undefined;
    let lowest = RANK[s.pri];
    for (const c of allowedCpus(v, this.pcpus)) {
      const o = this.run.on[c];
      if (o && RANK[o.s.pri] < lowest) { lowest = RANK[o.s.pri]; target = c; }
    }
    return target;
  }

  block(v: Vcpu, nowNs: number): void {
    const s = this.get(v);
    const c = this.run.where(s);
    if (c !== undefined) this.charge(c, nowNs);
    if (s.pri === 'boost') s.pri = s.credit > 0 ? 'under' : 'over';
    s.yielded = false;
  }

  yield(v: Vcpu, nowNs: number): void {
    const s = this.get(v);
    const c = this.run.where(s);
    if (c !== undefined) this.charge(c, nowNs);
    s.yielded = true;
  }

  pick(pcpu: number, nowNs: number, current: Vcpu | undefined): Decision {
    this.run.choosing(pcpu);
    if (this.run.on[pcpu]) this.charge(pcpu, nowNs);
    this.accountUpTo(nowNs);
    const prev = this.run.on[pcpu]?.s;
    const cur = current ? this.byVcpu.get(current) : undefined;
    if (prev && prev !== cur) this.run.on[pcpu] = undefined;

    let next: CreditVcpu | undefined;
    let continuing = false;
    const curOk = cur !== undefined && cur === prev && this.eligible(cur, pcpu);
    if (curOk && !cur.yielded && nowNs < cur.sliceEnd) {
      // Mid-slice (a kick, a period boundary, credit run out): keep it unless a higher priority waits.
      const other = this.best(pcpu, cur);
      if (other && RANK[other.pri] > RANK[cur.pri]) next = other;
      else { next = cur; continuing = true; }
    } else {
      if (curOk) { cur.seq = ++this.tickets; cur.yielded = false; }
      next = this.best(pcpu, undefined);
    }

    const kick: number[] = [];
    if (curOk && next !== cur) {
      cur.seq = ++this.tickets;
      const idle = this.run.idleFor(cur.v, pcpu);
      if (idle !== undefined) kick.push(idle);
    }
    if (!next) {
      this.run.on[pcpu] = undefined;
      // An idle CPU wakes for the next period if a parked domain could then run here.
      const parkedHere = this.vcpus.some((s) => s.dom.parked && s.v.state === 'runnable' && allowedCpus(s.v, this.pcpus).includes(pcpu));
      return { vcpu: undefined, untilNs: parkedHere ? this.nextAcct : undefined, kick };
    }
    if (!continuing) next.sliceEnd = nowNs + this.timesliceNs;
    this.run.on[pcpu] = { s: next, since: nowNs };
    return { vcpu: next.v, untilNs: this.until(next, nowNs), kick };
  }

  describe(): string[] {
    return this.run.on.map((o, c) => {
      if (!o) return `cpu${c}: idle`;
      return `cpu${c}: ${o.s.v.label} (${o.s.pri}, credit ${(o.s.credit / 1e6).toFixed(3)} ms)`;
    });
  }

  /** Scheduling state of a vCPU, for tests and the debugger. */
  stateOf(v: Vcpu): { credit: number; priority: CreditPriority; parked: boolean } {
    const s = this.get(v);
    return { credit: s.credit, priority: s.pri, parked: s.dom.parked };
  }

  // ---------------------------------------------------------------- internals

  private get(v: Vcpu): CreditVcpu {
    const s = this.byVcpu.get(v);
    if (!s) throw new Error(`credit scheduler: ${v.label} was never added`);
    return s;
  }

  private eligible(s: CreditVcpu, pcpu: number): boolean {
    return !s.dom.parked && this.run.free(s, pcpu) && allowedCpus(s.v, this.pcpus).includes(pcpu);
  }

  /** The highest priority, then lowest ticket, among the vCPUs `pcpu` may run (except `not`). */
  private best(pcpu: number, not: CreditVcpu | undefined): CreditVcpu | undefined {
    let b: CreditVcpu | undefined;
    for (const s of this.vcpus) {
      if (s === not || !this.eligible(s, pcpu)) continue;
      if (!b || RANK[s.pri] > RANK[b.pri] || (RANK[s.pri] === RANK[b.pri] && s.seq < b.seq)) b = s;
    }
    return b;
  }

  /** When to decide again for `s`, chosen at `now`. */
  private until(s: CreditVcpu, now: number): number {
    let u = Math.min(s.sliceEnd, this.nextAcct!);
    if (s.pri === 'boost') u = Math.min(u, now + Math.max(MIN_TIMER_NS, this.boostNs - s.boostRunNs));
    else if (s.pri === 'under') u = Math.min(u, now + Math.max(MIN_TIMER_NS, s.credit));
    if (s.dom.cap) {
      let running = 0;
      for (const o of this.run.on) if (o?.s.dom === s.dom) running++;
      const left = this.capNs(s.dom) - s.dom.usedNs;
      u = Math.min(u, now + Math.ceil(left / Math.max(1, running)));
    }
    return Math.max(u, now + 1);
  }

  private capNs(dom: CreditDomain): number {
    return Math.ceil(dom.cap * this.periodNs / 100);
  }

  /** Burns the credit of what `pcpu` ran since it was last charged. */
  private charge(pcpu: number, now: number): void {
    const o = this.run.on[pcpu];
    if (!o) return;
    const ns = now - o.since;
    if (ns <= 0) return;
    o.since = now;
    const s = o.s;
    s.credit -= ns;
    s.ranInPeriod = true;
    if (s.pri === 'boost') {
      s.boostRunNs += ns;
      if (s.boostRunNs >= this.boostNs) s.pri = s.credit > 0 ? 'under' : 'over';
    } else {
      s.pri = s.credit > 0 ? 'under' : 'over';
    }
    if (s.dom.cap) {
      s.dom.usedNs += ns;
      if (s.dom.usedNs >= this.capNs(s.dom)) s.dom.parked = true;
    }
  }

  private accountUpTo(now: number): void {
    if (this.nextAcct === undefined) {
      this.account();
      this.nextAcct = now + this.periodNs;
      return;
    }
    // A long all-idle stretch: the periods nobody ran in change nothing but caps; skip to the last.
    if (now - this.nextAcct > 4 * this.periodNs) this.nextAcct += (Math.floor((now - this.nextAcct) / this.periodNs) - 1) * this.periodNs;
    while (now >= this.nextAcct) {
      const boundary = this.nextAcct;
      for (let c = 0; c < this.pcpus; c++) if (this.run.on[c] && this.run.on[c]!.since < boundary) this.charge(c, boundary);
      this.account();
      this.nextAcct += this.periodNs;
    }
  }

  /** The share-out at the start of a period. */
  private account(): void {
    this.periods++;
    const P = this.periodNs;
    const active = new Map<CreditDomain, CreditVcpu[]>();
    const cpus = new Set<number>();
    for (const s of this.vcpus) {
      const live = s.v.state === 'runnable' || s.v.state === 'running';
      if (!live && !s.ranInPeriod) continue;
      if (!active.has(s.dom)) active.set(s.dom, []);
      active.get(s.dom)!.push(s);
      for (const c of allowedCpus(s.v, this.pcpus)) cpus.add(c);
      s.ranInPeriod = false;
    }
    // Water filling: a domain whose fair share is more than it can use gets what it can use
    // (its active vCPUs' full period, or its cap) and the rest is shared again among the others.
    const share = new Map<CreditDomain, number>();
    let left = P * cpus.size;
    let open = [...active.keys()];
    for (;;) {
      const w = open.reduce((t, d) => t + d.weight * active.get(d)!.length, 0);
      if (!open.length || w === 0) break;
      const full = open.filter((d) => left * d.weight * active.get(d)!.length / w >= this.peakNs(d, active.get(d)!.length));
      if (!full.length) {
        for (const d of open) share.set(d, left * d.weight * active.get(d)!.length / w);
        break;
      }
      for (const d of full) { const p = this.peakNs(d, active.get(d)!.length); share.set(d, p); left -= p; }
      open = open.filter((d) => !full.includes(d));
    }
    for (const [d, list] of active) {
      const each = Math.floor((share.get(d) ?? 0) / list.length);
      for (const s of list) {
        s.credit = Math.max(-P, Math.min(P, s.credit + each));
        // A boost granted just before the boundary survives it (its wake-up kick is on its way).
        if (s.pri !== 'boost' || s.credit <= 0) s.pri = s.credit > 0 ? 'under' : 'over';
      }
    }
    for (const dom of this.doms.values()) {
      if (!dom.cap) continue;
      const cap = this.capNs(dom);
      dom.usedNs = Math.min(cap, Math.max(0, dom.usedNs - cap));
      dom.parked = dom.usedNs >= cap;
    }
  }

  private peakNs(d: CreditDomain, activeVcpus: number): number {
    const peak = activeVcpus * this.periodNs;
    return d.cap ? Math.min(peak, this.capNs(d)) : peak;
  }
}
