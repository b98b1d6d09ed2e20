// Builds VMSAv8-64 translation tables in a PhysicalMemory for the MMU tests. Written from the
// Arm ARM descriptor formats (D8 "Translation table descriptor formats"), independently of the
// walker: geometry from the granule and input size, descriptors assembled field by field.
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';
import type { MmuRegs } from '../../emulator/mmu';

export const RAM_BASE = 0x40000000;
export const RAM_SIZE = 64 << 20;

/** A bump allocator for table pages in RAM (above `start`). */
export class TableAlloc {
  constructor(readonly mem: PhysicalMemory, public next: number) {}
  alloc(bytes: number, align: number): number {
    const a = Math.ceil(this.next / align) * align;
    this.next = a + bytes;
    for (let i = 0; i < bytes; i += 4) this.mem.write32(a + i, 0);
    return a;
  }
}

export interface S1Attrs {
  attrIndx?: number; ns?: boolean; ap?: number; sh?: number; af?: boolean; ng?: boolean;
  contiguous?: boolean; pxn?: boolean; uxn?: boolean;
}
export interface S2Attrs { memAttr?: number; s2ap?: number; sh?: number; af?: boolean; xn?: boolean; contiguous?: boolean }

/** Leaf (block or page) descriptor for stage 1: output address | attributes | type bits. */
export function s1Leaf(oa: number, level: number, a: S1Attrs = {}): bigint {
  let d = BigInt(oa) | (level === 3 ? 3n : 1n);
  d |= BigInt(a.attrIndx ?? 0) << 2n;
  if (a.ns) d |= 1n << 5n;
  d |= BigInt(a.ap ?? 0) << 6n;
  d |= BigInt(a.sh ?? 3) << 8n;
  if (a.af ?? true) d |= 1n << 10n;
  if (a.ng) d |= 1n << 11n;
  if (a.contiguous) d |= 1n << 52n;
  if (a.pxn) d |= 1n << 53n;
  if (a.uxn) d |= 1n << 54n;
  return d;
}

export function s2Leaf(oa: number, level: number, a: S2Attrs = {}): bigint {
  let d = BigInt(oa) | (level === 3 ? 3n : 1n);
  d |= BigInt(a.memAttr ?? 0xf) << 2n;
  d |= BigInt(a.s2ap ?? 3) << 6n;
  d |= BigInt(a.sh ?? 3) << 8n;
  if (a.af ?? true) d |= 1n << 10n;
  if (a.contiguous) d |= 1n << 52n;
  if (a.xn) d |= 1n << 54n;
  return d;
}

/** Table descriptor attributes (stage 1 only): bits 63:59. */
export interface TableAttrs { nsTable?: boolean; apTable?: number; xnTable?: boolean; pxnTable?: boolean }
export function tableBits(t: TableAttrs): bigint {
  return (t.nsTable ? 1n << 63n : 0n) | (BigInt(t.apTable ?? 0) << 61n) | (t.xnTable ? 1n << 60n : 0n) | (t.pxnTable ? 1n << 59n : 0n);
}

export function write64(mem: PhysicalMemory, pa: number, v: bigint): void {
  mem.write32(pa, Number(v & 0xffffffffn) | 0);
  mem.write32(pa + 4, Number((v >> 32n) & 0xffffffffn) | 0);
}
export function read64(mem: PhysicalMemory, pa: number): bigint {
  return (BigInt(mem.read32(pa + 4) >>> 0) << 32n) | BigInt(mem.read32(pa) >>> 0);
}

/**
 * One translation table tree. `startLevel` defaults to the stage 1 rule
 * (4 - ceil((inputBits - grain) / (grain - 3))); stage 2 trees pass the SL0-derived level, and
 * the root is then as many concatenated tables as the input size needs.
 */
export class TableTree {
  readonly stride: number;
  readonly startLevel: number;
  readonly root: number;
  /**
   * `walkerOffset`: tables are written at PA p but the walker sees them at p + walkerOffset (a
   * stage 1 tree placed at IPAs that stage 2 maps back to the PAs).
   */
  constructor(readonly mem: PhysicalMemory, readonly alloc: TableAlloc, readonly grain: number, readonly inputBits: number,
    startLevel?: number, readonly walkerOffset = 0) {
    this.stride = grain - 3;
    this.startLevel = startLevel ?? 4 - Math.ceil((inputBits - grain) / this.stride);
    const rootBytes = 8 * 2 ** (inputBits - this.shift(this.startLevel));
    this.root = alloc.alloc(rootBytes, Math.max(rootBytes, 64));
  }

  shift(level: number): number { return this.grain + this.stride * (3 - level); }

