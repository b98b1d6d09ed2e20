// ARM PrimeCell UART (PL011), the register subset software uses (PL011 TRM, DDI 0183).
// Transmit goes to `output`; received bytes are queued by `receive` and read from UARTDR.
// The interrupt line (UARTINTR, the TRM's combined interrupt) is level = (RIS & IMSC) != 0; the
// board connects it to the GIC through `onIrq` (QEMU virt: SPI 1, INTID 33). Reported on change.
import type { MmioDevice } from '../cpu/physical-memory';

const DR = 0x000, RSR = 0x004, FR = 0x018, ILPR = 0x020, IBRD = 0x024, FBRD = 0x028, LCR_H = 0x02c,
  CR = 0x030, IFLS = 0x034, IMSC = 0x038, RIS = 0x03c, MIS = 0x040, ICR = 0x044, DMACR = 0x048;
const FR_RXFE = 1 << 4, FR_TXFE = 1 << 7, FR_RXFF = 1 << 6;
const INT_RX = 1 << 4, INT_TX = 1 << 5;
// PrimeCell identification registers at 0xFE0..0xFFC: part 0x011, designer ARM, revision r1p5.
const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class Pl011 implements MmioDevice {
  readonly size = 0x1000;
  private rx: number[] = [];
  private ibrd = 0; private fbrd = 0; private lcr = 0; private cr = 0x300; private ifls = 0x12;
  private imsc = 0; private ris = INT_TX; private ilpr = 0; private dmacr = 0;

  /** Called when the combined interrupt output changes level. */
  onIrq: ((level: boolean) => void) | undefined;
  private irqLevel = false;

  constructor(readonly name: string, private readonly output: (byte: number) => void, onIrq?: (level: boolean) => void) {
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

  receive(bytes: Uint8Array): void {
    for (const b of bytes) this.rx.push(b);
    if (this.rx.length) this.ris |= INT_RX;
    this.updateIrq();
  }

  read(offset: number, _size: number): number {
    if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
    switch (offset) {
      case DR: {
        const b = this.rx.shift();
        if (!this.rx.length) this.ris &= ~INT_RX;
        this.updateIrq();
        return b ?? 0;
      }
      case RSR: return 0;
      case FR: return FR_TXFE | (this.rx.length ? 0 : FR_RXFE) | (this.rx.length >= 16 ? FR_RXFF : 0);
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
      case RSR: break; // write clears the error bits; none are modelled
      case ILPR: this.ilpr = value & 0xff; break;
      case IBRD: this.ibrd = value & 0xffff; break;
      case FBRD: this.fbrd = value & 0x3f; break;
      case LCR_H: this.lcr = value & 0xff; break;
      case CR: this.cr = value & 0xffff; break;
      case IFLS: this.ifls = value & 0x3f; break;
      case IMSC: this.imsc = value & 0x7ff; break;
      case ICR: this.ris &= ~value; if (this.rx.length) this.ris |= INT_RX; break;
      case DMACR: this.dmacr = value & 7; break;
      default: break; // writes to read-only or reserved offsets are ignored, as on the part
    }
    this.updateIrq();
  }
}
