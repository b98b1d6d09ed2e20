// A discrete-event driver for the vCPU schedulers: real Domain/Vcpu objects (no guest memory),
// virtual time, and the hypervisor's side of the Scheduler contract as Hypervisor.schedule/wake/
// kick play it — states runnable/running/blocked, `current` passed only while runnable, the
// timer armed at `untilNs`, kicks making a CPU choose again. vCPUs are CPU-bound unless a test
// schedules block/wake events. It records who ran where and for how long.
import type { DomainDescription } from '../../emulator/config/types';
import { Domain, Vcpu } from '../../emulator/hypervisor/domain';
import type { Stage2Tables } from '../../emulator/hypervisor/stage2';
import type { Decision, Scheduler } from '../../emulator/hypervisor/scheduler';

export interface DomainOptions {
  vcpus?: number;
  weight?: number;
  cap?: number;
  periodNs?: number;
  budgetNs?: number;
  /** Affinity for every vCPU. */
  cpus?: number[];
}

let nextId = 1;

/** A domain with `vcpus` vCPUs and the given scheduling parameters (nothing else is built). */
export function makeDomain(name: string, o: DomainOptions = {}): Domain {
  const n = o.vcpus ?? 1;
  const desc = {
    name, type: 'pvh', file: `/${name}.cfg`, memoryBytes: 0, maxMemoryBytes: 0, vcpus: n, maxVcpus: n,
    cpuAffinity: new Array(n).fill(o.cpus ?? null), kernel: '', kernelFormat: 'elf64', cmdline: '', dtdev: [], iomem: [], irqs: [],
    vuart: null, gicVersion: 'v3', onPoweroff: 'destroy', onReboot: 'restart', onCrash: 'destroy',
    scheduling: { weight: o.weight ?? 256, cap: o.cap ?? 0, periodNs: o.periodNs ?? 10_000_000, budgetNs: o.budgetNs ?? 4_000_000 },
  } satisfies DomainDescription;
  const id = nextId++;
  const d = new Domain(id, desc, id, 0, 0, undefined as unknown as Stage2Tables);
  for (let i = 0; i < n; i++) d.vcpus.push(new Vcpu(d, i, o.cpus ?? []));
  return d;
}

export interface RunSlice { vcpu: Vcpu; cpu: number; from: number; to: number }

export class SchedSim {
  now = 0;
  readonly cpus: { current: Vcpu | undefined; until: number | undefined; since: number }[];
  readonly ran = new Map<Vcpu, number>();
  readonly ranOn = new Map<Vcpu, Set<number>>();
  readonly slices: RunSlice[] = [];
  readonly decisions: { cpu: number; at: number; decision: Decision }[] = [];
  private readonly events: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  private started = false;
  /** Called when a CPU switches to a vCPU it was not running. */
  onSwitchIn: ((v: Vcpu, cpu: number) => void) | undefined;

  constructor(readonly sched: Scheduler, readonly pcpus: number, readonly domains: Domain[]) {
    this.cpus = Array.from({ length: pcpus }, () => ({ current: undefined, until: undefined, since: 0 }));
    for (const d of domains) for (const v of d.vcpus) sched.add(v);
  }

  /** Every vCPU of every domain made runnable at time 0 (unless told not to), then each CPU chooses (CPU 0 first). */
  start(wakeAll = true): this {
    if (wakeAll) for (const d of this.domains) for (const v of d.vcpus) this.wake(v);
    this.started = true;
    for (let c = 0; c < this.pcpus; c++) this.schedule(c);
    return this;
  }

  /** Runs `fn` at virtual time `at` (before CPUs whose timers fire at the same time). */
  at(at: number, fn: () => void): void { this.events.push({ at, seq: this.seq++, fn }); }

  wake(v: Vcpu): void {
    if (v.state === 'running') return;
    if (v.state === 'runnable') return;
    v.state = 'runnable';
    const target = this.sched.wake(v, this.now);
    if (target !== undefined && this.started) this.schedule(target);
  }

