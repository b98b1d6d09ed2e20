// What every time-sharing scheduler needs to know about the physical CPUs: which vCPU each one
// runs since when (the scheduler's own record, so that it can charge run time exactly at each
// decision, block or accounting point) and which idle CPUs were already kicked for a woken vCPU
// (so that two wake-ups in a row do not both send the same idle CPU, as Xen clears an idler's bit
// when it tickles it).
import type { Vcpu } from '../domain';
import { allowedCpus } from '../scheduler';

export interface OnCpu<T> {
  s: T;
  /** Charged up to here (ns). */
  since: number;
}

export class RunTracker<T extends { v: Vcpu }> {
  readonly on: (OnCpu<T> | undefined)[];
  private readonly kicked = new Set<number>();

  constructor(readonly pcpus: number) {
    this.on = new Array<OnCpu<T> | undefined>(pcpus).fill(undefined);
  }

  /** The CPU running `s`, or undefined. */
  where(s: T): number | undefined {
    for (let c = 0; c < this.pcpus; c++) if (this.on[c]?.s === s) return c;
    return undefined;
  }

  /** A vCPU leaves the scheduler (remove): no CPU runs it any more. */
  release(s: T): void {
    const c = this.where(s);
    if (c !== undefined) this.on[c] = undefined;
  }

  /** A CPU starts choosing: it is no longer an idler waiting for its kick. */
  choosing(pcpu: number): void { this.kicked.delete(pcpu); }

  /** The lowest-numbered idle CPU `v` may use that nobody kicked yet (marked kicked), if any. */
  idleFor(v: Vcpu, except?: number): number | undefined {
    for (const c of allowedCpus(v, this.pcpus)) {
      if (c !== except && this.on[c] === undefined && !this.kicked.has(c)) {
        this.kicked.add(c);
        return c;
      }
    }
    return undefined;
  }

  /** Whether `v` may be chosen by `pcpu`: the hypervisor holds it runnable and no other CPU runs it. */
  free(s: T, pcpu: number): boolean {
    if (s.v.state !== 'runnable') return false;
    const c = this.where(s);
    return c === undefined || c === pcpu;
  }
}

/** Checks at `add` that a vCPU can run somewhere at all (an affinity naming no CPU of the board). */
export function checkAffinity(scheduler: string, v: Vcpu, pcpus: number): number[] {
  const cpus = allowedCpus(v, pcpus);
  if (!cpus.length) throw new Error(`${scheduler} scheduler: ${v.label} may run on CPUs ${v.affinity.join(',')}, but the board has ${pcpus} CPU(s)`);
  return cpus;
}
