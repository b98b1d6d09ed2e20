// Flattened Device Tree (DTB) writer and reader, format version 17 (Devicetree Specification
// v0.4, chapter 5 "Flattened Devicetree (DTB) Format").
//
// One tree type serves both directions: the board builds an `FdtNode` tree and `writeDtb` turns
// it into a blob; `readDtb` parses a blob (a `-dtb file`, or our own output in tests) back into
// the same tree, so a user's DTB can be checked, patched (/chosen, /memory) and re-written the
// way QEMU's arm_load_dtb patches it.
//
// Blob layout written (the order dtc and libfdt use):
//   header (40 bytes) | memory reservation block (8-aligned, 16-byte entries, {0,0} terminated)
//   | structure block (4-aligned tokens) | strings block (NUL-terminated names, deduplicated).
// All header and token fields are big-endian 32-bit words (spec 5.2).
//
// Integration:
//   const root = new FdtNode('');
//   root.setU32('#address-cells', 2);
//   root.addNode('memory@40000000').setString('device_type', 'memory').setCells('reg', [[2, base], [2, size]]);
//   const blob = writeDtb({ root, reservations: [] });
//   const tree = readDtb(fileBytes, '-dtb board.dtb');   // throws DtbError "...: offset 0x..: ..."

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;
const FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_NOP = 4, FDT_END = 9;
const HEADER_SIZE = 40;

export class DtbError extends Error {}

/** A reserved physical range, from the memory reservation block (spec 5.3). */
export interface FdtReservation { address: bigint; size: bigint }

/** A whole device tree: the root node plus what the header and the reservation block carry. */
export interface FdtTree {
  root: FdtNode;
  reservations?: FdtReservation[];
  /** boot_cpuid_phys header field (spec 5.2); 0 unless a board says otherwise. */
  bootCpuId?: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

/** One cell group of a `reg`-like property: [number of 32-bit cells (1 or 2), value]. */
export type CellValue = [cells: 1 | 2, value: number | bigint];

/**
 * A device tree node. Properties keep insertion order (the blob keeps it, and dtc shows it);
 * child node names must be unique among siblings, property names unique within the node.
 */
export class FdtNode {
  readonly props = new Map<string, Uint8Array>();
  readonly children: FdtNode[] = [];

  constructor(readonly name: string) {
    if (name.includes('/') || name.includes('\0')) throw new DtbError(`bad node name ${JSON.stringify(name)}`);
  }

  addNode(name: string): FdtNode {
    if (this.child(name)) throw new DtbError(`node ${JSON.stringify(this.name || '/')} already has a child ${JSON.stringify(name)}`);
    const n = new FdtNode(name);
    this.children.push(n);
    return n;
  }

  child(name: string): FdtNode | undefined {
    return this.children.find((c) => c.name === name);
  }

  /** Finds a node by absolute-style path relative to this node ("cpus/cpu@0", "/chosen"). */
  find(path: string): FdtNode | undefined {
    let n: FdtNode | undefined = this as FdtNode;
    for (const part of path.split('/').filter((p) => p !== '')) {
      n = n.child(part);
      if (!n) return undefined;
    }
    return n;
  }

  /** Returns the child, creating it when absent (like libfdt users do for /chosen). */
  ensureNode(name: string): FdtNode {
    return this.child(name) ?? this.addNode(name);
  }

  removeNode(name: string): boolean {
    const i = this.children.findIndex((c) => c.name === name);
    if (i < 0) return false;
    this.children.splice(i, 1);
    return true;
  }

  setBytes(name: string, value: Uint8Array): this {
    // Property names are printable ASCII (spec 2.2.4); that also keeps string offsets byte offsets.
    if (!/^[\x21-\x7e]{1,31}$/.test(name)) throw new DtbError(`bad property name ${JSON.stringify(name)}`);
    this.props.set(name, value);
    return this;
  }

  /** A property with no value (boolean true, e.g. `interrupt-controller`). */
  setEmpty(name: string): this { return this.setBytes(name, new Uint8Array(0)); }
  setU32(name: string, v: number): this { return this.setU32s(name, [v]); }
  /** A phandle reference is one u32 cell (spec 2.3.3). */
  setPhandle(name: string, phandle: number): this { return this.setU32(name, phandle); }

