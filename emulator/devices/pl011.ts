// ARM PrimeCell UART (PL011), the register subset software uses (PL011 TRM, DDI 0183, r1p5).
// Transmit goes to `output` at once (no baud-rate delay, TXFE always 1, as QEMU). Receive: a
// FIFO of 32 entries (1 with LCR_H.FEN = 0, "character mode"), filled by the board through
// receiveByte() while canReceive() (UARTEN and RXE set, room left), or by receive() for tests and
// tools (bytes beyond the FIFO are lost and flag an overrun, as on the part).
//
// Interrupts (TRM 2.8 "Interrupts"; RIS/MIS/IMSC/ICR bit positions):
//   RXRIS (bit 4): set when the FIFO reaches the RXIFLSEL trigger level (IFLS bits 5:3: 1/8, 1/4,
//     1/2, 3/4, 7/8 of 32), or on any character in character mode; cleared when reads take the
//     level below the trigger, or by ICR.
//   RTRIS (bit 6): the receive timeout, set when the FIFO is not empty and nothing has arrived for
//     32 bit periods (TIMEOUT_NS, at 115200 baud); cleared when the FIFO empties or by ICR (the
//     timeout then restarts). Virtual time comes from `now`; the board calls update(now) and
//     asks nextEventNs(now), as for the timers, so the timeout fires deterministically.
//   TXRIS (bit 5): set after each write to DR (the FIFO is always drained at once).
//   OERIS (bit 10): a byte arrived with the FIFO full (receive() only).
// The interrupt line (UARTINTR, the TRM's combined interrupt) is level = (RIS & IMSC) != 0; the
// board connects it to the GIC through `onIrq` (QEMU virt: SPI 1, INTID 33). Reported on change.
import type { MmioDevice } from '../cpu/physical-memory';

const DR = 0x000, RSR = 0x004, FR = 0x018, ILPR = 0x020, IBRD = 0x024, FBRD = 0x028, LCR_H = 0x02c,
  CR = 0x030, IFLS = 0x034, IMSC = 0x038, RIS = 0x03c, MIS = 0x040, ICR = 0x044, DMACR = 0x048;
const FR_RXFE = 1 << 4, FR_TXFE = 1 << 7, FR_RXFF = 1 << 6;
const INT_RX = 1 << 4, INT_TX = 1 << 5, INT_RT = 1 << 6, INT_OE = 1 << 10;
const LCR_FEN = 1 << 4;
const CR_UARTEN = 1 << 0, CR_RXE = 1 << 9;
const RSR_OE = 1 << 3;
// PrimeCell identification registers at 0xFE0..0xFFC: part 0x011, designer ARM, revision r1p5.
const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/** Receive FIFO depth with FIFOs enabled (PL011 r1p5: 32 entries). */
export const RX_FIFO_DEPTH = 32;
/** One character on the line at 115200 baud, 8N1 (10 bit periods), in ns of virtual time. */
export const BYTE_NS = 86_806;
/** The receive timeout: 32 bit periods at 115200 baud. */
export const TIMEOUT_NS = 277_778;
/** RXIFLSEL trigger levels in entries (1/8, 1/4, 1/2, 3/4, 7/8 of 32); reserved values act as 1/2. */
const RX_TRIGGER = [4, 8, 16, 24, 28, 16, 16, 16];

export class Pl011 implements MmioDevice {
  readonly size = 0x1000;
  private readonly rx = new Uint8Array(RX_FIFO_DEPTH);
  private rxHead = 0;
  private rxCount = 0;
  /** Virtual time of the last character received (receive timeout), and whether the timeout fired since. */
  private lastRxNs = 0;
  private ibrd = 0; private fbrd = 0; private lcr = 0; private cr = 0x300; private ifls = 0x12;
  private imsc = 0; private ris = INT_TX; private ilpr = 0; private dmacr = 0; private rsr = 0;

  /** Called when the combined interrupt output changes level. */
  onIrq: ((level: boolean) => void) | undefined;
  private irqLevel = false;

  constructor(readonly name: string, private readonly output: (byte: number) => void, onIrq?: (level: boolean) => void,
    private readonly now: () => number = () => 0) {
    this.onIrq = onIrq;
  }

