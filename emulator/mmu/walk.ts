// Stage 1 and stage 2 translation table walks for VMSAv8-64 (Arm ARM DDI 0487 D8, pseudocode
// AArch64.S1Translate / AArch64.S2Translate / AArch64.TranslationTableWalk), ARMv8.0 plus
// FEAT_PAN and, optionally, FEAT_VHE's EL2&0 regime. 4 KiB, 16 KiB and 64 KiB granules,
// 48-bit VA, output limited by TCR.{I}PS and PAMax (no FEAT_LPA/LPA2, no FEAT_HAFDBS: the
// Access flag is never set by hardware, AF=0 faults; no FEAT_HPDS, FEAT_TTST, FEAT_XNX, FWB).
// Little-endian walks only (SCTLR_ELx.EE=1 is not modelled).
//
// Integration (cold path: TLB misses, AT, the debugger):
//
//   const mmu = new Mmu(physicalMemory, cpuRegsAsMmuRegs, { paBits: 40, haveEl2: true, haveEl3: true, vhe: false });
//   const ctx = mmu.contextFor(currentEl, pstatePan);          // after every EL/PAN/HCR change
//   const out = mmu.translate({ lo, hi, ctx, access: ACC_WRITE, unaligned });
//   if (!out.ok) raise a Data/Instruction Abort from out.fault (fsc(), hpfar() in fault.ts);
//   else tlb.fill(table, lo, hi, out.t) and access out.t.pa.
//
// Choices where the architecture leaves room (they follow QEMU, the differential reference):
//   - TxSZ outside [16, 39] (or, for VTCR_EL2, an SL0/T0SZ mismatch): Translation fault, level 0.
//   - TG0/TG1 reserved encodings: 4 KiB granule.
//   - A walk reading an address where nothing is mapped: synchronous external abort on
//     translation table walk at that level (FSC 0b0101LL).
// One deliberate difference from QEMU 7.2: a stage 2 fault on a stage 1 walk's descriptor read
// reports the stage 2 lookup level (AArch64.S2Translate returns the stage 2 fault as is); QEMU
// overwrites it with the stage 1 level.
import type { PhysicalMemory } from '../cpu/physical-memory';
import {
  ATTR_DEVICE_nGnRnE, ATTR_NORMAL_NC, ATTR_NORMAL_WB, ATTR_NORMAL_WT_RA, SH_NON, SH_OUTER,
  combineAttrs, combineSh, effectiveSh, isDeviceAttr, mairAttr, s2AttrToMair,
} from './attrs';
import {
  ACC_FETCH, ACC_READ, ACC_WRITE, CTX_E10_0, CTX_E10_1, CTX_E10_1_PAN, CTX_E2, CTX_E20_0, CTX_E20_2,
  CTX_E20_2_PAN, CTX_E3, DEFAULT_MMU_CONFIG, PERM_R, PERM_W, PERM_X, ctxHasPan, ctxIsUnprivileged,
  ctxRegime, type AccessKind, type FaultKind, type MmuConfig, type MmuRegs, type Regime,
  type TranslateOutcome, type TranslateRequest, type Translation,
} from './types';

const TWO32 = 4294967296;
const POW2: number[] = Array.from({ length: 64 }, (_, i) => 2 ** i);

// HCR_EL2 bits the MMU uses (Arm ARM D17 HCR_EL2), in a number: bit positions as in the register
// for the low word, E2H/CD/ID moved down from bits 32..34.
const HCR_VM = 1 << 0;
const HCR_PTW = 1 << 2;
const HCR_DC = 1 << 12;
const HCR_TGE = 1 << 27;
const HCR_CD = 1 << 28; // register bit 32
const HCR_ID = 1 << 29; // register bit 33
const HCR_E2H = 1 << 30; // register bit 34

