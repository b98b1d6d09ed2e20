// Shared vocabulary of the MMU: translation contexts, access kinds, the system registers a walk
// reads, and the shapes of a successful translation and of a fault.
//
// Numbers, not enums: these constants are used on the CPU's hot path and by esbuild bundles, so
// they are plain `const` numbers (no TypeScript `const enum`, which does not survive isolated
// compilation).

/** Access kinds. AT S1ExR/W use READ/WRITE. */
export const ACC_READ = 0;
export const ACC_WRITE = 1;
export const ACC_FETCH = 2;
export type AccessKind = typeof ACC_READ | typeof ACC_WRITE | typeof ACC_FETCH;

/** Permission bits of a translation (what the context may do with the page). */
export const PERM_R = 1;
export const PERM_W = 2;
export const PERM_X = 4;

/**
 * Translation contexts ("mmuIdx" in QEMU terms). One TLB table set per context, so that the
 * permissions baked into a TLB entry at fill time are valid for every later lookup in the same
 * context. A context fixes: the translation regime, whether the access is unprivileged (EL0),
 * and whether PSTATE.PAN is in force.
 *   CTX_E10_0      EL0 accesses of the EL1&0 regime, and LDTR/STTR at EL1
 *   CTX_E10_1      EL1, PAN=0
 *   CTX_E10_1_PAN  EL1, PAN=1
 *   CTX_E2         EL2 regime (HCR_EL2.E2H=0)
 *   CTX_E20_0      EL0 with HCR_EL2.{E2H,TGE}={1,1} (EL2&0 regime), LDTR/STTR at EL2 then
 *   CTX_E20_2      EL2 with E2H=1, PAN=0
 *   CTX_E20_2_PAN  EL2 with E2H=1, PAN=1
 *   CTX_E3         EL3 regime
 */
export const CTX_E10_0 = 0;
export const CTX_E10_1 = 1;
export const CTX_E10_1_PAN = 2;
export const CTX_E2 = 3;
export const CTX_E20_0 = 4;
export const CTX_E20_2 = 5;
export const CTX_E20_2_PAN = 6;
export const CTX_E3 = 7;
export const NUM_CTX = 8;

export type Regime = 'el10' | 'el2' | 'el20' | 'el3';

export function ctxRegime(ctx: number): Regime {
  if (ctx <= CTX_E10_1_PAN) return 'el10';
  if (ctx === CTX_E2) return 'el2';
  if (ctx <= CTX_E20_2_PAN) return 'el20';
  return 'el3';
}
export function ctxIsUnprivileged(ctx: number): boolean { return ctx === CTX_E10_0 || ctx === CTX_E20_0; }
export function ctxHasPan(ctx: number): boolean { return ctx === CTX_E10_1_PAN || ctx === CTX_E20_2_PAN; }

/**
 * The system registers a translation reads, as 64-bit values. The CPU's register file can
 * implement this with getters; it is read on TLB misses and AT only (cold path).
 * Registers of ELs that are not implemented may read as 0.
 */
export interface MmuRegs {
  readonly sctlrEl1: bigint; readonly sctlrEl2: bigint; readonly sctlrEl3: bigint;
  readonly tcrEl1: bigint; readonly tcrEl2: bigint; readonly tcrEl3: bigint;
  readonly ttbr0El1: bigint; readonly ttbr1El1: bigint;
  readonly ttbr0El2: bigint; readonly ttbr1El2: bigint; // TTBR1_EL2 only with FEAT_VHE
  readonly ttbr0El3: bigint;
  readonly mairEl1: bigint; readonly mairEl2: bigint; readonly mairEl3: bigint;
  readonly hcrEl2: bigint;
  readonly vtcrEl2: bigint; readonly vttbrEl2: bigint;
  readonly scrEl3: bigint;
}

/** Implementation choices the walk depends on (they must agree with the ID registers). */
export interface MmuConfig {
  /** PAMax in bits: ID_AA64MMFR0_EL1.PARange decoded (32, 36, 40, 42, 44 or 48). */
  readonly paBits: number;
  readonly haveEl2: boolean;
  readonly haveEl3: boolean;
  /** FEAT_VHE: HCR_EL2.E2H is honoured (EL2&0 regime, TTBR1_EL2). */
  readonly vhe: boolean;
  /**
   * The 16 KiB granule is implemented (ID_AA64MMFR0_EL1.TGran16 = 1; TGran16_2 = 0 extends it to
   * stage 2). Without it a TGx that selects 16 KiB behaves as an implemented granule (Arm ARM
   * D8.2 "Translation granule": IMPLEMENTATION DEFINED which); QEMU 7.2 picks the smallest, 4 KiB.
   * Absent = implemented.
   */
  readonly tgran16?: boolean;
}

