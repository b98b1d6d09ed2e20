// One AArch64 processing element: architectural state, memory access, and the run loop.
//
// Speed notes (measured, see README "Design"): 64-bit values are two int32 halves; the hot loop
// runs instructions from a decoded page (handler + word per 4-byte slot) until the PC leaves the
// page, a handler sets `jumped`, or the budget is spent. Handlers never allocate.
import { a64Decoder, type Decoder } from '../arch/decoder';
import type { Exec } from '../arch/encoding';
import { compileBlock, MAX_BLOCK, type CompiledBlock } from './block-compiler';
import { SLOTS, TWO32 } from './regs';
import type { PhysicalMemory } from './physical-memory';
import { EC, ESR_IL, takeException, type ExceptionEvent, type ExceptionKind } from './exceptions';
import { HCR, MDCR_TDE, SCR, SYS, SYS_SLOTS } from './system-state';
import { Mmu } from '../mmu/walk';
import { Tlb, type TlbTable } from '../mmu/tlb';
import { ACC_FETCH, ACC_READ, ACC_WRITE, CTX_E10_0, CTX_E10_1, ctxRegime, type AccessKind, type MmuFault } from '../mmu/types';
import { fsc, hpfar } from '../mmu/fault';
import { mmuRegsOf } from './mmu-registers';
import { fpTrapTarget } from './fp-traps';

/** Why a run stopped (other than exhausting its instruction budget). */
export type StopReason =
  | { kind: 'poweroff' }
  | { kind: 'reset' }
  | { kind: 'undefined'; pc: bigint; insn: number; reason: string }
  | { kind: 'fault'; pc: bigint; message: string }
  | { kind: 'breakpoint'; pc: bigint };

/** Thrown by a handler (through `cpu.stop`) to abandon the current instruction. */
export const STOP = Symbol('hvlab.cpu.stop');

/** What the board provides to a CPU. */
export interface CpuEnvironment {
  /**
   * HVC #imm / SMC #imm on the board's firmware conduit: returns true if the board's firmware
   * (PSCI, as QEMU provides it when no EL3/EL2 firmware is loaded) handled the call; false lets
   * the architecture decide (exception to EL2/EL3, or UNDEFINED when that EL does not exist).
   */
  hypervisorCall(cpu: Cpu, kind: 'hvc' | 'smc', imm16: number): boolean;
  /** SEV: signal an event to every PE of the system (Arm ARM D1.16.1); absent = this PE only. */
  sendEvent?(from: Cpu): void;
}

/** Which exception levels the PE implements and where it starts (QEMU virt: EL1, or EL2 with virtualization=on). */
export interface CpuConfig {
  hasEl2: boolean;
  hasEl3: boolean;
  startEl: number;
  /** FEAT_TGran16 (ID_AA64MMFR0_EL1.TGran16 = 1): the 16 KiB granule (default off, as the Cortex-A53; QEMU's `max` has it). */
  tgran16: boolean;
}

/**
 * Called with every exception before it is taken (debugger "stop on trap", tests). Returning a
 * StopReason ends the run with the PC still at the instruction; returning undefined lets the
 * exception be taken.
 */
export type TrapHook = (cpu: Cpu, ev: ExceptionEvent) => StopReason | undefined;

/**
 * Software that runs as the EL2 exception handler in TypeScript (the hypervisor, see
 * ARCHITECTURE.md). `entered` is called after an exception has been taken to EL2 exactly as the
 * architecture takes it (ESR_EL2, FAR_EL2, HPFAR_EL2, ELR_EL2, SPSR_EL2 written, PSTATE at EL2,
 * PC at the vector): it plays the part of the code at VBAR_EL2, reads and writes architectural
 * state only, and normally ends with an exception return (`exceptionReturn`). It may charge the
 * virtual time its work costs with `cpu.chargeNs`.
 */
export interface El2Software {
  entered(cpu: Cpu, ev: ExceptionEvent): void;
}

const PAGE_SHIFT = 12;
const PAGE_SLOTS = 1 << (PAGE_SHIFT - 2);

/** Decoded instructions of one 4 KiB physical page, and the blocks compiled from them. */
export interface DecodedPage {
  readonly handlers: (Exec | undefined)[];
  readonly words: Int32Array;
  readonly pa: number;
  /** 1 where the slot's instruction ends a block (branch, system instruction, undefined). */
  readonly ends: Uint8Array;
  /** Executions of each slot as a block entry, saturating; a block is compiled at HOT_BLOCK. */
  readonly heat: Uint8Array;
  readonly blocks: (CompiledBlock | undefined)[];
}

/** Entries into a block before it is compiled (cold code stays interpreted: compiling costs). */
const HOT_BLOCK = 32;
/** SCTLR_ELx.A, bit 1: alignment checking of data accesses (Arm ARM D17.2.118). */
const SCTLR_A = 1 << 1;

export class Cpu {
  // --- general registers (see regs.ts for the slot layout) ---
  readonly xlo = new Int32Array(SLOTS);
  readonly xhi = new Int32Array(SLOTS);
  pcLo = 0;
  pcHi = 0;
  /** NZCV flags, each 0 or 1. Reset is UNKNOWN; Z=1 as QEMU, so traces match from the first record. */
  n = 0; z = 1; c = 0; v = 0;
  /** PSTATE.{D,A,I,F} in bits 9:6 as in SPSR/DAIF; reset masks all four (Arm ARM D1.2). */
  daif = 0x3c0;
  /** PSTATE.EL, PSTATE.SP (1 = SP_ELx), PSTATE.PAN, PSTATE.IL, PSTATE.SS. Change EL/SP only through setPstate. */
  el = 1;
  spsel = 1;
  pan = 0;
  il = 0;
  ss = 0;
  /** SP_EL0..SP_EL3 while not selected; the selected one lives in general-register slot 31. */
  readonly spBankLo = new Int32Array(4);
  readonly spBankHi = new Int32Array(4);
  /** Plain system registers, indexed by encoding key (see system-state.ts). */
  readonly sysLo = new Int32Array(SYS_SLOTS);
  readonly sysHi = new Int32Array(SYS_SLOTS);
  readonly config: CpuConfig;
  trapHook: TrapHook | undefined;
  /** The EL2 exception handler written in TypeScript, when one is installed (the hypervisor). */
  el2Software: El2Software | undefined;
  /**
   * Virtual time (ns) charged by EL2 software during the current run() call, on top of the
   * instructions retired: the board adds it to this CPU's clock (see VirtBoard) and takes it back
   * with takeChargedNs() when the turn ends.
   */
  chargedNs = 0;

