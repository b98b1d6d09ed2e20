// The TLB: what the CPU's hot path consults before every memory access.
//
// Shape (after QEMU's softmmu): per translation context (types.ts CTX_*) a set of direct-mapped
// tables, one per (ASID, VMID) key, each of N entries indexed by VA[12+log2N-1:12]. An entry
// caches one 4 KiB page of a translation whatever the granule or block size, with three tags
// (read, write, fetch): a tag holds the VA page number only if the context may perform that
// access, so a permission check costs nothing on a hit, and a write to a read-only page misses,
// re-walks and faults. A hit needs only number compares and typed-array loads.
//
// Why tables per (ASID, VMID) instead of an ASID compare on every lookup: the lookup stays one
// compare, and a context switch back to a recent ASID (or VMID) finds its entries still there.
// The table a context uses is chosen by select() whenever the ASID/VMID/context changes (TTBR,
// VTTBR, TCR.A1/AS writes, EL or PAN changes, SCR_EL3.NS changes).
//
// Architectural tagging (Arm ARM D8 "Translation Lookaside Buffers"): non-global entries belong
// to their table's ASID; global (nG=0) ones match any ASID; EL1&0 entries belong to their VMID
// (-1 for Secure EL1&0). TLBI semantics are the one function invalidate(scope); the per-op
// methods and tlbiScope() build the scope for each v8.0 TLBI operation.
//
// What the CPU must still do itself (the architecture caches none of this in TLB entries that
// stay valid across the change, so QEMU flushes too): flushAll() or flushCtx() after writes to
// SCTLR_ELx (M, WXN), TCR_ELx, MAIR_ELx, HCR_EL2 (VM, DC, PTW, TGE, E2H, CD, ID), VTCR_EL2 and
// SCR_EL3 (NS, SIF) — turning the MMU on must not hit flat entries made while it was off.
//
// Hot path (CPU, per load of `size` bytes at VA lo:hi; `t` = the table of the current context):
//   const off = t.readOff(lo, hi, size);           // or inline: see readOff()
//   if (off >= 0) value = ramView.getInt32(off, true); else slow path:
//     out = mmu.translate({ lo, hi, ctx, access, unaligned }); fault -> abort; else
//     tlb.fill(t, lo, hi, out.t) and access out.t.pa through PhysicalMemory (MMIO, page-crossing,
//     Device memory: those entries keep ramOff -1 so every access re-checks alignment).
import type { PhysicalMemory } from '../cpu/physical-memory';
import { isDeviceAttr } from './attrs';
import { CTX_E10_0, CTX_E10_1, CTX_E10_1_PAN, CTX_E2, CTX_E20_0, CTX_E20_2, CTX_E20_2_PAN, CTX_E3, NUM_CTX, PERM_R, PERM_W, PERM_X, type Translation } from './types';

export const FLAG_GLOBAL = 1;
export const FLAG_DEVICE = 2;
export const FLAG_NS = 4;
export const FLAG_S2 = 8;

/** Context masks for TlbiScope.ctxMask. */
export const MASK_EL10 = (1 << CTX_E10_0) | (1 << CTX_E10_1) | (1 << CTX_E10_1_PAN);
export const MASK_EL2 = 1 << CTX_E2;
export const MASK_EL20 = (1 << CTX_E20_0) | (1 << CTX_E20_2) | (1 << CTX_E20_2_PAN);
export const MASK_EL3 = 1 << CTX_E3;

const TWO44 = 2 ** 44;
const PAGE = 4096;
/** VA page number multiplier for the high half: VA >> 12 = hi * 2^20 + (lo >>> 12). */
const HI_MUL = 1048576;