export const DEFAULT_MMU_CONFIG: MmuConfig = { paBits: 40, haveEl2: true, haveEl3: true, vhe: false };

/** What a translation asks for. */
export interface TranslateRequest {
  /** Virtual address, two int32 halves (as the CPU holds registers). */
  readonly lo: number;
  readonly hi: number;
  readonly ctx: number;
  readonly access: AccessKind;
  /**
   * The data access is not aligned to its size: an access to Device memory then takes an
   * Alignment fault (Arm ARM AArch64.FirstStageTranslate / SecondStageTranslate).
   */
  readonly unaligned?: boolean;
  /**
   * AT S1E0x / S1E1x / S1E2x / S1E3x: stop after stage 1 (the result's `pa` is the IPA and the
   * attributes are the stage 1 ones). The stage 1 walk's own descriptor reads still go through
   * stage 2 when it is enabled.
   */
  readonly stage1Only?: boolean;
}

/** A successful translation. Addresses are numbers (at most 48 bits). */
export interface Translation {
  /** Output address: the PA, or the IPA when `stage1Only`. */
  readonly pa: number;
  /** Stage 1 output address (= pa without stage 2). */
  readonly ipa: number;
  /** Everything this context may do with the page, stage 1 and stage 2 combined. */
  readonly perms: number;
  /** Memory attributes in MAIR format (stage 1 and stage 2 combined, Arm ARM D8 "Combining"). */
  readonly attr: number;
  /** Shareability (0 NSH, 2 OSH, 3 ISH), combined. */
  readonly sh: number;
  /** Output to the Non-secure PA space. */
  readonly ns: boolean;
  /** Not ASID-tagged: nG=0 in a two-range regime, or any EL2/EL3 (non-VHE) entry. */
  readonly global: boolean;
  /** log2 of the stage 1 mapping size (12 with the MMU off), including a contiguous run. */
  readonly s1Shift: number;
  /** log2 of the stage 2 mapping size, 0 without stage 2. */
  readonly s2Shift: number;
  /** Level of the stage 1 leaf descriptor (-1 when stage 1 is disabled). */
  readonly level: number;
  readonly contiguous: boolean;
  readonly stage2: boolean;
  /** Stage 1 attributes as read (MAIR byte, SH) and stage 2 MemAttr[3:0] (-1 if no stage 2). */
  readonly s1Attr: number;
  readonly s1Sh: number;
  readonly s2MemAttr: number;
  /** ASID and VMID the translation was made under (TLB tags; VMID -1 = Secure EL1&0, no VMID). */
  readonly asid: number;
  readonly vmid: number;
}

export type FaultKind = 'address-size' | 'translation' | 'access-flag' | 'permission' | 'alignment' | 'external-walk';

/**
 * A translation fault as data: the exception model turns it into ESR_ELx (fsc() gives the
 * DFSC/IFSC), FAR_ELx (the VA it faulted on) and HPFAR_EL2 (hpfar() from `ipa`).
 */
export interface MmuFault {
  readonly kind: FaultKind;
  /** 2 for a stage 2 fault, including one on a stage 1 walk's descriptor fetch (s1ptw). */
  readonly stage: 1 | 2;
  /** Lookup level 0..3 (0 for alignment faults, where it is not reported). */
  readonly level: number;
  /** The fault happened on a stage 2 translation of a stage 1 table walk access. */
  readonly s1ptw: boolean;
  /** For stage 2 faults: the faulting IPA (HPFAR_EL2.FIPA = ipa[47:12]). */
  readonly ipa?: bigint;
  /** The access was a write (ESR ISS.WnR; QEMU reports it from the access even when s1ptw). */
  readonly write: boolean;
  readonly fetch: boolean;
  /** The faulting virtual address (FAR_ELx). */
  readonly va: bigint;
}

export type TranslateOutcome =
  | { readonly ok: true; readonly t: Translation }
  | { readonly ok: false; readonly fault: MmuFault };