  // --- interrupt inputs (Arm ARM D1.3.?): levels driven by the board's GIC; see setInterruptLines ---
  irqLine = false;
  fiqLine = false;
  virqLine = false;
  vfiqLine = false;
  /** Set when something that decides interrupt delivery changed; checked at the next block boundary. */
  interruptCheck = false;
  /**
   * Asleep in WFI or WFE (Arm ARM D1.16): run() returns at once until a wake-up. WFI wakes when an
   * interrupt line rises; WFE (waitingForEvent) on a WFE wake-up event: an event (SEV on any PE,
   * the global monitor cleared, the timer event stream) or an interrupt that would be taken.
   */
  waitingForInterrupt = false;
  waitingForEvent = false;
  /** The Event Register (Arm ARM D1.16.1): set by SEV/SEVL, exception return, a global monitor clear. */
  eventRegister = 0;
  /**
   * The Generic Timer event stream of this PE (the board's timer, CNTKCTL_EL1/CNTHCTL_EL2.EVNTEN):
   * the PE's clock and whether the stream generated an event in (fromNs, toNs]. Events are
   * folded into the Event Register when WFE looks at it (no per-event work while nobody waits).
   */
  eventStream: { now(): number; fired(fromNs: number, toNs: number): boolean } | undefined;
  /** The PE's time when WFE last looked at the event stream. */
  eventStreamSeenNs = 0;
  /**
   * What the board attaches to this PE (system-register devices): the GIC CPU interface and the
   * generic timer, reached by MRS/MSR of ICC_*, ICH_*, CNT* (emulator/arch/a64/system/). Opaque
   * here so the CPU does not depend on device modules.
   */
  devices: Record<string, unknown> = {};
  /** The most recent exception taken, for diagnostics when a guest runs into nothing afterwards. */
  lastException: ExceptionEvent | undefined;
  /** Set by a handler that wrote the PC; the run loop then does not advance it. */
  jumped = false;

  // --- FP/SIMD register file: V0..V31, 16 bytes each, little-endian ---
  readonly vbytes = new Uint8Array(32 * 16);
  readonly vwords = new Int32Array(this.vbytes.buffer);
  readonly vview = new DataView(this.vbytes.buffer);
  fpcr = 0;
  fpsr = 0;

  // --- a few system registers the base ISA needs before the full system-register table lands ---
  cpacrEl1 = 0;
  /** EL an FP/SIMD access traps to now (0: allowed); see fp-traps.ts, kept by updateFpTrap(). */
  fpTrapEl = 1;
  /** Recomputes fpTrapEl after a change of EL, CPACR_EL1, CPTR_EL2/EL3, HCR_EL2 or SCR_EL3. */
  updateFpTrap(): void { this.fpTrapEl = fpTrapTarget(this); }
  tpidrEl0Lo = 0; tpidrEl0Hi = 0;
  tpidrroEl0Lo = 0; tpidrroEl0Hi = 0;
  tpidrEl1Lo = 0; tpidrEl1Hi = 0;

  // --- exclusive monitor (Arm ARM B2.9): local monitor only until SMP lands ---
  exclusiveValid = false;
  exclusivePa = 0;
  exclusiveSize = 0;
  exclusiveLo = 0; exclusiveHi = 0; exclusiveLo2 = 0; exclusiveHi2 = 0;

  /** High half returned by the 64-bit loads (ld64), to avoid allocating a pair. */
  ldHi = 0;

  /** Instructions executed, counting those that took a synchronous exception (they use budget). */
  retired = 0;
  stopReason: StopReason | undefined;
  /** Called before each instruction when set (trace, single-step); forces the slow loop. */
  beforeInsn: ((cpu: Cpu) => void) | undefined;

  readonly decoder: Decoder;
  private readonly pages = new Map<number, DecodedPage>();

  constructor(readonly mem: PhysicalMemory, readonly env: CpuEnvironment, readonly index = 0,
    config: Partial<CpuConfig> = {}) {
    this.config = { hasEl2: config.hasEl2 ?? false, hasEl3: config.hasEl3 ?? false, startEl: config.startEl ?? 1, tgran16: config.tgran16 ?? false };
    if (!this.implementsEl(this.config.startEl) || this.config.startEl === 0) throw new Error(`cannot start at EL${this.config.startEl}`);
    this.el = this.config.startEl;
    this.updateFpTrap();
    // SCTLR_ELx reset values as QEMU's Cortex-A53/A57/max models (RES1 bits set, MMU and caches off).
    for (let e = 1; e <= 3; e++) this.sysLo[SYS.SCTLR[e]] = 0x00c50838;
    // SCR_EL3 resets to its RES1 bits [5:4] only (Arm ARM D17.2.117; QEMU reads 0x30 at EL3 entry).
    if (this.config.hasEl3) this.sysLo[SYS.SCR_EL3] = 0x30;
    this.decoder = a64Decoder();
    this.ramView = mem.view;
    this.ramBytes = mem.ram;
    this.watchPages = mem.watchPages;
    mem.monitor.attach(this);
    this.mmu = new Mmu(mem, mmuRegsOf(this), { paBits: 48, haveEl2: this.config.hasEl2, haveEl3: this.config.hasEl3, vhe: false, tgran16: this.config.tgran16 });
    this.tlb = new Tlb(mem);
    this.tlbDomain = [this.tlb];
    this.retarget();
    mem.onCodeWrite((pa) => this.invalidateCode(pa));
  }

  // ------------------------------------------------------------------ PC and stops

  get pc(): bigint { return (BigInt(this.pcHi >>> 0) << 32n) | BigInt(this.pcLo >>> 0); }
  set pc(v: bigint) {
    this.pcLo = Number(v & 0xffffffffn) | 0;
    this.pcHi = Number((v >> 32n) & 0xffffffffn) | 0;
  }

  /** Branch to PC + offset (offset a signed number well inside +-2^53). */
  branchRelative(offset: number): void {
    const lo = (this.pcLo >>> 0) + offset;
    if (lo >= 0 && lo < TWO32) {
      this.pcLo = lo | 0;
    } else {
      const carry = Math.floor(lo / TWO32);
      this.pcLo = (lo - carry * TWO32) | 0;
      this.pcHi = (this.pcHi + carry) | 0;
    }
    this.jumped = true;
  }

  branchTo(lo: number, hi: number): void {
    this.pcLo = lo | 0;
    this.pcHi = hi | 0;
    this.jumped = true;
  }

  /** Abandons the current instruction and ends the run with `reason`. */
  stop(reason: StopReason): never {
    this.stopReason = reason;
    throw STOP;
  }

