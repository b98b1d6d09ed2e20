// The debugger's view of the hypervisor's traps: trap breakpoints over Hypervisor.trapObservers
// (every exception taken to EL2 from a guest, with its syndrome decoded and the vCPU it came
// from, before the hypervisor handles it) and the hypervisor's counters.
//
// A breakpoint that matches stops the machine with {kind: 'breakpoint'} *before* the hypervisor
// acts: the hypervisor undoes the exception entry (the guest is back at the trapping instruction,
// or before the interrupt), and on resume the same trap is taken again and let through once, so a
// stopped-and-resumed run is the same run as an uninterrupted one.
import type { StopReason } from '../cpu/cpu';
import type { Hypervisor } from '../hypervisor/hypervisor';
import type { HypervisorTrapEvent } from '../hypervisor/trap-event';
import { EC_NAMES } from '../hypervisor/stats';

/**
 * Trap classes by ESR_EL2.EC (Arm ARM D17.2.37): 0x00 unknown, 0x01 WFI/WFE, 0x07 FP access,
 * 0x16 HVC, 0x17 SMC, 0x18 MSR/MRS/system instruction, 0x20 Instruction Abort and 0x24 Data
 * Abort from a lower EL, 0x3c BRK; 'irq'/'fiq'/'serror' for asynchronous exceptions.
 */
export type TrapClass = 'unknown' | 'wfx' | 'fp' | 'hvc' | 'smc' | 'sysreg' | 'iabt' | 'dabt' | 'brk' | 'irq' | 'fiq' | 'serror' | 'other';

const CLASS_BY_EC: Readonly<Record<number, TrapClass>> = {
  0x00: 'unknown', 0x01: 'wfx', 0x07: 'fp', 0x16: 'hvc', 0x17: 'smc', 0x18: 'sysreg', 0x20: 'iabt', 0x24: 'dabt', 0x3c: 'brk',
};

export const TRAP_CLASSES: readonly TrapClass[] = ['unknown', 'wfx', 'fp', 'hvc', 'smc', 'sysreg', 'iabt', 'dabt', 'brk', 'irq', 'fiq', 'serror', 'other'];

export function trapClass(ev: HypervisorTrapEvent): TrapClass {
  if (ev.kind !== 'sync') return ev.kind;
  return CLASS_BY_EC[ev.ec] ?? 'other';
}

/** What a trap breakpoint matches; every given field must match (an empty filter matches all). */
export interface TrapFilter {
  domain?: string;
  vcpu?: number;
  /** Trap classes, any of them. */
  classes?: readonly TrapClass[];
  /** Faulting IPA in [from, to) (aborts only: a filter with an IPA range never matches an HVC). */
  ipa?: { from: bigint; to: bigint };
  /** Data aborts by direction, from ESR_EL2.ISS.WnR (bit 6; a filter with an access never matches other classes). */
  access?: 'read' | 'write';
  /** Further condition (the debugger's conditional breakpoints). */
  when?: (ev: HypervisorTrapEvent) => boolean;
}

export interface TrapBreakpoint {
  readonly id: number;
  readonly filter: TrapFilter;
  /** Remove itself after its first stop. */
  readonly once: boolean;
  hits: number;
}

const VALID = new Set<string>(TRAP_CLASSES);

export function matchesTrap(f: TrapFilter, ev: HypervisorTrapEvent): boolean {
  if (f.domain !== undefined && ev.domain !== f.domain) return false;
  if (f.vcpu !== undefined && ev.vcpu !== f.vcpu) return false;
  if (f.classes && !f.classes.includes(trapClass(ev))) return false;
  if (f.ipa && (ev.ipa === undefined || ev.ipa < f.ipa.from || ev.ipa >= f.ipa.to)) return false;
  if (f.access && (trapClass(ev) !== 'dabt' || (((ev.esr >>> 6) & 1) ? 'write' : 'read') !== f.access)) return false;
  if (f.when && !f.when(ev)) return false;
  return true;
}

/**
 * Trap breakpoints on one hypervisor. `stopped` is the event the machine last stopped on (the
 * debugger shows it); `log`, when enabled, records every trap seen (a trap trace for tests and
 * the trap-profile view), bounded by `logLimit`.
 */
export class HypervisorTrapHook {
  private readonly breakpoints: TrapBreakpoint[] = [];
  private nextId = 1;
  stopped: HypervisorTrapEvent | undefined;
  readonly log: HypervisorTrapEvent[] = [];
  logging = false;
  logLimit = 100_000;
  private readonly observer = (ev: HypervisorTrapEvent): StopReason | undefined => this.observe(ev);

  constructor(readonly hv: Hypervisor) {
    hv.trapObservers.push(this.observer);
  }

