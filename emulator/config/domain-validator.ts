// Validates one domain file (xl.cfg) on its own: syntax, keys, types, ranges, files. What
// needs the rest of the system (the platform's CPUs, other domains) is checked by the
// system validator, which reads this result.

import * as path from 'node:path';
import { parseCpuList, CpuTerm } from './cpulist';
import { ConfigDiagnostic, Range } from './diagnostics';
import { suggest } from './edit-distance';
import { FileAccess } from './file-access';
import { identifyKernel, IMAGE_HEAD_BYTES, isFlattenedDeviceTree } from './image-check';
import { parseHex } from './numbers';
import { AtomValue, parseConfig, ParsedConfig } from './parser';
import { GUEST_VPL011_SPI, interruptRestriction, PAGE_SIZE, VIRT } from './platform';
import { DOMAIN_KEY_MAP, DOMAIN_KEYS, SHUTDOWN_ACTIONS, SYSTEM_KEY_MAP, XEN_ONLY_KEY_SET, XEN_ONLY_KEYS } from './schema';
import { resolveSettings, Setting } from './settings';
import { MiB } from './sizes';
import { DomainDescription, ShutdownAction } from './types';
import { subRange, ValueReader } from './value-reader';

/** Where things were written, so cross-file checks can point at them. */
export interface DomainSources {
  name?: AtomValue;
  memory?: Range;
  vcpus?: Range;
  /** The whole `cpus` value. */
  cpus?: Range;
  /** Per vCPU: the CPU list that applies to it and where it was written. */
  cpuLists: ({ atom: AtomValue; terms: CpuTerm[]; shared: boolean } | null)[];
  irqs: { irq: number; range: Range }[];
  iomem: { index: number; range: Range }[];
  kernel?: Range;
  ramdisk?: Range;
  deviceTree?: Range;
  /** Paths this domain depends on (for re-validation when they change). */
  dependencies: string[];
}

export interface ValidatedDomain {
  file: string;
  parsed: ParsedConfig;
  settings: Map<string, Setting>;
  /** Best-effort description: invalid values are replaced by defaults. */
  description: DomainDescription;
  sources: DomainSources;
  diagnostics: ConfigDiagnostic[];
  ok: boolean;
}

export const MAX_DOMAIN_VCPUS = 128;
export const MAX_DOMAIN_MEMORY_MIB = 255 * 1024;
const RTDS_MIN_US = 10;
const RTDS_MAX_US = 4294967295;

const START_OF_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function validateDomainText(file: string, text: string, files: FileAccess): ValidatedDomain {
  return validateDomain(parseConfig(file, text), files);
}

