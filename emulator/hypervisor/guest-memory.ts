// Reading and writing guest memory named by a guest virtual address (hypercall arguments). The
// address is translated as `AT S12E1R/W` would (Arm ARM C5.5 "AT"): through the guest's own
// stage 1 (its TTBRs, TCR, SCTLR as they are on the CPU now, since the hypervisor is handling a
// trap from that guest) and the domain's stage 2. The result must land in RAM the domain owns
// (its RAM or a shared region it is part of): device memory, unmapped addresses and permission
// failures all give -EFAULT, and nothing is touched.
import type { Cpu } from '../cpu/cpu';
import { ACC_READ, ACC_WRITE, CTX_E10_1 } from '../mmu/types';

export class GuestMemoryError extends Error {}

export interface OwnedRam { pa: number; size: number }

export class GuestMemory {
  constructor(private readonly cpu: Cpu, private readonly owned: readonly OwnedRam[]) {}

  private pa(va: bigint, write: boolean): number {
    const out = this.cpu.mmu.translateVa(va, CTX_E10_1, write ? ACC_WRITE : ACC_READ);
    if (!out.ok) throw new GuestMemoryError(`guest address 0x${va.toString(16)}: ${out.fault.kind} fault at stage ${out.fault.stage}`);
    const pa = out.t.pa;
    if (!this.owned.some((r) => pa >= r.pa && pa < r.pa + r.size)) throw new GuestMemoryError(`guest address 0x${va.toString(16)} is not the domain's RAM`);
    return pa;
  }

  /** Copies `len` bytes from guest VA `va` (page by page: each page translated on its own). */
  read(va: bigint, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const a = BigInt.asUintN(64, va + BigInt(done));
      const inPage = Math.min(len - done, 4096 - Number(a & 0xfffn));
      const pa = this.pa(a, false);
      for (let i = 0; i < inPage; i++) out[done + i] = this.cpu.mem.read8(pa + i, undefined);
      done += inPage;
    }
    return out;
  }

  /** Checks every page first, then writes: a bad pointer touches nothing. */
  write(va: bigint, bytes: Uint8Array): void {
    const pas: number[] = [];
    for (let done = 0; done < bytes.length;) {
      const a = BigInt.asUintN(64, va + BigInt(done));
      const inPage = Math.min(bytes.length - done, 4096 - Number(a & 0xfffn));
      pas.push(this.pa(a, true));
      done += inPage;
    }
    let done = 0, k = 0;
    while (done < bytes.length) {
      const a = BigInt.asUintN(64, va + BigInt(done));
      const inPage = Math.min(bytes.length - done, 4096 - Number(a & 0xfffn));
      for (let i = 0; i < inPage; i++) this.cpu.mem.write8(pas[k] + i, bytes[done + i], undefined);
      done += inPage; k++;
    }
  }

  readU32(va: bigint): number {
    const b = this.read(va, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }
}
