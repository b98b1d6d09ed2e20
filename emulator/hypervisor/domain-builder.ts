// Builds a domain from its validated description (Xen's xen/arch/arm/domain_build.c and
// libxl's arm side do this work): allocates its RAM from board RAM, maps it by stage 2 at
// IPA 0x40000000 (QEMU virt's RAM base, so a guest built for the bare board runs unchanged),
// loads the kernel (ELF, or arm64 Image with an optional ramdisk) with the same loaders the
// bare board uses, writes the guest's device tree, and sets vCPU 0 at the entry: EL1h, MMU off,
// D A I F masked, x0 = the DTB (Linux boot protocol, Documentation/arm64/booting.rst).
import { readFileSync } from 'node:fs';
import type { PhysicalMemory } from '../cpu/physical-memory';
import type { DomainDescription } from '../config/types';
import { GUEST_RAM_BASE } from '../config/platform';
import { planKernelBoot, type LoadPlan } from '../machine/loaders/image';
import { writeDtb } from '../machine/fdt';
import { Domain, Vcpu } from './domain';
import type { MemoryLayout } from './memory-layout';
import { Stage2Tables, S2_NORMAL, RWX } from './stage2';
import { buildDomainDtb, type DomainDtbExtras } from './domain-dtb';

export interface BuiltDomain { domain: Domain; plan: LoadPlan }

function readInput(path: string, what: string, domain: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`domain ${domain}: ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** Allocates and maps a new domain (its RAM zeroed), without loading anything yet. */
export function createDomain(mem: PhysicalMemory, layout: MemoryLayout, id: number, desc: DomainDescription, vmid: number): Domain {
  const ramPa = layout.allocGuest(desc.memoryBytes, `domain ${desc.name}`);
  const s2 = new Stage2Tables(mem, layout);
  s2.map(GUEST_RAM_BASE, ramPa, desc.memoryBytes, S2_NORMAL, RWX, `${desc.name} RAM`);
  const d = new Domain(id, desc, vmid, ramPa, desc.memoryBytes, s2);
  for (let i = 0; i < desc.maxVcpus; i++) d.vcpus.push(new Vcpu(d, i, desc.cpuAffinity[i] ?? []));
  return d;
}

/**
 * Loads the kernel and DTB into the domain's RAM (zeroing it first: a restart starts clean) and
 * resets every vCPU; vCPU 0 is left ready to enter the kernel. Returns the load plan.
 */
export function loadDomain(mem: PhysicalMemory, d: Domain, extras: DomainDtbExtras): LoadPlan {
  const desc = d.desc;
  const kernel = readInput(desc.kernel, 'kernel', desc.name);
  const initrd = desc.ramdisk !== undefined ? readInput(desc.ramdisk, 'ramdisk', desc.name) : undefined;
  const plan = planKernelBoot({
    kernel, kernelName: desc.kernel, initrd, initrdName: desc.ramdisk, ramBase: GUEST_RAM_BASE, ramSize: desc.memoryBytes,
    dtb: (i) => writeDtb(buildDomainDtb(desc, i.initrdStart !== undefined ? { start: i.initrdStart, end: i.initrdEnd! } : undefined, extras)),
  });
  // Zero the RAM, then copy the segments (IPA -> host PA is a constant offset inside the block).
  const zero = new Uint8Array(1 << 20);
  for (let off = 0; off < d.ramSize; off += zero.length) mem.load(d.ramPa + off, zero.subarray(0, Math.min(zero.length, d.ramSize - off)));
  for (const s of plan.segments) mem.load(d.ramPa + (s.pa - GUEST_RAM_BASE), s.bytes);
  for (const v of d.vcpus) {
    v.ctx.reset();
    v.state = 'offline';
  }
  const boot = d.vcpus[0].ctx;
  boot.pc = BigInt(plan.entry);
  // Xen passes the DTB in x0 for every kernel; the bare board (QEMU) does so for Images only.
  boot.x[0] = BigInt(plan.dtbAddress ?? 0);
  return plan;
}
