// The global exclusive monitor (Arm ARM B2.9 "Synchronization and semaphores", B2.9.3 "Global
// monitors"): a Load-Exclusive by a PE marks its Exclusives Reservation Granule in the global
// monitor; a store by *another* PE (or by any other observer: loaders, a debugger) to that
// granule clears the mark, so the first PE's Store-Exclusive fails. Clearing a PE's global monitor
// is also a WFE wake-up event (Arm ARM D1.16.1), hence globalMonitorCleared().
//
// The mark of each PE is its local monitor state (cpu.exclusiveValid / exclusivePa): a
// Store-Exclusive needs both monitors, and nothing here tracks Non-shareable memory separately,
// so one record per PE holds what both say for the marked address.
//
// Cost: the store fast path already tests one byte per RAM page (PhysicalMemory.watchPages) for
// the self-modifying-code watch. Arming a monitor sets a second bit in the same byte, so a store to
// a page nobody monitors costs nothing more; only a store into a page with an armed monitor comes
// here. The bit is cleared lazily, by the first store that finds no armed monitor left in the page.

/** Exclusives Reservation Granule: CTR_EL0.ERG = 4, i.e. 2^4 words = 64 bytes (sysreg-table.ts CTR_VALUE). */
export const ERG_SHIFT = 6;

/** What the monitor needs of a PE (the CPU implements it). */
export interface MonitorClient {
  exclusiveValid: boolean;
  /** Physical address the Load-Exclusive marked. */
  exclusivePa: number;
  /** Called after this PE's monitor was cleared by someone else's store. */
  globalMonitorCleared(): void;
}

/** watchPages flag bits (one byte per 4 KiB RAM page). */
export const WATCH_CODE = 1;
export const WATCH_EXCLUSIVE = 2;

export class GlobalMonitor {
  private readonly clients: MonitorClient[] = [];

  constructor(private readonly ramBase: number, private readonly watchPages: Uint8Array) {}

  attach(pe: MonitorClient): void { this.clients.push(pe); }

  /** A Load-Exclusive by `pe` marked `pa` (pe.exclusivePa): watch stores to its RAM page. */
  arm(pa: number): void {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.watchPages.length * 4096) this.watchPages[Math.floor(off / 4096)] |= WATCH_EXCLUSIVE;
  }

  /**
   * A store of `size` bytes at RAM offset `off` (within one page, whose WATCH_EXCLUSIVE bit is
   * set) by `by` (undefined: not a PE). Clears every other PE's monitor whose granule it
   * touches; drops the page's bit when no armed monitor remains in the page.
   */
  stored(off: number, size: number, by: unknown): void {
    const first = off >>> ERG_SHIFT, last = (off + size - 1) >>> ERG_SHIFT, page = off >>> 12;
    let armedInPage = false;
    for (const pe of this.clients) {
      if (!pe.exclusiveValid) continue;
      const pOff = pe.exclusivePa - this.ramBase;
      const g = Math.floor(pOff / (1 << ERG_SHIFT));
      if (pe !== by && g >= first && g <= last) {
        pe.exclusiveValid = false;
        pe.globalMonitorCleared();
      } else if (Math.floor(pOff / 4096) === page) {
        armedInPage = true;
      }
    }
    if (!armedInPage) this.watchPages[page] &= ~WATCH_EXCLUSIVE;
  }
}