export function validateDomain(parsed: ParsedConfig, files: FileAccess): ValidatedDomain {
  const file = parsed.file;
  const diagnostics: ConfigDiagnostic[] = [...parsed.diagnostics];
  const settings = resolveSettings(parsed, { duplicates: 'warn-last-wins' }, diagnostics);
  const r = new ValueReader(file, settings, diagnostics);
  const dir = path.dirname(file);
  const sources: DomainSources = { cpuLists: [], irqs: [], iomem: [], dependencies: [] };

  checkKeys(r, settings);

  // name
  let name = path.basename(file).replace(/\.[^.]*$/, '');
  const nameAtom = r.atom('name');
  if (!settings.has('name')) {
    r.error(START_OF_FILE, 'missing-key', 'missing `name`: every domain needs a name (name = "...")');
  } else if (nameAtom) {
    sources.name = nameAtom;
    if (!/^[A-Za-z0-9_.-]+$/.test(nameAtom.text)) {
      r.error(nameAtom.range, 'domain-name', `domain name "${nameAtom.text}" may contain only letters, digits, \`_\`, \`-\` and \`.\` (it is used in the system file's specs)`);
    } else {
      name = nameAtom.text;
    }
  }

  // type / builder
  const typeAtom = r.atom('type');
  if (typeAtom && typeAtom.text !== 'pvh') {
    if (typeAtom.text === 'pv' || typeAtom.text === 'hvm') {
      r.error(typeAtom.range, 'unsupported-value', `type "${typeAtom.text}" does not exist on Arm: like Xen on Arm, hvlab runs "pvh" guests`, {
        fixes: [{ title: 'Change to "pvh"', edits: [{ file, range: typeAtom.range, newText: '"pvh"' }] }],
      });
    } else {
      unknownValue(r, typeAtom, 'type', ['pvh']);
    }
  }

  // memory
  const memory = r.number('memory', 1, MAX_DOMAIN_MEMORY_MIB, 'MiB') ?? 32;
  sources.memory = settings.get('memory')?.value.range;
  let maxmem = r.number('maxmem', 1, MAX_DOMAIN_MEMORY_MIB, 'MiB') ?? memory;
  if (maxmem < memory) {
    r.error(settings.get('maxmem')!.value.range, 'range', `\`maxmem\` (${maxmem} MiB) must be at least \`memory\` (${memory} MiB)`);
    maxmem = memory;
  }

  // vCPUs
  const vcpus = r.number('vcpus', 1, MAX_DOMAIN_VCPUS) ?? 1;
  sources.vcpus = settings.get('vcpus')?.value.range;
  let maxVcpus = r.number('maxvcpus', 1, MAX_DOMAIN_VCPUS) ?? vcpus;
  if (maxVcpus < vcpus) {
    r.error(settings.get('maxvcpus')!.value.range, 'range', `\`maxvcpus\` (${maxVcpus}) must be at least \`vcpus\` (${vcpus})`);
    maxVcpus = vcpus;
  }
  readCpus(r, maxVcpus, sources);

  // Boot files
  const kernelRel = r.string('kernel');
  let kernel = '';
  let kernelFormat: DomainDescription['kernelFormat'] = 'elf64';
  if (!settings.has('kernel')) {
    r.error(START_OF_FILE, 'missing-key', 'missing `kernel`: hvlab boots guests directly and needs kernel = "path/to/Image-or-ELF"');
  } else if (kernelRel !== undefined) {
    const at = settings.get('kernel')!.value.range;
    sources.kernel = at;
    kernel = path.resolve(dir, kernelRel);
    sources.dependencies.push(kernel);
    const head = kernelRel === '' ? undefined : files.readHead(kernel, IMAGE_HEAD_BYTES);
    if (!head) {
      r.error(at, 'file', `kernel file not found: ${kernel}`);
    } else {
      const id = identifyKernel(head);
      if (id.ok) kernelFormat = id.format;
      else r.error(at, 'image', `the kernel ${id.reason}`);
    }
  }
  const ramdisk = optionalFile(r, 'ramdisk', dir, files, sources, (rng) => { sources.ramdisk = rng; });
  const deviceTree = optionalFile(r, 'device_tree', dir, files, sources, (rng) => { sources.deviceTree = rng; }, (head, at, p) => {
    if (!isFlattenedDeviceTree(head)) r.error(at, 'image', `device_tree is not a compiled device tree (no 0xd00dfeed magic): ${p}`);
  });

  // Command line, built as xl builds it.
  const cmdline = r.string('cmdline');
  const root = r.string('root');
  const extra = r.string('extra');
  let finalCmdline = '';
  if (cmdline !== undefined) {
    finalCmdline = cmdline;
    for (const k of ['root', 'extra']) {
      const s = settings.get(k);
      if (s) r.report(s.last.keyRange, 'warning', 'ignored', `\`${k}\` is ignored because \`cmdline\` is set (xl prefers cmdline)`);
    }
  } else if (root !== undefined) {
    finalCmdline = extra !== undefined ? `root=${root} ${extra}` : `root=${root}`;
  } else if (extra !== undefined) {
    finalCmdline = extra;
  }

  // Device-tree passthrough
  const dtdev: string[] = [];
  const dtList = r.list('dtdev');
  if (dtList) {
    for (const a of r.atomsOf(dtList, 'dtdev')) {
      if (!a.text.startsWith('/')) r.error(a.range, 'type', `dtdev entries are absolute device-tree paths (starting with /): "${a.text}"`);
      else dtdev.push(a.text);
    }
  }

  // Interrupts and MMIO
  const irqs = readIrqs(r, sources);
  const vuartAtom = r.atom('vuart');
  let vuart: DomainDescription['vuart'] = null;
  if (vuartAtom) {
    if (vuartAtom.text === 'sbsa_uart') vuart = 'sbsa_uart';
    else unknownValue(r, vuartAtom, 'vuart', ['sbsa_uart'], 'only the "sbsa_uart" model exists on Arm');
  }
  if (vuart) {
    for (const i of sources.irqs) {
      if (i.irq === GUEST_VPL011_SPI) {
        r.error(i.range, 'irq', `interrupt ${GUEST_VPL011_SPI} is taken by the guest's emulated UART (vuart = "sbsa_uart")`, {
          related: [{ file, range: vuartAtom!.range, message: 'the emulated UART is enabled here' }],
        });
      }
    }
  }
  const iomem = readIomem(r, sources);

  // GIC
  const gicAtom = r.atom('gic_version');
  if (gicAtom && gicAtom.text !== 'v3' && gicAtom.text !== 'default') {
    if (gicAtom.text === 'v2') {
      r.error(gicAtom.range, 'unsupported-value', 'hvlab\'s board has a GICv3 without GICv2 compatibility: use gic_version = "v3"', {
        fixes: [{ title: 'Change to "v3"', edits: [{ file, range: gicAtom.range, newText: '"v3"' }] }],
      });
    } else {
      unknownValue(r, gicAtom, 'gic_version', ['v3', 'default', 'v2']);
    }
  }

  // Scheduling parameters (which apply depends on the system's scheduler).
  const weight = r.number('cpu_weight', 1, 65535) ?? 256;
  const cap = r.number('cap', 0, 65535, '%') ?? 0;
  if (cap > 100 * maxVcpus) {
    r.report(settings.get('cap')!.value.range, 'warning', 'range', `a cap of ${cap}% is more than the domain's ${maxVcpus} vCPU(s) can use (${100 * maxVcpus}%)`);
  }
  const periodUs = r.number('period', RTDS_MIN_US, RTDS_MAX_US, 'µs') ?? 10000;
  let budgetUs = r.number('budget', RTDS_MIN_US, RTDS_MAX_US, 'µs') ?? Math.min(4000, periodUs);
  if (budgetUs > periodUs) {
    r.error(settings.get('budget')?.value.range ?? settings.get('period')!.value.range, 'range',
      `the RTDS budget (${budgetUs} µs) must not exceed the period (${periodUs} µs)`);
    budgetUs = periodUs;
  }

  const description: DomainDescription = {
    name,
    type: 'pvh',
    file,
    memoryBytes: memory * MiB,
    maxMemoryBytes: maxmem * MiB,
    vcpus,
    maxVcpus,
    // Resolved against the board's CPUs by the system validator ("all" needs to know them).
    cpuAffinity: new Array<null>(maxVcpus).fill(null),
    kernel,
    kernelFormat,
    ramdisk,
    cmdline: finalCmdline,
    deviceTree,
    dtdev,
    iomem,
    irqs,
    vuart,
    gicVersion: 'v3',
    onPoweroff: action(r, 'on_poweroff', 'destroy'),
    onReboot: action(r, 'on_reboot', 'restart'),
    onCrash: action(r, 'on_crash', 'destroy'),
    scheduling: { weight, cap, periodNs: periodUs * 1000, budgetNs: budgetUs * 1000 },
  };
  return { file, parsed, settings, description, sources, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error') };
}

function checkKeys(r: ValueReader, settings: Map<string, Setting>): void {
  for (const [key, s] of settings) {
    if (DOMAIN_KEY_MAP.has(key)) continue;
    for (const a of s.assignments) {
      if (XEN_ONLY_KEY_SET.has(key)) {
        r.report(a.keyRange, 'warning', 'unsupported-key', `\`${key}\` is an xl.cfg key that hvlab does not implement; it is ignored`);
        continue;
      }
      const guess = suggest(key, [...DOMAIN_KEYS.map((k) => k.key), ...XEN_ONLY_KEYS]);
      const systemHint = SYSTEM_KEY_MAP.has(key) ? ` (\`${key}\` is a system-file key)` : '';
      r.error(a.keyRange, 'unknown-key', `unknown key \`${key}\`${guess ? `: did you mean \`${guess}\`?` : ''}${systemHint}`,
        guess ? { fixes: [{ title: `Change to \`${guess}\``, edits: [{ file: r.file, range: a.keyRange, newText: guess }] }] } : undefined);
    }
  }
}

