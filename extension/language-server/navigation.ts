// Go to definition (a path to its file; a domain name in the system file to the domain's
// `name =`) and find references (every place an interrupt, an overlapping iomem range or a
// domain name appears in the system).

import { Location } from 'vscode-languageserver';
import { Position, rangeContains, ValidationResult } from '../../emulator/config/index';
import { UriMap } from './uri';

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function definition(file: string, p: Position, results: ValidationResult[], uris: UriMap): Location[] {
  for (const r of results) {
    const ref = r.index.paths.find((x) => x.file === file && rangeContains(x.range, p));
    if (ref) return [{ uri: uris.toUri(ref.target), range: FILE_START }];
    const dom = r.index.domainRefs.find((x) => x.file === file && rangeContains(x.range, p));
    if (dom) {
      const def = r.index.domainDefs.find((d) => d.name === dom.name);
      if (def) return [{ uri: uris.toUri(def.file), range: def.range }];
    }
  }
  return [];
}

export function references(file: string, p: Position, results: ValidationResult[], uris: UriMap, includeDeclaration: boolean): Location[] {
  const out: Location[] = [];
  const add = (f: string, range: Location['range']): void => {
    const uri = uris.toUri(f);
    if (!out.some((l) => l.uri === uri && l.range.start.line === range.start.line && l.range.start.character === range.start.character)) {
      out.push({ uri, range });
    }
  };
  const all = { irqs: results.flatMap((r) => r.index.irqs), iomem: results.flatMap((r) => r.index.iomem),
    refs: results.flatMap((r) => r.index.domainRefs), defs: results.flatMap((r) => r.index.domainDefs) };

  const irq = all.irqs.find((i) => i.file === file && rangeContains(i.range, p));
  if (irq) {
    for (const i of all.irqs) if (i.irq === irq.irq) add(i.file, i.range);
    return out;
  }
  const io = all.iomem.find((i) => i.file === file && rangeContains(i.range, p));
  if (io) {
    for (const o of all.iomem) if (o.start < io.end && io.start < o.end) add(o.file, o.range);
    return out;
  }
  const name = [...all.refs, ...all.defs].find((d) => d.file === file && rangeContains(d.range, p))?.name;
  if (name !== undefined) {
    if (includeDeclaration) for (const d of all.defs) if (d.name === name) add(d.file, d.range);
    for (const d of all.refs) if (d.name === name) add(d.file, d.range);
  }
  return out;
}
