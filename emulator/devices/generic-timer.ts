// The Arm generic timer as seen by one PE (Arm ARM DDI 0487, chapter D11 "The Generic Timer in
// AArch64 state", and the CNT* register descriptions in D19/D23).
//
// Time base: the board owns virtual time, a count of nanoseconds that advances with retired
// instructions, and passes it (`nowNs`) to every call. The system counter is derived from it:
//   CNTPCT = floor(nowNs * CNTFRQ / 1e9); with QEMU virt's 62.5 MHz (GTIMER_SCALE = 16 ns per tick
//   in QEMU 7.2, cpu->gt_cntfrq_hz = 62500000) that is nowNs / 16.
// CNTVCT = CNTPCT - CNTVOFF_EL2, except where the Arm ARM treats the offset as 0 (see
// virtualOffsetApplies). Each timer has CTL {ENABLE bit 0, IMASK bit 1, ISTATUS bit 2 (RO)} and a
// 64-bit CVAL; the condition is met when (counter - offset) >= CVAL as unsigned 64-bit numbers
// (D11.2.4 "Timers"). TVAL is the low 32 bits of CVAL - (counter - offset), and writing TVAL sets
// CVAL = (counter - offset) + SignExtend(TVAL) (D11.2.4, "TimerValue view").
// Like QEMU (target/arm/helper.c gt_recalc_timer), a disabled timer reads ISTATUS = 0 and drives
// its output low. A timer's output (its PPI) is ENABLE && ISTATUS && !IMASK, a level.
//
// Timers and their interrupts (Arm BSA / QEMU virt's ARCH_TIMER_*_IRQ + 16):
//   phys    CNTP_*_EL0   EL1 physical   INTID 30 (PPI 14)
//   virt    CNTV_*_EL0   EL1 virtual    INTID 27 (PPI 11)
//   hyp     CNTHP_*_EL2  EL2 physical   INTID 26 (PPI 10)
//   hypvirt CNTHV_*_EL2  EL2 virtual    INTID 28 (PPI 12)   FEAT_VHE only (option hasVhe)
//   secphys CNTPS_*_EL1  secure phys.   INTID 29 (PPI 13)
// The EL2 virtual timer and the secure timer compare against the counter with no offset (QEMU:
// gt_indirect_access_timer_offset; Arm ARM: only the EL1 virtual timer uses CNTVOFF_EL2).
//
// Integration (board, per CPU):
//   const t = new GenericTimer({ onIrq: (intid, level) => gic.setPpi(cpuIndex, intid, level) });
//   MRS/MSR of a CNT* register, after the lead's access check (counterAccess / timerAccess):
//     x = t.read(name, nowNs, { virtualOffset: virtualOffsetApplies(ctx) });  t.write(name, x, nowNs);
//   When virtual time passes t.nextEventNs(nowNs) (or before running a quantum): t.update(nowNs).
//   WFI with nothing pending: skip virtual time to min over CPUs of t.nextEventNs(nowNs).
//   Under VHE, map names with vheRedirect(name, ctx) before read/write.

export const QEMU_VIRT_CNTFRQ = 62_500_000;

export type TimerId = 'phys' | 'virt' | 'hyp' | 'hypvirt' | 'secphys';
export const TIMER_INTID: Readonly<Record<TimerId, number>> = { phys: 30, virt: 27, hyp: 26, hypvirt: 28, secphys: 29 };
const TIMER_PREFIX: Readonly<Record<TimerId, string>> = { phys: 'CNTP', virt: 'CNTV', hyp: 'CNTHP', hypvirt: 'CNTHV', secphys: 'CNTPS' };
const TIMER_SUFFIX: Readonly<Record<TimerId, string>> = { phys: '_EL0', virt: '_EL0', hyp: '_EL2', hypvirt: '_EL2', secphys: '_EL1' };
const TIMERS: readonly TimerId[] = ['phys', 'virt', 'hyp', 'hypvirt', 'secphys'];

export type TimerRegName =
  | 'CNTFRQ_EL0' | 'CNTPCT_EL0' | 'CNTVCT_EL0' | 'CNTVOFF_EL2' | 'CNTKCTL_EL1' | 'CNTHCTL_EL2'
  | `${'CNTP' | 'CNTV'}_${'CTL' | 'CVAL' | 'TVAL'}_EL0`
  | `${'CNTHP' | 'CNTHV'}_${'CTL' | 'CVAL' | 'TVAL'}_EL2`
  | `CNTPS_${'CTL' | 'CVAL' | 'TVAL'}_EL1`;