  setU32s(name: string, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) throw new DtbError(`property ${name}: ${v} is not a 32-bit value`);
      dv.setUint32(i * 4, v >>> 0);
    });
    return this.setBytes(name, b);
  }

  setU64(name: string, v: number | bigint): this { return this.setCells(name, [[2, v]]); }

  /** Mixed-width cells, e.g. reg = <addr-hi addr-lo size-hi size-lo> from [[2, addr], [2, size]]. */
  setCells(name: string, groups: readonly CellValue[]): this {
    const words: number[] = [];
    for (const [cells, value] of groups) {
      const v = BigInt(value);
      const limit = 1n << BigInt(32 * cells);
      if (v < 0n || v >= limit) throw new DtbError(`property ${name}: 0x${v.toString(16)} does not fit in ${cells} cell(s)`);
      if (cells === 2) words.push(Number(v >> 32n));
      words.push(Number(v & 0xffffffffn));
    }
    return this.setU32s(name, words);
  }

  setString(name: string, s: string): this { return this.setStrings(name, [s]); }

  /** A string list: each string NUL-terminated, concatenated (spec 2.2.4, `<stringlist>`). */
  setStrings(name: string, list: readonly string[]): this {
    for (const s of list) if (s.includes('\0')) throw new DtbError(`property ${name}: string contains NUL`);
    return this.setBytes(name, enc.encode(list.map((s) => s + '\0').join('')));
  }

  deleteProp(name: string): boolean { return this.props.delete(name); }
  has(name: string): boolean { return this.props.has(name); }
  getBytes(name: string): Uint8Array | undefined { return this.props.get(name); }

  getU32s(name: string): number[] | undefined {
    const b = this.props.get(name);
    if (!b) return undefined;
    if (b.length % 4) throw new DtbError(`property ${name} of ${this.name || '/'}: length ${b.length} is not a multiple of 4`);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return Array.from({ length: b.length / 4 }, (_, i) => dv.getUint32(i * 4));
  }

  getU32(name: string): number | undefined {
    const w = this.getU32s(name);
    if (w && w.length !== 1) throw new DtbError(`property ${name} of ${this.name || '/'}: expected one cell, found ${w.length}`);
    return w?.[0];
  }

  /** Reads cells as `count`-cell numbers (1 or 2 cells each), e.g. reg with #address-cells=2. */
  getCells(name: string, widths: readonly (1 | 2)[]): bigint[] | undefined {
    const w = this.getU32s(name);
    if (!w) return undefined;
    const per = widths.reduce((a, b) => a + b, 0);
    if (per === 0 || w.length % per) throw new DtbError(`property ${name} of ${this.name || '/'}: ${w.length} cells is not a multiple of ${per}`);
    const out: bigint[] = [];
    for (let i = 0; i < w.length;) {
      for (const cw of widths) {
        out.push(cw === 2 ? (BigInt(w[i]) << 32n) | BigInt(w[i + 1]) : BigInt(w[i]));
        i += cw;
      }
    }
    return out;
  }

  getStrings(name: string): string[] | undefined {
    const b = this.props.get(name);
    if (!b) return undefined;
    if (b.length === 0 || b[b.length - 1] !== 0) throw new DtbError(`property ${name} of ${this.name || '/'}: not a NUL-terminated string list`);
    return dec.decode(b.subarray(0, b.length - 1)).split('\0');
  }

  getString(name: string): string | undefined {
    const l = this.getStrings(name);
    return l?.join('\0');
  }
}

/** Builds the strings block, reusing any existing NUL-terminated occurrence (also as a suffix, as libfdt does). */
class StringTable {
  private text = '';
  offset(s: string): number {
    const key = s + '\0';
    // Any occurrence of "s\0" reads back as s, including the tail of a longer name.
    const i = this.text.indexOf(key);
    if (i >= 0) return i;
    const off = this.text.length;
    this.text += key;
    return off;
  }
  bytes(): Uint8Array { return enc.encode(this.text); }
}