/** TCR.{I}PS / VTCR.PS / ID_AA64MMFR0.PARange encodings (Arm ARM D17). 6+ exceed v8.0 PAMax. */
const PS_BITS = [32, 36, 40, 42, 44, 48, 52, 52];

/** Fault while walking: thrown internally, turned into an MmuFault by translate(). */
class WalkFault {
  constructor(readonly kind: FaultKind, readonly stage: 1 | 2, readonly level: number,
    readonly s1ptw: boolean, readonly ipa: number | undefined) {}
}

/** The leaf a table walk reached. */
interface Leaf {
  /** The descriptor, as two int32 halves. */
  lo: number; hi: number;
  level: number;
  /** Output address of the input address (block/page base + offset). */
  oa: number;
  /** log2 of the block/page size. */
  shift: number;
  /** Accumulated table attributes (stage 1): bit 27 PXNTable .. bit 31 NSTable of the high word. */
  table: number;
}

/** Walk geometry for one stage. */
interface Geometry {
  grain: number; // 12, 14 or 16
  stride: number; // grain - 3
  inputBits: number;
  outBits: number;
  level: number; // start level
  base: number; // start table address
}

interface S2Result {
  pa: number; memAttr: number; sh: number; perms: number; shift: number; level: number;
}

export class Mmu {
  constructor(readonly mem: PhysicalMemory, readonly regs: MmuRegs, readonly cfg: MmuConfig = DEFAULT_MMU_CONFIG) {}

  // ------------------------------------------------------------------ state helpers

  /** The granule (log2 size) a TGx field selects, given what is implemented (MmuConfig.tgran16). */
  private granule(grain: number): number { return grain === 14 && this.cfg.tgran16 === false ? 12 : grain; }

  /** Security state of EL0/EL1 (EL3 implemented and SCR_EL3.NS=0 means Secure). */
  secureBelowEl3(): boolean { return this.cfg.haveEl3 && (this.regs.scrEl3 & 1n) === 0n; }

  /**
   * HCR_EL2 as it acts on translation (QEMU arm_hcr_el2_eff): 0 when EL2 is not implemented or
   * in Secure state (no Secure EL2 in v8.0); E2H ignored without FEAT_VHE; with TGE=1, PTW reads
   * as 0, and with {E2H,TGE}={1,1} also VM, DC, CD, ID.
   */
  hcrEffective(): number {
    if (!this.cfg.haveEl2 || this.secureBelowEl3()) return 0;
    const h = this.regs.hcrEl2;
    const lo = Number(h & 0xffffffffn), hi = Number((h >> 32n) & 7n);
    let r = (lo & (HCR_VM | HCR_PTW | HCR_DC | HCR_TGE)) | ((hi & 1) ? HCR_CD : 0) | ((hi & 2) ? HCR_ID : 0);
    if ((hi & 4) && this.cfg.vhe) r |= HCR_E2H;
    if (r & HCR_TGE) {
      r &= ~HCR_PTW;
      if (r & HCR_E2H) r &= ~(HCR_VM | HCR_DC | HCR_CD | HCR_ID);
    }
    return r;
  }

  /** The translation context of an ordinary access at `el` (PSTATE.PAN = `pan`). */
  contextFor(el: number, pan: boolean): number {
    const h = this.hcrEffective();
    switch (el) {
      case 3: return CTX_E3;
      case 2: return h & HCR_E2H ? (pan ? CTX_E20_2_PAN : CTX_E20_2) : CTX_E2;
      case 1: return pan ? CTX_E10_1_PAN : CTX_E10_1;
      default: return (h & (HCR_E2H | HCR_TGE)) === (HCR_E2H | HCR_TGE) ? CTX_E20_0 : CTX_E10_0;
    }
  }

