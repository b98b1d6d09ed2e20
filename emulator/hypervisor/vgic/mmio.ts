// The guest-visible GICv3 register frames of one domain (IHI 0069 chapter 12, "GIC Distributor
// register map" and "GIC Redistributor register map"), emulated from stage-2 Data Aborts: the
// distributor at IPA 0x08000000 (64 KiB) and one redistributor per vCPU from 0x080A0000
// (128 KiB each: RD_base, then SGI_base at +64 KiB), laid out as on QEMU virt. Every register a
// Linux GICv3 driver touches is here. One Security state (GICD_CTLR.DS = 1), affinity routing
// always on (ARE RAO/WI), no LPIs, no ITS. A guest reaches only its own interrupts: the state
// behind these frames is the domain's virtual interrupts, never the physical GIC.
import type { Domain, MmioHandler, Vcpu } from '../domain';
import { VirqState } from './irq-state';

export const VGICD_BASE = 0x08000000;
export const VGICD_SIZE = 0x10000;
export const VGICR_BASE = 0x080a0000;
export const VGICR_STRIDE = 0x20000;
const SGI_BASE = 0x10000;
/** INTIDs of the virtual distributor: SGIs/PPIs 0-31 per vCPU, SPIs 32-287 (QEMU virt's 256 SPIs). */
export const VGIC_NR_IRQS = 288;

const D = {
  CTLR: 0x0000, TYPER: 0x0004, IIDR: 0x0008, TYPER2: 0x000c, STATUSR: 0x0010, SETSPI_NSR: 0x0040, CLRSPI_NSR: 0x0048,
  IGROUPR: 0x0080, ISENABLER: 0x0100, ICENABLER: 0x0180, ISPENDR: 0x0200, ICPENDR: 0x0280,
  ISACTIVER: 0x0300, ICACTIVER: 0x0380, IPRIORITYR: 0x0400, ICFGR: 0x0c00, IGRPMODR: 0x0d00, NSACR: 0x0e00,
  SGIR: 0x0f00, IROUTER: 0x6000, PIDR2: 0xffe8,
} as const;
const R = { CTLR: 0x0000, IIDR: 0x0004, TYPER: 0x0008, STATUSR: 0x0010, WAKER: 0x0014, PIDR2: 0xffe8 } as const;
/** GICD_CTLR: EnableGrp0 (0), EnableGrp1 (1), ARE (4, RAO), DS (6, RAO). */
const CTLR_RAO = (1 << 4) | (1 << 6);
/** IIDR: hvlab's implementer code (JEP106 0x43b = Arm, as QEMU reports) and product 0. */
const IIDR = 0x0000043b;
/** PIDR2.ArchRev = 3 (GICv3). */
const PIDR2 = 0x3b;

/** The virtual interrupt controller state of one domain. */
export class VgicDomainState {
  ctlr = 0;
  readonly spis: VirqState[] = [];
  /** privates[vcpu][intid 0..31] */
  readonly privates: VirqState[][];
  readonly wakerSleep: boolean[];

  constructor(readonly domain: Domain) {
    for (let i = 32; i < VGIC_NR_IRQS; i++) this.spis.push(new VirqState(i, false));
    this.privates = domain.vcpus.map(() => Array.from({ length: 32 }, (_, i) => new VirqState(i, i < 16)));
    this.wakerSleep = domain.vcpus.map(() => true);
  }

  /** The state of `intid` as seen by `vcpu` (its own bank for SGIs/PPIs). */
  irq(vcpu: number, intid: number): VirqState | undefined {
    if (intid < 32) return this.privates[vcpu]?.[intid];
    return this.spis[intid - 32];
  }

  /** The vCPU an SPI is routed to (IROUTER affinity; IRM = 1 or no match: vCPU 0). */
  spiTarget(s: VirqState): Vcpu {
    const vcpus = this.domain.vcpus;
    if ((s.routeHi & 0x80000000) === 0) {
      const aff0 = s.routeLo & 0xff, aff1 = (s.routeLo >>> 8) & 0xff;
      const k = aff1 * 16 + aff0;
      if (aff0 < 16 && k < vcpus.length && (s.routeLo >>> 16) === 0 && (s.routeHi & 0xff) === 0) return vcpus[k];
    }
    return vcpus[0];
  }
}

