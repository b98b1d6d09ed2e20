// Runs snippet cases on QEMU and hvlab and compares the dumps.
import { buildAsm } from './toolchain';
import { runHvlab, runQemu } from './runners';
import { diffDumps, snippetSource, type SnippetState } from './snippet';

export interface CaseResult { index: number; body: string[]; qemu: string; hvlab: string; diffs: string[] }

export interface DiffReport { source: string; results: CaseResult[]; hvlabError?: string; qemuError?: string }

/** Builds one program from all cases, runs it on both, and compares case by case. */
export function diffSnippets(cases: { body: string[]; state?: SnippetState }[], tag = 'snippet'): DiffReport {
  const source = snippetSource(cases);
  const elf = buildAsm(source, tag);
  const q = runQemu(elf);
  const h = runHvlab(elf);
  const ql = q.output.split('\n'), hl = h.output.split('\n');
  const results = cases.map((c, i) => ({ index: i, body: c.body, qemu: ql[i] ?? '', hvlab: hl[i] ?? '', diffs: diffDumps(ql[i] ?? '', hl[i] ?? '') }));
  return { source, results, hvlabError: h.error, qemuError: q.error };
}

/** One-line-per-problem summary, empty when the two agree. */
export function describeMismatches(r: DiffReport): string[] {
  const out: string[] = [];
  if (r.qemuError) out.push(r.qemuError);
  if (r.hvlabError) out.push(r.hvlabError);
  for (const c of r.results) if (c.diffs.length) out.push(`case ${c.index} [${c.body.join('; ')}]: ${c.diffs.join('; ')}`);
  return out;
}
