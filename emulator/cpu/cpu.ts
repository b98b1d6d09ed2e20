// One AArch64 processing element: architectural state, memory access, and the run loop.
//
// Speed notes (measured, see README "Design"): 64-bit values are two int32 halves; the hot loop
// runs instructions from a decoded page (handler + word per 4-byte slot) until the PC leaves the
// page, a handler sets `jumped`, or the budget is spent. Handlers never allocate.
import { a64Decoder, type Decoder } from '../arch/decoder';
import type { Exec } from '../arch/encoding';
import { SLOTS, TWO32 } from './regs';
import type { PhysicalMemory } from './physical-memory';

/** Why a run stopped (other than exhausting its instruction budget). */
export type StopReason =
  | { kind: 'poweroff' }
  | { kind: 'reset' }
  | { kind: 'undefined'; pc: bigint; insn: number; reason: string }
  | { kind: 'fault'; pc: bigint; message: string }
  | { kind: 'breakpoint'; pc: bigint };

/** Thrown by a handler (through `cpu.stop`) to abandon the current instruction. */
export const STOP = Symbol('hvlab.cpu.stop');

/** What the board provides for the conduits the CPU cannot handle itself yet. */
export interface CpuEnvironment {
  /** HVC #imm / SMC #imm: returns true if handled (PSCI firmware), false for UNDEFINED. */
  hypervisorCall(cpu: Cpu, kind: 'hvc' | 'smc', imm16: number): boolean;
}

const PAGE_SHIFT = 12;
const PAGE_SLOTS = 1 << (PAGE_SHIFT - 2);

/** Decoded instructions of one 4 KiB physical page. */
export interface DecodedPage {
  readonly handlers: (Exec | undefined)[];
  readonly words: Int32Array;
  readonly pa: number;
}

export class Cpu {
  // --- general registers (see regs.ts for the slot layout) ---
  readonly xlo = new Int32Array(SLOTS);
  readonly xhi = new Int32Array(SLOTS);
  pcLo = 0;
  pcHi = 0;
  /** NZCV flags, each 0 or 1. */
  n = 0; z = 0; c = 0; v = 0;
  /** PSTATE.{D,A,I,F} in bits 9:6 as in SPSR/DAIF; reset masks all four (Arm ARM D1.2). */
  daif = 0x3c0;
  /** PSTATE.SP: 1 = SP_ELx. The banked stack pointers arrive with the exception model (issue 3). */
  spsel = 1;
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

  retired = 0;
  stopReason: StopReason | undefined;
  /** Called before each instruction when set (trace, single-step); forces the slow loop. */
  beforeInsn: ((cpu: Cpu) => void) | undefined;

  readonly decoder: Decoder;
  private readonly pages = new Map<number, DecodedPage>();