  /**
   * The context of LDTR/STTR and friends (Arm ARM C6.2 "unprivileged"): EL0 permissions at EL1,
   * and at EL2 when {E2H,TGE}={1,1}; elsewhere they behave as ordinary accesses.
   */
  unprivilegedContextFor(el: number, pan: boolean): number {
    if (el === 1) return CTX_E10_0;
    if (el === 2 && (this.hcrEffective() & (HCR_E2H | HCR_TGE)) === (HCR_E2H | HCR_TGE)) return CTX_E20_0;
    return this.contextFor(el, pan);
  }

  /** The ASID a context's non-global TLB entries are tagged with (0 for EL2/EL3). */
  asidFor(ctx: number): number {
    const regime = ctxRegime(ctx);
    if (regime !== 'el10' && regime !== 'el20') return 0;
    const tcr = regime === 'el10' ? this.regs.tcrEl1 : this.regs.tcrEl2;
    const a1 = (tcr >> 22n) & 1n, as16 = (tcr >> 36n) & 1n;
    const ttbr = regime === 'el10' ? (a1 ? this.regs.ttbr1El1 : this.regs.ttbr0El1) : (a1 ? this.regs.ttbr1El2 : this.regs.ttbr0El2);
    return Number((ttbr >> 48n) & (as16 ? 0xffffn : 0xffn));
  }

  /** The VMID EL1&0 entries are tagged with: VTTBR_EL2.VMID, -1 in Secure state, 0 elsewhere. */
  vmidFor(ctx: number): number {
    if (ctxRegime(ctx) !== 'el10' || !this.cfg.haveEl2) return 0;
    if (this.secureBelowEl3()) return -1;
    return Number((this.regs.vttbrEl2 >> 48n) & 0xffn);
  }

  // ------------------------------------------------------------------ translation

  /** Translates a 64-bit VA given as a bigint (AT instructions, the debugger, tests). */
  translateVa(va: bigint, ctx: number, access: AccessKind, opts: { unaligned?: boolean; stage1Only?: boolean } = {}): TranslateOutcome {
    const v = BigInt.asUintN(64, va);
    return this.translate({ lo: Number(v & 0xffffffffn) | 0, hi: Number(v >> 32n) | 0, ctx, access, ...opts });
  }

  translate(req: TranslateRequest): TranslateOutcome {
    try {
      return { ok: true, t: this.translateOrThrow(req) };
    } catch (e) {
      if (!(e instanceof WalkFault)) throw e;
      return {
        ok: false,
        fault: {
          kind: e.kind, stage: e.stage, level: e.level, s1ptw: e.s1ptw,
          ipa: e.ipa === undefined ? undefined : BigInt(e.ipa),
          write: req.access === ACC_WRITE, fetch: req.access === ACC_FETCH,
          va: (BigInt(req.hi >>> 0) << 32n) | BigInt(req.lo >>> 0),
        },
      };
    }
  }

