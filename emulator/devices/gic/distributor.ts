// GICv3 Distributor register frame, GICD_* (IHI 0069 "The GIC Distributor register map"),
// 64 KiB, mapped at 0x08000000 on `virt`. One Security state (GICD_CTLR.DS = 1) and affinity
// routing always enabled (ARE RAO/WI), so the SGI/PPI registers of this frame (the first word of
// each bitmap, ICFGR0/1, IPRIORITYR0..7), ITARGETSR, SGIR, CPENDSGIR/SPENDSGIR are RAZ/WI: the
// redistributors own INTIDs 0..31. IGRPMODR and NSACR are RAZ/WI with DS = 1.
//
// Access sizes: 32-bit everywhere; 8-bit for IPRIORITYR (and the RAZ/WI ITARGETSR, C/SPENDSGIR);
// GICD_IROUTER<n> (64-bit) as two 32-bit halves — the CPU splits 64-bit MMIO accesses into two
// word accesses, low word first. Other sizes and reserved offsets are RAZ/WI (the architecture
// requires reserved registers to be RAZ/WI; QEMU also answers, not aborts).
import type { MmioDevice } from '../../cpu/physical-memory';
import {
  GIC_IIDR, GIC_INTERNAL, GICD_CTLR_EN_GRP0, GICD_CTLR_EN_GRP1, PIDR0_DIST, gicIdReg, ID_REGS_OFFSET,
} from './constants';
import type { GicV3 } from './gicv3';

export const GICD = {
  CTLR: 0x0000, TYPER: 0x0004, IIDR: 0x0008, TYPER2: 0x000c, STATUSR: 0x0010,
  IGROUPR: 0x0080, ISENABLER: 0x0100, ICENABLER: 0x0180, ISPENDR: 0x0200, ICPENDR: 0x0280,
  ISACTIVER: 0x0300, ICACTIVER: 0x0380, IPRIORITYR: 0x0400, ITARGETSR: 0x0800, ICFGR: 0x0c00,
  IGRPMODR: 0x0d00, NSACR: 0x0e00, SGIR: 0x0f00, CPENDSGIR: 0x0f10, SPENDSGIR: 0x0f20,
  IROUTER: 0x6000,
} as const;

/** One register array of one bit per INTID: which distributor array it reads/sets/clears. */
type BitmapKind = 'group' | 'senable' | 'cenable' | 'spend' | 'cpend' | 'sactive' | 'cactive';

const BITMAPS: readonly [number, BitmapKind][] = [
  [GICD.IGROUPR, 'group'], [GICD.ISENABLER, 'senable'], [GICD.ICENABLER, 'cenable'],
  [GICD.ISPENDR, 'spend'], [GICD.ICPENDR, 'cpend'], [GICD.ISACTIVER, 'sactive'], [GICD.ICACTIVER, 'cactive'],
];

export class GicDistributor implements MmioDevice {
  readonly name = 'gicv3-distributor';
  readonly size = 0x10000;

  constructor(private readonly gic: GicV3) {}

  /**
   * GICD_TYPER: ITLinesNumber N = numIrq/32 - 1 (the maximum SPI INTID is 32(N+1) - 1; QEMU 7.2
   * reports one less, hiding its top 32 INTIDs from software), CPUNumber = 0 (ARE cannot be 0), SecurityExtn = 0
   * (DS = 1), MBIS = 0, LPIS = 0, IDbits = 15 (16-bit INTIDs), A3V = 1, No1N = 0 (1-of-N SPI
   * routing is supported: GICD_IROUTER.IRM is implemented).
   */
  typer(): number {
    return (this.gic.numIrq / 32 - 1) | (0xf << 19) | (1 << 24);
  }

  read(offset: number, size: number): number {
    const g = this.gic;
    if (size === 1) {
      if (offset >= GICD.IPRIORITYR && offset < GICD.IPRIORITYR + 0x400) {
        const id = offset - GICD.IPRIORITYR;
        return id >= GIC_INTERNAL && id < g.numIrq ? g.prio[id] : 0;
      }
      return 0; // ITARGETSR, CPENDSGIR, SPENDSGIR: RAZ with ARE = 1; byte access elsewhere: RAZ
    }
    if (size !== 4 || (offset & 3)) return 0;
    if (offset >= ID_REGS_OFFSET) return gicIdReg(offset, PIDR0_DIST);
    switch (offset) {
      case GICD.CTLR: return g.ctlr;
      case GICD.TYPER: return this.typer();
      case GICD.IIDR: return GIC_IIDR;
    }
    for (const [base, kind] of BITMAPS) {
      if (offset >= base && offset < base + 0x80) return this.readBitmap(kind, (offset - base) * 8);
    }
    if (offset >= GICD.IPRIORITYR && offset < GICD.IPRIORITYR + 0x400) {
      let v = 0;
      for (let k = 3; k >= 0; k--) v = (v << 8) | this.read(offset + k, 1);
      return v | 0;
    }
    if (offset >= GICD.ICFGR && offset < GICD.ICFGR + 0x100) {
      const first = (offset - GICD.ICFGR) * 4;
      if (first < GIC_INTERNAL || first >= g.numIrq) return 0;
      let v = 0;
      for (let k = 0; k < 16; k++) if (g.edge[first + k]) v |= 2 << (2 * k);
      return v | 0;
    }
    if (offset >= GICD.IROUTER + 8 * GIC_INTERNAL && offset < GICD.IROUTER + 8 * 1020) {
      const id = (offset - GICD.IROUTER) >>> 3;
      if (id >= g.numIrq) return 0;
      const aff = g.routeAff[id];
      // Low word: Aff2:Aff1:Aff0 in [23:0], IRM in bit 31; high word: Aff3 in [7:0].
      return offset & 4 ? aff >>> 24 : ((aff & 0xffffff) | (g.routeIrm[id] << 31)) | 0;
    }
    return 0; // TYPER2, STATUSR, IGRPMODR, NSACR, SGIR, reserved: RAZ
  }