/** One direct-mapped table: the entries of one context under one (ASID, VMID). */
export class TlbTable {
  /** Page number (VA >> 12, 52 bits incl. any tag byte) of each valid entry, -1 if empty. */
  readonly vpn: Float64Array;
  /** Lookup tags: vpn if the access is permitted, else -1. */
  readonly tagR: Float64Array;
  readonly tagW: Float64Array;
  readonly tagX: Float64Array;
  /** Offset of the page in PhysicalMemory.ram, or -1 (MMIO, Device memory, beyond 2 GiB). */
  readonly ramOff: Int32Array;
  /** Physical address of the page. */
  readonly pa: Float64Array;
  /** MAIR-format memory attributes; FLAG_* bits. */
  readonly attr: Uint8Array;
  readonly flags: Uint8Array;
  /** log2 of the stage 1 mapping (page, block or contiguous run) this page came from, for TLBI by VA. */
  readonly span: Uint8Array;
  /** IPA page (IPA >> 12) for entries with stage 2, -1 otherwise; log2 of the stage 2 mapping. */
  readonly ipa: Float64Array;
  readonly s2span: Uint8Array;
  readonly mask: number;
  /** Valid entries. */
  count = 0;
  /**
   * The slots of the valid entries, live[0..count), and each valid slot's place in it (-1 when
   * empty): a TLBI that must look at every entry visits the valid ones only (a kernel's TLBI by VA
   * over its block-mapped range would otherwise scan every slot of every table of every CPU).
   */
  private readonly live: Int32Array;
  private readonly pos: Int32Array;
  lastUse = 0;
  // What lets TLBI by VA look at a few slots instead of every entry: the largest span <= 64 KiB
  // (those entries sit in the slots of the pages of vaPage's aligned block), and for the entries of
  // larger blocks an index from (span, block number) to their slots.
  private smallSpan = 12;
  private readonly big = new Map<number, number[]>();
  private readonly bigSpans = new Uint32Array(64);

  constructor(readonly ctx: number, public asid: number, public vmid: number, entries: number) {
    this.mask = entries - 1;
    this.vpn = new Float64Array(entries).fill(-1);
    this.tagR = new Float64Array(entries).fill(-1);
    this.tagW = new Float64Array(entries).fill(-1);
    this.tagX = new Float64Array(entries).fill(-1);
    this.ramOff = new Int32Array(entries).fill(-1);
    this.pa = new Float64Array(entries);
    this.attr = new Uint8Array(entries);
    this.flags = new Uint8Array(entries);
    this.span = new Uint8Array(entries);
    this.ipa = new Float64Array(entries).fill(-1);
    this.s2span = new Uint8Array(entries);
    this.live = new Int32Array(entries);
    this.pos = new Int32Array(entries).fill(-1);
  }

  // ---- hot path: RAM offset of an access wholly inside one page, or -1 (miss / not direct)
  readOff(lo: number, hi: number, size: number): number {
    const i = (lo >>> 12) & this.mask;
    if (this.tagR[i] !== (hi >>> 0) * HI_MUL + (lo >>> 12)) return -1;
    const o = lo & 0xfff, r = this.ramOff[i];
    return r >= 0 && o <= PAGE - size ? r + o : -1;
  }
  writeOff(lo: number, hi: number, size: number): number {
    const i = (lo >>> 12) & this.mask;
    if (this.tagW[i] !== (hi >>> 0) * HI_MUL + (lo >>> 12)) return -1;
    const o = lo & 0xfff, r = this.ramOff[i];
    return r >= 0 && o <= PAGE - size ? r + o : -1;
  }
  /** Physical address of the fetch page at VA lo:hi (page-aligned), or -1. */
  fetchPa(lo: number, hi: number): number {
    const i = (lo >>> 12) & this.mask;
    return this.tagX[i] === (hi >>> 0) * HI_MUL + (lo >>> 12) ? this.pa[i] : -1;
  }

  clear(): void {
    if (this.count === 0) return;
    this.vpn.fill(-1); this.tagR.fill(-1); this.tagW.fill(-1); this.tagX.fill(-1);
    this.ramOff.fill(-1); this.ipa.fill(-1); this.pos.fill(-1);
    this.resetBounds();
  }

  private resetBounds(): void { this.count = 0; this.smallSpan = 12; this.big.clear(); this.bigSpans.fill(0); }

  private static bigKey(vaPage: number, span: number): number {
    return Math.floor((vaPage % TWO44) / 2 ** (span - 12)) * 64 + span;
  }