/** Serialises a tree into a DTB v17 blob. */
export function writeDtb(tree: FdtTree): Uint8Array {
  if (tree.root.name !== '') throw new DtbError(`the root node's name must be empty, not ${JSON.stringify(tree.root.name)}`);
  const strings = new StringTable();
  const bytes: number[] = [];
  const pushWord = (w: number): void => { bytes.push((w >>> 24) & 0xff, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff); };
  const pushPadded = (b: Uint8Array): void => {
    for (const x of b) bytes.push(x);
    while (bytes.length % 4) bytes.push(0);
  };
  const emit = (n: FdtNode): void => {
    pushWord(FDT_BEGIN_NODE);
    pushPadded(enc.encode(n.name + '\0'));
    for (const [name, value] of n.props) {
      pushWord(FDT_PROP);
      pushWord(value.length);
      pushWord(strings.offset(name));
      pushPadded(value);
    }
    for (const c of n.children) emit(c);
    pushWord(FDT_END_NODE);
  };
  emit(tree.root);
  pushWord(FDT_END);
  const struct = Uint8Array.from(bytes);
  const strs = strings.bytes();
  const rsv = tree.reservations ?? [];
  const offRsv = HEADER_SIZE; // 40: already 8-aligned
  const offStruct = offRsv + (rsv.length + 1) * 16;
  const offStrings = offStruct + struct.length;
  const total = offStrings + strs.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, FDT_MAGIC);
  dv.setUint32(4, total);
  dv.setUint32(8, offStruct);
  dv.setUint32(12, offStrings);
  dv.setUint32(16, offRsv);
  dv.setUint32(20, FDT_VERSION);
  dv.setUint32(24, FDT_LAST_COMP_VERSION);
  dv.setUint32(28, tree.bootCpuId ?? 0);
  dv.setUint32(32, strs.length);
  dv.setUint32(36, struct.length);
  rsv.forEach((r, i) => {
    if (r.address < 0n || r.size < 0n || r.address >= 1n << 64n || r.size >= 1n << 64n) throw new DtbError(`reservation ${i} is not a 64-bit range`);
    dv.setBigUint64(offRsv + i * 16, r.address);
    dv.setBigUint64(offRsv + i * 16 + 8, r.size);
  });
  out.set(struct, offStruct);
  out.set(strs, offStrings);
  return out;
}

/**
 * Parses a DTB blob (versions 16 and 17) into a tree. Every structural fault throws a DtbError
 * naming the byte offset in the blob, e.g. "board.dtb: offset 0x1c8: property nameoff 0x9000 is
 * outside the strings block (size 0x1a3)".
 */
