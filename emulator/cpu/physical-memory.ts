// The physical address space as the CPU sees it: one RAM block on a fast path (DataView, host is
// little-endian like the guest) and memory-mapped devices behind it.
import type { Cpu } from './cpu';
import { GlobalMonitor, WATCH_CODE, WATCH_EXCLUSIVE } from './global-monitor';

export interface MmioDevice {
  readonly name: string;
  /** Size of the register window in bytes. */
  readonly size: number;
  /** `size` is 1, 2 or 4; returns the value zero-extended (or as int32 for 4). */
  read(offset: number, size: number, cpu: Cpu | undefined): number;
  write(offset: number, size: number, value: number, cpu: Cpu | undefined): void;
}

/** secureOnly: the device is in the Secure PA space only (QEMU virt's secure_sysmem), invisible to Non-secure accesses. */
interface Mapping { base: number; end: number; dev: MmioDevice; secureOnly: boolean }

const PAGE_SHIFT = 12;

export class PhysicalMemory {
  readonly ram: Uint8Array;
  /** RAM as a DataView (little-endian accesses); the CPU's fast path reads it directly. */
  readonly view: DataView;
  private readonly ramEnd: number;
  /**
   * One byte per 4 KiB RAM page, non-zero when a store there needs attention (the only test on
   * the store fast path): WATCH_CODE if some CPU holds decoded instructions from it,
   * WATCH_EXCLUSIVE if some PE's exclusive monitor may be armed on it (global-monitor.ts).
   */
  readonly watchPages: Uint8Array;
  /** The global exclusive monitor of the PEs sharing this memory. */
  readonly monitor: GlobalMonitor;
  private readonly mmio: Mapping[] = [];
  private codeWriteListeners: ((pa: number) => void)[] = [];

  constructor(readonly ramBase: number, readonly ramSize: number) {
    this.ram = new Uint8Array(ramSize);
    this.view = new DataView(this.ram.buffer);
    this.ramEnd = ramBase + ramSize;
    this.watchPages = new Uint8Array(Math.ceil(ramSize / (1 << PAGE_SHIFT)));
    this.monitor = new GlobalMonitor(ramBase, this.watchPages);
  }

  /**
   * Maps a device. `secureOnly`: only Secure accesses reach it (the access's NS attribute,
   * Cpu.accessNs, is 0); a Non-secure access finds nothing there, as in QEMU's Non-secure address
   * space. Loaders and debuggers (no CPU) see it.
   */
  map(base: number, dev: MmioDevice, secureOnly = false): void {
    const end = base + dev.size;
    for (const m of this.mmio) {
      if (base < m.end && m.base < end) throw new Error(`device ${dev.name} at 0x${base.toString(16)} overlaps ${m.dev.name}`);
    }
    if (base < this.ramEnd && this.ramBase < end) throw new Error(`device ${dev.name} at 0x${base.toString(16)} overlaps RAM`);
    this.mmio.push({ base, end, dev, secureOnly });
  }

  isRam(pa: number): boolean { return pa >= this.ramBase && pa < this.ramEnd; }

  // ---- self-modifying code support: pages holding decoded instructions are flagged
  onCodeWrite(listener: (pa: number) => void): void { this.codeWriteListeners.push(listener); }
  markCode(pa: number): void { this.watchPages[(pa - this.ramBase) >>> PAGE_SHIFT] |= WATCH_CODE; }
  /**
   * A store of `size` bytes at RAM offset `off` (not crossing a page) by `by` (a Cpu, or undefined
   * for loaders and debuggers) hit a watched page: the CPUs drop their decoded copy of it, and
   * the global monitor clears the other PEs' reservations it touches.
   */
  watchedWrite(off: number, size: number, by?: Cpu): void {
    const p = off >>> PAGE_SHIFT, f = this.watchPages[p];
    if (f & WATCH_CODE) {
      this.watchPages[p] = f & ~WATCH_CODE;
      const pa = this.ramBase + off;
      for (const l of this.codeWriteListeners) l(pa);
    }
    if (f & WATCH_EXCLUSIVE) this.monitor.stored(off, size, by);
  }