  private translateOrThrow(req: TranslateRequest): Translation {
    const { lo, hi, ctx, access } = req;
    const regime = ctxRegime(ctx);
    const hcr = regime === 'el10' ? this.hcrEffective() : 0;
    const secure = regime === 'el3' || (regime === 'el10' && this.secureBelowEl3());
    const s2on = regime === 'el10' && !secure && this.cfg.haveEl2 && (hcr & (HCR_VM | HCR_DC)) !== 0;
    const fetch = access === ACC_FETCH;
    const need = access === ACC_READ ? PERM_R : access === ACC_WRITE ? PERM_W : PERM_X;
    const r = this.regimeRegs(regime);
    const sctlrLo = Number(r.sctlr & 0xffffffffn);
    const asid = this.asidFor(ctx);
    const vmid = this.vmidFor(ctx);

    // ---- stage 1
    let s1: { ipa: number; perms: number; attr: number; sh: number; ns: boolean; global: boolean; shift: number; level: number; contiguous: boolean };
    const s1enabled = (sctlrLo & 1) !== 0 && !(regime === 'el10' && (hcr & (HCR_TGE | HCR_DC)));
    if (!s1enabled) {
      s1 = this.stage1Off(lo, hi, regime, r.tcr, sctlrLo, fetch, (hcr & HCR_DC) !== 0);
    } else {
      s1 = this.stage1(lo, hi, ctx, regime, r, sctlrLo, secure, s2on, hcr);
    }
    // AArch64.FirstStageTranslate: Device alignment (MMU on or off) before the permission check.
    if (!fetch && req.unaligned && isDeviceAttr(s1.attr)) throw new WalkFault('alignment', 1, 0, false, undefined);
    if (!(s1.perms & need)) throw new WalkFault('permission', 1, s1.level, false, undefined);

    if (!s2on || req.stage1Only) {
      return {
        pa: s1.ipa, ipa: s1.ipa, perms: s1.perms, attr: s1.attr, sh: s1.sh, ns: s1.ns, global: s1.global,
        s1Shift: s1.shift, s2Shift: 0, level: s1.level, contiguous: s1.contiguous, stage2: false,
        s1Attr: s1.attr, s1Sh: s1.sh, s2MemAttr: -1, asid, vmid,
      };
    }

    // ---- stage 2 of the output (AArch64.SecondStageTranslate)
    const s2 = this.stage2(s1.ipa, false);
    if (!fetch && req.unaligned && (s2.memAttr & 0xc) === 0) throw new WalkFault('alignment', 2, 0, false, s1.ipa);
    if (!(s2.perms & need)) throw new WalkFault('permission', 2, s2.level, false, s1.ipa);
    // HCR_EL2.DC: stage 1 attributes forced to Normal WB, Non-shareable (stage 1 is off then).
    const a1 = hcr & HCR_DC ? ATTR_NORMAL_WB : s1.attr;
    const sh1 = hcr & HCR_DC ? SH_NON : s1.sh;
    const a2 = s2AttrToMair(s2.memAttr, (hcr & (fetch ? HCR_ID : HCR_CD)) !== 0);
    const attr = combineAttrs(a1, a2);
    return {
      pa: s2.pa, ipa: s1.ipa, perms: s1.perms & s2.perms, attr, sh: effectiveSh(attr, combineSh(sh1, s2.sh)),
      ns: true, global: s1.global, s1Shift: s1.shift, s2Shift: s2.shift, level: s1.level,
      contiguous: s1.contiguous, stage2: true, s1Attr: s1.attr, s1Sh: s1.sh, s2MemAttr: s2.memAttr, asid, vmid,
    };
  }

  private regimeRegs(regime: Regime): { sctlr: bigint; tcr: bigint; ttbr0: bigint; ttbr1: bigint; mair: bigint } {
    const g = this.regs;
    switch (regime) {
      case 'el10': return { sctlr: g.sctlrEl1, tcr: g.tcrEl1, ttbr0: g.ttbr0El1, ttbr1: g.ttbr1El1, mair: g.mairEl1 };
      case 'el20': return { sctlr: g.sctlrEl2, tcr: g.tcrEl2, ttbr0: g.ttbr0El2, ttbr1: g.ttbr1El2, mair: g.mairEl2 };
      case 'el2': return { sctlr: g.sctlrEl2, tcr: g.tcrEl2, ttbr0: g.ttbr0El2, ttbr1: 0n, mair: g.mairEl2 };
      default: return { sctlr: g.sctlrEl3, tcr: g.tcrEl3, ttbr0: g.ttbr0El3, ttbr1: 0n, mair: g.mairEl3 };
    }
  }

  /** TCR.TBI for the half of the address space `hi` is in (bit 55 selects TBI0/TBI1). */
  private tbi(regime: Regime, tcr: bigint, hi: number): boolean {
    if (regime === 'el10' || regime === 'el20') return ((tcr >> ((hi >>> 23) & 1 ? 38n : 37n)) & 1n) !== 0n;
    return ((tcr >> 20n) & 1n) !== 0n;
  }

