// Shared helpers for the GICv3 unit tests: build a GIC, poke its MMIO frames like software does,
// and access the system registers through the same table and checks the CPU uses.
import { strict as assert } from 'node:assert';
import { GicV3 } from '../../emulator/devices/gic/gicv3';
import { GICD } from '../../emulator/devices/gic/distributor';
import { GICR, GICR_FRAME_SIZE, SGI_BASE } from '../../emulator/devices/gic/redistributor';
import {
  GIC_ACCESS, gicSysregByName, gicSysregCheck, type GicAccessContext,
} from '../../emulator/devices/gic/sysregs';

/** Non-secure EL1 with EL2 enabled, HCR_EL2.IMO/FMO clear: the physical interface. */
export const EL1: GicAccessContext = { el: 1, el2Enabled: true, imo: false, fmo: false, scrIrq: false, scrFiq: false };
/** A guest at EL1 with HCR_EL2.IMO and FMO set: ICC_ accesses reach ICV_. */
export const GUEST: GicAccessContext = { ...EL1, imo: true, fmo: true };
export const EL2: GicAccessContext = { ...EL1, el: 2 };
export const EL3: GicAccessContext = { ...EL1, el: 3 };

export interface Rig { gic: GicV3; changes: number[] }

export function makeGic(cpus = 2): Rig {
  const changes: number[] = [];
  const gic = new GicV3({ cpus, onLines: (c) => changes.push(c) });
  return { gic, changes };
}

// ---- MMIO
export const dread = (g: GicV3, off: number, size = 4): number => g.distributor.read(off, size) >>> 0;
export const dwrite = (g: GicV3, off: number, v: number, size = 4): void => g.distributor.write(off, size, v | 0);
export const rread = (g: GicV3, cpu: number, off: number, size = 4): number =>
  g.redistributors.read(cpu * GICR_FRAME_SIZE + off, size) >>> 0;
export const rwrite = (g: GicV3, cpu: number, off: number, v: number, size = 4): void =>
  g.redistributors.write(cpu * GICR_FRAME_SIZE + off, size, v | 0);
/** SGI_base frame register of CPU `cpu`. */
export const sread = (g: GicV3, cpu: number, off: number, size = 4): number => rread(g, cpu, SGI_BASE + off, size);
export const swrite = (g: GicV3, cpu: number, off: number, v: number, size = 4): void => rwrite(g, cpu, SGI_BASE + off, v, size);

// ---- system registers, through the access check as the CPU does
export function sysread(g: GicV3, cpu: number, name: string, ctx: GicAccessContext = EL1): bigint {
  const def = gicSysregByName(name);
  assert.ok(def, `no GIC register ${name}`);
  assert.equal(gicSysregCheck(g.cpus[cpu], def, ctx, true), GIC_ACCESS.OK, `MRS ${name} not permitted`);
  return def.read!(g.cpus[cpu], ctx);
}
export function syswrite(g: GicV3, cpu: number, name: string, value: bigint | number, ctx: GicAccessContext = EL1): void {
  const def = gicSysregByName(name);
  assert.ok(def, `no GIC register ${name}`);
  assert.equal(gicSysregCheck(g.cpus[cpu], def, ctx, false), GIC_ACCESS.OK, `MSR ${name} not permitted`);
  def.write!(g.cpus[cpu], ctx, BigInt(value));
}
export const iar1 = (g: GicV3, cpu: number, ctx = EL1): number => Number(sysread(g, cpu, 'ICC_IAR1_EL1', ctx));
export const iar0 = (g: GicV3, cpu: number, ctx = EL1): number => Number(sysread(g, cpu, 'ICC_IAR0_EL1', ctx));
export const eoir1 = (g: GicV3, cpu: number, id: number, ctx = EL1): void => syswrite(g, cpu, 'ICC_EOIR1_EL1', id, ctx);

/** Boot-time setup Linux does: wake each redistributor, enable both groups, PMR open, IGRPEN. */
export function bringUp(g: GicV3): void {
  dwrite(g, GICD.CTLR, 0x3);
  for (let c = 0; c < g.numCpus; c++) {
    rwrite(g, c, GICR.WAKER, 0);
    syswrite(g, c, 'ICC_PMR_EL1', 0xff);
    syswrite(g, c, 'ICC_IGRPEN1_EL1', 1);
    syswrite(g, c, 'ICC_IGRPEN0_EL1', 1);
  }
}

/** Configures SPI `id`: Group 1 unless `group` 0, priority, edge/level, routed to `aff`, enabled. */
export function setupSpi(g: GicV3, id: number, o: { prio?: number; group?: number; edge?: boolean; aff?: number; irm?: boolean } = {}): void {
  const word = id >> 5, bit = 1 << (id & 31);
  const grp = dread(g, GICD.IGROUPR + 4 * word);
  dwrite(g, GICD.IGROUPR + 4 * word, (o.group ?? 1) ? grp | bit : grp & ~bit);
  dwrite(g, GICD.IPRIORITYR + id, o.prio ?? 0xa0, 1);
  const cfgOff = GICD.ICFGR + 4 * (id >> 4), sh = 2 * (id & 15) + 1;
  const cfg = dread(g, cfgOff);
  dwrite(g, cfgOff, o.edge ? cfg | (1 << sh) : cfg & ~(1 << sh));
  const aff = o.aff ?? 0;
  dwrite(g, GICD.IROUTER + 8 * id, (aff & 0xffffff) | (o.irm ? 1 << 31 : 0));
  dwrite(g, GICD.IROUTER + 8 * id + 4, aff >>> 24);
  dwrite(g, GICD.ISENABLER + 4 * word, bit);
}

/** Configures private interrupt `id` of `cpu`: Group 1 unless `group` 0, priority, enabled. */
export function setupPrivate(g: GicV3, cpu: number, id: number, o: { prio?: number; group?: number } = {}): void {
  const grp = sread(g, cpu, GICR.IGROUPR0);
  swrite(g, cpu, GICR.IGROUPR0, (o.group ?? 1) ? grp | (1 << id) : grp & ~(1 << id));
  swrite(g, cpu, GICR.IPRIORITYR + id, o.prio ?? 0xa0, 1);
  swrite(g, cpu, GICR.ISENABLER0, 1 << id);
}