const CTL_ENABLE = 1n, CTL_IMASK = 2n, CTL_ISTATUS = 4n;
const U64 = (1n << 64n) - 1n;

interface TimerState { ctl: bigint; cval: bigint; level: boolean }

export interface GenericTimerOptions {
  /** Called when a timer's output level changes (INTIDs in TIMER_INTID). */
  onIrq: (intid: number, level: boolean) => void;
  /** The counter frequency; also CNTFRQ_EL0's reset value. Default QEMU virt's 62.5 MHz. */
  frequencyHz?: number;
  /** FEAT_VHE: the EL2 virtual timer exists and CNTHCTL_EL2 bits 8-11 are writable. */
  hasVhe?: boolean;
}

export interface ReadOptions {
  /** Whether CNTVOFF_EL2 applies to a CNTVCT_EL0 read (see virtualOffsetApplies); default true. */
  virtualOffset?: boolean;
}

export class GenericTimer {
  readonly frequencyHz: number;
  private readonly hasVhe: boolean;
  private readonly onIrq: (intid: number, level: boolean) => void;
  private timers = new Map<TimerId, TimerState>();
  /** CNTFRQ_EL0 is only a record for software (written by firmware at EL3); the counter's rate never changes. */
  private cntfrq = 0n;
  private cntvoff = 0n;
  private cntkctl = 0n;
  private cnthctl = 0n;

  constructor(opts: GenericTimerOptions) {
    this.frequencyHz = opts.frequencyHz ?? QEMU_VIRT_CNTFRQ;
    if (!(this.frequencyHz > 0 && this.frequencyHz <= 1e9 && Number.isInteger(this.frequencyHz))) throw new Error(`generic timer: bad frequency ${this.frequencyHz}`);
    this.hasVhe = opts.hasVhe ?? false;
    this.onIrq = opts.onIrq;
    this.reset();
  }

  /** Reset values as QEMU 7.2 gives them (architecturally most are UNKNOWN): all zero, CNTFRQ = the frequency. */
  reset(): void {
    for (const id of TIMERS) {
      const old = this.timers.get(id);
      if (old?.level) this.onIrq(TIMER_INTID[id], false);
      this.timers.set(id, { ctl: 0n, cval: 0n, level: false });
    }
    this.cntfrq = BigInt(this.frequencyHz);
    this.cntvoff = 0n;
    this.cntkctl = 0n;
    this.cnthctl = 0n;
  }

  /** CNTPCT_EL0: the physical count at virtual time nowNs. */
  counter(nowNs: number): bigint {
    return (BigInt(Math.floor(nowNs)) * BigInt(this.frequencyHz)) / 1_000_000_000n;
  }

  /** The first virtual time (ns) at which the counter reaches `count`. */
  timeOfCount(count: bigint): number {
    const f = BigInt(this.frequencyHz);
    return Number((count * 1_000_000_000n + f - 1n) / f);
  }

  get cntvoffEl2(): bigint { return this.cntvoff; }
  get cntkctlEl1(): bigint { return this.cntkctl; }
  get cnthctlEl2(): bigint { return this.cnthctl; }

  private offsetOf(id: TimerId): bigint {
    return id === 'virt' ? this.cntvoff : 0n;
  }

  /** (counter - offset) mod 2^64: the count this timer compares against CVAL. */
  private viewCount(id: TimerId, nowNs: number): bigint {
    return (this.counter(nowNs) - this.offsetOf(id)) & U64;
  }

  private istatus(id: TimerId, nowNs: number): boolean {
    const t = this.timers.get(id)!;
    return (t.ctl & CTL_ENABLE) !== 0n && this.viewCount(id, nowNs) >= t.cval;
  }

  /** Whether timer `id` currently drives its interrupt (ENABLE && ISTATUS && !IMASK). */
  output(id: TimerId, nowNs: number): boolean {
    return this.istatus(id, nowNs) && (this.timers.get(id)!.ctl & CTL_IMASK) === 0n;
  }

  /** Recomputes every timer's output at nowNs and reports level changes through onIrq. */
  update(nowNs: number): void {
    for (const id of TIMERS) {
      if (id === 'hypvirt' && !this.hasVhe) continue;
      const t = this.timers.get(id)!;
      const level = this.output(id, nowNs);
      if (level !== t.level) {
        t.level = level;
        this.onIrq(TIMER_INTID[id], level);
      }
    }
  }