  /** Forgets slot i in the big-block index (before it is dropped or refilled). */
  private unlinkBig(i: number): void {
    const span = this.span[i];
    if (span <= 16) return;
    const key = TlbTable.bigKey(this.vpn[i], span);
    const list = this.big.get(key);
    if (list) {
      const at = list.indexOf(i);
      if (at >= 0) { list[at] = list[list.length - 1]; list.pop(); }
      if (!list.length) this.big.delete(key);
    }
    this.bigSpans[span]--;
  }

  /** Fills the entry for VA lo:hi from a translation made in this table's context. */
  /**
   * `flatDirect`: stage 1 is disabled (the MMU-off flat map, then stage 2 if enabled). Data is
   * then Device memory architecturally, but QEMU 7.2 does not enforce Device alignment with the
   * MMU off and neither does hvlab, so RAM stays on the direct (fast) path.
   */
  fill(lo: number, hi: number, t: Translation, ramBase: number, ramSize: number, flatDirect = false): number {
    const i = (lo >>> 12) & this.mask;
    const vpn = (hi >>> 0) * HI_MUL + (lo >>> 12);
    if (this.vpn[i] < 0) { this.pos[i] = this.count; this.live[this.count++] = i; } else this.unlinkBig(i);
    this.vpn[i] = vpn;
    this.tagR[i] = t.perms & PERM_R ? vpn : -1;
    this.tagW[i] = t.perms & PERM_W ? vpn : -1;
    this.tagX[i] = t.perms & PERM_X ? vpn : -1;
    const paPage = t.pa - (t.pa % PAGE);
    const device = isDeviceAttr(t.attr);
    const off = paPage - ramBase;
    this.ramOff[i] = (!device || flatDirect) && off >= 0 && off <= ramSize - PAGE && off < 0x80000000 ? off : -1;
    this.pa[i] = paPage;
    this.attr[i] = t.attr;
    this.flags[i] = (t.global ? FLAG_GLOBAL : 0) | (device ? FLAG_DEVICE : 0) | (t.ns ? FLAG_NS : 0) | (t.stage2 ? FLAG_S2 : 0);
    // TLBI by VA concerns the stage 1 mapping: a combined entry covers at most its stage 1
    // page/block, so a larger stage 2 block does not widen it.
    const span = Math.max(12, t.s1Shift);
    this.span[i] = span;
    this.ipa[i] = t.stage2 ? Math.floor(t.ipa / PAGE) : -1;
    this.s2span[i] = t.stage2 ? Math.max(12, t.s2Shift) : 0;
    if (span <= 16) {
      if (span > this.smallSpan) this.smallSpan = span;
    } else {
      const key = TlbTable.bigKey(vpn, span);
      const list = this.big.get(key);
      if (list) list.push(i); else this.big.set(key, [i]);
      this.bigSpans[span]++;
    }
    return i;
  }

  private drop(i: number): void {
    this.unlinkBig(i);
    this.vpn[i] = -1; this.tagR[i] = -1; this.tagW[i] = -1; this.tagX[i] = -1; this.ramOff[i] = -1; this.ipa[i] = -1;
    // Swap-remove from the live list: the last valid slot takes i's place.
    const at = this.pos[i], last = this.live[--this.count];
    this.live[at] = last;
    this.pos[last] = at;
    this.pos[i] = -1;
    if (this.count === 0) this.resetBounds();
  }

