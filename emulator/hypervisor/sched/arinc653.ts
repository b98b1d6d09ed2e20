// The `arinc653` scheduler: ARINC 653 time partitioning after Xen's xen/common/sched/arinc653.c.
// Each physical CPU repeats a major frame of fixed windows (from the system file's `windows`);
// a window belongs to one vCPU, which runs there and only there. When no window is open, or the
// window's vCPU is blocked or offline, the CPU idles: a partition never gets another's time, even
// time that partition leaves unused. Decisions last to the end of the current window (or to the
// start of the next one when idle between windows), so the EL2 timer fires at every boundary.
//
// The frames of all CPUs start together at the scheduler's first decision (Xen starts its first
// major frame when the scheduler first runs, too). Windows of one CPU never overlap (the system
// validator checks that); a vCPU named by windows of two CPUs at once runs on the first CPU to
// choose, the other idles.
import type { Arinc653Window } from '../../config/types';
import type { Vcpu } from '../domain';
import { allowedCpus, type Decision, type Scheduler } from '../scheduler';
import { checkAffinity, RunTracker } from './run-tracker';

interface A653Vcpu { v: Vcpu }

export class Arinc653Scheduler implements Scheduler {
  readonly name = 'arinc653' as const;
  /** Windows per physical CPU, by start time. */
  private readonly perCpu: Arinc653Window[][];
  private readonly byKey = new Map<string, A653Vcpu>();
  private readonly byVcpu = new Map<Vcpu, A653Vcpu>();
  private readonly run: RunTracker<A653Vcpu>;
  /** Start of the first major frame (ns); set at the first decision. */
  epochNs: number | undefined;

  constructor(private readonly majorFrameNs: number, windows: readonly Arinc653Window[], private readonly pcpus: number) {
    if (!(majorFrameNs > 0)) throw new Error(`arinc653 scheduler: major frame ${majorFrameNs} ns is not positive`);
    this.perCpu = Array.from({ length: pcpus }, () => []);
    for (const w of windows) {
      if (w.cpu < 0 || w.cpu >= pcpus) throw new Error(`arinc653 scheduler: window of ${w.domain} at ${w.startNs} ns is on CPU ${w.cpu}, but the board has ${pcpus} CPU(s)`);
      if (w.durationNs <= 0 || w.startNs < 0 || w.startNs + w.durationNs > majorFrameNs) {
        throw new Error(`arinc653 scheduler: window of ${w.domain} (${w.startNs} ns + ${w.durationNs} ns) does not fit the ${majorFrameNs} ns major frame`);
      }
      this.perCpu[w.cpu].push(w);
    }
    for (const list of this.perCpu) {
      list.sort((a, b) => a.startNs - b.startNs);
      for (let i = 1; i < list.length; i++) {
        const a = list[i - 1], b = list[i];
        if (b.startNs < a.startNs + a.durationNs) throw new Error(`arinc653 scheduler: windows of ${a.domain} and ${b.domain} overlap on CPU ${a.cpu}`);
      }
    }
    this.run = new RunTracker(pcpus);
  }

  add(v: Vcpu): void {
    checkAffinity('arinc653', v, this.pcpus);
    const allowed = allowedCpus(v, this.pcpus);
    for (const w of this.windowsOf(v)) {
      if (!allowed.includes(w.cpu)) throw new Error(`arinc653 scheduler: ${v.label} has a window on CPU ${w.cpu}, but its affinity (cpus=) allows only ${allowed.join(',')}`);
    }
    const s = { v };
    this.byKey.set(key(v.domain.name, v.id), s);
    this.byVcpu.set(v, s);
  }

  remove(v: Vcpu): void {
    const s = this.byVcpu.get(v);
    if (!s) return;
    this.run.release(s);
    this.byVcpu.delete(v);
    this.byKey.delete(key(v.domain.name, v.id));
  }

  /** The CPU whose open window belongs to `v` and that does not run it: it idles for it now. */
  wake(v: Vcpu, nowNs: number): number | undefined {
    const s = this.byVcpu.get(v);
    if (!s || this.epochNs === undefined || this.run.where(s) !== undefined) return undefined;
    for (let c = 0; c < this.pcpus; c++) {
      const w = this.at(c, nowNs).window;
      if (w && w.domain === v.domain.name && w.vcpu === v.id && this.run.on[c] === undefined) return c;
    }
    return undefined;
  }

  block(): void { /* its window idles until it wakes or the window ends */ }
  yield(): void { /* the window is its own: nothing else may use it */ }

  pick(pcpu: number, nowNs: number): Decision {
    this.run.choosing(pcpu);
    if (this.epochNs === undefined) this.epochNs = nowNs;
    const { window, untilNs } = this.at(pcpu, nowNs);
    const s = window ? this.byKey.get(key(window.domain, window.vcpu)) : undefined;
    const runs = s !== undefined && this.run.free(s, pcpu);
    this.run.on[pcpu] = runs ? { s, since: nowNs } : undefined;
    return { vcpu: runs ? s.v : undefined, untilNs };
  }

  describe(): string[] {
    return this.perCpu.map((list, c) => {
      const o = this.run.on[c];
      const frame = list.map((w) => `${w.domain}.vcpu${w.vcpu}@${w.startNs / 1e6}+${w.durationNs / 1e6}ms`).join(' ');
      return `cpu${c}: ${o ? o.s.v.label : 'idle'}; frame ${this.majorFrameNs / 1e6} ms: ${frame || 'no windows'}`;
    });
  }

  /** The window of `pcpu` open at `now` (if any) and when the current window or gap ends. */
  at(pcpu: number, now: number): { window: Arinc653Window | undefined; untilNs: number | undefined } {
    const list = this.perCpu[pcpu];
    if (!list.length || this.epochNs === undefined) return { window: undefined, untilNs: undefined };
    const off = (now - this.epochNs) % this.majorFrameNs;
    const frame = now - off;
    for (const w of list) {
      if (off < w.startNs) return { window: undefined, untilNs: frame + w.startNs };
      if (off < w.startNs + w.durationNs) return { window: w, untilNs: frame + w.startNs + w.durationNs };
    }
    return { window: undefined, untilNs: frame + this.majorFrameNs + list[0].startNs };
  }

  private windowsOf(v: Vcpu): Arinc653Window[] {
    return this.perCpu.flat().filter((w) => w.domain === v.domain.name && w.vcpu === v.id);
  }
}

function key(domain: string, vcpu: number): string { return `${domain}\u0000${vcpu}`; }