  /**
   * An encoding that is unallocated, not implemented, or not allowed here: the Undefined
   * Instruction exception (Arm ARM D1.10, EC 0x00, ISS 0), to EL1 from EL0 (EL2 when HCR_EL2.TGE)
   * or to the current EL. A trap hook may stop the run instead, with kind 'undefined'.
   */
  undefinedInstruction(insn: number, reason = 'unallocated or unimplemented encoding'): never {
    const target = this.el === 0 ? (this.routesEl0ToEl2() ? 2 : 1) : this.el;
    this.exception(target, 'sync', (EC.UNKNOWN << 26) | ESR_IL, this.pcLo, this.pcHi, undefined, reason, insn);
    throw STOP;
  }

  /** True when HCR_EL2.TGE sends EL0's exceptions to EL2 (EL2 implemented and enabled). */
  routesEl0ToEl2(): boolean {
    return this.config.hasEl2 && (this.sysLo[SYS.HCR_EL2] & HCR.TGE) !== 0;
  }

  /** Target of a debug exception (BRK) from the current EL (Arm ARM D2.3): EL2 when TGE/TDE route it. */
  debugTargetEl(): number {
    if (this.el >= 2) return this.el;
    const toEl2 = this.config.hasEl2 && ((this.sysLo[SYS.HCR_EL2] & HCR.TGE) !== 0 || (this.sysLo[SYS.MDCR_EL2] & MDCR_TDE) !== 0);
    return toEl2 ? 2 : 1;
  }

  implementsEl(el: number): boolean {
    return el <= 1 || (el === 2 && this.config.hasEl2) || (el === 3 && this.config.hasEl3);
  }

  /**
   * Takes an exception (after offering it to the trap hook). Synchronous exceptions raised in the
   * middle of an instruction must be followed by `throw STOP` (via `abandon()`) so the rest of the
   * instruction does not run; exceptions that complete an instruction (SVC, HVC, SMC) just return.
   */
  exception(targetEl: number, kind: ExceptionKind, esr: number, retLo: number, retHi: number,
    far?: { lo: number; hi: number }, reason?: string, insn?: number): void {
    const ev: ExceptionEvent = { kind, targetEl, fromEl: this.el, esr: esr >>> 0, pc: this.pc, reason, insn: insn === undefined ? undefined : insn >>> 0 };
    if (this.trapHook) {
      const stop = this.trapHook(this, ev);
      if (stop) this.stop(stop);
    }
    this.lastException = ev;
    takeException(this, targetEl, kind, esr, retLo, retHi, far);
    if (targetEl === 2 && this.el2Software) this.el2Software.entered(this, ev);
  }

  /** EL2 software's work costs `ns` of virtual time (the hypervisor's cost model). */
  chargeNs(ns: number): void { this.chargedNs += ns; }

  /** The virtual time charged since the last call (the board moves it into the CPU's clock). */
  takeChargedNs(): number {
    const n = this.chargedNs;
    this.chargedNs = 0;
    return n;
  }

  /**
   * Drives the PE's interrupt inputs (from the GIC); wakes it from WFI when one is asserted, from
   * WFE when one would be taken (Arm ARM D1.16.2: masked interrupts do not wake WFE).
   */
  setInterruptLines(irq: boolean, fiq: boolean, virq: boolean, vfiq: boolean): void {
    this.irqLine = irq; this.fiqLine = fiq; this.virqLine = virq; this.vfiqLine = vfiq;
    this.interruptCheck = true;
    if (!this.waitingForInterrupt) return;
    if (this.waitingForEvent ? this.interruptWouldBeTaken() : irq || fiq || virq || vfiq) this.wake();
  }

  private wake(): void {
    this.waitingForInterrupt = false;
    this.waitingForEvent = false;
  }

  /**
   * An event reaches this PE (SEV by any PE, the global monitor cleared): sets the Event
   * Register; a PE sleeping in WFE wakes, and that WFE consumes the event.
   */
  sendEvent(): void {
    if (this.waitingForEvent) { this.wake(); this.eventRegister = 0; return; }
    this.eventRegister = 1;
  }

  /** The global monitor of this PE went from Exclusive to Open: a WFE wake-up event (Arm ARM D1.16.1). */
  globalMonitorCleared(): void { this.sendEvent(); }

  /**
   * WFE's test (Arm ARM C6.2.?? WFE, D1.16.1): whether the Event Register is set — counting the
   * timer event stream's events since WFE last looked — clearing it if so.
   */
  consumeEvent(): boolean {
    const es = this.eventStream;
    if (es !== undefined) {
      const now = es.now();
      if (es.fired(this.eventStreamSeenNs, now)) this.eventRegister = 1;
      this.eventStreamSeenNs = now;
    }
    if (this.eventRegister === 0) return false;
    this.eventRegister = 0;
    return true;
  }

  /** The board's event stream fired at `nowNs` while this PE slept in WFE: it wakes, the WFE consuming the event. */
  eventStreamWake(nowNs: number): void {
    if (!this.waitingForEvent) return;
    this.eventStreamSeenNs = nowNs;
    this.wake();
    this.eventRegister = 0;
  }

  /**
   * Ends the block after the current instruction, so that a change it made to interrupt masking
   * or routing (DAIF, HCR_EL2, SCR_EL3) is acted on before the next instruction.
   */
  endBlockAfterThis(): void {
    this.interruptCheck = true;
    // Idempotent: a register write wrapped twice (translation + routing, e.g. HCR_EL2) must not
    // skip the next instruction.
    if (this.jumped) return;
    const lo = (this.pcLo >>> 0) + 4;
    this.branchTo(lo | 0, lo === TWO32 ? this.pcHi + 1 : this.pcHi);
  }

  // ------------------------------------------------------------------ interrupts

  /**
   * Target EL of a physical IRQ (fiq = false) or FIQ (Arm ARM D1.3.4, "Asynchronous exception
   * routing"): EL3 when SCR_EL3.IRQ/FIQ; else EL2 when EL2 exists and HCR_EL2.IMO/FMO or TGE; else EL1.
   */
  physicalTarget(fiq: boolean): number {
    if (this.config.hasEl3 && (this.sysLo[SYS.SCR_EL3] & (fiq ? SCR.FIQ : SCR.IRQ)) !== 0) return 3;
    const hcr = this.sysLo[SYS.HCR_EL2];
    if (this.config.hasEl2 && (hcr & ((fiq ? HCR.FMO : HCR.IMO) | HCR.TGE)) !== 0) return 2;
    return 1;
  }

  /**
   * Whether an interrupt routed to `target` is taken now: never to a lower EL; always to a higher
   * EL (PSTATE masks only the current EL's interrupts); at the same EL unless PSTATE.I/F masks it.
   */
  private interruptTaken(target: number, maskBit: number): boolean {
    return target > this.el || (target === this.el && (this.daif & maskBit) === 0);
  }