  /**
   * Drops the entries matching the entry-level part of a TLBI: `which` selects all, only global
   * or only non-global entries; `vaPage` (VA[55:12]) keeps entries whose mapping does not cover
   * it; `ipaPage` (IPA[47:12]) keeps entries whose stage 2 mapping does not cover it.
   */
  invalidateEntries(which: 'all' | 'global' | 'non-global', vaPage: number | undefined, ipaPage: number | undefined): void {
    if (this.count === 0) return;
    if (which === 'all' && vaPage === undefined && ipaPage === undefined) { this.clear(); return; }
    const want = which === 'all' ? -1 : which === 'global' ? FLAG_GLOBAL : 0;
    const test = (i: number): void => {
      const v = this.vpn[i];
      if (v < 0) return;
      if (want >= 0 && (this.flags[i] & FLAG_GLOBAL) !== want) return;
      if (vaPage !== undefined) {
        const unit = 2 ** (this.span[i] - 12);
        if (Math.floor((v % TWO44) / unit) !== Math.floor(vaPage / unit)) return;
      }
      if (ipaPage !== undefined) {
        const p = this.ipa[i];
        if (p < 0) return;
        const unit = 2 ** (this.s2span[i] - 12);
        if (Math.floor(p / unit) !== Math.floor(ipaPage / unit)) return;
      }
      this.drop(i);
    };
    if (vaPage !== undefined && ipaPage === undefined) {
      // Entries with span <= smallSpan that cover vaPage sit in the slots of the pages of its
      // smallSpan-aligned block; those of larger blocks are in the index under their block.
      const unit = 2 ** (this.smallSpan - 12);
      const first = Math.floor(vaPage / unit) * unit;
      for (let p = first; p < first + unit; p++) test(p % (this.mask + 1));
      for (let span = 17; span < 64; span++) {
        if (this.bigSpans[span] === 0) continue;
        const list = this.big.get(TlbTable.bigKey(vaPage, span));
        if (list) for (const slot of [...list]) test(slot);
      }
      return;
    }
    // Backwards over the live list: a drop moves the last (already visited) slot into place k.
    for (let k = this.count - 1; k >= 0; k--) test(this.live[k]);
  }
}

/** What a TLBI invalidates (Arm ARM D8 "TLB maintenance instructions"), as data. */
export interface TlbiScope {
  /** Contexts (i.e. translation regimes) affected: MASK_EL10 | MASK_EL2 | MASK_EL20 | MASK_EL3. */
  readonly ctxMask: number;
  /** EL1&0 entries of this VMID only (-1 = Secure EL1&0). */
  readonly vmid?: number;
  /** Without `vmid`: restrict to Secure (vmid -1) or Non-secure (vmid >= 0) EL1&0 entries. */
  readonly secure?: boolean;
  /** Entries of this ASID, and global ones unless `nonGlobalOnly`; absent = every ASID. */
  readonly asid?: number;
  /** ASIDE1: global entries are not affected. */
  readonly nonGlobalOnly?: boolean;
  /** VA[55:12]: only entries whose mapping covers this page. */
  readonly vaPage?: number;
  /** IPA[47:12]: only entries whose stage 2 mapping covers this page. */
  readonly ipaPage?: number;
}

export interface TlbOptions {
  /** Entries per table (power of two). */
  readonly entries?: number;
  /** (ASID, VMID) tables kept per context before the least recently selected is recycled. */
  readonly tablesPerContext?: number;
}

export class Tlb {
  readonly entries: number;
  readonly tablesPerContext: number;
  private readonly sets: TlbTable[][] = Array.from({ length: NUM_CTX }, () => []);
  private clock = 0;
  private readonly ramBase: number;
  private readonly ramSize: number;

  constructor(mem: Pick<PhysicalMemory, 'ramBase' | 'ramSize'>, opts: TlbOptions = {}) {
    this.entries = opts.entries ?? 1024;
    if (this.entries & (this.entries - 1)) throw new Error('TLB entries must be a power of two');
    this.tablesPerContext = opts.tablesPerContext ?? 8;
    this.ramBase = mem.ramBase;
    this.ramSize = mem.ramSize;
  }

  /**
   * The table for context `ctx` under (asid, vmid) (Mmu.asidFor / vmidFor). Keep the returned
   * table until the next select() for the same context: recycling only happens here, and only
   * of the least recently selected table of that context.
   */
  /**
   * Bumped whenever entries are dropped (TLBI, flush, a table recycled), so a cache of one
   * translation outside the TLB (the CPU's current fetch page) can tell it is still valid.
   */
  generation = 0;

  select(ctx: number, asid: number, vmid: number): TlbTable {
    const set = this.sets[ctx];
    for (const t of set) {
      if (t.asid === asid && t.vmid === vmid) { t.lastUse = ++this.clock; return t; }
    }
    let t: TlbTable;
    if (set.length < this.tablesPerContext) {
      t = new TlbTable(ctx, asid, vmid, this.entries);
      set.push(t);
    } else {
      t = set[0];
      for (const u of set) if (u.lastUse < t.lastUse) t = u;
      t.clear();
      this.generation++;
      t.asid = asid; t.vmid = vmid;
    }
    t.lastUse = ++this.clock;
    return t;
  }