  /** The vCPU stops being runnable (WFI) now; its CPU chooses again. */
  block(v: Vcpu): void {
    const c = this.cpus.findIndex((p) => p.current === v);
    v.state = 'blocked';
    this.sched.block(v, this.now);
    if (c >= 0) this.schedule(c);
  }

  yield(v: Vcpu): void {
    const c = this.cpus.findIndex((p) => p.current === v);
    if (c < 0) throw new Error(`${v.label} yields but does not run`);
    this.sched.yield(v, this.now);
    this.schedule(c);
  }

  /** Advances virtual time to `end`, firing CPU timers and test events (up to and at `end`) in time order. */
  runUntil(end: number): this {
    let guard = 0;
    for (;;) {
      let t = end;
      let cpu = -1;
      for (let c = 0; c < this.pcpus; c++) {
        const u = this.cpus[c].until;
        // Timers due at `end` fire too: the state at `end` is after its decisions.
        if (u !== undefined && (u < t || (u === t && cpu < 0))) { t = u; cpu = c; }
      }
      this.events.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const ev = this.events[0];
      if (ev && ev.at <= t) {
        this.advance(ev.at);
        this.events.shift();
        ev.fn();
      } else if (cpu >= 0) {
        this.advance(t);
        this.schedule(cpu);
      } else {
        this.advance(end);
        break;
      }
      if (++guard > 5_000_000) throw new Error('simulation does not progress');
    }
    for (let c = 0; c < this.pcpus; c++) this.account(c);
    return this;
  }

  /** Share of the elapsed time each listed vCPU ran. */
  share(v: Vcpu, over = this.now): number { return (this.ran.get(v) ?? 0) / over; }

  private advance(t: number): void {
    if (t < this.now) throw new Error(`time goes back: ${t} < ${this.now}`);
    this.now = t;
  }

  private account(c: number): void {
    const p = this.cpus[c];
    if (p.current && this.now > p.since) {
      this.ran.set(p.current, (this.ran.get(p.current) ?? 0) + this.now - p.since);
      if (!this.ranOn.has(p.current)) this.ranOn.set(p.current, new Set());
      this.ranOn.get(p.current)!.add(c);
      const last = this.slices[this.slices.length - 1];
      if (last && last.vcpu === p.current && last.cpu === c && last.to === p.since) last.to = this.now;
      else this.slices.push({ vcpu: p.current, cpu: c, from: p.since, to: this.now });
    }
    p.since = this.now;
  }

  /** Hypervisor.schedule: the current vCPU goes back to runnable, the scheduler decides. */
  schedule(c: number): void {
    const p = this.cpus[c];
    this.account(c);
    const cur = p.current;
    if (cur && cur.state === 'running') cur.state = 'runnable';
    const dec = this.sched.pick(c, this.now, cur && cur.state === 'runnable' ? cur : undefined);
    this.decisions.push({ cpu: c, at: this.now, decision: dec });
    const next = dec.vcpu;
    if (next) {
      if (next.state !== 'runnable') throw new Error(`${next.label} chosen on CPU ${c} but it is ${next.state}`);
      const other = this.cpus.findIndex((q, i) => i !== c && q.current === next);
      if (other >= 0) throw new Error(`${next.label} chosen on CPU ${c} while it runs on CPU ${other}`);
      if (!next.affinity.length || next.affinity.includes(c)) next.state = 'running';
      else throw new Error(`${next.label} chosen on CPU ${c} outside its affinity ${next.affinity}`);
    }
    p.current = next;
    if (next && next !== cur) this.onSwitchIn?.(next, c);
    if (dec.untilNs !== undefined && dec.untilNs <= this.now) throw new Error(`CPU ${c}: decision at ${this.now} until ${dec.untilNs} is not in the future`);
    p.until = dec.untilNs;
    for (const k of dec.kick ?? []) if (k !== c) this.schedule(k);
  }
}