  constructor(readonly mem: PhysicalMemory, readonly env: CpuEnvironment, readonly index = 0) {
    this.decoder = a64Decoder();
    this.ramView = mem.view;
    this.ramBytes = mem.ram;
    this.ramBase = mem.ramBase;
    this.ramSize = mem.ramSize;
    this.codePages = mem.codePages;
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
   * An encoding that is unallocated, or allocated but not implemented. Until the exception model
   * exists (issue 3) this is a clear stop naming the word and the PC; afterwards it becomes the
   * architectural Undefined Instruction exception (Arm ARM D1.10, EC 0x00).
   */
  undefinedInstruction(insn: number, reason = 'unallocated or unimplemented encoding'): never {
    return this.stop({ kind: 'undefined', pc: this.pc, insn: insn >>> 0, reason });
  }

  // ------------------------------------------------------------------ register helpers

  getX(r: number): bigint { return (BigInt(this.xhi[r] >>> 0) << 32n) | BigInt(this.xlo[r] >>> 0); }
  setX(r: number, v: bigint): void {
    this.xlo[r] = Number(v & 0xffffffffn) | 0;
    this.xhi[r] = Number((v >> 32n) & 0xffffffffn) | 0;
  }
  get nzcv(): number { return (this.n << 3) | (this.z << 2) | (this.c << 1) | this.v; }
  set nzcv(f: number) { this.n = (f >> 3) & 1; this.z = (f >> 2) & 1; this.c = (f >> 1) & 1; this.v = f & 1; }

  // ------------------------------------------------------------------ memory (virtual addresses)
  // The MMU arrives with issue 3; until then a virtual address is the physical address, and an
  // address with bits above 47 set is outside the physical address space.
  //
  // Fast path: an access wholly inside RAM with a zero high half goes straight to the RAM's
  // DataView (one range test); everything else (devices, faults, RAM above 4 GiB) takes the slow
  // path through PhysicalMemory. Stores test the code-page flags so decoded instructions of a
  // page that is written are dropped (self-modifying code, loaders).

  private readonly ramView: DataView;
  private readonly ramBytes: Uint8Array;
  private readonly ramBase: number;
  private readonly ramSize: number;
  private readonly codePages: Uint8Array;

  private pa(lo: number, hi: number, size: number, write: boolean): number {
    if (hi >>> 0 > 0xffff) this.stop({ kind: 'fault', pc: this.pc, message: `${write ? 'write to' : 'read from'} address 0x${hex64(lo, hi)} (${size} bytes): outside the 48-bit physical address space` });
    return hi * TWO32 + (lo >>> 0);
  }

  /** RAM offset of [lo, lo+size) if it lies wholly in RAM below 4 GiB, else -1. */
  private ramOffset(lo: number, hi: number, size: number): number {
    const off = (lo >>> 0) - this.ramBase;
    return hi === 0 && off >= 0 && off <= this.ramSize - size ? off : -1;
  }

  private storeHitCode(off: number, size: number): void {
    const cp = this.codePages;
    if (cp[off >>> 12]) this.mem.codeWritten(off);
    const last = (off + size - 1) >>> 12;
    if (last !== off >>> 12 && cp[last]) this.mem.codeWritten(last << 12);
  }

  ld8(lo: number, hi: number): number {
    const off = this.ramOffset(lo, hi, 1);
    return off >= 0 ? this.ramBytes[off] : this.mem.read8(this.pa(lo, hi, 1, false), this);
  }
  ld16(lo: number, hi: number): number {
    const off = this.ramOffset(lo, hi, 2);
    return off >= 0 ? this.ramView.getUint16(off, true) : this.mem.read16(this.pa(lo, hi, 2, false), this);
  }
  /** 32-bit load, returned as int32 (callers zero- or sign-extend the high half). */
  ld32(lo: number, hi: number): number {
    const off = this.ramOffset(lo, hi, 4);
    return off >= 0 ? this.ramView.getInt32(off, true) : this.mem.read32(this.pa(lo, hi, 4, false), this);
  }
  /** 64-bit load: low half returned, high half in `ldHi`. */
  ld64(lo: number, hi: number): number {
    const off = this.ramOffset(lo, hi, 8);
    if (off >= 0) {
      this.ldHi = this.ramView.getInt32(off + 4, true);
      return this.ramView.getInt32(off, true);
    }
    const m = this.mem, pa = this.pa(lo, hi, 8, false);
    const l = m.read32(pa, this);
    this.ldHi = m.read32(pa + 4, this);
    return l;
  }
  st8(lo: number, hi: number, v: number): void {
    const off = this.ramOffset(lo, hi, 1);
    if (off < 0) return this.mem.write8(this.pa(lo, hi, 1, true), v, this);
    this.ramBytes[off] = v;
    if (this.codePages[off >>> 12]) this.mem.codeWritten(off);
  }
  st16(lo: number, hi: number, v: number): void {
    const off = this.ramOffset(lo, hi, 2);
    if (off < 0) return this.mem.write16(this.pa(lo, hi, 2, true), v, this);
    this.ramView.setUint16(off, v, true);
    this.storeHitCode(off, 2);
  }
  st32(lo: number, hi: number, v: number): void {
    const off = this.ramOffset(lo, hi, 4);
    if (off < 0) return this.mem.write32(this.pa(lo, hi, 4, true), v, this);
    this.ramView.setInt32(off, v, true);
    this.storeHitCode(off, 4);
  }
  st64(lo: number, hi: number, vlo: number, vhi: number): void {
    const off = this.ramOffset(lo, hi, 8);
    if (off < 0) {
      const pa = this.pa(lo, hi, 8, true);
      this.mem.write32(pa, vlo, this);
      this.mem.write32(pa + 4, vhi, this);
      return;
    }
    this.ramView.setInt32(off, vlo, true);
    this.ramView.setInt32(off + 4, vhi, true);
    this.storeHitCode(off, 8);
  }
  /** Physical address of a virtual one for a data access (exclusives, debugger). */
  translateData(lo: number, hi: number, size: number, write: boolean): number { return this.pa(lo, hi, size, write); }

  // ------------------------------------------------------------------ run loop

  /** Runs at most `budget` instructions; returns the number retired. */
  run(budget: number): number {
    let done = 0;
    while (done < budget && this.stopReason === undefined) {
      try {
        done = this.beforeInsn ? this.runSlow(done, budget) : this.runFast(done, budget);
      } catch (e) {
        if (e !== STOP) throw e;
        done = this.progress; // the stopped instruction did not retire
      }
    }
    this.retired += done;
    return done;
  }

  private runFast(done: number, budget: number): number {
    while (done < budget) {
      const page = this.fetchPage();
      const handlers = page.handlers, words = page.words;
      let idx = (this.pcLo >>> 2) & (PAGE_SLOTS - 1);
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

  private runSlow(done: number, budget: number): number {
    while (done < budget) {
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
  private progress = 0;

  private lastFetchLo = -1;
  private lastFetchHi = -1;
  private lastFetchPage: DecodedPage | undefined;

  private fetchPage(): DecodedPage {
    const vlo = this.pcLo & ~((1 << PAGE_SHIFT) - 1);
    if (vlo === this.lastFetchLo && this.pcHi === this.lastFetchHi && this.lastFetchPage) return this.lastFetchPage;
    if (this.pcLo & 3) this.stop({ kind: 'fault', pc: this.pc, message: 'PC alignment fault (PC not a multiple of 4)' });
    const pa = this.pa(vlo, this.pcHi, 4, false);
    let page = this.pages.get(pa);
    if (!page) {
      if (!this.mem.isRam(pa)) this.stop({ kind: 'fault', pc: this.pc, message: `instruction fetch from 0x${hex64(this.pcLo, this.pcHi)}: no RAM there` });
      page = { handlers: new Array<Exec | undefined>(PAGE_SLOTS).fill(undefined), words: new Int32Array(PAGE_SLOTS), pa };
      this.pages.set(pa, page);
      this.mem.markCode(pa);
    }
    this.lastFetchLo = vlo; this.lastFetchHi = this.pcHi; this.lastFetchPage = page;
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
    return h;
  }

  /** A store hit a page holding decoded instructions: forget them (self-modifying code). */
  private invalidateCode(pa: number): void {
    const page = this.pages.get(pa - (pa % (1 << PAGE_SHIFT)));
    // Cleared in place so a run loop holding this page re-decodes on its next instruction.
    if (page) page.handlers.fill(undefined);
  }
}

const undefinedHandler: Exec = (cpu, insn) => cpu.undefinedInstruction(insn);

export function hex64(lo: number, hi: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}
