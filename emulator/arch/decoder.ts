// Builds the A64 decoder from the decode table. Lookup is two-level: bits [31:22] index a table of
// candidate lists (only encodings whose fixed bits agree with that index), each list ordered most
// specific first so that a narrow encoding carved out of a wider one wins. Decoding runs once per
// instruction address (results are cached by the CPU), so a short linear scan per bucket is fine.
import { compilePattern, type Encoding, type EncodingSpec } from './encoding';
import { A64_TABLE } from './a64/table';

const TOP_SHIFT = 22;
const TOP_BUCKETS = 1 << (32 - TOP_SHIFT);

export class Decoder {
  readonly encodings: readonly Encoding[];
  private readonly buckets: Encoding[][];

  constructor(specs: readonly EncodingSpec[]) {
    const names = new Set<string>();
    for (const s of specs) {
      if (names.has(s.name)) throw new Error(`decode table: duplicate encoding name ${s.name}`);
      names.add(s.name);
    }
    this.encodings = specs.map(compilePattern);
    const sorted = [...this.encodings].sort((a, b) => b.fixedBits - a.fixedBits);
    this.buckets = new Array(TOP_BUCKETS);
    const topMask = (~0 << TOP_SHIFT) >>> 0;
    for (let t = 0; t < TOP_BUCKETS; t++) {
      const word = (t << TOP_SHIFT) >>> 0;
      this.buckets[t] = sorted.filter((e) => ((word ^ e.value) & e.mask & topMask) === 0);
    }
  }

  /** The encoding for a word, or undefined if the table has none (UNDEFINED / unallocated). */
  decode(insn: number): Encoding | undefined {
    const w = insn >>> 0;
    const list = this.buckets[w >>> TOP_SHIFT];
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (((w & e.mask) >>> 0) === e.value) return e;
    }
    return undefined;
  }
}

let shared: Decoder | undefined;
/** The decoder built from the full A64 table (built once, on first use). */
export function a64Decoder(): Decoder {
  return (shared ??= new Decoder(A64_TABLE));
}