  /** Virtual IRQ/FIQ are signalled to EL1&0 when HCR_EL2.IMO/FMO (TGE clear): the GIC's lines or HCR_EL2.VI/VF. */
  private virtualPending(fiq: boolean): boolean {
    if (!this.config.hasEl2 || this.el > 1) return false;
    const hcr = this.sysLo[SYS.HCR_EL2];
    if ((hcr & (fiq ? HCR.FMO : HCR.IMO)) === 0 || (hcr & HCR.TGE) !== 0) return false;
    return fiq ? (this.vfiqLine || (hcr & HCR.VF) !== 0) : (this.virqLine || (hcr & HCR.VI) !== 0);
  }

  /** Whether an interrupt would be taken now (PSTATE masks and routing as takePendingInterrupt): WFE wake-up. */
  interruptWouldBeTaken(): boolean {
    return (this.fiqLine && this.interruptTaken(this.physicalTarget(true), 0x40)) ||
      (this.irqLine && this.interruptTaken(this.physicalTarget(false), 0x80)) ||
      (this.virtualPending(true) && (this.daif & 0x40) === 0) || (this.virtualPending(false) && (this.daif & 0x80) === 0);
  }

  /**
   * A virtual SError (HCR_EL2.VSE) is pending for EL1&0 when HCR_EL2.AMO routes SErrors to EL2 and
   * TGE is clear (Arm ARM D1.3.6 "Virtual interrupts"); it is taken at EL1 unless PSTATE.A masks it.
   */
  private virtualSErrorPending(): boolean {
    if (!this.config.hasEl2 || this.el > 1) return false;
    const hcr = this.sysLo[SYS.HCR_EL2];
    return (hcr & (HCR.VSE | HCR.AMO | HCR.TGE)) === (HCR.VSE | HCR.AMO);
  }

  /** Any interrupt that would wake the PE from WFI, masked or not (Arm ARM D1.16.2). */
  interruptPending(): boolean {
    return this.irqLine || this.fiqLine || this.virtualPending(false) || this.virtualPending(true) || this.virtualSErrorPending();
  }

  /**
   * Takes the highest-priority deliverable interrupt, if any, at an instruction boundary. Physical
   * FIQ, physical IRQ, virtual FIQ, virtual IRQ, in that order (the order is IMPLEMENTATION
   * DEFINED). Returns true if one was taken. With nothing deliverable the check is cleared until
   * the next change of lines, masks or routing.
   */
  takePendingInterrupt(): boolean {
    this.interruptCheck = false;
    let target = -1, kind: ExceptionKind = 'irq';
    if (this.fiqLine && this.interruptTaken(this.physicalTarget(true), 0x40)) { target = this.physicalTarget(true); kind = 'fiq'; }
    else if (this.irqLine && this.interruptTaken(this.physicalTarget(false), 0x80)) { target = this.physicalTarget(false); kind = 'irq'; }
    else if (this.virtualPending(true) && (this.daif & 0x40) === 0) { target = 1; kind = 'fiq'; }
    else if (this.virtualPending(false) && (this.daif & 0x80) === 0) { target = 1; kind = 'irq'; }
    else if (this.virtualSErrorPending() && (this.daif & 0x100) === 0) {
      // Taking the virtual SError clears HCR_EL2.VSE; without FEAT_RAS its syndrome is EC 0x2F,
      // IL = 1 (RES1 for SErrors), ISS 0 (IDS = 0: uncategorized).
      this.sysLo[SYS.HCR_EL2] &= ~HCR.VSE;
      this.exception(1, 'serror', (EC.SERROR << 26) | ESR_IL, this.pcLo, this.pcHi, undefined, 'virtual SError (HCR_EL2.VSE)');
      this.interruptCheck = true;
      return true;
    }
    if (target < 0) return false;
    // The preferred return address is the instruction not yet executed: the current PC.
    this.exception(target, kind, 0, this.pcLo, this.pcHi);
    this.interruptCheck = true; // another one may be pending behind it once unmasked
    return true;
  }

  /** Ends the current instruction after it took a synchronous exception. */
  abandon(): never { throw STOP; }

  // ------------------------------------------------------------------ PSTATE.EL / SP selection

  /** Changes PSTATE.EL and PSTATE.SP, banking the stack pointer (Arm ARM D1.6.2). */
  setPstate(el: number, spsel: number): void {
    const oldSp = this.spsel ? this.el : 0, newSp = spsel ? el : 0;
    if (oldSp !== newSp) {
      this.spBankLo[oldSp] = this.xlo[31]; this.spBankHi[oldSp] = this.xhi[31];
      this.xlo[31] = this.spBankLo[newSp]; this.xhi[31] = this.spBankHi[newSp];
    }
    const elChanged = el !== this.el;
    this.el = el;
    this.spsel = spsel;
    this.syncContext();
    if (elChanged) this.updateFpTrap();
  }

  /**
   * Sets PSTATE.PAN (FEAT_PAN, Arm ARM D8 "PSTATE.PAN"): privileged data accesses to memory EL0
   * can access then fault. PAN is part of the translation context (the TLB caches permissions),
   * so a change selects the table of the other context.
   */
  setPan(pan: number): void {
    this.pan = pan & 1;
    this.syncContext();
  }

  /** Re-selects the translation context if PSTATE.EL or PSTATE.PAN changed since the last selection. */
  syncContext(): void {
    if (this.el !== this.ctxEl || this.pan !== this.ctxPan) this.retarget();
  }

  /** SP_ELn whether or not it is the selected stack pointer. */
  getSpEl(n: number): bigint {
    const sel = this.spsel ? this.el : 0;
    const lo = n === sel ? this.xlo[31] : this.spBankLo[n], hi = n === sel ? this.xhi[31] : this.spBankHi[n];
    return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  }
  setSpEl(n: number, lo: number, hi: number): void {
    if (n === (this.spsel ? this.el : 0)) { this.xlo[31] = lo; this.xhi[31] = hi; } else { this.spBankLo[n] = lo; this.spBankHi[n] = hi; }
  }

  setSys(key: number, lo: number, hi: number): void { this.sysLo[key] = lo | 0; this.sysHi[key] = hi | 0; }
  getSys(key: number): bigint { return (BigInt(this.sysHi[key] >>> 0) << 32n) | BigInt(this.sysLo[key] >>> 0); }

  // ------------------------------------------------------------------ register helpers

  getX(r: number): bigint { return (BigInt(this.xhi[r] >>> 0) << 32n) | BigInt(this.xlo[r] >>> 0); }
  setX(r: number, v: bigint): void {
    this.xlo[r] = Number(v & 0xffffffffn) | 0;
    this.xhi[r] = Number((v >> 32n) & 0xffffffffn) | 0;
  }
  get nzcv(): number { return (this.n << 3) | (this.z << 2) | (this.c << 1) | this.v; }
  set nzcv(f: number) { this.n = (f >> 3) & 1; this.z = (f >> 2) & 1; this.c = (f >> 1) & 1; this.v = f & 1; }