  fill(t: TlbTable, lo: number, hi: number, tr: Translation): number {
    // Stage 1 off (with or without stage 2): no Device alignment check on the slow path either
    // (cpu.ts translateSlow), so RAM stays direct — a guest running with its MMU off under a
    // hypervisor must not walk stage 2 on every access.
    return t.fill(lo, hi, tr, this.ramBase, this.ramSize, tr.level < 0);
  }

  /** The tables currently held (debugger views, tests). */
  tables(ctx: number): readonly TlbTable[] { return this.sets[ctx]; }

  /** The TLBI semantic: drops every entry the scope describes, and nothing else. */
  invalidate(s: TlbiScope): void {
    this.generation++;
    for (let ctx = 0; ctx < NUM_CTX; ctx++) {
      if (!(s.ctxMask & (1 << ctx))) continue;
      for (const t of this.sets[ctx]) {
        if (s.vmid !== undefined && t.vmid !== s.vmid) continue;
        if (s.secure !== undefined && (t.vmid === -1) !== s.secure) continue;
        let which: 'all' | 'global' | 'non-global' = 'all';
        if (s.asid !== undefined) {
          if (t.asid === s.asid) which = s.nonGlobalOnly ? 'non-global' : 'all';
          else if (s.nonGlobalOnly) continue;
          else which = 'global';
        }
        t.invalidateEntries(which, s.vaPage, s.ipaPage);
      }
    }
  }

  flushAll(): void {
    this.generation++;
    for (const set of this.sets) for (const t of set) t.clear();
  }
  flushCtx(ctxMask: number): void { this.invalidate({ ctxMask }); }

  // ---- the v8.0 TLBI operations (Arm ARM C5.5). `vmid` is the current VMID (Mmu.vmidFor), `xt`
  // the operand register. The IS forms are the same operation on every PE's TLB.
  vmalle1(vmid: number): void { this.invalidate(tlbiScope('VMALLE1', 0n, { vmid })); }
  vae1(vmid: number, xt: bigint, asid16 = false): void { this.invalidate(tlbiScope('VAE1', xt, { vmid, asid16 })); }
  vale1(vmid: number, xt: bigint, asid16 = false): void { this.invalidate(tlbiScope('VALE1', xt, { vmid, asid16 })); }
  vaae1(vmid: number, xt: bigint): void { this.invalidate(tlbiScope('VAAE1', xt, { vmid })); }
  vaale1(vmid: number, xt: bigint): void { this.invalidate(tlbiScope('VAALE1', xt, { vmid })); }
  aside1(vmid: number, xt: bigint, asid16 = false): void { this.invalidate(tlbiScope('ASIDE1', xt, { vmid, asid16 })); }
  vmalls12e1(vmid: number): void { this.invalidate(tlbiScope('VMALLS12E1', 0n, { vmid })); }
  ipas2e1(vmid: number, xt: bigint): void { this.invalidate(tlbiScope('IPAS2E1', xt, { vmid })); }
  ipas2le1(vmid: number, xt: bigint): void { this.invalidate(tlbiScope('IPAS2LE1', xt, { vmid })); }
  alle1(secure = false): void { this.invalidate(tlbiScope('ALLE1', 0n, { secure })); }
  alle2(): void { this.invalidate(tlbiScope('ALLE2', 0n, {})); }
  vae2(xt: bigint, e2h = false, asid16 = false): void { this.invalidate(tlbiScope('VAE2', xt, { e2h, asid16 })); }
  vale2(xt: bigint, e2h = false, asid16 = false): void { this.invalidate(tlbiScope('VALE2', xt, { e2h, asid16 })); }
  alle3(): void { this.invalidate(tlbiScope('ALLE3', 0n, {})); }
  vae3(xt: bigint): void { this.invalidate(tlbiScope('VAE3', xt, {})); }
  vale3(xt: bigint): void { this.invalidate(tlbiScope('VALE3', xt, {})); }
}

