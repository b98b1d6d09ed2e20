// ARM PrimeCell GPIO (PL061 TRM, DDI 0190): eight lines, each an input or an output, with edge-
// or level-sensitive interrupt detection. QEMU 7.2's `-M virt,secure=on` has one in the Secure
// address space at 0x090b0000 (hw/arm/virt.c create_gpio_devices + create_secure_gpio_pwr): its
// lines are pulled down when not driven (pulldowns = 0xff), output line 0 goes to a power-off
// controller and line 1 to a reset controller (the secure DT's gpio-poweroff / gpio-restart), and
// its interrupt reaches the GIC as SPI 0 (virt.c's irqmap has no entry for it, so the index is 0).
//
// Registers (offset: name): 0x000-0x3fc GPIODATA, where address bits [9:2] mask the lines an
// access sees (reads return 0 for unmasked lines; writes change only masked output lines);
// 0x400 GPIODIR (1 = output), 0x404 GPIOIS (1 = level), 0x408 GPIOIBE (both edges), 0x40c GPIOIEV
// (1 = rising edge / high level), 0x410 GPIOIE, 0x414 GPIORIS, 0x418 GPIOMIS = RIS & IE, 0x41c
// GPIOIC (write 1 to clear an edge-detected bit), 0x420 GPIOAFSEL; 0xfe0-0xffc GPIOPeriphID0-3 =
// 61 10 04 00 and GPIOPCellID0-3 = 0d f0 05 b1. Other offsets read 0 and ignore writes.
//
// Lines: a line's level is its GPIODATA bit when it is an output, else 0 (nothing drives the
// inputs on this board, and the pull-downs hold them low). A rising level on an output is passed
// to onOutputRise (the board's power controls act on a level of 1, as QEMU's gpio-pwr does).
import type { MmioDevice } from '../cpu/physical-memory';

const DIR = 0x400, IS = 0x404, IBE = 0x408, IEV = 0x40c, IE = 0x410, RIS = 0x414, MIS = 0x418, IC = 0x41c, AFSEL = 0x420;
const ID_BASE = 0xfe0;
const ID = [0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export interface Pl061Options {
  /** An output line went from 0 to 1. */
  onOutputRise: (line: number) => void;
  /** The combined interrupt (GPIOMIS != 0), reported on change. */
  onIrq: (level: boolean) => void;
}

export class Pl061 implements MmioDevice {
  readonly size = 0x1000;
  private data = 0;
  private dir = 0;
  private is = 0;
  private ibe = 0;
  private iev = 0;
  private ie = 0;
  private afsel = 0;
  /** Edge-detected interrupt bits (level-sensitive bits are computed from the lines). */
  private edges = 0;
  /** Line levels after the last update. */
  private lines = 0;
  private irq = false;

  constructor(readonly name: string, private readonly opts: Pl061Options) {}

  /** The eight line levels: outputs drive their data bit, inputs are pulled down. */
  private levels(): number { return this.data & this.dir; }

  private ris(): number {
    const lv = this.lines;
    // Level-sensitive lines: active when the level equals the IEV polarity.
    const level = this.is & ~(lv ^ this.iev) & 0xff;
    return (this.edges & ~this.is & 0xff) | level;
  }

  /** Recomputes the lines after a register write: edge detection, output rises, the interrupt. */
  private update(): void {
    const now = this.levels(), changed = now ^ this.lines;
    const rising = changed & now, falling = changed & ~now & 0xff;
    // Edge-sensitive lines: both edges with IBE, else the edge IEV selects (1 = rising).
    this.edges |= ~this.is & ((this.ibe & changed) | (~this.ibe & ((this.iev & rising) | (~this.iev & falling)))) & 0xff;
    this.lines = now;
    for (let l = 0; l < 8; l++) if ((rising & this.dir) & (1 << l)) this.opts.onOutputRise(l);
    const irq = (this.ris() & this.ie) !== 0;
    if (irq !== this.irq) { this.irq = irq; this.opts.onIrq(irq); }
  }

  read(offset: number): number {
    if (offset < DIR) return this.lines & ((offset >>> 2) & 0xff);
    switch (offset) {
      case DIR: return this.dir;
      case IS: return this.is;
      case IBE: return this.ibe;
      case IEV: return this.iev;
      case IE: return this.ie;
      case RIS: return this.ris();
      case MIS: return this.ris() & this.ie;
      case AFSEL: return this.afsel;
      default:
        if (offset >= ID_BASE && offset < ID_BASE + 4 * ID.length && (offset & 3) === 0) return ID[(offset - ID_BASE) >>> 2];
        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    const v = value & 0xff;
    if (offset < DIR) {
      const mask = (offset >>> 2) & 0xff & this.dir;
      this.data = (this.data & ~mask) | (v & mask);
    } else {
      switch (offset) {
        case DIR: this.dir = v; break;
        case IS: this.is = v; break;
        case IBE: this.ibe = v; break;
        case IEV: this.iev = v; break;
        case IE: this.ie = v; break;
        case IC: this.edges &= ~v; break;
        case AFSEL: this.afsel = v; break;
        default: return;
      }
    }
    this.update();
  }
}