  // ------------------------------------------------------------------ memory (virtual addresses)
  // Every access goes through the TLB of the current translation context (emulator/mmu/tlb.ts):
  // a hit is one tag compare and typed-array loads, then the RAM DataView; a miss walks the
  // tables (emulator/mmu/walk.ts), fills the entry, and performs the access through
  // PhysicalMemory (MMIO, Device memory, page-crossing accesses). A translation fault becomes a
  // Data Abort with the syndrome of Arm ARM D17.2.37 (DFSC, WnR, S1PTW, ISV for stage 2).

  private readonly ramView: DataView;
  private readonly ramBytes: Uint8Array;
  /** PhysicalMemory.watchPages: non-zero for pages whose stores need attention (code, exclusive monitors). */
  private readonly watchPages: Uint8Array;
  readonly mmu: Mmu;
  readonly tlb: Tlb;
  /** Current translation context (mmu/types.ts CTX_*) and its TLB table. */
  private ctx = CTX_E10_1;
  private tbl!: TlbTable;
  /** The TLBs an Inner Shareable TLBI reaches: every PE of the board (the board sets the list). */
  tlbDomain: Tlb[];
  /** When false, every access takes the slow path (watchpoints, tests observing PhysicalMemory). */
  private fastMemory = true;
  /**
   * The PA space of the data access being made: true = Non-secure (the translation's NS output).
   * Device accesses always take the slow path, so Secure-only devices read it (PhysicalMemory).
   */
  accessNs = true;

  setFastMemory(enabled: boolean): void {
    this.fastMemory = enabled;
    this.tlb.flushAll();
  }

  /** PSTATE.EL and PSTATE.PAN the current context was selected for. */
  private ctxEl = -1;
  private ctxPan = -1;
  /**
   * The context and table of unprivileged accesses (LDTR/STTR…) at this EL: selected on the first
   * such access after a retarget (most code never executes one), undefined until then.
   */
  private uctx = CTX_E10_0;
  private utbl: TlbTable | undefined;
  /** The ordinary context and table while an unprivileged access runs (see unprivileged()). */
  private savedCtx = -1;
  private savedTbl: TlbTable | undefined;

  /**
   * SCTLR_ELx.A of the current translation regime as a mask: -1 when set, 0 when clear. Every
   * data access of `size` bytes tests `lo & (size - 1) & alignMask`, which folds to nothing for
   * bytes and costs one AND otherwise. Kept by retarget(), which runs after every change of EL,
   * of SCTLR_ELx (translationChanged) and of HCR_EL2 (which picks the EL0 regime).
   */
  alignMask = 0;

  /** Re-selects the TLB table after a change of EL, PAN, ASID, VMID or translation regime. */
  retarget(): void {
    this.endUnprivileged();
    this.ctx = this.mmu.contextFor(this.el, this.pan === 1);
    this.tbl = this.tlb.select(this.ctx, this.mmu.asidFor(this.ctx), this.mmu.vmidFor(this.ctx));
    // SCTLR[] in AArch64.CheckAlignment is SCTLR_EL[S1TranslationRegime()]: EL1 for the EL1&0
    // regime (also EL0 with HCR_EL2.TGE = 1 and E2H = 0: TGE overrides only SCTLR_EL1.M), EL2 for
    // EL2 and EL2&0, EL3 for EL3. LDTR/STTR contexts stay in the same regime, so one mask serves.
    const regime = ctxRegime(this.ctx);
    const sctlr = this.sysLo[SYS.SCTLR[regime === 'el10' ? 1 : regime === 'el3' ? 3 : 2]];
    this.alignMask = (sctlr & SCTLR_A) !== 0 ? -1 : 0;
    this.ctxEl = this.el;
    this.ctxPan = this.pan;
    this.utbl = undefined;
    this.lastFetchPage = undefined;
  }

  /**
   * Starts an unprivileged access (LDTR/STTR and friends, Arm ARM C3.2.5 / AArch64.CheckPermission
   * with AccType_UNPRIV): at EL1 (and at EL2 with HCR_EL2.{E2H,TGE} = {1,1}) the access is checked
   * with EL0's permissions — PSTATE.PAN does not apply — by running it in the EL0 context of the
   * regime; elsewhere it is an ordinary access. Pair with endUnprivileged() (a fault ends it
   * first, in abort(), so the exception is taken in the ordinary context).
   */
  beginUnprivileged(): void {
    if (this.el === 0 || this.el === 3) return;
    let t = this.utbl;
    if (t === undefined) {
      this.uctx = this.mmu.unprivilegedContextFor(this.el, this.pan === 1);
      t = this.utbl = this.uctx === this.ctx ? this.tbl : this.tlb.select(this.uctx, this.mmu.asidFor(this.uctx), this.mmu.vmidFor(this.uctx));
    }
    if (t === this.tbl) return;
    this.savedCtx = this.ctx; this.savedTbl = this.tbl;
    this.ctx = this.uctx; this.tbl = t;
  }

  /** Ends an unprivileged access (no-op when none is in progress). */
  endUnprivileged(): void {
    if (this.savedTbl === undefined) return;
    this.ctx = this.savedCtx; this.tbl = this.savedTbl;
    this.savedTbl = undefined;
  }

  /** After writes to registers that change every translation (SCTLR, TCR, MAIR, HCR, VTCR, SCR). */
  translationChanged(): void {
    this.tlb.flushAll();
    this.retarget();
  }

  /** After a fast-path store of `size` bytes at RAM offset `off`: the watch test of each page it touched. */
  private storeWatch(off: number, size: number): void {
    const wp = this.watchPages, last = (off + size - 1) >>> 12;
    if (last === off >>> 12) {
      if (wp[last]) this.mem.watchedWrite(off, size, this);
      return;
    }
    const split = last << 12;
    if (wp[off >>> 12]) this.mem.watchedWrite(off, split - off, this);
    if (wp[last]) this.mem.watchedWrite(split, off + size - split, this);
  }

  /** RAM offset for a read of `size` bytes that hits the TLB wholly inside one page, else -1. */
  private rdOff(lo: number, hi: number, size: number): number {
    const t = this.tbl, i = (lo >>> 12) & t.mask;
    if (t.tagR[i] !== (hi >>> 0) * 1048576 + (lo >>> 12)) return -1;
    const o = lo & 0xfff, r = t.ramOff[i];
    return r >= 0 && o <= 4096 - size && (lo & (size - 1) & this.alignMask) === 0 ? r + o : -1;
  }
  private wrOff(lo: number, hi: number, size: number): number {
    const t = this.tbl, i = (lo >>> 12) & t.mask;
    if (t.tagW[i] !== (hi >>> 0) * 1048576 + (lo >>> 12)) return -1;
    const o = lo & 0xfff, r = t.ramOff[i];
    return r >= 0 && o <= 4096 - size && (lo & (size - 1) & this.alignMask) === 0 ? r + o : -1;
  }