  /**
   * The earliest virtual time > nowNs at which an enabled, unmasked timer whose output is low now
   * will fire; undefined when none will (for WFI skipping and event scheduling).
   */
  nextEventNs(nowNs: number): number | undefined {
    let best: number | undefined;
    const now = this.counter(nowNs);
    for (const id of TIMERS) {
      if (id === 'hypvirt' && !this.hasVhe) continue;
      const t = this.timers.get(id)!;
      if ((t.ctl & CTL_ENABLE) === 0n || (t.ctl & CTL_IMASK) !== 0n) continue;
      const v = (now - this.offsetOf(id)) & U64;
      if (v >= t.cval) continue; // already firing: no future edge
      const target = now + (t.cval - v); // physical count at which the condition becomes true
      if (target > U64) continue; // only after the 64-bit counter wraps: never in practice
      const ns = this.timeOfCount(target);
      if (ns <= nowNs || !Number.isSafeInteger(ns)) continue;
      if (best === undefined || ns < best) best = ns;
    }
    return best;
  }

  // ---- event streams (Arm ARM D11.2.3 "Event streams"): CNTKCTL_EL1.{EVNTEN, EVNTDIR, EVNTI} from
  // the virtual count (CNTPCT - CNTVOFF_EL2), CNTHCTL_EL2's from the physical count. An event is
  // generated each time count bit EVNTI goes 0 -> 1 (EVNTDIR = 0) or 1 -> 0 (EVNTDIR = 1), i.e.
  // at the counts c with c mod 2^(EVNTI+1) = (EVNTDIR ? 0 : 2^EVNTI). Nothing is scheduled per
  // event: WFE asks whether one happened in an interval, and the board when the next one comes.

  private streams(): { ctl: bigint; off: bigint }[] {
    const out: { ctl: bigint; off: bigint }[] = [];
    if (this.cntkctl & 4n) out.push({ ctl: this.cntkctl, off: this.cntvoff });
    if (this.cnthctl & 4n) out.push({ ctl: this.cnthctl, off: 0n });
    return out;
  }

  /** Whether an event stream generated an event at a virtual time in (fromNs, toNs]. */
  eventStreamFired(fromNs: number, toNs: number): boolean {
    if (toNs <= fromNs) return false;
    for (const { ctl, off } of this.streams()) {
      const next = nextStreamCount(ctl, (this.counter(fromNs) - off) & U64);
      if (next <= ((this.counter(toNs) - off) & U64)) return true;
    }
    return false;
  }

  /** The earliest virtual time > nowNs of an event-stream event; undefined when no stream is enabled. */
  nextEventStreamNs(nowNs: number): number | undefined {
    let best: number | undefined;
    for (const { ctl, off } of this.streams()) {
      const c = nextStreamCount(ctl, (this.counter(nowNs) - off) & U64);
      const ns = this.timeOfCount(c + off);
      if (ns > nowNs && Number.isSafeInteger(ns) && (best === undefined || ns < best)) best = ns;
    }
    return best;
  }

  private timerOf(name: string): [TimerId, 'CTL' | 'CVAL' | 'TVAL'] | undefined {
    const m = /^(CNTP|CNTV|CNTHP|CNTHV|CNTPS)_(CTL|CVAL|TVAL)_(EL0|EL1|EL2)$/.exec(name);
    if (!m) return undefined;
    const id = (Object.keys(TIMER_PREFIX) as TimerId[]).find((k) => TIMER_PREFIX[k] === m[1])!;
    if (TIMER_SUFFIX[id] !== '_' + m[3]) return undefined;
    if (id === 'hypvirt' && !this.hasVhe) throw new Error(`${name}: the EL2 virtual timer needs FEAT_VHE`);
    return [id, m[2] as 'CTL' | 'CVAL' | 'TVAL'];
  }

  /** Reads a timer register by name; values are 64-bit unsigned bigints. */
  read(name: TimerRegName, nowNs: number, opts: ReadOptions = {}): bigint {
    switch (name) {
      case 'CNTFRQ_EL0': return this.cntfrq;
      case 'CNTPCT_EL0': return this.counter(nowNs) & U64;
      case 'CNTVCT_EL0': return (this.counter(nowNs) - (opts.virtualOffset === false ? 0n : this.cntvoff)) & U64;
      case 'CNTVOFF_EL2': return this.cntvoff;
      case 'CNTKCTL_EL1': return this.cntkctl;
      case 'CNTHCTL_EL2': return this.cnthctl;
    }
    const tr = this.timerOf(name);
    if (!tr) throw new Error(`generic timer: no register ${name}`);
    const [id, field] = tr;
    const t = this.timers.get(id)!;
    switch (field) {
      case 'CTL': return (t.ctl & (CTL_ENABLE | CTL_IMASK)) | (this.istatus(id, nowNs) ? CTL_ISTATUS : 0n);
      case 'CVAL': return t.cval;
      case 'TVAL': return (t.cval - this.viewCount(id, nowNs)) & 0xffffffffn;
    }
  }