  /**
   * Stage 1 disabled (AArch64.S1DisabledOutput): flat, with an Address size fault if the VA has
   * bits set at or above PAMax (below the tag when TBI applies). Data accesses are
   * Device-nGnRnE; instruction fetches Normal WT (SCTLR.I=1) or Non-cacheable; HCR_EL2.DC makes
   * EL1&0 Normal Write-Back.
   */
  private stage1Off(lo: number, hi: number, regime: Regime, tcr: bigint, sctlrLo: number, fetch: boolean, dc: boolean) {
    const top = this.tbi(regime, tcr, hi) ? 55 : 63;
    const pa = this.cfg.paBits;
    if (!bitsEqual(lo, hi, pa, top, 0)) throw new WalkFault('address-size', 1, 0, false, undefined);
    const ipa = (hi & 0xffff) * TWO32 + (lo >>> 0); // paBits <= 48
    let attr = ATTR_DEVICE_nGnRnE, sh = SH_NON;
    if (dc) attr = ATTR_NORMAL_WB;
    else if (fetch) { attr = sctlrLo & (1 << 12) ? ATTR_NORMAL_WT_RA : ATTR_NORMAL_NC; sh = SH_OUTER; }
    return { ipa, perms: PERM_R | PERM_W | PERM_X, attr, sh, ns: regime !== 'el3' && !(regime === 'el10' && this.secureBelowEl3()), global: true, shift: 12, level: -1, contiguous: false };
  }