  indexAt(va: bigint, level: number): number {
    const bits = level === this.startLevel ? this.inputBits - this.shift(level) : this.stride;
    return Number((va >> BigInt(this.shift(level))) & ((1n << BigInt(bits)) - 1n));
  }

  /** Address of the descriptor for `va` at `level`, creating table descriptors above it. */
  slot(va: bigint, level: number, tableAttrs: TableAttrs = {}): number {
    let table = this.root;
    for (let l = this.startLevel; l < level; l++) {
      const at = table + this.indexAt(va, l) * 8;
      const d = read64(this.mem, at);
      if ((d & 3n) === 3n) {
        table = Number(d & 0x0000fffffffff000n) - this.walkerOffset;
      } else {
        const bytes = 2 ** this.grain;
        const next = this.alloc.alloc(bytes, bytes);
        write64(this.mem, at, BigInt(next + this.walkerOffset) | 3n | tableBits(tableAttrs));
        table = next;
      }
    }
    return table + this.indexAt(va, level) * 8;
  }

  /** Maps va at `level` (a block above level 3) with a ready-made descriptor. */
  set(va: bigint, level: number, desc: bigint, tableAttrs: TableAttrs = {}): number {
    const at = this.slot(va, level, tableAttrs);
    write64(this.mem, at, desc);
    return at;
  }

  /** ORs bits into the table descriptor at `level` on the path of `va` (hierarchical attributes). */
  orTableDesc(va: bigint, level: number, bits: bigint): void {
    const at = this.slot(va, level);
    const d = read64(this.mem, at);
    if ((d & 3n) !== 3n) throw new Error('not a table descriptor');
    write64(this.mem, at, d | bits);
  }
}

export function newMem(): PhysicalMemory { return new PhysicalMemory(RAM_BASE, RAM_SIZE); }

export type MutableRegs = { -readonly [K in keyof MmuRegs]: bigint };
export function zeroRegs(): MutableRegs {
  return {
    sctlrEl1: 0n, sctlrEl2: 0n, sctlrEl3: 0n, tcrEl1: 0n, tcrEl2: 0n, tcrEl3: 0n,
    ttbr0El1: 0n, ttbr1El1: 0n, ttbr0El2: 0n, ttbr1El2: 0n, ttbr0El3: 0n,
    mairEl1: 0n, mairEl2: 0n, mairEl3: 0n, hcrEl2: 0n, vtcrEl2: 0n, vttbrEl2: 0n, scrEl3: 1n,
  };
}

/** TCR_EL1 fields. TG0: 0 4K, 1 64K, 2 16K. TG1: 1 16K, 2 4K, 3 64K. */
export function tcrEl1(f: { t0sz?: number; t1sz?: number; tg0?: number; tg1?: number; ips?: number; epd0?: boolean; epd1?: boolean;
  a1?: boolean; as16?: boolean; tbi0?: boolean; tbi1?: boolean }): bigint {
  return BigInt(f.t0sz ?? 16) | (f.epd0 ? 1n << 7n : 0n) | (BigInt(f.tg0 ?? 0) << 14n) | (BigInt(f.t1sz ?? 16) << 16n)
    | (f.a1 ? 1n << 22n : 0n) | (f.epd1 ? 1n << 23n : 0n) | (BigInt(f.tg1 ?? 2) << 30n) | (BigInt(f.ips ?? 5) << 32n)
    | (f.as16 ? 1n << 36n : 0n) | (f.tbi0 ? 1n << 37n : 0n) | (f.tbi1 ? 1n << 38n : 0n);
}
/** TCR_EL2 (E2H=0) / TCR_EL3 fields. */
export function tcrEl23(f: { t0sz?: number; tg0?: number; ps?: number; tbi?: boolean }): bigint {
  return BigInt(f.t0sz ?? 16) | (BigInt(f.tg0 ?? 0) << 14n) | (BigInt(f.ps ?? 5) << 16n) | (f.tbi ? 1n << 20n : 0n) | (1n << 31n) | (1n << 23n);
}
export function vtcr(f: { t0sz: number; sl0: number; tg0?: number; ps?: number }): bigint {
  return BigInt(f.t0sz) | (BigInt(f.sl0) << 6n) | (BigInt(f.tg0 ?? 0) << 14n) | (BigInt(f.ps ?? 5) << 16n) | (1n << 31n);
}

/** MAIR with: 0 Device-nGnRnE, 1 Normal WB RWA (0xff), 2 Normal NC (0x44), 3 Device-nGnRE (0x04), 4 Normal WT (0xbb). */
export const MAIR = 0x00n | (0xffn << 8n) | (0x44n << 16n) | (0x04n << 24n) | (0xbbn << 32n);