  /**
   * Slow path: translates the access (walk on a miss), raising a Data Abort on a fault, and
   * returns the physical address. Fills the TLB so the next access to the page is fast.
   */
  private translateSlow(lo: number, hi: number, size: number, access: AccessKind): number {
    // Device-memory alignment is checked only with stage 1 on: with the MMU off data is Device
    // memory architecturally, but QEMU 7.2 does not fault there, and neither does the TLB fast
    // path (tlb.ts flatDirect) — a miss must not behave differently from a hit.
    const unaligned = (lo & (size - 1)) !== 0 && (this.sysLo[SYS.SCTLR[this.el === 0 ? 1 : this.el]] & 1) !== 0;
    const out = this.mmu.translate({ lo, hi, ctx: this.ctx, access, unaligned });
    if (!out.ok) return this.abort(out.fault);
    if (this.fastMemory) this.tlb.fill(this.tbl, lo, hi, out.t);
    this.accessNs = out.t.ns;
    return out.t.pa;
  }

  /** A page-crossing access is two accesses, each translated (Arm ARM: may fault on either page). */
  private crossesPage(lo: number, size: number): boolean { return (lo & 0xfff) > 4096 - size; }

  ld8(lo: number, hi: number): number {
    const off = this.rdOff(lo, hi, 1);
    return off >= 0 ? this.ramBytes[off] : this.mem.read8(this.translateSlow(lo, hi, 1, ACC_READ), this);
  }
  ld16(lo: number, hi: number): number {
    const off = this.rdOff(lo, hi, 2);
    if (off >= 0) return this.ramView.getUint16(off, true);
    this.checkAlignment(lo, hi, 2, false);
    if (this.crossesPage(lo, 2)) return this.ld8(lo, hi) | (this.ld8(lo + 1, hi) << 8);
    return this.mem.read16(this.translateSlow(lo, hi, 2, ACC_READ), this);
  }
  /** 32-bit load, returned as int32 (callers zero- or sign-extend the high half). */
  ld32(lo: number, hi: number): number {
    const off = this.rdOff(lo, hi, 4);
    if (off >= 0) return this.ramView.getInt32(off, true);
    this.checkAlignment(lo, hi, 4, false);
    if (this.crossesPage(lo, 4)) return this.ld16(lo, hi) | (this.ld16(lo + 2, hi) << 16);
    return this.mem.read32(this.translateSlow(lo, hi, 4, ACC_READ), this);
  }
  /** 64-bit load: low half returned, high half in `ldHi`. */
  ld64(lo: number, hi: number): number {
    const off = this.rdOff(lo, hi, 8);
    if (off >= 0) {
      this.ldHi = this.ramView.getInt32(off + 4, true);
      return this.ramView.getInt32(off, true);
    }
    this.checkAlignment(lo, hi, 8, false);
    if (this.crossesPage(lo, 8)) {
      const l = this.ld32(lo, hi), h = this.ld32(lo + 4, hi);
      this.ldHi = h;
      return l;
    }
    const pa = this.translateSlow(lo, hi, 8, ACC_READ);
    const l = this.mem.read32(pa, this);
    this.ldHi = this.mem.read32(pa + 4, this);
    return l;
  }
  st8(lo: number, hi: number, v: number): void {
    const off = this.wrOff(lo, hi, 1);
    if (off < 0) return this.mem.write8(this.translateSlow(lo, hi, 1, ACC_WRITE), v, this);
    this.ramBytes[off] = v;
    if (this.watchPages[off >>> 12]) this.mem.watchedWrite(off, 1, this);
  }
  st16(lo: number, hi: number, v: number): void {
    const off = this.wrOff(lo, hi, 2);
    if (off < 0) {
      this.checkAlignment(lo, hi, 2, true);
      if (this.crossesPage(lo, 2)) { this.checkWritable(lo + 1, hi); this.st8(lo, hi, v); this.st8(lo + 1, hi, v >>> 8); return; }
      return this.mem.write16(this.translateSlow(lo, hi, 2, ACC_WRITE), v, this);
    }
    this.ramView.setUint16(off, v, true);
    this.storeWatch(off, 2);
  }
  st32(lo: number, hi: number, v: number): void {
    const off = this.wrOff(lo, hi, 4);
    if (off < 0) {
      this.checkAlignment(lo, hi, 4, true);
      if (this.crossesPage(lo, 4)) { this.checkWritable(lo + 3, hi); this.st16(lo, hi, v); this.st16(lo + 2, hi, v >>> 16); return; }
      return this.mem.write32(this.translateSlow(lo, hi, 4, ACC_WRITE), v, this);
    }
    this.ramView.setInt32(off, v, true);
    this.storeWatch(off, 4);
  }
  st64(lo: number, hi: number, vlo: number, vhi: number): void {
    const off = this.wrOff(lo, hi, 8);
    if (off < 0) {
      this.checkAlignment(lo, hi, 8, true);
      if (this.crossesPage(lo, 8)) { this.checkWritable(lo + 7, hi); this.st32(lo, hi, vlo); this.st32(lo + 4, hi, vhi); return; }
      const pa = this.translateSlow(lo, hi, 8, ACC_WRITE);
      this.mem.write32(pa, vlo, this);
      this.mem.write32(pa + 4, vhi, this);
      return;
    }
    this.ramView.setInt32(off, vlo, true);
    this.ramView.setInt32(off + 4, vhi, true);
    this.storeWatch(off, 8);
  }
  /**
   * SCTLR_ELx.A (Arm ARM D8 "Alignment fault", AArch64.CheckAlignment): with the A bit of the
   * current regime set, a data access of `size` bytes (for pairs and SIMD structures: of one
   * element) at an address not aligned to `size` takes an Alignment fault before translation.
   * The ld/st methods check their own size; callers check wider units (LDR Q: 16 bytes).
   */
  checkAlignment(lo: number, hi: number, size: number, write: boolean): void {
    if ((lo & (size - 1) & this.alignMask) !== 0) this.alignmentFault(lo, hi, write);
  }

  /**
   * The Alignment fault Data Abort (DFSC 0b100001, FAR = the address, WnR = `write`), routed as
   * any stage 1 data abort (abort()).
   */
  alignmentFault(lo: number, hi: number, write: boolean): never {
    const va = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    return this.abort({ kind: 'alignment', stage: 1, level: 0, s1ptw: false, write, fetch: false, va });
  }