/** Calls `f` for each interrupt of a 1-bit-per-interrupt register word (32 interrupts from `first`). */
type Bank = (intid: number) => VirqState | undefined;

function bitsRead(bank: Bank, first: number, get: (s: VirqState) => boolean): number {
  let v = 0;
  for (let b = 0; b < 32; b++) { const s = bank(first + b); if (s && get(s)) v |= 1 << b; }
  return v >>> 0;
}
function bitsWrite(bank: Bank, first: number, value: number, set: (s: VirqState) => void): void {
  for (let b = 0; b < 32; b++) if ((value >>> b) & 1) { const s = bank(first + b); if (s) set(s); }
}

/** Hooks the MMIO emulation needs back into the vGIC (state changed: deliver, maybe kick). */
export interface VgicMmioHost {
  changed(vcpu: Vcpu | undefined): void;
  log(message: string): void;
}

/**
 * The registers common to GICD (SPIs) and GICR SGI_base (SGIs/PPIs of one vCPU): groups,
 * enables, pending, active, priorities, configuration. Returns undefined for other offsets.
 */
function bankRead(bank: Bank, base: number, off: number, size: number): number | undefined {
  if (off >= D.IPRIORITYR && off < D.IPRIORITYR + VGIC_NR_IRQS) {
    let v = 0;
    for (let i = 0; i < size; i++) v |= (bank(off - D.IPRIORITYR + i)?.priority ?? 0) << (8 * i);
    return v >>> 0;
  }
  if (size !== 4) return undefined;
  const word = (reg: number): number => base + ((off - reg) >>> 2) * 32;
  const inRange = (reg: number, n: number): boolean => off >= reg && off < reg + n;
  if (inRange(D.IGROUPR, 0x80)) return bitsRead(bank, word(D.IGROUPR), (s) => s.group === 1);
  if (inRange(D.ISENABLER, 0x80)) return bitsRead(bank, word(D.ISENABLER), (s) => s.enabled);
  if (inRange(D.ICENABLER, 0x80)) return bitsRead(bank, word(D.ICENABLER), (s) => s.enabled);
  if (inRange(D.ISPENDR, 0x80)) return bitsRead(bank, word(D.ISPENDR), (s) => s.pending);
  if (inRange(D.ICPENDR, 0x80)) return bitsRead(bank, word(D.ICPENDR), (s) => s.pending);
  if (inRange(D.ISACTIVER, 0x80)) return bitsRead(bank, word(D.ISACTIVER), (s) => s.active);
  if (inRange(D.ICACTIVER, 0x80)) return bitsRead(bank, word(D.ICACTIVER), (s) => s.active);
  if (inRange(D.ICFGR, 0x100)) {
    const first = base + ((off - D.ICFGR) >>> 2) * 16;
    let v = 0;
    for (let k = 0; k < 16; k++) if (bank(first + k)?.edge) v |= 2 << (2 * k);
    return v >>> 0;
  }
  if (inRange(D.IGRPMODR, 0x80) || inRange(D.NSACR, 0x100)) return 0;
  return undefined;
}

