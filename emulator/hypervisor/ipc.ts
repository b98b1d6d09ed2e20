// Inter-domain communication in Bao's model, configured in the system file: shared-memory
// regions (`shmem`) are host RAM mapped by stage 2 into the owner and every borrower at the
// region's IPA; event channels (`evtchn`) bind a port of one domain to a port of another, and the
// hvlab_evtchn_notify hypercall on one end raises the other end's configured interrupt (a
// doorbell). Nothing else is shared: each region's pages are in the stage 2 of exactly the
// domains the system file names.
import type { EventChannel, SharedMemoryRegion } from '../config/types';
import type { Domain } from './domain';
import type { MemoryLayout } from './memory-layout';
import { RW, S2_NORMAL } from './stage2';
import type { PhysicalMemory } from '../cpu/physical-memory';

/**
 * Where regions go when the system file gives no gpa: from 2 GiB up, one after another (2 MiB
 * aligned). Guest RAM starts at 1 GiB, so a domain with more than 1 GiB should fix its gpa.
 */
export const SHMEM_DEFAULT_IPA = 0x80000000;

/** The interrupt a doorbell raises when the system file does not say: Xen's event-channel PPI. */
export const EVTCHN_DEFAULT_INTID = 31;

export interface SharedRegion { desc: SharedMemoryRegion; pa: number; ipa: number }

export interface ChannelEnd { domain: string; port: number; intid: number }

export class Ipc {
  readonly regions: SharedRegion[] = [];
  /** (domain, local port) -> the other end. */
  private readonly peers = new Map<string, ChannelEnd>();

  constructor(shm: readonly SharedMemoryRegion[], channels: readonly EventChannel[], mem: PhysicalMemory, layout: MemoryLayout) {
    let nextIpa = SHMEM_DEFAULT_IPA;
    for (const r of shm) {
      const pa = layout.allocGuest(r.sizeBytes, `shared memory ${r.id}`);
      mem.load(pa, new Uint8Array(r.sizeBytes));
      const ipa = r.guestAddress ?? nextIpa;
      nextIpa = Math.max(nextIpa, ipa + Math.ceil(r.sizeBytes / 0x200000) * 0x200000);
      this.regions.push({ desc: r, pa, ipa });
    }
    for (const c of channels) {
      const intid = (c as EventChannel & { intid?: number }).intid ?? EVTCHN_DEFAULT_INTID;
      const peerIntid = (c as EventChannel & { peerIntid?: number }).peerIntid ?? EVTCHN_DEFAULT_INTID;
      this.peers.set(`${c.domain}:${c.port}`, { domain: c.peer, port: c.peerPort, intid: peerIntid });
      this.peers.set(`${c.peer}:${c.peerPort}`, { domain: c.domain, port: c.port, intid });
    }
  }

  /** The regions a domain takes part in. */
  regionsOf(name: string): SharedRegion[] {
    return this.regions.filter((r) => r.desc.owner === name || r.desc.borrowers.includes(name));
  }

  /** Maps the domain's regions into its stage 2 (when the domain is built). */
  mapInto(d: Domain): void {
    for (const r of this.regionsOf(d.name)) d.stage2.map(r.ipa, r.pa, r.desc.sizeBytes, S2_NORMAL, RW, `shared memory ${r.desc.id}`);
  }

  peerOf(domain: string, port: number): ChannelEnd | undefined {
    return this.peers.get(`${domain}:${port}`);
  }
}