  /** A page-crossing store faults before writing anything if its second page is not writable. */
  private checkWritable(lo: number, hi: number): void {
    if (this.wrOff(lo, hi, 1) < 0) this.translateSlow(lo, hi, 1, ACC_WRITE);
  }
  /** Physical address of a virtual one for a data access (exclusives, atomics); faults like an access. */
  translateData(lo: number, hi: number, size: number, write: boolean): number {
    return this.translateSlow(lo, hi, size, write ? ACC_WRITE : ACC_READ);
  }

  /**
   * A translation fault on a data access or instruction fetch: the Data/Instruction Abort
   * exception (Arm ARM D17.2.37). Stage 1 faults go to EL1 from EL0/EL1 (EL2 with TGE) or stay
   * at EL2/EL3; stage 2 faults go to EL2 with HPFAR_EL2.
   */
  abort(f: MmuFault): never {
    this.endUnprivileged();
    const from = this.el;
    const target = f.stage === 2 ? 2 : from === 0 ? (this.routesEl0ToEl2() ? 2 : 1) : from;
    const lower = target > from;
    const ec = f.fetch ? (lower ? EC.IABT_LOWER : EC.IABT_SAME) : (lower ? EC.DABT_LOWER : EC.DABT_SAME);
    let iss = fsc(f);
    if (f.s1ptw) iss |= 1 << 7;
    if (!f.fetch) {
      if (f.write) iss |= 1 << 6;
      if (f.stage === 2 && !f.s1ptw) iss |= this.instructionSyndrome();
    }
    if (f.stage === 2) {
      const hp = hpfar(f);
      this.setSys(SYS.HPFAR_EL2, Number(hp & 0xffffffffn), Number(hp >> 32n));
    }
    const far = { lo: Number(f.va & 0xffffffffn) | 0, hi: Number((f.va >> 32n) & 0xffffffffn) | 0 };
    this.exception(target, 'sync', (ec << 26) | ESR_IL | iss, this.pcLo, this.pcHi, far, `${f.kind} fault, stage ${f.stage}, level ${f.level}`);
    throw STOP;
  }

  /**
   * ISV/SAS/SSE/SRT/SF/AR of a Data Abort from a stage 2 fault (Arm ARM D17.2.37, "ISS encoding
   * for an exception from a Data Abort"): valid for single-register loads and stores of general
   * registers without writeback — what a hypervisor needs to emulate the access. 0 otherwise.
   */
  private instructionSyndrome(): number {
    const pa = this.tbl.fetchPa(this.pcLo & ~0xfff, this.pcHi);
    if (pa < 0) return 0;
    const w = this.mem.read32(pa + (this.pcLo & 0xfff), this);
    const size = w >>> 30, rt = w & 31;
    let sse = 0, sf = 0, ar = 0;
    if ((w & 0x3b000000) === 0x39000000 || (w & 0x3b200c00) === 0x38000000 || (w & 0x3b200c00) === 0x38200800 ||
      (w & 0x3b200c00) === 0x38000800) {
      // LDR/STR (unsigned offset), LDUR/STUR (unscaled), register offset, LDTR/STTR (unprivileged):
      // opc = bits 23:22.
      const opc = (w >>> 22) & 3;
      if ((w >>> 26) & 1) return 0; // SIMD&FP registers: no syndrome
      if (opc === 0 || opc === 1) { sf = size === 3 ? 1 : 0; } else { if (size === 3) return 0; sse = 1; sf = opc === 2 ? 1 : 0; }
    } else if ((w & 0x3f000000) === 0x08000000 && ((w >>> 23) & 1) === 1 && ((w >>> 21) & 1) === 0) {
      ar = 1; sf = size === 3 ? 1 : 0; // LDAR/STLR family (o2=1, o1=0)
    } else {
      return 0;
    }
    return (1 << 24) | (size << 22) | (sse << 21) | (rt << 16) | (sf << 15) | (ar << 14);
  }

  // ------------------------------------------------------------------ run loop

  /** Runs at most `budget` instructions; returns the number retired. */
  run(budget: number): number {
    let done = 0;
    while (done < budget && this.stopReason === undefined && !this.waitingForInterrupt) {
      try {
        done = this.beforeInsn ? this.runSlow(done, budget) : this.runFast(done, budget);
      } catch (e) {
        if (e !== STOP) throw e;
        // A stopped instruction did not happen. One that took a synchronous exception did not
        // retire either, but it spends budget: a guest in an exception loop must still yield.
        done = this.progress + (this.stopReason === undefined ? 1 : 0);
        this.jumped = false;  // an exception entry set it; the next block starts at the vector
      }
    }
    this.retired += done;
    return done;
  }

  private runFast(done: number, budget: number): number {
    while (done < budget && !this.waitingForInterrupt) {
      const page = this.fetchPage();
      let idx = (this.pcLo >>> 2) & (PAGE_SLOTS - 1);
      // A compiled block, if this entry is hot and the budget allows it whole (exact budgets).
      let blk = page.blocks[idx];
      if (blk === undefined && page.heat[idx] < 255 && ++page.heat[idx] === HOT_BLOCK) blk = this.buildBlock(page, idx);
      if (blk !== undefined && done + blk.len <= budget) {
        const startLo = this.pcLo;
        blk.run(this, done);
        done += blk.len;
        if (this.jumped) {
          this.jumped = false;
        } else {
          this.pcLo = (startLo + 4 * blk.len) | 0;
          if (this.pcLo === 0) this.pcHi = (this.pcHi + 1) | 0;
        }
        continue;
      }
      const handlers = page.handlers, words = page.words;
      for (;;) {
        let h = handlers[idx];
        if (h === undefined) h = this.decodeSlot(page, idx);
        this.progress = done;
        h(this, words[idx]);
        done++;
        if (this.jumped) { this.jumped = false; break; }
        this.pcLo = (this.pcLo + 4) | 0;
        if (++idx === PAGE_SLOTS) {
          if (this.pcLo === 0) this.pcHi = (this.pcHi + 1) | 0;
          break;
        }
        if (done >= budget) break;
      }
    }
    return done;
  }

  /** Compiles the block starting at slot `idx` of `page` (see block-compiler.ts). */
  private buildBlock(page: DecodedPage, idx: number): CompiledBlock {
    const hs: Exec[] = [], ws: number[] = [];
    for (let k = idx; k < PAGE_SLOTS && hs.length < MAX_BLOCK; k++) {
      const h = page.handlers[k] ?? this.decodeSlot(page, k);
      hs.push(h);
      ws.push(page.words[k]);
      if (page.ends[k]) break;
    }
    const blk = compileBlock(hs, ws);
    page.blocks[idx] = blk;
    return blk;
  }

