// GICv3 Redistributor register frames, GICR_* (IHI 0069 "The GIC Redistributor register map"):
// per CPU two contiguous 64 KiB frames — RD_base (control: CTLR, IIDR, TYPER, WAKER, ID
// registers) and SGI_base (the SGIs and PPIs of that CPU: groups, enables, pending, active,
// priorities, configuration). All CPUs' frames form one MmioDevice of cpus * 128 KiB at
// 0x080A0000 on `virt`, CPU n at n * 0x20000; GICR_TYPER.Last marks the final one.
//
// No LPIs (GICR_TYPER.PLPIS = 0): GICR_CTLR.EnableLPIs, PROPBASER and PENDBASER are RAZ/WI.
// Access sizes: 32-bit; 8-bit for GICR_IPRIORITYR<n>; GICR_TYPER as two 32-bit halves.
import type { MmioDevice } from '../../cpu/physical-memory';
import {
  GIC_IIDR, GIC_INTERNAL, ID_REGS_OFFSET, PIDR0_REDIST, WAKER_CHILDREN_ASLEEP,
  WAKER_PROCESSOR_SLEEP, gicIdReg,
} from './constants';
import type { GicV3 } from './gicv3';

export const GICR_FRAME_SIZE = 0x20000;
export const SGI_BASE = 0x10000;

export const GICR = {
  CTLR: 0x0000, IIDR: 0x0004, TYPER: 0x0008, STATUSR: 0x0010, WAKER: 0x0014,
  // SGI_base frame, offsets from SGI_BASE
  IGROUPR0: 0x0080, ISENABLER0: 0x0100, ICENABLER0: 0x0180, ISPENDR0: 0x0200, ICPENDR0: 0x0280,
  ISACTIVER0: 0x0300, ICACTIVER0: 0x0380, IPRIORITYR: 0x0400, ICFGR0: 0x0c00, ICFGR1: 0x0c04,
  IGRPMODR0: 0x0d00, NSACR: 0x0e00,
} as const;

export class GicRedistributors implements MmioDevice {
  readonly name = 'gicv3-redistributors';
  readonly size: number;

  constructor(private readonly gic: GicV3) {
    this.size = gic.numCpus * GICR_FRAME_SIZE;
  }

  /**
   * GICR_TYPER, 64-bit: Affinity_Value [63:32] (the CPU's Aff3.Aff2.Aff1.Aff0), CommonLPIAff
   * [25:24] = 1 (as QEMU), Processor_Number [23:8] = CPU index, Last [4] on the final frame;
   * PLPIS, VLPIS, DirectLPI, DPGS = 0.
   */
  typer(cpu: number): [lo: number, hi: number] {
    const last = cpu === this.gic.numCpus - 1 ? 1 << 4 : 0;
    return [(1 << 24) | (cpu << 8) | last, this.gic.redist[cpu].affinity | 0];
  }

  read(offset: number, size: number): number {
    const cpu = Math.floor(offset / GICR_FRAME_SIZE);
    const off = offset % GICR_FRAME_SIZE;
    const r = this.gic.redist[cpu];
    if (size === 1) {
      const o = off - SGI_BASE - GICR.IPRIORITYR;
      return o >= 0 && o < GIC_INTERNAL ? r.prio[o] : 0;
    }
    if (size !== 4 || (off & 3)) return 0;
    if (off < SGI_BASE) {
      if (off >= ID_REGS_OFFSET) return gicIdReg(off, PIDR0_REDIST);
      switch (off) {
        case GICR.IIDR: return GIC_IIDR;
        case GICR.TYPER: return this.typer(cpu)[0];
        case GICR.TYPER + 4: return this.typer(cpu)[1];
        case GICR.WAKER: return r.waker;
        default: return 0; // CTLR (nothing implemented: no LPIs, DPGS = 0, no RWP/UWP waits), STATUSR, reserved
      }
    }
    const o = off - SGI_BASE;
    switch (o) {
      case GICR.IGROUPR0: return bits(r.group);
      case GICR.ISENABLER0: case GICR.ICENABLER0: return bits(r.enabled);
      case GICR.ISPENDR0: case GICR.ICPENDR0: {
        let v = 0;
        for (let i = 0; i < GIC_INTERNAL; i++) if (r.pending(i)) v |= 1 << i;
        return v | 0;
      }
      case GICR.ISACTIVER0: case GICR.ICACTIVER0: return bits(r.active);
      case GICR.ICFGR0: return 0xaaaaaaaa | 0; // SGIs: always edge-triggered (RAO/WI)
      case GICR.ICFGR1: {
        let v = 0;
        for (let k = 0; k < 16; k++) if (r.edge[16 + k]) v |= 2 << (2 * k);
        return v | 0;
      }
    }
    if (o >= GICR.IPRIORITYR && o < GICR.IPRIORITYR + GIC_INTERNAL) {
      const i = o - GICR.IPRIORITYR;
      return (r.prio[i] | (r.prio[i + 1] << 8) | (r.prio[i + 2] << 16) | (r.prio[i + 3] << 24)) | 0;
    }
    return 0; // IGRPMODR0, NSACR (RAZ/WI with DS = 1), reserved
  }