  /** Adds a breakpoint; throws on a class name that does not exist (with the valid ones). */
  add(filter: TrapFilter, opts: { once?: boolean } = {}): TrapBreakpoint {
    for (const c of filter.classes ?? []) {
      if (!VALID.has(c)) throw new Error(`trap breakpoint: unknown trap class '${c}' (one of ${TRAP_CLASSES.join(', ')})`);
    }
    if (filter.domain !== undefined && !this.hv.domains.some((d) => d.name === filter.domain)) {
      throw new Error(`trap breakpoint: no domain '${filter.domain}' (domains: ${this.hv.domains.map((d) => d.name).join(', ') || 'none'})`);
    }
    if (filter.ipa && filter.ipa.from >= filter.ipa.to) throw new Error(`trap breakpoint: empty IPA range [0x${filter.ipa.from.toString(16)}, 0x${filter.ipa.to.toString(16)})`);
    const bp: TrapBreakpoint = { id: this.nextId++, filter, once: opts.once ?? false, hits: 0 };
    this.breakpoints.push(bp);
    return bp;
  }

  remove(id: number): boolean {
    const i = this.breakpoints.findIndex((b) => b.id === id);
    if (i < 0) return false;
    this.breakpoints.splice(i, 1);
    return true;
  }

  list(): readonly TrapBreakpoint[] { return this.breakpoints; }

  /** Detaches from the hypervisor. */
  dispose(): void {
    const i = this.hv.trapObservers.indexOf(this.observer);
    if (i >= 0) this.hv.trapObservers.splice(i, 1);
  }

  private observe(ev: HypervisorTrapEvent): StopReason | undefined {
    if (this.logging && this.log.length < this.logLimit) this.log.push(ev);
    for (const bp of this.breakpoints) {
      if (!matchesTrap(bp.filter, ev)) continue;
      bp.hits++;
      if (bp.once) this.remove(bp.id);
      this.stopped = ev;
      return { kind: 'breakpoint', pc: ev.pc };
    }
    return undefined;
  }
}

export interface VcpuCounters {
  vcpu: number;
  state: string;
  pcpu: number;
  /** Virtual time it has run (ns), including the current stint if it is running. */
  runNs: number;
  switches: number;
}

export interface DomainCounters {
  domain: string;
  state: string;
  /** Traps by class (synchronous traps by EC; 'irq' = physical interrupts taken while it ran). */
  traps: Partial<Record<TrapClass, number>>;
  /** Traps by raw EC, with its name. */
  byEc: { ec: number; name: string; count: number }[];
  totalTraps: number;
  hypercalls: number;
  mmio: number;
  interruptsInjected: number;
  /** Virtual time charged to the hypervisor on the domain's behalf (ns). */
  hypervisorNs: number;
  vcpus: VcpuCounters[];
}

export interface HypervisorCounters {
  /** The board's virtual time (ns; outside a run, the start of the round in progress). */
  nowNs: number;
  /** Virtual time the hypervisor charged, all CPUs together (ns). */
  hypervisorNs: number;
  domains: DomainCounters[];
}

/** A snapshot of the hypervisor's counters (plain data: safe to keep, compare and serialise). */
export function hypervisorCounters(hv: Hypervisor): HypervisorCounters {
  // Each CPU's clock as CNTPCT_EL0 shows it (outside a run: the board's round start).
  const cpuNow = hv.board.cpus.map((c) => hv.nowNs(c));
  const now = hv.board.nowNs();
  return {
    nowNs: now,
    hypervisorNs: hv.hypervisorNs,
    domains: hv.domains.map((d) => {
      const c = d.counters;
      const traps: Partial<Record<TrapClass, number>> = {};
      for (const [ec, n] of c.byEc) {
        const k = CLASS_BY_EC[ec] ?? 'other';
        traps[k] = (traps[k] ?? 0) + n;
      }
      if (c.irqs) traps.irq = c.irqs;
      return {
        domain: d.name,
        state: d.state,
        traps,
        byEc: [...c.byEc.entries()].sort((a, b) => a[0] - b[0]).map(([ec, count]) => ({ ec, name: EC_NAMES[ec] ?? `ec 0x${ec.toString(16)}`, count })),
        totalTraps: c.traps + c.irqs,
        hypercalls: c.hypercalls,
        mmio: c.mmio,
        interruptsInjected: c.injected,
        hypervisorNs: c.hypervisorNs,
        vcpus: d.vcpus.map((v) => ({
          vcpu: v.id, state: v.state, pcpu: v.pcpu, switches: v.switches,
          // Still on its CPU (running, or stopped there by a shutdown that ended the run).
          runNs: v.runNs + (v.pcpu >= 0 && hv.currentOn(v.pcpu) === v ? Math.max(0, cpuNow[v.pcpu] - v.lastIn) : 0),
        })),
      };
    }),
  };
}