  private runSlow(done: number, budget: number): number {
    while (done < budget && !this.waitingForInterrupt) {
      const page = this.fetchPage();
      const idx = (this.pcLo >>> 2) & (PAGE_SLOTS - 1);
      const h = page.handlers[idx] ?? this.decodeSlot(page, idx);
      this.progress = done;
      this.beforeInsn?.(this);
      if (this.stopReason) return done;
      h(this, page.words[idx]);
      done++;
      if (this.jumped) { this.jumped = false; continue; }
      this.pcLo = (this.pcLo + 4) | 0;
      if (this.pcLo === 0) this.pcHi = (this.pcHi + 1) | 0;
    }
    return done;
  }

  /** Instructions completed in the current run() before a handler threw STOP. */
  progress = 0;

  private lastFetchLo = -1;
  private lastFetchHi = -1;
  private lastFetchPage: DecodedPage | undefined;

  /**
   * The decoded page holding the PC. Fast path: the page fetched last, while the PC is still in
   * it, the TLB has dropped nothing since (generation), and nothing needs attention.
   */
  private fetchPage(): DecodedPage {
    const lp = this.lastFetchPage;
    if (lp !== undefined && (this.pcLo & ~0xfff) === this.lastFetchLo && this.pcHi === this.lastFetchHi &&
      this.tlb.generation === this.lastFetchGen && !this.interruptCheck && this.il === 0 && (this.pcLo & 3) === 0) return lp;
    return this.fetchPageSlow();
  }

  private lastFetchGen = -1;

  private fetchPageSlow(): DecodedPage {
    const vlo = this.pcLo & ~((1 << PAGE_SHIFT) - 1);
    // PSTATE.IL is only ever set by an exception return, which is a jump: checking here, at the
    // start of each block, catches the next instruction (Arm ARM D1.4 Illegal Execution state).
    if (this.il) {
      this.exception(this.el, 'sync', (EC.ILLEGAL_STATE << 26) | ESR_IL, this.pcLo, this.pcHi, undefined, 'illegal exception return');
      this.jumped = false;
      return this.fetchPage();
    }
    if (this.interruptCheck && this.takePendingInterrupt()) {
      this.jumped = false;
      return this.fetchPage();
    }
    if (this.pcLo & 3) {
      this.exception(this.el === 0 ? (this.routesEl0ToEl2() ? 2 : 1) : this.el, 'sync', (EC.PC_ALIGN << 26) | ESR_IL, this.pcLo, this.pcHi,
        { lo: this.pcLo, hi: this.pcHi }, 'PC alignment fault');
      this.jumped = false;
      return this.fetchPage();
    }
    // The last page fetched, while the TLB still maps it (any TLBI or context change shows here).
    if (vlo === this.lastFetchLo && this.pcHi === this.lastFetchHi && this.lastFetchPage &&
      this.tbl.fetchPa(vlo, this.pcHi) === this.lastFetchPage.pa) {
      this.lastFetchGen = this.tlb.generation;
      return this.lastFetchPage;
    }
    let pa = this.tbl.fetchPa(vlo, this.pcHi);
    if (pa < 0) {
      const out = this.mmu.translate({ lo: vlo, hi: this.pcHi, ctx: this.ctx, access: ACC_FETCH });
      if (!out.ok) {
        this.lastFetchPage = undefined;
        try { this.abort({ ...out.fault, va: this.pc }); } catch (e) { if (e !== STOP) throw e; }
        this.jumped = false;
        return this.fetchPage();
      }
      // With the fast path off (memory observers), nothing is cached: a fetch entry would also
      // satisfy data reads of the page.
      if (this.fastMemory) this.tlb.fill(this.tbl, vlo, this.pcHi, out.t);
      pa = out.t.pa - (out.t.pa % 4096);
    }
    let page = this.pages.get(pa);
    if (!page) {
      if (!this.mem.isRam(pa)) {
        const after = this.lastException ? ` (after ${describeException(this.lastException)})` : '';
        this.stop({ kind: 'fault', pc: this.pc, message: `instruction fetch from 0x${hex64(this.pcLo, this.pcHi)}: no RAM there${after}` });
      }
      page = {
        handlers: new Array<Exec | undefined>(PAGE_SLOTS).fill(undefined), words: new Int32Array(PAGE_SLOTS), pa,
        ends: new Uint8Array(PAGE_SLOTS), heat: new Uint8Array(PAGE_SLOTS), blocks: new Array<CompiledBlock | undefined>(PAGE_SLOTS).fill(undefined),
      };
      this.pages.set(pa, page);
      this.mem.markCode(pa);
    }
    this.lastFetchLo = vlo; this.lastFetchHi = this.pcHi; this.lastFetchPage = page; this.lastFetchGen = this.tlb.generation;
    return page;
  }

  private decodeSlot(page: DecodedPage, idx: number): Exec {
    const word = this.mem.read32(page.pa + idx * 4, this);
    page.words[idx] = word;
    // Re-arm the write watch: the first store into the page disarmed it when it cleared the slots.
    this.mem.markCode(page.pa);
    const enc = this.decoder.decode(word);
    const h: Exec = enc ? enc.exec : undefinedHandler;
    page.handlers[idx] = h;
    // Branches and system instructions end a block: they are the ones that set `jumped` or change
    // what the next fetch means (translation, masks, WFI). So does an undefined word.
    page.ends[idx] = !enc || enc.branch || enc.cls === 'system' ? 1 : 0;
    return h;
  }

  /** A store hit a page holding decoded instructions: forget them (self-modifying code). */
  private invalidateCode(pa: number): void {
    const page = this.pages.get(pa - (pa % (1 << PAGE_SHIFT)));
    // Cleared in place so a run loop holding this page re-decodes on its next instruction. A
    // block already running finishes with the old words: no context synchronization (ISB, which
    // ends blocks) has happened inside it, so the architecture allows the stale instructions.
    if (page) {
      page.handlers.fill(undefined);
      page.blocks.fill(undefined);
      page.heat.fill(0);
    }
  }
}

const undefinedHandler: Exec = (cpu, insn) => cpu.undefinedInstruction(insn);

/** `UNDEFINED instruction at 0x40200010 taken to EL1 (…)` — for messages. */
export function describeException(ev: ExceptionEvent): string {
  const ec = (ev.esr >>> 26) & 0x3f;
  return `exception EC 0x${ec.toString(16)} at PC 0x${ev.pc.toString(16)} taken from EL${ev.fromEl} to EL${ev.targetEl}${ev.reason ? `: ${ev.reason}` : ''}`;
}

export function hex64(lo: number, hi: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}