/** Reports a value outside an enumeration, with a did-you-mean fix when one is close. */
export function unknownValue(r: ValueReader, a: AtomValue, key: string, values: readonly string[], why?: string): void {
  const guess = suggest(a.text, values);
  const list = values.map((v) => `"${v}"`).join(', ');
  r.error(a.range, 'unknown-value', `\`${key}\` cannot be "${a.text}"${why ? `: ${why}` : `; expected one of ${list}`}${guess ? ` (did you mean "${guess}"?)` : ''}`,
    guess ? { fixes: [{ title: `Change to "${guess}"`, edits: [{ file: r.file, range: a.range, newText: `"${guess}"` }] }] } : undefined);
}

function action(r: ValueReader, key: string, dflt: ShutdownAction): ShutdownAction {
  const a = r.atom(key);
  if (!a) return dflt;
  switch (a.text) {
    case 'destroy': case 'restart': case 'preserve':
      return a.text;
    case 'rename-restart': case 'coredump-restart': case 'soft-reset':
      r.report(a.range, 'warning', 'unsupported-value', `hvlab does not implement "${a.text}"; the domain will be restarted instead`);
      return 'restart';
    case 'coredump-destroy':
      r.report(a.range, 'warning', 'unsupported-value', 'hvlab does not write core dumps; the domain will be destroyed instead');
      return 'destroy';
    default:
      unknownValue(r, a, key, SHUTDOWN_ACTIONS);
      return dflt;
  }
}