  /** Writes a timer register by name and re-evaluates the outputs at nowNs. */
  write(name: TimerRegName, value: bigint, nowNs: number): void {
    value &= U64;
    switch (name) {
      case 'CNTFRQ_EL0': this.cntfrq = value & 0xffffffffn; return;
      case 'CNTPCT_EL0': case 'CNTVCT_EL0': throw new Error(`${name} is read-only`);
      case 'CNTVOFF_EL2': this.cntvoff = value; this.update(nowNs); return;
      // CNTKCTL_EL1: EL0PCTEN, EL0VCTEN, EVNTEN, EVNTDIR, EVNTI[7:4], EL0VTEN, EL0PTEN (bits 9:0).
      case 'CNTKCTL_EL1': this.cntkctl = value & 0x3ffn; return;
      // CNTHCTL_EL2: bits 7:0 in both layouts; bits 11:8 (EL0VTEN, EL0PTEN, EL1PCTEN, EL1PTEN) only with E2H, i.e. VHE.
      case 'CNTHCTL_EL2': this.cnthctl = value & (this.hasVhe ? 0xfffn : 0xffn); return;
    }
    const tr = this.timerOf(name);
    if (!tr) throw new Error(`generic timer: no register ${name}`);
    const [id, field] = tr;
    const t = this.timers.get(id)!;
    switch (field) {
      case 'CTL': t.ctl = value & (CTL_ENABLE | CTL_IMASK); break; // ISTATUS is read-only
      case 'CVAL': t.cval = value; break;
      case 'TVAL': t.cval = (this.viewCount(id, nowNs) + BigInt.asIntN(32, value)) & U64; break;
    }
    this.update(nowNs);
  }
}

/** The first count > `count` at which the stream with control bits `ctl` (EVNTDIR bit 3, EVNTI 7:4) generates an event. */
function nextStreamCount(ctl: bigint, count: bigint): bigint {
  const n = (ctl >> 4n) & 15n, period = 1n << (n + 1n), phase = ctl & 8n ? 0n : 1n << n;
  const into = (((count - phase) % period) + period) % period;
  return count - into + period;
}

// ---------------------------------------------------------------------------------------------
// Access control (Arm ARM: the "Accessibility" pseudocode of CNTFRQ_EL0, CNTPCT_EL0, CNTVCT_EL0,
// CNTP_*_EL0, CNTV_*_EL0, CNTPS_*_EL1; the CNTKCTL_EL1 and CNTHCTL_EL2 field descriptions).
// Pure functions: the lead's MRS/MSR path calls them with the current state and raises the trap
// (EC 0x18, trapped MSR/MRS) to the EL named. FEAT_ECV traps are not modelled (not advertised).

export interface TimerAccessContext {
  el: 0 | 1 | 2 | 3;
  /** EL2 is implemented and enabled in the current Security state (the Arm ARM's EL2Enabled()). */
  el2Enabled: boolean;
  /** Effective HCR_EL2.E2H and TGE (false when EL2 is not enabled). */
  e2h: boolean;
  tge: boolean;
  cntkctl: bigint;
  cnthctl: bigint;
  /** Current Security state is Secure (only for CNTPS_*). */
  secure?: boolean;
  /** SCR_EL3.ST (only for CNTPS_* at EL1). */
  scrSt?: boolean;
}

export type TimerAccess = 'ok' | 'trap-el1' | 'trap-el2' | 'trap-el3' | 'undefined';

const bit = (v: bigint, n: number): boolean => ((v >> BigInt(n)) & 1n) !== 0n;
/** CNTKCTL_EL1 and (E2H=1) CNTHCTL_EL2 share the EL0 control bit positions. */
const EL0PCTEN = 0, EL0VCTEN = 1, EL0VTEN = 8, EL0PTEN = 9;
/** CNTHCTL_EL2 EL1 controls: E2H=0 layout bits 0/1, E2H=1 layout bits 10/11. */
const el1pcten = (c: TimerAccessContext): boolean => bit(c.cnthctl, c.e2h ? 10 : 0);
const el1pcen = (c: TimerAccessContext): boolean => bit(c.cnthctl, c.e2h ? 11 : 1);
const host = (c: TimerAccessContext): boolean => c.el2Enabled && c.e2h && c.tge;
/** Where a disabled-by-CNTKCTL_EL1 EL0 access goes: EL2 when HCR_EL2.TGE routes EL0 there. */
const el0Trap = (c: TimerAccessContext): TimerAccess => (c.el2Enabled && c.tge ? 'trap-el2' : 'trap-el1');

