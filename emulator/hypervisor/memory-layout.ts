// Where the hypervisor puts things in physical RAM. The board's RAM is split in two:
//   [RAM base, RAM end - reserve)   domains' RAM and shared-memory regions, allocated upwards
//                                   in 2 MiB-aligned blocks (so stage 2 can use block mappings);
//   [RAM end - reserve, RAM end)    the hypervisor's own RAM (HYPERVISOR_RESERVE_BYTES, the
//                                   figure the config validator subtracts): its code stubs and
//                                   vectors, then a pool of 4 KiB pages for stage-2 tables.
// Nothing the hypervisor keeps in RAM is mapped into any domain's stage 2, so no guest can reach
// it (the isolation tests check this).
import { HYPERVISOR_RESERVE_BYTES } from '../config/platform';

export const PAGE = 4096;
const BLOCK = 2 * 1024 * 1024;

/** Offsets inside the hypervisor's reserve. */
export const HV_STUB_OFFSET = 0x0000;   // per-pCPU entry (boot and PSCI CPU_ON) and idle loop
export const HV_VECTORS_OFFSET = 0x1000; // VBAR_EL2 (2 KiB aligned)
const HV_POOL_OFFSET = 0x10000;

export class MemoryLayout {
  readonly reserveBase: number;
  private nextGuest: number;
  private nextTable: number;

  constructor(readonly ramBase: number, readonly ramSize: number, readonly reserveBytes = HYPERVISOR_RESERVE_BYTES) {
    if (ramSize <= reserveBytes) throw new Error(`hypervisor: ${ramSize >>> 20} MiB of RAM leaves nothing beside the hypervisor's ${reserveBytes >>> 20} MiB`);
    this.reserveBase = ramBase + ramSize - reserveBytes;
    this.nextGuest = ramBase;
    this.nextTable = this.reserveBase + HV_POOL_OFFSET;
  }

  get stubAddress(): number { return this.reserveBase + HV_STUB_OFFSET; }
  get vectorsAddress(): number { return this.reserveBase + HV_VECTORS_OFFSET; }

  /** Host RAM for a domain or a shared region: 2 MiB aligned, zeroed by the caller's loader. */
  allocGuest(bytes: number, what: string): number {
    const size = Math.ceil(bytes / BLOCK) * BLOCK;
    const pa = this.nextGuest;
    if (pa + size > this.reserveBase) {
      throw new Error(`hypervisor: no RAM left for ${what} (${bytes >>> 20} MiB asked, ${(this.reserveBase - pa) >>> 20} MiB free)`);
    }
    this.nextGuest += size;
    return pa;
  }

  /** One zeroed 4 KiB page of the hypervisor's pool (stage-2 tables). */
  allocTablePage(zero: (pa: number) => void): number {
    const pa = this.nextTable;
    if (pa + PAGE > this.ramBase + this.ramSize) throw new Error('hypervisor: out of page-table memory in its reserve');
    this.nextTable += PAGE;
    zero(pa);
    return pa;
  }

  /** Bytes of the pool used so far (for --stats). */
  get tableBytes(): number { return this.nextTable - (this.reserveBase + HV_POOL_OFFSET); }
}