function optionalFile(
  r: ValueReader, key: string, dir: string, files: FileAccess, sources: DomainSources,
  setRange: (rng: Range) => void, check?: (head: Uint8Array, at: Range, p: string) => void,
): string | undefined {
  const rel = r.string(key);
  if (rel === undefined) return undefined;
  const at = r.settings.get(key)!.value.range;
  setRange(at);
  const p = path.resolve(dir, rel);
  sources.dependencies.push(p);
  const head = rel === '' ? undefined : files.readHead(p, IMAGE_HEAD_BYTES);
  if (!head) {
    r.error(at, 'file', `${key} file not found: ${p}`);
    return p;
  }
  check?.(head, at, p);
  return p;
}

function readCpus(r: ValueReader, maxVcpus: number, sources: DomainSources): void {
  const s = r.settings.get('cpus');
  sources.cpuLists = new Array(maxVcpus).fill(null);
  if (!s) return;
  sources.cpus = s.value.range;
  const parseOne = (a: AtomValue): CpuTerm[] | undefined => {
    const p = parseCpuList(a.text);
    if (!p.ok) {
      r.error(subRange(a, p.error.start, p.error.end), 'cpu', p.error.message);
      return undefined;
    }
    return p.terms;
  };
  if (s.value.kind === 'atom') {
    if (!s.value.valid) return;
    const terms = parseOne(s.value);
    if (terms) for (let v = 0; v < maxVcpus; v++) sources.cpuLists[v] = { atom: s.value, terms, shared: true };
    return;
  }
  const items = r.atomsOf(s.value, 'cpus');
  items.forEach((a, v) => {
    const terms = parseOne(a);
    if (v >= maxVcpus) {
      r.report(a.range, 'warning', 'cpu', `the domain has ${maxVcpus} vCPU(s); this CPU list (for vCPU ${v}) is ignored`);
      return;
    }
    if (terms) sources.cpuLists[v] = { atom: a, terms, shared: false };
  });
}