  private stage1(lo: number, hi: number, ctx: number, regime: Regime, r: { sctlr: bigint; tcr: bigint; ttbr0: bigint; ttbr1: bigint; mair: bigint },
    sctlrLo: number, secure: boolean, s2on: boolean, hcr: number) {
    const twoRanges = regime === 'el10' || regime === 'el20';
    const tcrLo = Number(r.tcr & 0xffffffffn), tcrHi = Number((r.tcr >> 32n) & 0xffffffffn);
    let tsz: number, grain: number, epd: number, tbi: number, ps: number, select: number;
    if (twoRanges) {
      select = (hi >>> 23) & 1; // VA bit 55
      if (!select) {
        tsz = tcrLo & 63; epd = (tcrLo >>> 7) & 1; grain = this.granule(tg0Grain((tcrLo >>> 14) & 3)); tbi = (tcrHi >>> 5) & 1;
      } else {
        tsz = (tcrLo >>> 16) & 63; epd = (tcrLo >>> 23) & 1; grain = this.granule(tg1Grain((tcrLo >>> 30) & 3)); tbi = (tcrHi >>> 6) & 1;
      }
      ps = tcrHi & 7;
    } else {
      select = 0; tsz = tcrLo & 63; epd = 0; grain = this.granule(tg0Grain((tcrLo >>> 14) & 3)); tbi = (tcrLo >>> 20) & 1; ps = (tcrLo >>> 16) & 7;
    }
    // TxSZ out of range (no FEAT_TTST / FEAT_LVA): we choose the level 0 Translation fault.
    if (tsz < 16 || tsz > 39) throw new WalkFault('translation', 1, 0, false, undefined);
    const inputBits = 64 - tsz;
    // VA bits above the input range must all equal the range select (bit 55), below the tag.
    if (!bitsEqual(lo, hi, inputBits, tbi ? 55 : 63, select)) throw new WalkFault('translation', 1, 0, false, undefined);
    if (epd) throw new WalkFault('translation', 1, 0, false, undefined);
    const outBits = Math.min(PS_BITS[ps], this.cfg.paBits);
    const stride = grain - 3;
    const level = 4 - Math.floor((inputBits - 4) / stride);
    const ttbr = select ? r.ttbr1 : r.ttbr0;
    const baddr = Number(ttbr & 0xfffffffffffen);
    if (baddr >= POW2[outBits]) throw new WalkFault('address-size', 1, 0, false, undefined);
    const startBits = inputBits - (grain + stride * (3 - level));
    const align = POW2[startBits + 3];
    const geo: Geometry = { grain, stride, inputBits, outBits, level, base: Math.floor(baddr / align) * align };
    const va48 = (hi & 0xffff) * TWO32 + (lo >>> 0);

    const leaf = this.walk(va48, geo, 1, s2on, hcr);
    const d0 = leaf.lo, d1 = leaf.hi;
    // Access flag (no FEAT_HAFDBS): checked before permissions (AArch64.TranslationTableWalk v8.0).
    if (!(d0 & (1 << 10))) throw new WalkFault('access-flag', 1, leaf.level, false, undefined);

    // ---- permissions (AArch64.CheckPermission, with PAN)
    const t = leaf.table;
    const ap2 = ((d0 >>> 7) & 1) | ((t >>> 30) & 1); // APTable[1]: no writes below
    const unpriv = ctxIsUnprivileged(ctx);
    const wxn = (sctlrLo >>> 19) & 1;
    let perms: number;
    if (twoRanges) {
      const ap1 = ((d0 >>> 6) & 1) & ~(t >>> 29) & 1; // APTable[0]: no EL0 access below
      const userW = ap1 & (ap2 ^ 1);
      const uxn = ((d1 >>> 22) & 1) | ((t >>> 28) & 1); // UXN | UXNTable
      const pxn = ((d1 >>> 21) & 1) | ((t >>> 27) & 1); // PXN | PXNTable
      if (unpriv) {
        perms = (ap1 ? PERM_R : 0) | (userW ? PERM_W : 0) | (uxn || (wxn && userW) ? 0 : PERM_X);
      } else {
        const privW = ap2 ^ 1;
        // PAN (FEAT_PAN): a privileged data access to memory EL0 can access faults; fetches are not affected.
        const panBlocks = ctxHasPan(ctx) && ap1 === 1;
        perms = (panBlocks ? 0 : PERM_R | (privW ? PERM_W : 0)) | (pxn || userW || (wxn && privW) ? 0 : PERM_X);
      }
    } else {
      const xn = ((d1 >>> 22) & 1) | ((t >>> 28) & 1);
      const w = ap2 ^ 1;
      perms = PERM_R | (w ? PERM_W : 0) | (xn || (wxn && w) ? 0 : PERM_X);
    }
    // NS and NSTable only matter in Secure state; Non-secure translations always output NS.
    const ns = !secure || ((d0 >>> 5) & 1) === 1 || ((t >>> 31) & 1) === 1;
    // SCR_EL3.SIF: Secure instruction fetches from Non-secure memory are not permitted.
    if (secure && ns && (this.regs.scrEl3 & (1n << 9n))) perms &= ~PERM_X;

    const contiguous = ((d1 >>> 20) & 1) === 1;
    const attr = mairAttr(r.mair, (d0 >>> 2) & 7);
    return {
      ipa: leaf.oa, perms, attr, sh: (d0 >>> 8) & 3, ns,
      global: !twoRanges || ((d0 >>> 11) & 1) === 0,
      shift: leaf.shift + (contiguous ? contiguousBits(grain, leaf.level) : 0),
      level: leaf.level, contiguous,
    };
  }