function bankWrite(bank: Bank, base: number, off: number, size: number, value: number, sgiFrame: boolean): boolean {
  if (off >= D.IPRIORITYR && off < D.IPRIORITYR + VGIC_NR_IRQS) {
    // The implemented priority bits are the ICH_VTR_EL2.PRIbits ones (5: mask 0xf8), as hardware.
    for (let i = 0; i < size; i++) { const s = bank(off - D.IPRIORITYR + i); if (s) s.priority = (value >>> (8 * i)) & 0xf8; }
    return true;
  }
  if (size !== 4) return false;
  const word = (reg: number): number => base + ((off - reg) >>> 2) * 32;
  const inRange = (reg: number, n: number): boolean => off >= reg && off < reg + n;
  if (inRange(D.IGROUPR, 0x80)) {
    for (let b = 0; b < 32; b++) { const s = bank(word(D.IGROUPR) + b); if (s) s.group = (value >>> b) & 1; }
    return true;
  }
  if (inRange(D.ISENABLER, 0x80)) { bitsWrite(bank, word(D.ISENABLER), value, (s) => { s.enabled = true; }); return true; }
  if (inRange(D.ICENABLER, 0x80)) { bitsWrite(bank, word(D.ICENABLER), value, (s) => { s.enabled = false; }); return true; }
  if (inRange(D.ISPENDR, 0x80)) { bitsWrite(bank, word(D.ISPENDR), value, (s) => { s.pendingLatch = true; }); return true; }
  if (inRange(D.ICPENDR, 0x80)) { bitsWrite(bank, word(D.ICPENDR), value, (s) => { s.pendingLatch = false; }); return true; }
  if (inRange(D.ISACTIVER, 0x80)) { bitsWrite(bank, word(D.ISACTIVER), value, (s) => { s.active = true; }); return true; }
  if (inRange(D.ICACTIVER, 0x80)) { bitsWrite(bank, word(D.ICACTIVER), value, (s) => { s.active = false; }); return true; }
  if (inRange(D.ICFGR, 0x100)) {
    const first = base + ((off - D.ICFGR) >>> 2) * 16;
    for (let k = 0; k < 16; k++) {
      const s = bank(first + k);
      // SGIs are always edge-triggered (ICFGR0 is read-only in the SGI frame).
      if (s && !(sgiFrame && s.intid < 16)) s.edge = ((value >>> (2 * k + 1)) & 1) === 1;
    }
    return true;
  }
  if (inRange(D.IGRPMODR, 0x80) || inRange(D.NSACR, 0x100)) return true; // one Security state: RAZ/WI
  return false;
}

/** The distributor frame. */
export class VgicDistributorMmio implements MmioHandler {
  readonly name = 'vgic distributor';
  readonly base = VGICD_BASE;
  readonly size = VGICD_SIZE;

  constructor(private readonly st: VgicDomainState, private readonly host: VgicMmioHost) {}

  /** SPIs only: with affinity routing the distributor's SGI/PPI bits are RAZ/WI (IHI 0069 12.9). */
  private readonly bank: Bank = (intid) => (intid >= 32 ? this.st.irq(0, intid) : undefined);

  read(_v: Vcpu, off: number, size: number): bigint {
    if (size === 8) return (this.read(_v, off + 4, 4) << 32n) | this.read(_v, off, 4);
    if (off >= D.IROUTER + 32 * 8 && off < D.IROUTER + VGIC_NR_IRQS * 8 && size === 4) {
      const s = this.st.spis[((off - D.IROUTER) >>> 3) - 32];
      return BigInt(((off & 4) ? s.routeHi : s.routeLo) >>> 0);
    }
    switch (off) {
      case D.CTLR: return BigInt((this.st.ctlr | CTLR_RAO) >>> 0);
      // TYPER: ITLinesNumber = 288/32 - 1 = 8, CPUNumber = 0 (ARE), IDbits = 9 (10-bit INTIDs),
      // no LPIs/MBIS, Security extension not implemented (SecurityExtn = 0), A3V = 0.
      case D.TYPER: return BigInt((VGIC_NR_IRQS / 32 - 1) | (9 << 19));
      case D.IIDR: return BigInt(IIDR);
      case D.TYPER2: case D.STATUSR: return 0n;
      case D.PIDR2: return BigInt(PIDR2);
    }
    const v = bankRead(this.bank, 0, off, size);
    if (v !== undefined) return BigInt(v);
    return 0n; // reserved and IMPLEMENTATION DEFINED offsets read as zero, as on hardware
  }