  write(offset: number, size: number, value: number): void {
    const cpu = Math.floor(offset / GICR_FRAME_SIZE);
    const off = offset % GICR_FRAME_SIZE;
    const g = this.gic, r = g.redist[cpu];
    if (size === 1) {
      const o = off - SGI_BASE - GICR.IPRIORITYR;
      if (o >= 0 && o < GIC_INTERNAL) { r.prio[o] = value & 0xff; g.updateCpu(cpu); }
      return;
    }
    if (size !== 4 || (off & 3)) return;
    if (off < SGI_BASE) {
      if (off === GICR.WAKER) {
        // Only ProcessorSleep is writable. The quiescing handshake completes at once here, so
        // ChildrenAsleep follows ProcessorSleep (IHI 0069 GICR_WAKER; as QEMU). A sleeping
        // redistributor still forwards interrupts (there is no power controller to wake the PE);
        // ProcessorSleep only takes the PE out of 1-of-N SPI participation.
        r.waker = value & WAKER_PROCESSOR_SLEEP ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
        g.participationChanged();
      }
      return; // CTLR, TYPER, IIDR, ID registers, STATUSR, reserved
    }
    const o = off - SGI_BASE;
    switch (o) {
      case GICR.IGROUPR0:
        for (let i = 0; i < GIC_INTERNAL; i++) r.group[i] = (value >>> i) & 1;
        break;
      case GICR.ISENABLER0: setBits(r.enabled, value, 1); break;
      case GICR.ICENABLER0: setBits(r.enabled, value, 0); break;
      case GICR.ISPENDR0: setBits(r.pendLatch, value, 1); break;
      case GICR.ICPENDR0: setBits(r.pendLatch, value, 0); break;
      case GICR.ISACTIVER0: setBits(r.active, value, 1); break;
      case GICR.ICACTIVER0: setBits(r.active, value, 0); break;
      case GICR.ICFGR1:
        // PPIs: Int_config[1] selects edge/level (programmable here, as QEMU); SGIs (ICFGR0) are fixed.
        for (let k = 0; k < 16; k++) r.edge[16 + k] = (value >>> (2 * k + 1)) & 1;
        break;
      default:
        if (o >= GICR.IPRIORITYR && o < GICR.IPRIORITYR + GIC_INTERNAL) {
          const i = o - GICR.IPRIORITYR;
          for (let k = 0; k < 4; k++) r.prio[i + k] = (value >>> (8 * k)) & 0xff;
          break;
        }
        return; // ICFGR0 (RAO/WI), IGRPMODR0, NSACR (RAZ/WI with DS = 1), reserved
    }
    g.updateCpu(cpu);
  }
}

function bits(a: Uint8Array): number {
  let v = 0;
  for (let i = 0; i < GIC_INTERNAL; i++) if (a[i]) v |= 1 << i;
  return v | 0;
}

function setBits(a: Uint8Array, value: number, to: number): void {
  for (let i = 0; i < GIC_INTERNAL; i++) if ((value >>> i) & 1) a[i] = to;
}