  /** Stage 2 translation of an IPA (AArch64.S2Translate); `s1ptw` for a stage 1 walk's access. */
  private stage2(ipa: number, s1ptw: boolean): S2Result {
    const vtcr = this.regs.vtcrEl2;
    const v = Number(vtcr & 0xffffffffn);
    const tsz = v & 63, sl0 = (v >>> 6) & 3, grain = this.granule(tg0Grain((v >>> 14) & 3)), ps = (v >>> 16) & 7;
    const fault = (kind: FaultKind, level: number): WalkFault => new WalkFault(kind, 2, level, s1ptw, ipa);
    if (tsz < 16 || tsz > 39) throw fault('translation', 0);
    const inputBits = 64 - tsz;
    if (ipa >= POW2[inputBits]) throw fault('translation', 0);
    const stride = grain - 3;
    const level = this.s2StartLevel(grain, sl0, inputBits);
    if (level < 0) throw fault('translation', 0);
    const outBits = Math.min(PS_BITS[ps], this.cfg.paBits);
    const baddr = Number(this.regs.vttbrEl2 & 0xfffffffffffen);
    if (baddr >= POW2[outBits]) throw fault('address-size', 0);
    const startBits = inputBits - (grain + stride * (3 - level));
    const align = POW2[startBits + 3];
    const geo: Geometry = { grain, stride, inputBits, outBits, level, base: Math.floor(baddr / align) * align };
    let leaf: Leaf;
    try {
      leaf = this.walk(ipa, geo, 2, false, 0);
    } catch (e) {
      if (e instanceof WalkFault) throw fault(e.kind, e.level);
      throw e;
    }
    const d0 = leaf.lo, d1 = leaf.hi;
    if (!(d0 & (1 << 10))) throw fault('access-flag', leaf.level);
    const s2ap = (d0 >>> 6) & 3;
    // v8.0 stage 2 XN is descriptor bit 54 only; execute does not need S2AP read (QEMU get_S2prot).
    const perms = (s2ap & 1 ? PERM_R : 0) | (s2ap & 2 ? PERM_W : 0) | ((d1 >>> 22) & 1 ? 0 : PERM_X);
    const contiguous = (d1 >>> 20) & 1;
    return {
      pa: leaf.oa, memAttr: (d0 >>> 2) & 0xf, sh: (d0 >>> 8) & 3, perms, level: leaf.level,
      shift: leaf.shift + (contiguous ? contiguousBits(grain, leaf.level) : 0),
    };
  }

  /**
   * Stage 2 start level from VTCR_EL2.SL0 and TG0, or -1 if the combination is invalid
   * (AArch64.S2InvalidSL) or inconsistent with T0SZ (AArch64.S2InconsistentSL: the start table,
   * with up to 16 concatenated tables, must resolve the whole input size).
   */
  private s2StartLevel(grain: number, sl0: number, inputBits: number): number {
    const pa = this.cfg.paBits;
    let start: number;
    if (grain === 12) {
      if (sl0 === 3 || (sl0 === 2 && pa < 44)) return -1;
      start = 2 - sl0;
    } else {
      if (sl0 === 3 || (sl0 === 2 && pa < (grain === 14 ? 42 : 44))) return -1;
      start = 3 - sl0;
    }
    const stride = grain - 3;
    const min = (3 - start) * stride + grain + 1;
    const max = min + stride - 1 + 4;
    return inputBits >= min && inputBits <= max ? start : -1;
  }

