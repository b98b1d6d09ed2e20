// A domain's stage-2 translation tables, written into the hypervisor's RAM in the VMSAv8-64
// format the MMU walks (Arm ARM D8.3 "Translation table descriptor formats", D8.5 stage 2
// attributes). Configuration (VTCR_EL2): 4 KiB granule, T0SZ = 25 (39-bit IPA space, 512 GiB:
// QEMU virt's low map fits), SL0 = 1 (the walk starts at level 1, one 4 KiB table), PS = 40 bits,
// inner shareable, write-back walks. RAM is mapped with 2 MiB blocks where aligned, else pages.
import type { PhysicalMemory } from '../cpu/physical-memory';
import { MemoryLayout, PAGE } from './memory-layout';

export const IPA_BITS = 39;

/**
 * VTCR_EL2 (Arm ARM D13.2 VTCR_EL2): T0SZ[5:0] = 64 - 39, SL0[7:6] = 1 (level 1 for 4 KiB),
 * IRGN0[9:8] = ORGN0[11:10] = 1 (WB RA WA), SH0[13:12] = 3 (inner shareable), TG0[15:14] = 0
 * (4 KiB), PS[18:16] = 2 (40 bits), bit 31 RES1.
 */
export const VTCR_VALUE = ((64 - IPA_BITS) | (1 << 6) | (1 << 8) | (1 << 10) | (3 << 12) | (2 << 16) | (1 << 31)) >>> 0;

/** Stage 2 MemAttr[3:0] (Arm ARM D8.5.5): Normal write-back, or Device-nGnRE. */
export const S2_NORMAL = 0xf;
export const S2_DEVICE = 0x1;

export interface Stage2Perms { read: boolean; write: boolean; exec: boolean }
export const RWX: Stage2Perms = { read: true, write: true, exec: true };
export const RW: Stage2Perms = { read: true, write: true, exec: false };

const BLOCK2M = 2 * 1024 * 1024;

/** One mapped range, as the debugger and `--stats` show stage 2. */
export interface Stage2Mapping { ipa: number; pa: number; size: number; memAttr: number; perms: Stage2Perms; what: string }

export class Stage2Tables {
  /** Physical address of the level-1 table (VTTBR_EL2.BADDR). */
  readonly root: number;
  readonly mappings: Stage2Mapping[] = [];

  constructor(private readonly mem: PhysicalMemory, private readonly layout: MemoryLayout) {
    this.root = this.newTable();
  }

  /** VTTBR_EL2 for this domain: VMID in bits [55:48] (8-bit VMIDs), BADDR. */
  vttbr(vmid: number): bigint {
    return (BigInt(vmid & 0xff) << 48n) | BigInt(this.root);
  }

  /** Maps [ipa, ipa+size) to [pa, pa+size). Both page aligned; the range must not be mapped yet. */
  map(ipa: number, pa: number, size: number, memAttr: number, perms: Stage2Perms, what: string): void {
    if (ipa % PAGE || pa % PAGE || size % PAGE || size <= 0) throw new Error(`stage 2: ${what}: unaligned mapping ipa 0x${ipa.toString(16)} pa 0x${pa.toString(16)} size 0x${size.toString(16)}`);
    if (ipa + size > 2 ** IPA_BITS) throw new Error(`stage 2: ${what}: IPA 0x${ipa.toString(16)} beyond the ${IPA_BITS}-bit IPA space`);
    for (const m of this.mappings) {
      if (ipa < m.ipa + m.size && m.ipa < ipa + size) throw new Error(`stage 2: ${what} at IPA 0x${ipa.toString(16)} overlaps ${m.what}`);
    }
    this.mappings.push({ ipa, pa, size, memAttr, perms, what });
    let off = 0;
    while (off < size) {
      const i = ipa + off, p = pa + off;
      if (i % BLOCK2M === 0 && p % BLOCK2M === 0 && size - off >= BLOCK2M) {
        this.writeLeaf(i, p, 2, memAttr, perms);
        off += BLOCK2M;
      } else {
        this.writeLeaf(i, p, 3, memAttr, perms);
        off += PAGE;
      }
    }
  }

  /** The host PA an IPA maps to, by walking the tables (the same RAM the MMU walks), or -1. */
  lookup(ipa: number): number {
    let table = this.root;
    for (let level = 1; level <= 3; level++) {
      const shift = 39 - 9 * level;
      const d = this.readDesc(table + this.index(ipa, level) * 8);
      if ((d & 1n) === 0n) return -1;
      const out = Number(d & 0x0000fffffffff000n);
      if (level === 3 || (d & 2n) === 0n) {
        if (level === 3 && (d & 2n) === 0n) return -1;
        const mask = 2 ** shift - 1;
        return out - (out % (mask + 1)) + (ipa % (mask + 1));
      }
      table = out;
    }
    return -1;
  }

  private index(ipa: number, level: number): number {
    return Math.floor(ipa / 2 ** (39 - 9 * level)) % 512;
  }

  private newTable(): number {
    return this.layout.allocTablePage((pa) => this.mem.load(pa, new Uint8Array(PAGE)));
  }

  private readDesc(pa: number): bigint {
    return (BigInt(this.mem.read32(pa + 4, undefined) >>> 0) << 32n) | BigInt(this.mem.read32(pa, undefined) >>> 0);
  }

  private writeDesc(pa: number, d: bigint): void {
    this.mem.write32(pa, Number(d & 0xffffffffn) | 0, undefined);
    this.mem.write32(pa + 4, Number(d >> 32n) | 0, undefined);
  }

  /** Writes a block (level 2) or page (level 3) descriptor, creating the tables above it. */
  private writeLeaf(ipa: number, pa: number, leafLevel: 2 | 3, memAttr: number, perms: Stage2Perms): void {
    let table = this.root;
    for (let level = 1; level < leafLevel; level++) {
      const slot = table + this.index(ipa, level) * 8;
      const d = this.readDesc(slot);
      if ((d & 3n) === 3n) { table = Number(d & 0x0000fffffffff000n); continue; }
      if ((d & 1n) !== 0n) throw new Error(`stage 2: IPA 0x${ipa.toString(16)} is already covered by a block`);
      const next = this.newTable();
      this.writeDesc(slot, BigInt(next) | 3n);
      table = next;
    }
    // Leaf attributes (Arm ARM D8.3.2, D8.5): MemAttr[5:2], S2AP[7:6] (bit 6 read, bit 7 write),
    // SH[9:8] = 3 for Normal memory, AF[10] = 1 (no Access flag faults), XN[54].
    const s2ap = (perms.read ? 1 : 0) | (perms.write ? 2 : 0);
    const sh = memAttr === S2_NORMAL ? 3 : 0;
    let d = BigInt(pa) | BigInt((memAttr << 2) | (s2ap << 6) | (sh << 8) | (1 << 10)) | (leafLevel === 3 ? 3n : 1n);
    if (!perms.exec) d |= 1n << 54n;
    this.writeDesc(table + this.index(ipa, leafLevel) * 8, d);
  }
}
