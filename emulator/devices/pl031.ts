// ARM PrimeCell Real Time Clock (PL031 TRM, DDI 0224), as QEMU 7.2 models it (hw/rtc/pl031.c):
// a 32-bit seconds counter that is always enabled, one match register, one interrupt.
//
// Time base (deterministic): count = (tickOffset + floor(nowNs / 1e9)) mod 2^32, where nowNs is
// the board's virtual time and tickOffset starts as the epoch passed in (the seconds value DR
// reads at virtual time 0). Writing LR moves tickOffset so that DR reads the value written.
//
// Registers (offset: name): 0x00 DR (RO count), 0x04 MR (match), 0x08 LR (load; reads back the
// last value written), 0x0c CR (reads 1: the RTC is permanently enabled; writes ignored, as
// QEMU), 0x10 IMSC (bit 0), 0x14 RIS, 0x18 MIS = RIS & IMSC, 0x1c ICR (WO, clears RIS bits),
// 0xfe0-0xffc PeriphID0-3 = 31 10 14 00, PCellID0-3 = 0d f0 05 b1.
// The interrupt line is RIS & IMSC, a level reported through onIrq on change.
//
// Match timing: RIS is set when the count becomes equal to MR (the TRM's match), i.e. at the
// second boundary where DR turns to MR; writing MR or LR so that DR already equals MR sets RIS at
// once (QEMU's pl031_set_alarm with ticks == 0). QEMU instead fires an alarm exactly
// (MR - DR) * 1 s after the write, which can fall up to a second after the boundary; hvlab keeps
// the TRM's edge because it does not depend on when in the second the write happened.
//
// Integration (board):
//   const rtc = new Pl031('pl031@9010000', { epochSeconds: 1_700_000_000, now: () => board.nowNs,
//     onIrq: (level) => gic.setSpi(2, level) });
//   mem.map(VIRT.RTC, rtc);  // and when virtual time passes rtc.nextEventNs(now): rtc.update(now)
import type { MmioDevice } from '../cpu/physical-memory';

const DR = 0x00, MR = 0x04, LR = 0x08, CR = 0x0c, IMSC = 0x10, RIS = 0x14, MIS = 0x18, ICR = 0x1c;
const ID = [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
const NS = 1_000_000_000;

export interface Pl031Options {
  /** Seconds since the Unix epoch that DR reads at virtual time 0. */
  epochSeconds: number;
  /** The board's virtual time in nanoseconds. */
  now: () => number;
  onIrq: (level: boolean) => void;
}

export class Pl031 implements MmioDevice {
  readonly size = 0x1000;
  private tickOffset: number;
  private mr = 0;
  private lr = 0;
  private im = 0;
  private is = 0;
  private level = false;
  /** The count when the match was last checked, to detect the boundary crossing. */
  private lastCount: number;

  constructor(readonly name: string, private readonly opts: Pl031Options) {
    this.tickOffset = opts.epochSeconds >>> 0;
    this.lastCount = this.count(opts.now());
  }

  /** DR at virtual time nowNs. */
  count(nowNs: number): number {
    return (this.tickOffset + Math.floor(nowNs / NS)) >>> 0;
  }

  read(offset: number, size: number): number {
    this.update(this.opts.now());
    let v: number;
    if (offset >= 0xfe0 && offset < 0x1000) v = ID[(offset - 0xfe0) >> 2];
    else {
      switch (offset) {
        case DR: v = this.count(this.opts.now()); break;
        case MR: v = this.mr; break;
        case LR: v = this.lr; break;
        case CR: v = 1; break;
        case IMSC: v = this.im; break;
        case RIS: v = this.is; break;
        case MIS: v = this.is & this.im; break;
        default: v = 0; // ICR is write-only; other offsets are reserved (QEMU logs and reads 0)
      }
    }
    return size === 4 ? v >>> 0 : v & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, _size: number, value: number): void {
    const now = this.opts.now();
    this.update(now);
    value >>>= 0;
    switch (offset) {
      case LR:
        this.lr = value;
        this.tickOffset = (this.tickOffset + value - this.count(now)) >>> 0;
        this.lastCount = this.count(now);
        this.matchNow(now);
        break;
      case MR:
        this.mr = value;
        this.matchNow(now);
        break;
      case IMSC: this.im = value & 1; this.drive(); break;
      case ICR: this.is &= ~value & 1; this.drive(); break;
      default: break; // CR writes are ignored; DR/RIS/MIS are read-only (QEMU logs a guest error)
    }
  }

  /** Checks for the count reaching MR since the last check; call when virtual time advances. */
  update(nowNs: number): void {
    const c = this.count(nowNs);
    if (c !== this.lastCount) {
      // The count passed through lastCount+1 .. c (mod 2^32): did it hit MR on the way?
      const stepsToMatch = (this.mr - this.lastCount) >>> 0;
      const stepsTaken = (c - this.lastCount) >>> 0;
      if (stepsToMatch !== 0 && stepsToMatch <= stepsTaken) this.is = 1;
      this.lastCount = c;
    }
    this.drive();
  }

  /** The virtual time of the next match with the interrupt unmasked and not yet pending; else undefined. */
  nextEventNs(nowNs: number): number | undefined {
    if (!this.im || this.is) return undefined;
    const c = this.count(nowNs);
    const steps = (this.mr - c) >>> 0;
    if (steps === 0) return undefined; // already matched: RIS was set when it happened
    return (Math.floor(nowNs / NS) + steps) * NS;
  }

  private matchNow(now: number): void {
    if (this.count(now) === this.mr) this.is = 1;
    this.drive();
  }

  private drive(): void {
    const level = (this.is & this.im) !== 0;
    if (level !== this.level) {
      this.level = level;
      this.opts.onIrq(level);
    }
  }
}