  write(offset: number, size: number, value: number): void {
    const g = this.gic;
    if (size === 1) {
      if (offset >= GICD.IPRIORITYR && offset < GICD.IPRIORITYR + 0x400) {
        const id = offset - GICD.IPRIORITYR;
        if (id >= GIC_INTERNAL && id < g.numIrq) {
          g.prio[id] = value & 0xff;
          g.updateSpi(id);
        }
      }
      return;
    }
    if (size !== 4 || (offset & 3)) return;
    if (offset === GICD.CTLR) {
      // Only the group enables are writable with DS = 1; ARE and DS are RAO/WI, E1NWF RAZ/WI.
      g.ctlr = (g.ctlr & ~(GICD_CTLR_EN_GRP0 | GICD_CTLR_EN_GRP1)) | (value & (GICD_CTLR_EN_GRP0 | GICD_CTLR_EN_GRP1));
      g.updateAll();
      return;
    }
    for (const [base, kind] of BITMAPS) {
      if (offset >= base && offset < base + 0x80) { this.writeBitmap(kind, (offset - base) * 8, value); return; }
    }
    if (offset >= GICD.IPRIORITYR && offset < GICD.IPRIORITYR + 0x400) {
      for (let k = 0; k < 4; k++) this.write(offset + k, 1, (value >>> (8 * k)) & 0xff);
      return;
    }
    if (offset >= GICD.ICFGR && offset < GICD.ICFGR + 0x100) {
      const first = (offset - GICD.ICFGR) * 4;
      if (first < GIC_INTERNAL || first >= g.numIrq) return;
      // Int_config[1] of each field selects edge (1) / level (0); Int_config[0] is RES0.
      for (let k = 0; k < 16; k++) g.edge[first + k] = (value >>> (2 * k + 1)) & 1;
      g.updateSpis(first, 16);
      return;
    }
    if (offset >= GICD.IROUTER + 8 * GIC_INTERNAL && offset < GICD.IROUTER + 8 * 1020) {
      const id = (offset - GICD.IROUTER) >>> 3;
      if (id >= g.numIrq) return;
      const old = g.target[id];
      if (offset & 4) {
        g.routeAff[id] = ((g.routeAff[id] & 0xffffff) | ((value & 0xff) << 24)) >>> 0;
      } else {
        g.routeAff[id] = ((g.routeAff[id] & 0xff000000) | (value & 0xffffff)) >>> 0;
        g.routeIrm[id] = (value >>> 31) & 1;
      }
      g.refreshTarget(id);
      if (old >= 0 && old !== g.target[id]) g.updateCpu(old);
      g.updateSpi(id);
    }
    // TYPER, IIDR, ID registers (RO), STATUSR, IGRPMODR, NSACR (RAZ/WI with DS = 1),
    // SGIR, C/SPENDSGIR, ITARGETSR (RES0/RAZ/WI with ARE = 1), reserved: writes ignored.
  }

  private readBitmap(kind: BitmapKind, first: number): number {
    const g = this.gic;
    if (first < GIC_INTERNAL || first >= g.numIrq) return 0;
    let v = 0;
    for (let k = 0; k < 32; k++) {
      const i = first + k;
      let b: number;
      switch (kind) {
        case 'group': b = g.group[i]; break;
        case 'senable': case 'cenable': b = g.enabled[i]; break;
        // A level-sensitive interrupt reads as pending while its line is high.
        case 'spend': case 'cpend': b = g.spiPending(i) ? 1 : 0; break;
        default: b = g.active[i]; break;
      }
      v |= b << k;
    }
    return v | 0;
  }

  private writeBitmap(kind: BitmapKind, first: number, value: number): void {
    const g = this.gic;
    if (first < GIC_INTERNAL || first >= g.numIrq) return;
    if (kind === 'group') {
      for (let k = 0; k < 32; k++) g.group[first + k] = (value >>> k) & 1;
      g.participationChanged();
      return;
    }
    for (let k = 0; k < 32; k++) {
      if (!((value >>> k) & 1)) continue;
      const i = first + k;
      switch (kind) {
        case 'senable': g.enabled[i] = 1; break;
        case 'cenable': g.enabled[i] = 0; break;
        case 'spend': g.pendLatch[i] = 1; break;
        // Clears the latch only: a level-sensitive interrupt whose line is high stays pending.
        case 'cpend': g.pendLatch[i] = 0; break;
        case 'sactive': g.active[i] = 1; break;
        case 'cactive': g.active[i] = 0; break;
      }
    }
    g.updateSpis(first, 32);
  }
}