/** MRS of CNTPCT_EL0 ('phys') or CNTVCT_EL0 ('virt'). */
export function counterAccess(kind: 'phys' | 'virt', c: TimerAccessContext): TimerAccess {
  if (c.el === 0) {
    const en = kind === 'phys' ? EL0PCTEN : EL0VCTEN;
    if (host(c)) return bit(c.cnthctl, en) ? 'ok' : 'trap-el2';
    if (!bit(c.cntkctl, en)) return el0Trap(c);
    if (kind === 'phys' && c.el2Enabled && !el1pcten(c)) return 'trap-el2';
    return 'ok';
  }
  if (c.el === 1 && kind === 'phys' && c.el2Enabled && !el1pcten(c)) return 'trap-el2';
  return 'ok';
}

/** MRS/MSR of CNTP_{CTL,CVAL,TVAL}_EL0 ('phys') or CNTV_* ('virt') at the current EL. */
export function timerAccess(kind: 'phys' | 'virt', c: TimerAccessContext): TimerAccess {
  if (c.el === 0) {
    const en = kind === 'phys' ? EL0PTEN : EL0VTEN;
    if (host(c)) return bit(c.cnthctl, en) ? 'ok' : 'trap-el2';
    if (!bit(c.cntkctl, en)) return el0Trap(c);
    if (kind === 'phys' && c.el2Enabled && !el1pcen(c)) return 'trap-el2';
    return 'ok';
  }
  if (c.el === 1 && kind === 'phys' && c.el2Enabled && !el1pcen(c)) return 'trap-el2';
  return 'ok';
}

/** CNTFRQ_EL0: readable where either EL0 counter is enabled; writable only at the highest EL. */
export function cntfrqAccess(c: TimerAccessContext, isWrite: boolean, highestEl: 1 | 2 | 3): TimerAccess {
  if (isWrite) return c.el === highestEl ? 'ok' : 'undefined';
  if (c.el !== 0) return 'ok';
  if (host(c)) return bit(c.cnthctl, EL0PCTEN) || bit(c.cnthctl, EL0VCTEN) ? 'ok' : 'trap-el2';
  return bit(c.cntkctl, EL0PCTEN) || bit(c.cntkctl, EL0VCTEN) ? 'ok' : el0Trap(c);
}

/** CNTPS_{CTL,CVAL,TVAL}_EL1: EL3, or Secure EL1 when SCR_EL3.ST = 1 (else trapped to EL3). */
export function secureTimerAccess(c: TimerAccessContext): TimerAccess {
  if (c.el === 3) return 'ok';
  if (c.el === 1 && c.secure) return c.scrSt ? 'ok' : 'trap-el3';
  return 'undefined';
}

/**
 * Whether CNTVOFF_EL2 applies to a CNTVCT_EL0 read: not when EL2 is absent or disabled, not at
 * EL2 with HCR_EL2.E2H = 1, not at EL0 with E2H = TGE = 1 (QEMU gt_virt_cnt_offset; Arm ARM
 * CNTVCT_EL0 pseudocode).
 */
export function virtualOffsetApplies(c: Pick<TimerAccessContext, 'el' | 'el2Enabled' | 'e2h' | 'tge'> & { el2Implemented?: boolean }): boolean {
  if (c.el2Implemented === false) return false;
  if (c.el === 2 && c.e2h) return false;
  if (c.el === 0 && c.el2Enabled && c.e2h && c.tge) return false;
  return true;
}

/**
 * FEAT_VHE register redirection (Arm ARM D11.2.5 / "Accessing the EL1 timers from EL2"): at EL2
 * with E2H = 1, and at EL0 with E2H = TGE = 1, CNTP_*_EL0 means CNTHP_*_EL2 and CNTV_*_EL0 means
 * CNTHV_*_EL2; the *_EL02 aliases at EL2 (E2H = 1) reach the EL1 timers. Other names unchanged.
 */
export function vheRedirect(name: string, c: Pick<TimerAccessContext, 'el' | 'e2h' | 'tge'>): string {
  const m = /^(CNTP|CNTV)_(CTL|CVAL|TVAL)_(EL0|EL02)$/.exec(name);
  if (!m) return name;
  if (m[3] === 'EL02') return `${m[1]}_${m[2]}_EL0`;
  if ((c.el === 2 && c.e2h) || (c.el === 0 && c.e2h && c.tge)) return `${m[1] === 'CNTP' ? 'CNTHP' : 'CNTHV'}_${m[2]}_EL2`;
  return name;
}