export const TLBI_OPS = [
  'VMALLE1', 'VAE1', 'VALE1', 'VAAE1', 'VAALE1', 'ASIDE1', 'VMALLS12E1', 'IPAS2E1', 'IPAS2LE1', 'ALLE1',
  'ALLE2', 'VAE2', 'VALE2', 'ALLE3', 'VAE3', 'VALE3',
] as const;
export type TlbiBaseOp = typeof TLBI_OPS[number];
export type TlbiOp = TlbiBaseOp | `${TlbiBaseOp}IS`;

/** Where a TLBI executes, as far as its meaning depends on it. */
export interface TlbiState {
  /** Current VMID for EL1&0 operations (Mmu.vmidFor(CTX_E10_1); -1 in Secure state). */
  readonly vmid?: number;
  /** Security state for ALLE1 (from EL3: SCR_EL3.NS=0). */
  readonly secure?: boolean;
  /** TCR_ELx.AS of the regime: 16-bit ASIDs (else Xt[63:56] is ignored). */
  readonly asid16?: boolean;
  /** HCR_EL2.E2H (VAE2/VALE2 then act on the EL2&0 regime, ASID-tagged). */
  readonly e2h?: boolean;
  /** Executed at EL2 with HCR_EL2.{E2H,TGE}={1,1}: the *E1 operations act on EL2&0 (FEAT_VHE). */
  readonly hostEl20?: boolean;
}

export function isBroadcastTlbi(op: TlbiOp): boolean { return op.endsWith('IS'); }

/**
 * The scope of one TLBI (the IS suffix does not change it; broadcasting is the caller's job:
 * apply to every PE's Tlb). Xt layout: ASID in [63:48], VA[55:12] in [43:0]; IPA[47:12] in [35:0].
 * "Last level" forms (VALE1, VAALE1, VALE2, VALE3, IPAS2LE1) equal the plain ones here: the TLB
 * only holds leaf translations (no walk caches), so nothing else could be dropped.
 */
export function tlbiScope(op: TlbiOp, xt: bigint, st: TlbiState): TlbiScope {
  const base = (op.length > 2 && op.charCodeAt(op.length - 2) === 73 /* I */ && op.endsWith('IS') ? op.slice(0, -2) : op) as TlbiBaseOp;
  // Object literals with the same property order everywhere keep the scopes monomorphic.
  const asid = (): number => Number(BigInt.asUintN(16, xt >> 48n)) & (st.asid16 ? 0xffff : 0xff);
  const vaPage = (): number => Number(BigInt.asUintN(44, xt));
  const host = st.hostEl20 === true;
  const mask = host ? MASK_EL20 : MASK_EL10;
  const vmid = host ? undefined : st.vmid ?? 0;
  switch (base) {
    case 'VMALLE1': case 'VMALLS12E1': return { ctxMask: mask, vmid };
    case 'VAE1': case 'VALE1': return { ctxMask: mask, vmid, asid: asid(), vaPage: vaPage() };
    case 'VAAE1': case 'VAALE1': return { ctxMask: mask, vmid, vaPage: vaPage() };
    case 'ASIDE1': return { ctxMask: mask, vmid, asid: asid(), nonGlobalOnly: true };
    case 'IPAS2E1': case 'IPAS2LE1':
      // Architecturally only stage-2-only entries must go (software follows with VMALLE1); the
      // TLB holds combined entries only, and dropping those whose stage 2 covers the IPA is the
      // safe superset.
      return { ctxMask: MASK_EL10, vmid: st.vmid ?? 0, ipaPage: Number(BigInt.asUintN(36, xt)) };
    case 'ALLE1': return { ctxMask: MASK_EL10, secure: st.secure ?? false };
    case 'ALLE2': return { ctxMask: MASK_EL2 | MASK_EL20 };
    case 'VAE2': case 'VALE2': return st.e2h ? { ctxMask: MASK_EL20, asid: asid(), vaPage: vaPage() } : { ctxMask: MASK_EL2, vaPage: vaPage() };
    case 'ALLE3': return { ctxMask: MASK_EL3 };
    case 'VAE3': case 'VALE3': return { ctxMask: MASK_EL3, vaPage: vaPage() };
  }
}