  /** Re-evaluates UARTINTR = OR of the masked interrupt status bits. */
  private updateIrq(): void {
    const level = (this.ris & this.imsc) !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.onIrq?.(level);
    }
  }

  private depth(): number { return this.lcr & LCR_FEN ? RX_FIFO_DEPTH : 1; }
  private trigger(): number { return this.lcr & LCR_FEN ? RX_TRIGGER[(this.ifls >>> 3) & 7] : 1; }

  /** Characters waiting in the receive FIFO. */
  get rxLevel(): number { return this.rxCount; }

  /** Whether a character arriving now would be received: UART and receiver enabled, FIFO not full. */
  canReceive(): boolean {
    return (this.cr & (CR_UARTEN | CR_RXE)) === (CR_UARTEN | CR_RXE) && this.rxCount < this.depth();
  }

  /** One character from the line (the board checks canReceive() first). */
  receiveByte(b: number): void {
    if (this.rxCount >= this.depth()) {
      this.rsr |= RSR_OE;
      this.ris |= INT_OE;
    } else {
      this.rx[(this.rxHead + this.rxCount) % RX_FIFO_DEPTH] = b & 0xff;
      this.rxCount++;
      if (this.rxCount >= this.trigger()) this.ris |= INT_RX;
    }
    this.lastRxNs = this.now();
    this.ris &= ~INT_RT;
    this.updateIrq();
  }

  /** Characters arriving at once (tests, tools): those beyond the FIFO's room are lost (overrun). */
  receive(bytes: Uint8Array): void {
    for (const b of bytes) this.receiveByte(b);
  }

  /** Virtual time has reached nowNs: the receive timeout may fire. */
  update(nowNs: number): void {
    if (this.rxCount > 0 && (this.ris & INT_RT) === 0 && nowNs - this.lastRxNs >= TIMEOUT_NS) {
      this.ris |= INT_RT;
      this.updateIrq();
    }
  }

  /** When the receive timeout will fire (undefined: it will not without new input). */
  nextEventNs(nowNs: number): number | undefined {
    if (this.rxCount === 0 || (this.ris & INT_RT) !== 0) return undefined;
    return Math.max(nowNs + 1, this.lastRxNs + TIMEOUT_NS);
  }

  private readDr(): number {
    if (this.rxCount === 0) return 0; // an empty FIFO reads as the last character on the part; 0 here, as QEMU
    const b = this.rx[this.rxHead];
    this.rxHead = (this.rxHead + 1) % RX_FIFO_DEPTH;
    this.rxCount--;
    if (this.rxCount < this.trigger()) this.ris &= ~INT_RX;
    if (this.rxCount === 0) this.ris &= ~INT_RT;
    this.updateIrq();
    return b;
  }

  read(offset: number, _size: number): number {
    if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
    switch (offset) {
      case DR: return this.readDr();
      case RSR: return this.rsr;
      case FR: return FR_TXFE | (this.rxCount === 0 ? FR_RXFE : 0) | (this.rxCount >= this.depth() ? FR_RXFF : 0);
      case ILPR: return this.ilpr;
      case IBRD: return this.ibrd;
      case FBRD: return this.fbrd;
      case LCR_H: return this.lcr;
      case CR: return this.cr;
      case IFLS: return this.ifls;
      case IMSC: return this.imsc;
      case RIS: return this.ris;
      case MIS: return this.ris & this.imsc;
      case DMACR: return this.dmacr;
      default: return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case DR: this.output(value & 0xff); this.ris |= INT_TX; break;
      case RSR: this.rsr = 0; break; // UARTECR: any write clears the error flags
      case ILPR: this.ilpr = value & 0xff; break;
      case IBRD: this.ibrd = value & 0xffff; break;
      case FBRD: this.fbrd = value & 0x3f; break;
      case LCR_H: this.lcr = value & 0xff; break;
      case CR: this.cr = value & 0xffff; break;
      case IFLS: this.ifls = value & 0x3f; break;
      case IMSC: this.imsc = value & 0x7ff; break;
      case ICR:
        this.ris &= ~value;
        if (value & INT_RT) this.lastRxNs = this.now(); // the timeout counts again from here
        break;
      case DMACR: this.dmacr = value & 7; break;
      default: break; // writes to read-only or reserved offsets are ignored, as on the part
    }
    this.updateIrq();
  }
}
