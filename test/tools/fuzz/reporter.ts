// Text output of a fuzz run: the per-class table and the mismatch list with reproducers.
import type { FuzzMismatch, FuzzReport } from './runner';

export function formatTable(r: FuzzReport): string {
  const rows = [['class', 'encodings', 'cases', 'compared', 'both-fault', 'both-undef', 'mismatches', 'skipped', 'mismatching encodings']];
  for (const s of r.stats) {
    const skipped = [...s.skipped.values()].reduce((a, b) => a + b, 0);
    rows.push([s.cls, `${s.encodingsCovered.size}/${s.encodings}`, String(s.generated), String(s.compared), String(s.bothFault), String(s.bothUndef), String(s.mismatches), String(skipped),
      [...s.mismatchNames].slice(0, 12).join(' ') + (s.mismatchNames.size > 12 ? ` …(+${s.mismatchNames.size - 12})` : '')]);
  }
  const tot = r.stats.reduce((a, s) => ({ g: a.g + s.generated, c: a.c + s.compared, f: a.f + s.bothFault, u: a.u + s.bothUndef, m: a.m + s.mismatches }), { g: 0, c: 0, f: 0, u: 0, m: 0 });
  rows.push(['total', '', String(tot.g), String(tot.c), String(tot.f), String(tot.u), String(tot.m), '', '']);
  const w = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(w[i]))).join('  ').trimEnd()).join('\n');
}

export function formatMismatch(m: FuzzMismatch): string {
  const conf = m.confirmed === undefined ? '' : m.confirmed ? ' [reproduces standalone]' : ' [did NOT reproduce standalone]';
  return `${m.cls} ${m.name} 0x${(m.word >>> 0).toString(16).padStart(8, '0')} \`${m.text.replace(/\t/g, ' ')}\`: ${m.kind}: ${m.summary}${conf}\n    reproducer: ${m.reproducer ?? '(none)'}`;
}

/** Mismatches grouped by encoding name: at most `perName` each, all names listed. */
export function formatMismatches(r: FuzzReport, perName = 2): string {
  const byName = new Map<string, FuzzMismatch[]>();
  for (const m of r.mismatches) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  const out: string[] = [];
  for (const [name, ms] of byName) {
    out.push(`${name}: ${ms.length} mismatch${ms.length > 1 ? 'es' : ''}`);
    for (const m of ms.slice(0, perName)) out.push('  ' + formatMismatch(m).replace(/\n/g, '\n  '));
  }
  return out.join('\n');
}

export function formatSkips(r: FuzzReport): string {
  const out: string[] = [];
  for (const s of r.stats) {
    if (!s.skipped.size) continue;
    const top = [...s.skipped.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} x${v}`);
    out.push(`${s.cls}: skipped ${top.join(', ')}`);
  }
  return out.join('\n');
}
