// GICv3 architectural numbers shared by the distributor, the redistributors and the CPU
// interface (GIC Architecture Specification, IHI 0069). Only facts and this implementation's
// fixed configuration live here; no behaviour.

/** INTIDs 0..15 are SGIs, 16..31 PPIs (private to a PE); SPIs start at 32 (IHI 0069, "INTIDs"). */
export const GIC_INTERNAL = 32;
export const GIC_NR_SGIS = 16;

/** Special INTIDs (IHI 0069, "INTIDs": special interrupt numbers). */
export const INTID_SECURE = 1020;     // EL3 only: a Secure Group 1 interrupt is pending
export const INTID_NONSECURE = 1021;  // EL3 only: a Non-secure Group 1 interrupt is pending
export const INTID_LEGACY = 1022;     // only with affinity routing disabled: never returned here
export const INTID_SPURIOUS = 1023;
/** First LPI INTID; LPIs are not implemented (GICD_TYPER.LPIS = 0). */
export const LPI_INTID_START = 8192;

/** QEMU `virt`: NUM_IRQS = 256 SPIs + 32 private INTIDs (hw/arm/virt.c). */
export const VIRT_NUM_IRQ = 288;

/** Maintenance interrupt of the virtual CPU interface: PPI 9 = INTID 25 (Arm BSA, QEMU virt). */
export const MAINTENANCE_INTID = 25;

/** "No pending interrupt" marker for the cached highest-priority pending priority. */
export const NO_PRIO = 0x100;
/** Idle running priority (no active interrupt), IHI 0069 ICC_RPR_EL1. */
export const IDLE_PRIO = 0xff;

// ---- Physical CPU interface configuration, as QEMU 7.2's Cortex-A53/A57/max CPU interface (a
// guest writing 0xff to ICC_PMR_EL1 reads back 0xf8 on QEMU): 5 priority bits, 5 bits of group
// priority (minimum BPR0 = 2, BPR1 = 3) and 32 active-priority bits in one AP0R/AP1R register.
export const PRI_BITS = 5;
export const PRE_BITS = 5;
export const MIN_BPR0 = 7 - PRE_BITS;      // 2
export const MIN_BPR1 = MIN_BPR0 + 1;      // 3 (IHI 0069 ICC_BPR1_EL1: minimum is BPR0's + 1)
export const NUM_APR = 1 << (PRE_BITS - 5); // 1

// ---- Virtual CPU interface configuration: like QEMU's Cortex-A53/A57 models — 4 list
// registers, 5 bits of virtual priority and 5 bits of virtual preemption (one ICH_AP0R/AP1R).
export const NUM_LRS = 4;
export const VPRI_BITS = 5;
export const VPRE_BITS = 5;
export const MIN_VBPR0 = 7 - VPRE_BITS;    // 2
export const MIN_VBPR1 = MIN_VBPR0 + 1;    // 3
export const VPRIO_MASK = (0xff << (8 - VPRI_BITS)) & 0xff; // 0xf8

// ---- GICD_CTLR with GICD_CTLR.DS == 1 (IHI 0069 GICD_CTLR, the view when DS == 1)
export const GICD_CTLR_EN_GRP0 = 1 << 0;
export const GICD_CTLR_EN_GRP1 = 1 << 1;
export const GICD_CTLR_ARE = 1 << 4;
export const GICD_CTLR_DS = 1 << 6;

// ---- GICR_WAKER (IHI 0069 GICR_WAKER)
export const WAKER_PROCESSOR_SLEEP = 1 << 1;
export const WAKER_CHILDREN_ASLEEP = 1 << 2;

/** GICD_IIDR / GICR_IIDR: Arm (JEP106 0x43b), ProductID 0, r0p0 — the values QEMU reports. */
export const GIC_IIDR = 0x43b;
/**
 * CoreSight ID registers at 0xFFD0..0xFFFC of both frames: PIDR4..7, PIDR0..3, CIDR0..3.
 * PIDR2 = 0x3b: ArchRev (bits [7:4]) = 3 for GICv3, JEDEC bit and JEP106 ID bits.
 * PIDR0 differs per frame (0x92 distributor, 0x93 redistributor), as on GIC-600 and QEMU.
 */
export const GIC_ID_REGS = [0x44, 0x00, 0x00, 0x00, -1, 0xb4, 0x3b, 0x00, 0x0d, 0xf0, 0x05, 0xb1] as const;
export const PIDR0_DIST = 0x92;
export const PIDR0_REDIST = 0x93;
export const ID_REGS_OFFSET = 0xffd0;

/** Reads one CoreSight ID register word at `off` (0xFFD0..0xFFFC) of a frame. */
export function gicIdReg(off: number, pidr0: number): number {
  const i = (off - ID_REGS_OFFSET) >> 2;
  if (i < 0 || i >= GIC_ID_REGS.length) return 0;
  return i === 4 ? pidr0 : GIC_ID_REGS[i];
}

/** Count of trailing zeros of a 32-bit value (32 for 0). */
export function ctz32(v: number): number {
  return v === 0 ? 32 : 31 - Math.clz32(v & -v);
}
