// Memory attributes: MAIR-format bytes, the stage 2 MemAttr field, and how the two stages combine.
// Arm ARM DDI 0487 D8 (VMSAv8-64) "Memory region attributes" and "Combining the stage 1 and
// stage 2 attributes" (HCR_EL2.FWB=0; FEAT_S2FWB is not implemented).
//
// MAIR byte: high nibble = outer, low nibble = inner. High nibble 0000 = Device, with the low
// nibble 0b dd00: dd 00 nGnRnE, 01 nGnRE, 10 nGRE, 11 GRE. A Normal nibble is 0100 for
// Non-cacheable, 00RW (RW != 00) Write-Through transient, 01RW Write-Back transient, 10RW
// Write-Through, 11RW Write-Back; RW are the read/write-allocate hints.

export const ATTR_DEVICE_nGnRnE = 0x00;
/** Normal, Inner/Outer Write-Back, read/write allocate. */
export const ATTR_NORMAL_WB = 0xff;
/** Normal, Inner/Outer Non-cacheable. */
export const ATTR_NORMAL_NC = 0x44;
/** Normal, Inner/Outer Write-Through, read-allocate, non-transient (MMU-off fetches, SCTLR.I=1). */
export const ATTR_NORMAL_WT_RA = 0xee;

export const SH_NON = 0;
export const SH_OUTER = 2;
export const SH_INNER = 3;

export function isDeviceAttr(attr: number): boolean { return (attr & 0xf0) === 0; }

/** Attribute byte AttrIndx selects from a MAIR_ELx value. */
export function mairAttr(mair: bigint, index: number): number {
  return Number((mair >> BigInt(index * 8)) & 0xffn);
}

/**
 * Stage 2 MemAttr[3:0] as a MAIR-format byte (the form used for combining and for PAR_EL1).
 * MemAttr[3:2]=00 is Device with type MemAttr[1:0]; otherwise MemAttr[3:2] is the outer and
 * MemAttr[1:0] the inner cacheability (01 NC, 10 WT, 11 WB). Stage 2 has no allocation hints;
 * cacheable stage 2 nibbles are given RW-allocate so they never weaken stage 1's hints.
 * `cacheDisabled` models HCR_EL2.CD/ID: Normal stage 2 memory becomes Non-cacheable.
 */
export function s2AttrToMair(memAttr: number, cacheDisabled: boolean): number {
  const hi = (memAttr >> 2) & 3, lo = memAttr & 3;
  if (hi === 0) return lo << 2;
  if (cacheDisabled) return ATTR_NORMAL_NC;
  return (s2Nibble(hi) << 4) | s2Nibble(lo);
}

function s2Nibble(c: number): number {
  switch (c) {
    case 2: return 0b1011; // Write-Through, RW-allocate
    case 3: return 0b1111; // Write-Back, RW-allocate
    default: return 0b0100; // 01 Non-cacheable; 00 (reserved for the inner field) treated as NC
  }
}

/** One cacheability nibble of Normal memory, stage 1 combined with stage 2. */
function combineNibble(s1: number, s2: number): number {
  if (s1 === 0b0100 || s2 === 0b0100) return 0b0100; // Non-cacheable wins
  const s1type = s1 >> 2;
  if (s1type === 0b00 || s1type === 0b10) return s1; // stage 1 Write-Through
  if (s2 >> 2 === 0b10) return 0b1000 | (s1 & 3); // stage 2 WT, stage 1's allocation hints
  return s1; // both Write-Back
}

/**
 * Combined memory type: Device if either stage says Device (the more restrictive Device type:
 * nGnRnE < nGnRE < nGRE < GRE), otherwise Normal with each nibble combined.
 */
export function combineAttrs(s1: number, s2: number): number {
  const d1 = isDeviceAttr(s1), d2 = isDeviceAttr(s2);
  if (d1 || d2) {
    const t1 = d1 ? (s1 >> 2) & 3 : 3, t2 = d2 ? (s2 >> 2) & 3 : 3;
    return Math.min(t1, t2) << 2;
  }
  return (combineNibble(s1 >> 4, s2 >> 4) << 4) | combineNibble(s1 & 0xf, s2 & 0xf);
}

/** Combined shareability: Outer if either is Outer, else Inner if either is Inner. */
export function combineSh(s1: number, s2: number): number {
  if (s1 === SH_OUTER || s2 === SH_OUTER) return SH_OUTER;
  if (s1 === SH_INNER || s2 === SH_INNER) return SH_INNER;
  return SH_NON;
}

/**
 * Shareability as memory behaves (and as PAR_EL1.SH reports it, pseudocode
 * PAREncodeShareability): Device and Normal Inner+Outer Non-cacheable are Outer Shareable.
 */
export function effectiveSh(attr: number, sh: number): number {
  if (isDeviceAttr(attr) || attr === ATTR_NORMAL_NC || attr === 0x40) return SH_OUTER;
  return sh; // SH=01 is reserved (CONSTRAINED UNPREDICTABLE): reported as programmed, as QEMU does
}
