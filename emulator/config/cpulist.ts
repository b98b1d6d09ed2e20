// Xen's CPULIST syntax for `cpus=` (and `cpus_soft=`), as xl reads it: comma-separated terms,
// applied left to right; each term is `all`, `N` or `N-M` (decimal, M >= N), optionally
// prefixed by `^` (remove instead of add) and/or `node:`/`nodes:` (whole NUMA nodes).
// `^all` is refused. The virt platform has a single NUMA node, 0, holding every CPU.

export interface CpuTerm {
  negate: boolean;
  nodes: boolean;
  all: boolean;
  from: number;
  to: number;
  /** Offsets of the term's text inside the string (for precise diagnostics). */
  start: number;
  end: number;
  /** Offsets of just the number(s), excluding `^` and `node:`. */
  numStart: number;
}

export interface CpuListError {
  message: string;
  start: number;
  end: number;
}

export type CpuListParse = { ok: true; terms: CpuTerm[] } | { ok: false; error: CpuListError };

export function parseCpuList(text: string): CpuListParse {
  const terms: CpuTerm[] = [];
  let offset = 0;
  for (const piece of text.split(',')) {
    const start = offset;
    const end = offset + piece.length;
    offset = end + 1;
    let s = piece;
    let lead = 0;
    const trimmed = s.replace(/^\s+/, '');
    lead += s.length - trimmed.length;
    s = trimmed.replace(/\s+$/, '');
    if (s === '') {
      return { ok: false, error: { message: 'empty entry in the CPU list', start, end } };
    }
    let negate = false;
    let nodes = false;
    if (s.startsWith('^')) { negate = true; s = s.slice(1); lead++; }
    const nm = /^(nodes?:)/.exec(s);
    if (nm) { nodes = true; s = s.slice(nm[1].length); lead += nm[1].length; }
    const numStart = start + lead;
    if (s === 'all') {
      if (negate) return { ok: false, error: { message: 'can\'t combine "^" and "all"', start, end } };
      terms.push({ negate, nodes, all: true, from: 0, to: 0, start, end, numStart });
      continue;
    }
    const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(s);
    if (!m) {
      return { ok: false, error: { message: `invalid CPU range \`${piece.trim()}\`: expected N, N-M, ^N, node:N or all`, start, end } };
    }
    const from = parseInt(m[1], 10);
    const to = m[2] === undefined ? from : parseInt(m[2], 10);
    if (to < from) {
      return { ok: false, error: { message: `invalid CPU range \`${piece.trim()}\`: the end is below the start`, start, end } };
    }
    terms.push({ negate, nodes, all: false, from, to, start, end, numStart });
  }
  return { ok: true, terms };
}

/**
 * Evaluates terms against a platform with `ncpus` CPUs in one NUMA node. Returns the set and
 * the terms that name CPUs or nodes the platform lacks.
 */
export function evaluateCpuList(terms: CpuTerm[], ncpus: number): { cpus: number[]; missing: CpuTerm[] } {
  const set = new Set<number>();
  const missing: CpuTerm[] = [];
  for (const t of terms) {
    let ids: number[];
    if (t.all) {
      ids = range(0, ncpus - 1);
    } else if (t.nodes) {
      if (t.to > 0) missing.push(t);
      ids = t.from === 0 ? range(0, ncpus - 1) : [];
    } else {
      if (t.to >= ncpus) missing.push(t);
      ids = range(t.from, Math.min(t.to, ncpus - 1));
    }
    for (const id of ids) {
      if (t.negate) set.delete(id);
      else set.add(id);
    }
  }
  return { cpus: [...set].sort((a, b) => a - b), missing };
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}

/** Canonical text for a CPU set: "0-3,5". */
export function formatCpuSet(cpus: readonly number[]): string {
  const sorted = [...cpus].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
