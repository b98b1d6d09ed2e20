// Hover: a key's documentation; on an interrupt, an iomem range or a domain name, who in the
// system uses it.

import * as path from 'node:path';
import { Hover, MarkupKind } from 'vscode-languageserver';
import { Position, Range, rangeContains, ValidationResult } from '../../emulator/config/index';
import { DOMAIN_KEY_MAP, keyDocumentation, SYSTEM_KEY_MAP, XEN_ONLY_KEY_SET } from '../../emulator/config/schema';
import { formatSize } from '../../emulator/config/sizes';
import { hex } from '../../emulator/config/numbers';
import { keyOfToken, tokenAt } from './cursor-context';

export function hover(text: string, file: string, p: Position, isSystem: boolean, results: ValidationResult[]): Hover | null {
  const where = (f: string, r: Range): string => `${path.basename(f)}:${r.start.line + 1}`;

  for (const res of results) {
    const irq = res.index.irqs.find((i) => i.file === file && rangeContains(i.range, p));
    if (irq) {
      const users = uniq(results.flatMap((r) => r.index.irqs.filter((i) => i.irq === irq.irq).map((i) => `${i.domain} (${where(i.file, i.range)})`)));
      return md(irq.range, [`**Interrupt ${irq.irq}** — SPI ${irq.irq - 32}`, '', `Used by: ${users.join(', ')}`]);
    }
    const io = res.index.iomem.find((i) => i.file === file && rangeContains(i.range, p));
    if (io) {
      const users = uniq(results.flatMap((r) => r.index.iomem.filter((o) => o.start < io.end && io.start < o.end)
        .map((o) => `${o.domain} ${hex(o.start)}-${hex(o.end - 1)} (${where(o.file, o.range)})`)));
      return md(io.range, [`**MMIO ${hex(io.start)}-${hex(io.end - 1)}** (${formatSize(io.end - io.start)})`, '', `Used by: ${users.join(', ')}`]);
    }
    const ref = [...res.index.domainRefs, ...res.index.domainDefs].find((d) => d.file === file && rangeContains(d.range, p));
    if (ref) {
      const dom = res.domains.find((d) => d.description.name === ref.name);
      if (dom) {
        const d = dom.description;
        return md(ref.range, [`**Domain ${d.name}** — ${path.basename(dom.file)}`, '',
          `${formatSize(d.memoryBytes)} RAM, ${d.vcpus} vCPU${d.vcpus === 1 ? '' : 's'}, kernel ${path.basename(d.kernel) || '(none)'}`]);
      }
    }
  }

  const tok = tokenAt(text, p, file);
  if (!tok) return null;
  const key = tok.kind === 'ident' ? tok.value : keyOfToken(text, tok, file);
  if (!key) return null;
  const info = (isSystem ? SYSTEM_KEY_MAP : DOMAIN_KEY_MAP).get(key);
  if (info) return md(tok.range, [keyDocumentation(info)]);
  if (!isSystem && XEN_ONLY_KEY_SET.has(key)) {
    return md(tok.range, [`**${key}**`, '', 'An xl.cfg key that hvlab does not implement: it is accepted and ignored. See xl.cfg(5).']);
  }
  return null;
}

function md(range: Range, lines: string[]): Hover {
  return { range, contents: { kind: MarkupKind.Markdown, value: lines.join('\n') } };
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}