export function readDtb(blob: Uint8Array, name = 'DTB'): Required<FdtTree> {
  const fail = (off: number, msg: string): never => { throw new DtbError(`${name}: offset 0x${off.toString(16)}: ${msg}`); };
  if (blob.length < HEADER_SIZE) fail(0, `too short for a DTB header (${blob.length} bytes, need ${HEADER_SIZE})`);
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const magic = dv.getUint32(0);
  if (magic !== FDT_MAGIC) fail(0, `bad magic 0x${magic.toString(16)} (expected 0x${FDT_MAGIC.toString(16)})`);
  const total = dv.getUint32(4);
  const offStruct = dv.getUint32(8);
  const offStrings = dv.getUint32(12);
  const offRsv = dv.getUint32(16);
  const version = dv.getUint32(20);
  const lastComp = dv.getUint32(24);
  const bootCpuId = dv.getUint32(28);
  if (total > blob.length) fail(4, `totalsize 0x${total.toString(16)} is larger than the file (0x${blob.length.toString(16)} bytes)`);
  if (total < HEADER_SIZE) fail(4, `totalsize 0x${total.toString(16)} is smaller than the header`);
  if (version < 16) fail(20, `version ${version} is too old (16 or 17 supported)`);
  if (lastComp > FDT_VERSION) fail(24, `last_comp_version ${lastComp} is newer than 17`);
  const sizeStrings = dv.getUint32(32);
  // size_dt_struct exists from version 17; for 16 the block runs to the strings block.
  const sizeStruct = version >= 17 ? dv.getUint32(36) : offStrings - offStruct;
  if (offRsv % 8) fail(16, `off_mem_rsvmap 0x${offRsv.toString(16)} is not 8-byte aligned`);
  if (offRsv < HEADER_SIZE || offRsv > total) fail(16, `off_mem_rsvmap 0x${offRsv.toString(16)} is outside the blob`);
  if (offStruct % 4) fail(8, `off_dt_struct 0x${offStruct.toString(16)} is not 4-byte aligned`);
  if (offStruct < HEADER_SIZE || offStruct + sizeStruct > total || sizeStruct < 0) fail(8, `structure block 0x${offStruct.toString(16)}+0x${sizeStruct.toString(16)} runs past totalsize 0x${total.toString(16)}`);
  if (offStrings < HEADER_SIZE || offStrings + sizeStrings > total) fail(12, `strings block 0x${offStrings.toString(16)}+0x${sizeStrings.toString(16)} runs past totalsize 0x${total.toString(16)}`);

  const reservations: FdtReservation[] = [];
  for (let p = offRsv; ; p += 16) {
    if (p + 16 > total) fail(p, 'memory reservation block has no {0, 0} terminator before the end of the blob');
    const address = dv.getBigUint64(p), size = dv.getBigUint64(p + 8);
    if (address === 0n && size === 0n) break;
    reservations.push({ address, size });
  }

  const structEnd = offStruct + sizeStruct;
  const cstring = (start: number, end: number, what: string): string => {
    const z = blob.indexOf(0, start);
    if (z < 0 || z >= end) fail(start, `${what} is not NUL-terminated inside its block`);
    return dec.decode(blob.subarray(start, z));
  };
  let p = offStruct;
  const word = (): number => {
    if (p + 4 > structEnd) fail(p, 'structure block ends in the middle of a token (missing FDT_END?)');
    const w = dv.getUint32(p);
    p += 4;
    return w;
  };
  const nextToken = (): [number, number] => {
    for (;;) {
      const at = p;
      const t = word();
      if (t !== FDT_NOP) return [t, at];
    }
  };

  const [first, firstAt] = nextToken();
  if (first !== FDT_BEGIN_NODE) fail(firstAt, `structure block must start with FDT_BEGIN_NODE, found token ${first}`);
  const rootName = cstring(p, structEnd, 'root node name');
  if (rootName !== '') fail(p, `root node name must be empty, found ${JSON.stringify(rootName)}`);
  p = (p + rootName.length + 1 + 3) & ~3;
  const root = new FdtNode('');
  const stack: FdtNode[] = [root];
  const seenChild = new Set<FdtNode>();
  for (;;) {
    const [t, at] = nextToken();
    const cur = stack[stack.length - 1];
    if (t === FDT_BEGIN_NODE) {
      if (!cur) fail(at, 'FDT_BEGIN_NODE after the root node was closed');
      const nm = cstring(p, structEnd, 'node name');
      if (nm === '') fail(p, 'empty node name below the root');
      if (nm.includes('/')) fail(p, `node name ${JSON.stringify(nm)} contains '/'`);
      if (cur.child(nm)) fail(at, `duplicate node ${JSON.stringify(nm)} in ${pathOf(stack)}`);
      p = (p + enc.encode(nm).length + 1 + 3) & ~3;
      seenChild.add(cur);
      const n = cur.addNode(nm);
      stack.push(n);
    } else if (t === FDT_PROP) {
      if (!cur) fail(at, 'FDT_PROP outside any node');
      const len = word(), nameoff = word();
      if (nameoff >= sizeStrings) fail(at + 8, `property nameoff 0x${nameoff.toString(16)} is outside the strings block (size 0x${sizeStrings.toString(16)})`);
      const pname = cstring(offStrings + nameoff, offStrings + sizeStrings, 'property name');
      if (pname === '') fail(at + 8, 'empty property name');
      if (p + len > structEnd) fail(at + 4, `property ${pname}: length 0x${len.toString(16)} runs past the structure block`);
      // Spec 5.4.1: a node's properties precede its subnodes.
      if (seenChild.has(cur)) fail(at, `property ${pname} of ${pathOf(stack)} follows a subnode`);
      if (cur.has(pname)) fail(at, `duplicate property ${pname} in ${pathOf(stack)}`);
      cur.props.set(pname, blob.slice(p, p + len)); // as found: a user blob may use names we would not write
      p = (p + len + 3) & ~3;
    } else if (t === FDT_END_NODE) {
      if (!cur) fail(at, 'FDT_END_NODE without a matching FDT_BEGIN_NODE');
      stack.pop();
    } else if (t === FDT_END) {
      if (stack.length) fail(at, `FDT_END with ${stack.length} node(s) still open (${pathOf(stack)})`);
      break;
    } else {
      fail(at, `unknown structure token 0x${t.toString(16)}`);
    }
  }
  return { root, reservations, bootCpuId };
}

function pathOf(stack: FdtNode[]): string {
  return stack.length <= 1 ? '/' : '/' + stack.slice(1).map((n) => n.name).join('/');
}