  /**
   * The table walk proper, shared by both stages. `input` is the input address (bits 47:0).
   * For stage 1 with stage 2 enabled every descriptor address is an IPA, translated by stage 2
   * as a read (a fault there is a stage 2 fault with S1PTW set); HCR_EL2.PTW makes a walk into
   * stage 2 Device memory a stage 2 Permission fault.
   */
  private walk(input: number, g: Geometry, stage: 1 | 2, s2on: boolean, hcr: number): Leaf {
    let level = g.level;
    let base = g.base;
    let bits = g.inputBits - (g.grain + g.stride * (3 - level));
    let table = 0;
    for (;;) {
      const shift = g.grain + g.stride * (3 - level);
      const index = Math.floor(input / POW2[shift]) % POW2[bits];
      let descAddr = base + index * 8;
      if (s2on) {
        const s2 = this.stage2(descAddr, true);
        if (!(s2.perms & PERM_R)) throw new WalkFault('permission', 2, s2.level, true, descAddr);
        if ((hcr & HCR_PTW) && (s2.memAttr & 0xc) === 0) throw new WalkFault('permission', 2, s2.level, true, descAddr);
        descAddr = s2.pa;
      }
      if (!this.readDesc(descAddr)) throw new WalkFault('external-walk', stage, level, false, undefined);
      const d0 = this.dlo, d1 = this.dhi;
      if (!(d0 & 1)) throw new WalkFault('translation', stage, level, false, undefined);
      const isTable = (d0 & 2) !== 0;
      if (level === 3 && !isTable) throw new WalkFault('translation', stage, level, false, undefined); // reserved
      // Output address field, bits [47:12] (bits 51:48 are RES0 without FEAT_LPA).
      const field = (d1 & 0xffff) * TWO32 + ((d0 & 0xfffff000) >>> 0);
      if (isTable && level < 3) {
        const next = field - (field % POW2[g.grain]);
        if (next >= POW2[g.outBits]) throw new WalkFault('address-size', stage, level, false, undefined);
        if (stage === 1) table |= d1 & 0xf8000000; // NSTable, APTable, XNTable, PXNTable
        base = next;
        level++;
        bits = g.stride;
        continue;
      }
      // Block (levels 1/2 with 4 KiB, level 2 with 16/64 KiB) or page (level 3).
      if (level < 3 && !(level === 2 || (level === 1 && g.grain === 12))) throw new WalkFault('translation', stage, level, false, undefined);
      const oaBase = field - (field % POW2[shift]);
      if (oaBase >= POW2[g.outBits]) throw new WalkFault('address-size', stage, level, false, undefined);
      return { lo: d0, hi: d1, level, oa: oaBase + (input % POW2[shift]), shift, table };
    }
  }

  private dlo = 0;
  private dhi = 0;

  /** Reads the 64-bit little-endian descriptor at `pa` into dlo/dhi; false on an external abort. */
  private readDesc(pa: number): boolean {
    const m = this.mem;
    const off = pa - m.ramBase;
    if (off >= 0 && off <= m.ramSize - 8) {
      this.dlo = m.view.getInt32(off, true);
      this.dhi = m.view.getInt32(off + 4, true);
      return true;
    }
    try {
      this.dlo = m.read32(pa);
      this.dhi = m.read32(pa + 4);
      return true;
    } catch (e) {
      if (e instanceof RangeError) return false; // nothing mapped there
      throw e;
    }
  }
}

/** TCR.TG0 / VTCR.TG0: 00 4 KiB, 01 64 KiB, 10 16 KiB; 11 reserved (used as 4 KiB). */
function tg0Grain(tg: number): number { return tg === 1 ? 16 : tg === 2 ? 14 : 12; }
/** TCR.TG1 has its own encoding: 01 16 KiB, 10 4 KiB, 11 64 KiB; 00 reserved (used as 4 KiB). */
function tg1Grain(tg: number): number { return tg === 1 ? 14 : tg === 3 ? 16 : 12; }

/** log2 of the number of entries in a contiguous run (Arm ARM D8 "The Contiguous bit"). */
function contiguousBits(grain: number, level: number): number {
  if (grain === 12) return 4;
  if (grain === 14) return level === 3 ? 7 : 5;
  return 5;
}

/** True if bits [top:from] of the 64-bit value hi:lo are all `v` (0 or 1); true if from > top. */
export function bitsEqual(lo: number, hi: number, from: number, top: number, v: number): boolean {
  for (let b = from; b <= top;) {
    if (b < 32) {
      const end = Math.min(top, 31);
      const n = end - b + 1;
      const mask = n === 32 ? -1 : ((1 << n) - 1) << b;
      if ((lo & mask) !== (v ? mask : 0)) return false;
      b = end + 1;
    } else {
      const s = b - 32, e = top - 32;
      const n = e - s + 1;
      const mask = n === 32 ? -1 : ((1 << n) - 1) << s;
      return (hi & mask) === (v ? mask : 0);
    }
  }
  return true;
}