  // ---- accesses. Offsets into RAM are checked against the end so a straddling access faults.
  read8(pa: number, cpu?: Cpu): number {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) return this.ram[off];
    return this.device(pa, 1, cpu).read(pa - this.lastBase, 1, cpu) & 0xff;
  }
  read16(pa: number, cpu?: Cpu): number {
    const off = pa - this.ramBase;
    if (off >= 0 && off <= this.ramSize - 2) return this.view.getUint16(off, true);
    return this.device(pa, 2, cpu).read(pa - this.lastBase, 2, cpu) & 0xffff;
  }
  read32(pa: number, cpu?: Cpu): number {
    const off = pa - this.ramBase;
    if (off >= 0 && off <= this.ramSize - 4) return this.view.getInt32(off, true);
    return this.device(pa, 4, cpu).read(pa - this.lastBase, 4, cpu) | 0;
  }
  write8(pa: number, v: number, cpu?: Cpu): void {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) {
      this.ram[off] = v;
      if (this.watchPages[off >>> PAGE_SHIFT]) this.watchedWrite(off, 1, cpu);
      return;
    }
    this.device(pa, 1, cpu).write(pa - this.lastBase, 1, v & 0xff, cpu);
  }
  write16(pa: number, v: number, cpu?: Cpu): void {
    const off = pa - this.ramBase;
    if (off >= 0 && off <= this.ramSize - 2) {
      this.view.setUint16(off, v, true);
      if (this.watchPages[off >>> PAGE_SHIFT]) this.watchedWrite(off, 2, cpu);
      return;
    }
    this.device(pa, 2, cpu).write(pa - this.lastBase, 2, v & 0xffff, cpu);
  }
  write32(pa: number, v: number, cpu?: Cpu): void {
    const off = pa - this.ramBase;
    if (off >= 0 && off <= this.ramSize - 4) {
      this.view.setInt32(off, v, true);
      if (this.watchPages[off >>> PAGE_SHIFT]) this.watchedWrite(off, 4, cpu);
      return;
    }
    this.device(pa, 4, cpu).write(pa - this.lastBase, 4, v | 0, cpu);
  }

  /** Copies bytes into physical memory (loaders, debugger). Only RAM is writable this way. */
  load(pa: number, bytes: Uint8Array): void {
    const off = pa - this.ramBase;
    if (off < 0 || off + bytes.length > this.ramSize) {
      throw new RangeError(`cannot load ${bytes.length} bytes at 0x${pa.toString(16)}: outside RAM 0x${this.ramBase.toString(16)}-0x${(this.ramEnd - 1).toString(16)}`);
    }
    this.ram.set(bytes, off);
    const end = off + Math.max(bytes.length, 1);
    for (let p = off >>> PAGE_SHIFT; p <= (end - 1) >>> PAGE_SHIFT; p++) {
      if (!this.watchPages[p]) continue;
      const from = Math.max(off, p << PAGE_SHIFT), to = Math.min(end, (p + 1) << PAGE_SHIFT);
      this.watchedWrite(from, to - from);
    }
  }

  private lastBase = 0;
  private device(pa: number, size: number, cpu: Cpu | undefined): MmioDevice {
    for (const m of this.mmio) {
      if (pa >= m.base && pa + size <= m.end && !(m.secureOnly && cpu?.accessNs === true)) { this.lastBase = m.base; return m.dev; }
    }
    const where = (cpu ? ` (PC 0x${cpu.pc.toString(16)})` : '') + (this.mmio.some((m) => m.secureOnly && pa >= m.base && pa < m.end) ? ' in the Non-secure PA space (the device there is Secure-only)' : '');
    if (cpu) cpu.stop({ kind: 'fault', pc: cpu.pc, message: `${size}-byte access to 0x${pa.toString(16)}: nothing is mapped there${where}` });
    throw new RangeError(`${size}-byte access to 0x${pa.toString(16)}: nothing is mapped there`);
  }
}