function readIrqs(r: ValueReader, sources: DomainSources): number[] {
  const list = r.list('irqs');
  if (!list) return [];
  const out: number[] = [];
  for (const a of r.atomsOf(list, 'irqs')) {
    // xl converts each entry with strtoul(…, 10): hex or octal would be misread.
    if (!/^[0-9]+$/.test(a.text)) {
      const fix = /^0[xX][0-9a-fA-F]+$/.test(a.text) ? String(parseInt(a.text.slice(2), 16)) : undefined;
      r.error(a.range, 'type', `interrupts are decimal numbers in xl (it reads them in base 10): "${a.text}"${fix ? ` — did you mean ${fix}?` : ''}`,
        fix ? { fixes: [{ title: `Change to ${fix}`, edits: [{ file: r.file, range: a.range, newText: fix }] }] } : undefined);
      continue;
    }
    const irq = parseInt(a.text, 10);
    if (/^0[0-9]/.test(a.text)) {
      r.report(a.range, 'warning', 'type', `xl reads interrupts in decimal, so ${a.text} is interrupt ${irq} (not octal)`);
    }
    const why = interruptRestriction(irq, VIRT);
    if (why) {
      r.error(a.range, 'irq', `${why}; it cannot be given to a guest`);
      continue;
    }
    const dup = sources.irqs.find((i) => i.irq === irq);
    if (dup) {
      r.report(a.range, 'warning', 'irq', `interrupt ${irq} is listed twice`, { related: [{ file: r.file, range: dup.range, message: 'first listed here' }] });
      continue;
    }
    sources.irqs.push({ irq, range: a.range });
    out.push(irq);
  }
  return out;
}

function readIomem(r: ValueReader, sources: DomainSources): DomainDescription['iomem'] {
  const list = r.list('iomem');
  if (!list) return [];
  const out: DomainDescription['iomem'] = [];
  const maxPfn = 2 ** 36; // 48-bit physical addresses in 4 KiB pages
  for (const a of r.atomsOf(list, 'iomem')) {
    const m = /^([^,@]*),([^,@]*)(?:@(.*))?$/.exec(a.text);
    const start = m ? parseHex(m[1].trim()) : undefined;
    const count = m ? parseHex(m[2].trim()) : undefined;
    const gfn = m && m[3] !== undefined ? parseHex(m[3].trim()) : start;
    if (!m || start === undefined || count === undefined || gfn === undefined) {
      r.error(a.range, 'type', `iomem entries are "IOMEM_START,NUM_PAGES[@GFN]" in hexadecimal 4 KiB page numbers, e.g. "9010,1": "${a.text}"`);
      continue;
    }
    if (count === 0) {
      r.error(subRange(a, m[1].length + 1, m[1].length + 1 + m[2].length), 'range', 'an iomem range needs at least one page');
      continue;
    }
    if (start + count > maxPfn || gfn + count > maxPfn) {
      r.error(a.range, 'range', 'iomem range goes beyond the 48-bit physical address space');
      continue;
    }
    sources.iomem.push({ index: out.length, range: a.range });
    out.push({ hostAddress: start * PAGE_SIZE, size: count * PAGE_SIZE, guestAddress: gfn * PAGE_SIZE });
  }
  return out;
}