  write(v: Vcpu, off: number, size: number, value: bigint): void {
    if (size === 8) { this.write(v, off, 4, value & 0xffffffffn); this.write(v, off + 4, 4, value >> 32n); return; }
    const x = Number(value & 0xffffffffn);
    if (off >= D.IROUTER + 32 * 8 && off < D.IROUTER + VGIC_NR_IRQS * 8 && size === 4) {
      const s = this.st.spis[((off - D.IROUTER) >>> 3) - 32];
      // Aff0..Aff2 in the low word, Aff3 in bits 39:32, IRM in bit 31.
      if (off & 4) s.routeHi = x & 0xff; else s.routeLo = x & 0x80ffffff;
      this.host.changed(undefined);
      return;
    }
    switch (off) {
      case D.CTLR: this.st.ctlr = x & 3; this.host.changed(undefined); return;
      case D.SETSPI_NSR: case D.CLRSPI_NSR: {
        const s = x >= 32 && x < VGIC_NR_IRQS ? this.st.spis[x - 32] : undefined;
        if (s && !s.edge) { s.pendingLatch = off === D.SETSPI_NSR; this.host.changed(undefined); }
        return;
      }
    }
    if (bankWrite(this.bank, 0, off, size, x, false)) { this.host.changed(undefined); return; }
    this.host.log(`${v.label}: write 0x${x.toString(16)} to read-only or reserved GICD offset 0x${off.toString(16)} ignored`);
  }
}

/** The redistributor frames of every vCPU of the domain. */
export class VgicRedistributorMmio implements MmioHandler {
  readonly name = 'vgic redistributors';
  readonly base = VGICR_BASE;
  readonly size: number;

  constructor(private readonly st: VgicDomainState, private readonly host: VgicMmioHost) {
    this.size = st.domain.vcpus.length * VGICR_STRIDE;
  }

  read(v: Vcpu, offset: number, size: number): bigint {
    if (size === 8) return (this.read(v, offset + 4, 4) << 32n) | this.read(v, offset, 4);
    const k = Math.floor(offset / VGICR_STRIDE), off = offset % VGICR_STRIDE;
    const target = this.st.domain.vcpus[k];
    if (off < SGI_BASE) {
      switch (off) {
        case R.CTLR: case R.STATUSR: return 0n;
        case R.IIDR: return BigInt(IIDR);
        // TYPER: Processor_Number (23:8), Last (4) on the final frame; affinity in the high word.
        case R.TYPER: return BigInt((k << 8) | (k === this.st.domain.vcpus.length - 1 ? 1 << 4 : 0));
        case R.TYPER + 4: return (target.mpidr & 0xffffffn) | ((target.mpidr >> 8n) & 0xff000000n);
        case R.WAKER: return BigInt(this.st.wakerSleep[k] ? 6 : 0); // ProcessorSleep, ChildrenAsleep follows it
        case R.PIDR2: return BigInt(PIDR2);
        default: return 0n;
      }
    }
    const r = bankRead((i) => (i < 32 ? this.st.privates[k][i] : undefined), 0, off - SGI_BASE, size);
    return BigInt(r ?? 0);
  }

  write(v: Vcpu, offset: number, size: number, value: bigint): void {
    if (size === 8) { this.write(v, offset, 4, value & 0xffffffffn); this.write(v, offset + 4, 4, value >> 32n); return; }
    const k = Math.floor(offset / VGICR_STRIDE), off = offset % VGICR_STRIDE;
    const x = Number(value & 0xffffffffn);
    if (off < SGI_BASE) {
      if (off === R.WAKER) { this.st.wakerSleep[k] = (x & 2) !== 0; return; }
      if (off === R.CTLR) return; // EnableLPIs is RES0 without LPIs
      this.host.log(`${v.label}: write 0x${x.toString(16)} to read-only GICR offset 0x${off.toString(16)} ignored`);
      return;
    }
    if (bankWrite((i) => (i < 32 ? this.st.privates[k][i] : undefined), 0, off - SGI_BASE, size, x, true)) {
      this.host.changed(this.st.domain.vcpus[k]);
      return;
    }
    this.host.log(`${v.label}: write 0x${x.toString(16)} to reserved GICR SGI offset 0x${(off - SGI_BASE).toString(16)} ignored`);
  }
}
