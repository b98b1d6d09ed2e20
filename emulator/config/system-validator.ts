// Validates a system file and every domain file it names, then what only the whole system
// can tell: names, memory, CPUs, interrupts, MMIO, shared memory, event channels and the
// ARINC 653 schedule. Cross-file conflicts are reported at both places, each pointing at the
// other (related information). The result carries a usage index for the language server.
//
// System file format (extension .hvsys; xl.cfg syntax, hvlab's keys — see schema.ts):
//
//   platform    = "virt"                 # required
//   cpus        = 4                      # physical CPUs (default 1)
//   memory      = 1024                   # MiB of board RAM (default 128); 64 MiB go to the hypervisor
//   gic_version = "v3"
//   scheduler   = "credit"               # credit | null | arinc653 | rtds
//   timeslice   = 30                     # credit: ms
//   major_frame = 100                    # arinc653: ms
//   windows     = [ "domain=NAME, start=T, duration=T[, vcpu=N][, cpu=N]" ]   # arinc653; T in ms or with ms/us/ns
//   domains     = [ "linux.cfg", "rtos.cfg" ]                                  # required; relative to this file
//   shmem       = [ "id=NAME, size=SIZE, owner=DOM, borrower=DOM[, borrower=DOM...][, gpa=ADDR]" ]
//   evtchn      = [ "domain=DOM, port=N, peer=DOM, peer_port=M" ]

import * as path from 'node:path';
import { evaluateCpuList, formatCpuSet } from './cpulist';
import { ConfigDiagnostic, Fix, Range, RelatedLocation } from './diagnostics';
import { suggest } from './edit-distance';
import { FileAccess } from './file-access';
import { unknownValue, validateDomain, ValidatedDomain } from './domain-validator';
import { assignCpus } from './null-scheduler';
import { hex, parseXlNumber } from './numbers';
import { AtomValue, parseConfig, ParsedConfig } from './parser';
import { GUEST_RAM_BASE, HYPERVISOR_RESERVE_BYTES, PAGE_SIZE, PlatformInfo, VIRT } from './platform';
import { DOMAIN_KEY_MAP, SCHEDULERS, SPEC_FIELDS, SYSTEM_KEY_MAP, SYSTEM_KEYS } from './schema';
import { resolveSettings, Setting } from './settings';
import { formatDuration, formatSize, MiB, NS_PER_MS, parseDuration, parseSize } from './sizes';
import { parseSpec, SpecField } from './spec';
import { Arinc653Window, EventChannel, SchedulerConfig, SchedulerName, SharedMemoryRegion, SystemDescription } from './types';
import { subRange, ValueReader } from './value-reader';

export interface UsageIndex {
  irqs: { irq: number; domain: string; file: string; range: Range }[];
  iomem: { domain: string; file: string; range: Range; start: number; end: number }[];
  /** Domain names as written in the system file's specs. */
  domainRefs: { name: string; file: string; range: Range }[];
  /** `name = "..."` in each domain file. */
  domainDefs: { name: string; file: string; range: Range }[];
  /** Path values (domain files, kernels...) and the absolute file they name. */
  paths: { file: string; range: Range; target: string }[];
}

export interface ValidationResult {
  kind: 'system' | 'domain';
  file: string;
  parsed: ParsedConfig;
  /** Present only when no file has an error. */
  system?: SystemDescription;
  domains: ValidatedDomain[];
  diagnostics: ConfigDiagnostic[];
  index: UsageIndex;
  /** Every file the result depends on (config files, kernels, ramdisks...). */
  dependencies: string[];
}

const START_OF_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const ARINC653_MAX_WINDOWS = 64;
const EVTCHN_MAX_PORT = 4095;

export function emptyIndex(): UsageIndex {
  return { irqs: [], iomem: [], domainRefs: [], domainDefs: [], paths: [] };
}

/** Validates a lone domain file (no system around it). */
export function validateDomainFile(file: string, files: FileAccess): ValidationResult {
  const text = files.readText(file);
  const parsed = parseConfig(file, text ?? '');
  if (text === undefined) {
    return {
      kind: 'domain', file, parsed, domains: [], index: emptyIndex(), dependencies: [file],
      diagnostics: [{ file, range: START_OF_FILE, severity: 'error', code: 'file', message: `cannot read ${file}` }],
    };
  }
  const d = validateDomain(parsed, files);
  const index = emptyIndex();
  indexDomain(d, index);
  return { kind: 'domain', file, parsed, domains: [d], diagnostics: d.diagnostics, index, dependencies: [file, ...d.sources.dependencies] };
}

export function validateSystemFile(file: string, files: FileAccess): ValidationResult {
  const text = files.readText(file);
  if (text === undefined) {
    return {
      kind: 'system', file, parsed: parseConfig(file, ''), domains: [], index: emptyIndex(), dependencies: [file],
      diagnostics: [{ file, range: START_OF_FILE, severity: 'error', code: 'file', message: `cannot read ${file}` }],
    };
  }
  return new SystemValidator(parseConfig(file, text), files).run();
}

class SystemValidator {
  private readonly file: string;
  private readonly diagnostics: ConfigDiagnostic[];
  private readonly settings: Map<string, Setting>;
  private readonly r: ValueReader;
  private readonly index = emptyIndex();
  private readonly dependencies: string[];
  private readonly domains: ValidatedDomain[] = [];
  private readonly byName = new Map<string, ValidatedDomain>();
  private readonly platform: PlatformInfo = VIRT;
  private cpus = 1;

  constructor(private readonly parsed: ParsedConfig, private readonly files: FileAccess) {
    this.file = parsed.file;
    this.diagnostics = [...parsed.diagnostics];
    this.dependencies = [this.file];
    this.settings = resolveSettings(parsed, { duplicates: 'error' }, this.diagnostics);
    this.r = new ValueReader(this.file, this.settings, this.diagnostics);
  }

  run(): ValidationResult {
    const r = this.r;
    this.checkKeys();

    const platformAtom = r.atom('platform');
    if (!this.settings.has('platform')) r.error(START_OF_FILE, 'missing-key', 'missing `platform`: write platform = "virt"');
    else if (platformAtom && platformAtom.text !== 'virt') unknownValue(r, platformAtom, 'platform', ['virt']);

    this.cpus = r.number('cpus', 1, this.platform.maxCpus) ?? 1;
    const memoryMiB = r.number('memory', this.platform.minMemoryMiB, this.platform.maxMemoryMiB, 'MiB') ?? 128;
    const gic = r.atom('gic_version');
    if (gic && gic.text !== 'v3') {
      unknownValue(r, gic, 'gic_version', ['v3'], 'hvlab\'s board implements GICv3 only');
    }
    const schedName = this.readScheduler();

    this.loadDomains();
    this.checkDomainNames();
    this.resolveAffinity();
    if (schedName === 'null') this.checkNullScheduler();
    this.checkSchedulerParameters(schedName);
    this.checkIrqs();
    this.checkIomem();
    const sharedMemory = this.readSharedMemory();
    this.checkMemoryTotal(memoryMiB, sharedMemory);
    const eventChannels = this.readEventChannels();
    const scheduler = this.readSchedulerConfig(schedName);

    const ok = !this.diagnostics.some((d) => d.severity === 'error');
    const system: SystemDescription | undefined = ok ? {
      file: this.file,
      platform: 'virt',
      cpus: this.cpus,
      memoryBytes: memoryMiB * MiB,
      availableMemoryBytes: memoryMiB * MiB - HYPERVISOR_RESERVE_BYTES,
      gicVersion: 'v3',
      scheduler,
      domains: this.domains.map((d) => d.description),
      sharedMemory,
      eventChannels,
    } : undefined;
    return {
      kind: 'system', file: this.file, parsed: this.parsed, system, domains: this.domains,
      diagnostics: this.diagnostics, index: this.index, dependencies: [...new Set(this.dependencies)],
    };
  }

  private checkKeys(): void {
    for (const [key, s] of this.settings) {
      if (SYSTEM_KEY_MAP.has(key)) continue;
      const guess = suggest(key, SYSTEM_KEYS.map((k) => k.key));
      const hint = DOMAIN_KEY_MAP.has(key) ? ` (\`${key}\` belongs in a domain file)` : '';
      this.r.error(s.last.keyRange, 'unknown-key', `unknown system key \`${key}\`${guess ? `: did you mean \`${guess}\`?` : ''}${hint}`,
        guess ? { fixes: [{ title: `Change to \`${guess}\``, edits: [{ file: this.file, range: s.last.keyRange, newText: guess }] }] } : undefined);
    }
  }

  private readScheduler(): SchedulerName {
    const a = this.r.atom('scheduler');
    if (!a) return 'credit';
    if ((SCHEDULERS as readonly string[]).includes(a.text)) return a.text as SchedulerName;
    unknownValue(this.r, a, 'scheduler', SCHEDULERS,
      a.text === 'credit2' || a.text === 'sedf' ? `hvlab implements ${SCHEDULERS.map((s) => `"${s}"`).join(', ')}` : undefined);
    return 'credit';
  }

  private loadDomains(): void {
    const r = this.r;
    if (!this.settings.has('domains')) {
      r.error(START_OF_FILE, 'missing-key', 'missing `domains`: list the domain files, e.g. domains = [ "guest.cfg" ]');
      return;
    }
    const list = r.list('domains');
    if (!list) return;
    if (list.items.length === 0) r.error(list.range, 'missing-key', '`domains` is empty: a system needs at least one domain');
    const seen = new Map<string, AtomValue>();
    for (const a of r.atomsOf(list, 'domains')) {
      const target = path.resolve(path.dirname(this.file), a.text);
      this.index.paths.push({ file: this.file, range: a.range, target });
      this.dependencies.push(target);
      const prev = seen.get(target);
      if (prev) {
        r.error(a.range, 'duplicate-key', `"${a.text}" is listed twice`, { related: [{ file: this.file, range: prev.range, message: 'first listed here' }] });
        continue;
      }
      seen.set(target, a);
      const text = a.text === '' ? undefined : this.files.readText(target);
      if (text === undefined) {
        r.error(a.range, 'file', `domain file not found: ${target}`);
        continue;
      }
      const d = validateDomain(parseConfig(target, text), this.files);
      this.diagnostics.push(...d.diagnostics);
      this.dependencies.push(...d.sources.dependencies);
      this.domains.push(d);
      indexDomain(d, this.index);
    }
  }

  private checkDomainNames(): void {
    for (const d of this.domains) {
      const name = d.description.name;
      const prev = this.byName.get(name);
      if (prev) {
        const here = d.sources.name?.range ?? START_OF_FILE;
        const there = prev.sources.name?.range ?? START_OF_FILE;
        this.push(d.file, here, 'domain-name', `domain name "${name}" is already used by ${path.basename(prev.file)}`, [{ file: prev.file, range: there, message: `"${name}" is defined here too` }]);
        this.push(prev.file, there, 'domain-name', `domain name "${name}" is also used by ${path.basename(d.file)}`, [{ file: d.file, range: here, message: `"${name}" is defined here too` }]);
        continue;
      }
      this.byName.set(name, d);
    }
  }

  private checkMemoryTotal(memoryMiB: number, shm: SharedMemoryRegion[]): void {
    const available = memoryMiB * MiB - HYPERVISOR_RESERVE_BYTES;
    const parts = this.domains.map((d) => ({ d, bytes: d.description.maxMemoryBytes }));
    const shmBytes = shm.reduce((s, x) => s + x.sizeBytes, 0);
    const total = parts.reduce((s, p) => s + p.bytes, 0) + shmBytes;
    if (total <= available) return;
    const where = this.settings.get('memory')?.value.range ?? START_OF_FILE;
    const breakdown = parts.map((p) => `${p.d.description.name} ${formatSize(p.bytes)}`).join(', ') + (shmBytes ? `, shared memory ${formatSize(shmBytes)}` : '');
    const related: RelatedLocation[] = parts.map((p) => ({
      file: p.d.file, range: p.d.settings.get('maxmem')?.value.range ?? p.d.sources.memory ?? p.d.sources.name?.range ?? START_OF_FILE,
      message: `${p.d.description.name} needs ${formatSize(p.bytes)}`,
    }));
    this.push(this.file, where, 'memory',
      `the domains need ${formatSize(total)} (${breakdown}) but only ${formatSize(Math.max(0, available))} is available: ${memoryMiB} MiB of RAM less the hypervisor's ${formatSize(HYPERVISOR_RESERVE_BYTES)} reserve`, related);
    // Also flag it in the domain files, at the domain that no longer fits, so whoever edits
    // a domain's memory sees it there.
    let sum = shmBytes;
    for (const p of parts) {
      sum += p.bytes;
      if (sum > available) {
        this.push(p.d.file, p.d.sources.memory ?? p.d.sources.name?.range ?? START_OF_FILE, 'memory',
          `${p.d.description.name}'s ${formatSize(p.bytes)} does not fit: the system's domains need ${formatSize(total)} of the ${formatSize(Math.max(0, available))} available`,
          [{ file: this.file, range: where, message: `the board's memory is set here (${memoryMiB} MiB)` }]);
        break;
      }
    }
  }

  private resolveAffinity(): void {
    for (const d of this.domains) {
      const reported = new Set<string>();
      d.sources.cpuLists.forEach((src, v) => {
        if (!src) return;
        const { cpus, missing } = evaluateCpuList(src.terms, this.cpus);
        for (const t of missing) {
          const key = `${t.start}:${src.atom.range.start.line}:${src.atom.range.start.character}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const what = t.nodes
            ? `NUMA node ${t.to} does not exist: the ${this.platform.name} platform has one node, 0`
            : `CPU ${t.to >= this.cpus && t.from < this.cpus ? `${this.cpus}-${t.to}` : t.from === t.to ? t.from : `${t.from}-${t.to}`} does not exist: the board has ${this.cpus} CPU${this.cpus === 1 ? '' : 's'} (${this.cpus === 1 ? '0' : `0-${this.cpus - 1}`})`;
          this.push(d.file, subRange(src.atom, t.numStart, t.end), 'cpu', what, [{ file: this.file, range: this.settings.get('cpus')?.value.range ?? START_OF_FILE, message: 'the number of CPUs is set here' }]);
        }
        if (cpus.length === 0 && missing.length === 0) {
          this.push(d.file, src.atom.range, 'cpu', `this CPU list leaves vCPU ${v} of ${d.description.name} no CPU to run on`);
        }
        d.description.cpuAffinity[v] = cpus.length === this.cpus && !src.terms.some((t) => t.negate) && src.terms.some((t) => t.all || t.nodes) ? null : cpus;
      });
    }
  }

  private checkNullScheduler(): void {
    const vcpus: { d: ValidatedDomain; v: number }[] = [];
    for (const d of this.domains) for (let v = 0; v < d.description.vcpus; v++) vcpus.push({ d, v });
    const schedRange = this.settings.get('scheduler')?.value.range ?? START_OF_FILE;
    if (vcpus.length > this.cpus) {
      this.push(this.file, schedRange, 'null-pinning',
        `the null scheduler gives each vCPU a CPU of its own, but the domains have ${vcpus.length} vCPUs and the board ${this.cpus} CPU${this.cpus === 1 ? '' : 's'}`,
        this.domains.map((d) => ({ file: d.file, range: d.sources.vcpus ?? d.sources.name?.range ?? START_OF_FILE, message: `${d.description.name} has ${d.description.vcpus} vCPU(s)` })));
    }
    const assignment = assignCpus(vcpus.map(({ d, v }) => ({ cpus: d.description.cpuAffinity[v] ?? null })), this.cpus);
    vcpus.forEach(({ d, v }, i) => {
      if (assignment.cpuOf[i] !== -1) return;
      const src = d.sources.cpuLists[v];
      const allowed = d.description.cpuAffinity[v];
      if (!src || !allowed) return; // unpinned: covered by the count above
      // Who holds the CPUs this vCPU may use?
      const holders: RelatedLocation[] = [];
      for (const c of allowed) {
        const j = assignment.cpuOf.indexOf(c);
        if (j < 0) continue;
        const h = vcpus[j];
        const hs = h.d.sources.cpuLists[h.v];
        holders.push({ file: h.d.file, range: hs?.atom.range ?? h.d.sources.name?.range ?? START_OF_FILE, message: `CPU ${c} is taken by vCPU ${h.v} of ${h.d.description.name}` });
      }
      const free = assignment.free[0];
      const fixes: Fix[] = free === undefined ? [] : [{ title: `Pin vCPU ${v} of ${d.description.name} to free CPU ${free}`, edits: [pinEdit(d, v, free)] }];
      const set = formatCpuSet(allowed);
      this.push(d.file, src.atom.range, 'null-pinning',
        `under the null scheduler vCPU ${v} of ${d.description.name} needs a CPU of its own, but ${allowed.length === 1 ? `CPU ${set} is` : `CPUs ${set} are all`} taken${free !== undefined ? ` (CPU ${free} is free)` : ''}`,
        holders, fixes);
      // The other side of a plain double pin gets told too.
      for (const h of holders) {
        if (allowed.length !== 1) break;
        this.push(h.file, h.range, 'null-pinning', `CPU ${set} is also wanted by vCPU ${v} of ${d.description.name}: the null scheduler cannot share it`,
          [{ file: d.file, range: src.atom.range, message: `vCPU ${v} of ${d.description.name} is pinned here` }]);
      }
    });
  }

  private checkSchedulerParameters(sched: SchedulerName): void {
    const owners: Record<string, SchedulerName> = { cpu_weight: 'credit', cap: 'credit', period: 'rtds', budget: 'rtds' };
    for (const d of this.domains) {
      for (const [key, owner] of Object.entries(owners)) {
        const s = d.settings.get(key);
        if (s && owner !== sched) {
          this.diagnostics.push({
            file: d.file, range: s.last.keyRange, severity: 'warning', code: 'ignored',
            message: `\`${key}\` applies to the ${owner} scheduler; the system uses ${sched}, so it is ignored`,
            related: [{ file: this.file, range: this.settings.get('scheduler')?.value.range ?? START_OF_FILE, message: 'the scheduler is chosen here' }],
          });
        }
      }
    }
    const ts = this.settings.get('timeslice');
    if (ts && sched !== 'credit') this.warnIgnored(ts, `\`timeslice\` applies to the credit scheduler; the system uses ${sched}`);
    for (const k of ['major_frame', 'windows']) {
      const s = this.settings.get(k);
      if (s && sched !== 'arinc653') this.warnIgnored(s, `\`${k}\` applies to the arinc653 scheduler; the system uses ${sched}`);
    }
  }

  private warnIgnored(s: Setting, message: string): void {
    this.diagnostics.push({ file: this.file, range: s.last.keyRange, severity: 'warning', code: 'ignored', message: `${message}, so it is ignored` });
  }

  private checkIrqs(): void {
    const first = new Map<number, { d: ValidatedDomain; range: Range }>();
    for (const d of this.domains) {
      for (const i of d.sources.irqs) {
        const prev = first.get(i.irq);
        if (!prev) { first.set(i.irq, { d, range: i.range }); continue; }
        this.push(d.file, i.range, 'irq', `interrupt ${i.irq} is already given to ${prev.d.description.name}; an interrupt can be routed to one domain only`,
          [{ file: prev.d.file, range: prev.range, message: `interrupt ${i.irq} is given to ${prev.d.description.name} here` }]);
        this.push(prev.d.file, prev.range, 'irq', `interrupt ${i.irq} is also given to ${d.description.name}; an interrupt can be routed to one domain only`,
          [{ file: d.file, range: i.range, message: `interrupt ${i.irq} is given to ${d.description.name} here` }]);
      }
    }
  }

  private checkIomem(): void {
    const ranges: { d: ValidatedDomain; start: number; end: number; range: Range }[] = [];
    const reserved = this.platform.reservedMmio(this.cpus);
    const ram = { name: 'RAM', base: this.platform.ramBase, size: this.platform.ramWindow };
    for (const d of this.domains) {
      for (const src of d.sources.iomem) {
        const io = d.description.iomem[src.index];
        const start = io.hostAddress;
        const end = io.hostAddress + io.size;
        const hit = [...reserved, ram].find((m) => start < m.base + m.size && m.base < end);
        if (hit) {
          this.push(d.file, src.range, 'iomem',
            `iomem ${hex(start)}-${hex(end - 1)} overlaps ${hit.name === 'RAM' ? `the board's RAM (from ${hex(ram.base)})` : `${hit.name} (${hex(hit.base)}-${hex(hit.base + hit.size - 1)})`}, which the hypervisor keeps`);
          continue;
        }
        const clash = ranges.find((o) => start < o.end && o.start < end);
        if (clash) {
          const same = clash.d === d;
          const msg = (other: string): string => `iomem ${hex(start)}-${hex(end - 1)} overlaps ${other}`;
          this.push(d.file, src.range, 'iomem', msg(same ? `another iomem range of this domain (${hex(clash.start)}-${hex(clash.end - 1)})` : `the iomem of ${clash.d.description.name} (${hex(clash.start)}-${hex(clash.end - 1)})`),
            [{ file: clash.d.file, range: clash.range, message: 'the other range' }]);
          if (!same) {
            this.push(clash.d.file, clash.range, 'iomem', `iomem ${hex(clash.start)}-${hex(clash.end - 1)} overlaps the iomem of ${d.description.name} (${hex(start)}-${hex(end - 1)})`,
              [{ file: d.file, range: src.range, message: 'the other range' }]);
          }
          continue;
        }
        ranges.push({ d, start, end, range: src.range });
      }
    }
  }

  /** Parses the spec strings of a list key, reporting malformed ones. */
  private specs(key: 'shmem' | 'evtchn' | 'windows'): { atom: AtomValue; fields: Map<string, SpecField[]> }[] {
    const list = this.r.list(key);
    if (!list) return [];
    const out: { atom: AtomValue; fields: Map<string, SpecField[]> }[] = [];
    for (const a of this.r.atomsOf(list, key)) {
      const p = parseSpec(a.text);
      if (!p.ok) {
        this.r.error(subRange(a, p.start, p.end), 'type', `${p.message} in this ${key} entry`);
        continue;
      }
      const fields = new Map<string, SpecField[]>();
      let bad = false;
      for (const f of p.fields) {
        if (!SPEC_FIELDS[key].includes(f.key)) {
          const guess = suggest(f.key, SPEC_FIELDS[key]);
          const kr = subRange(a, f.keyStart, f.keyStart + f.key.length);
          this.r.error(kr, 'unknown-key', `unknown ${key} field \`${f.key}\`${guess ? `: did you mean \`${guess}\`?` : `; expected ${SPEC_FIELDS[key].join(', ')}`}`,
            guess ? { fixes: [{ title: `Change to \`${guess}\``, edits: [{ file: this.file, range: kr, newText: guess }] }] } : undefined);
          bad = true;
          continue;
        }
        const repeatable = key === 'shmem' && f.key === 'borrower';
        if (fields.has(f.key) && !repeatable) {
          this.r.error(subRange(a, f.keyStart, f.valueEnd), 'duplicate-key', `\`${f.key}\` is given twice in this ${key} entry`);
          bad = true;
          continue;
        }
        fields.set(f.key, [...(fields.get(f.key) ?? []), f]);
      }
      if (!bad) out.push({ atom: a, fields });
    }
    return out;
  }

  private fieldRange(a: AtomValue, f: SpecField): Range {
    return subRange(a, f.valueStart, f.valueEnd);
  }

  /** Resolves a domain name written in a spec; reports unknown names with a did-you-mean. */
  private domainRef(a: AtomValue, f: SpecField): ValidatedDomain | undefined {
    const range = this.fieldRange(a, f);
    this.index.domainRefs.push({ name: f.value, file: this.file, range });
    const d = this.byName.get(f.value);
    if (d) return d;
    const guess = suggest(f.value, this.byName.keys());
    const known = [...this.byName.keys()].map((n) => `"${n}"`).join(', ');
    this.r.error(range, 'unknown-domain', `no domain is named "${f.value}"${guess ? `: did you mean "${guess}"?` : known ? `; the domains are ${known}` : ''}`,
      guess ? { fixes: [{ title: `Change to ${guess}`, edits: [{ file: this.file, range, newText: guess }] }] } : undefined);
    return undefined;
  }

  private required(a: AtomValue, fields: Map<string, SpecField[]>, key: string, names: string[]): boolean {
    const missing = names.filter((n) => !fields.has(n));
    if (missing.length) this.r.error(a.range, 'missing-key', `this ${key} entry needs ${missing.map((m) => `\`${m}=\``).join(', ')}`);
    return missing.length === 0;
  }

  private readSharedMemory(): SharedMemoryRegion[] {
    const out: SharedMemoryRegion[] = [];
    const ids = new Map<string, Range>();
    for (const { atom: a, fields } of this.specs('shmem')) {
      const complete = this.required(a, fields, 'shmem', ['id', 'size', 'owner', 'borrower']);
      let ok = complete;
      const idF = fields.get('id')?.[0];
      if (idF) {
        const rg = this.fieldRange(a, idF);
        if (!/^[A-Za-z0-9_.-]+$/.test(idF.value)) { this.r.error(rg, 'shmem', 'a shared memory id contains only letters, digits, `_`, `-` and `.`'); ok = false; }
        const prev = ids.get(idF.value);
        if (prev) { this.r.error(rg, 'shmem', `shared memory id "${idF.value}" is used twice`, { related: [{ file: this.file, range: prev, message: 'first used here' }] }); ok = false; }
        ids.set(idF.value, rg);
      }
      let size = 0;
      const sizeF = fields.get('size')?.[0];
      if (sizeF) {
        const rg = this.fieldRange(a, sizeF);
        const v = parseSize(sizeF.value);
        if (v === undefined || v === 0) { this.r.error(rg, 'shmem', `invalid size "${sizeF.value}": write bytes (decimal or 0x hex) or K/M/G, e.g. 64K`); ok = false; }
        else if (v % PAGE_SIZE !== 0) { this.r.error(rg, 'shmem', `shared memory size ${formatSize(v)} is not a multiple of the 4 KiB page size`); ok = false; }
        else size = v;
      }
      const ownerF = fields.get('owner')?.[0];
      const owner = ownerF ? this.domainRef(a, ownerF) : undefined;
      const borrowers: string[] = [];
      for (const bf of fields.get('borrower') ?? []) {
        const b = this.domainRef(a, bf);
        if (!b) { ok = false; continue; }
        if (owner && b === owner) { this.r.error(this.fieldRange(a, bf), 'shmem', `${bf.value} is the owner of this region; a borrower must be another domain`); ok = false; continue; }
        if (borrowers.includes(bf.value)) { this.r.error(this.fieldRange(a, bf), 'shmem', `${bf.value} is listed twice as a borrower`); ok = false; continue; }
        borrowers.push(bf.value);
      }
      let guestAddress: number | undefined;
      const gpaF = fields.get('gpa')?.[0];
      if (gpaF) {
        const rg = this.fieldRange(a, gpaF);
        const n = parseXlNumber(gpaF.value);
        if (!n.ok || n.value < 0) { this.r.error(rg, 'shmem', `invalid gpa "${gpaF.value}": write a guest physical address, e.g. 0x7fe00000`); ok = false; }
        else if (n.value % PAGE_SIZE !== 0) { this.r.error(rg, 'shmem', `gpa ${hex(n.value)} is not 4 KiB aligned`); ok = false; }
        else {
          guestAddress = n.value;
          for (const d of [owner, ...borrowers.map((b) => this.byName.get(b))]) {
            if (!d || !size) continue;
            const ramEnd = GUEST_RAM_BASE + d.description.maxMemoryBytes;
            if (guestAddress < ramEnd && GUEST_RAM_BASE < guestAddress + size) {
              this.r.error(rg, 'shmem', `gpa ${hex(guestAddress)}-${hex(guestAddress + size - 1)} overlaps ${d.description.name}'s RAM (${hex(GUEST_RAM_BASE)}-${hex(ramEnd - 1)})`);
              ok = false;
            }
          }
        }
      }
      if (ok && owner && idF && size) out.push({ id: idF.value, sizeBytes: size, owner: owner.description.name, borrowers, guestAddress });
    }
    return out;
  }

  private readEventChannels(): EventChannel[] {
    const out: EventChannel[] = [];
    const used = new Map<string, Range>();
    for (const { atom: a, fields } of this.specs('evtchn')) {
      let ok = this.required(a, fields, 'evtchn', ['domain', 'port', 'peer', 'peer_port']);
      const ends: { name?: string; port?: number }[] = [];
      for (const [dk, pk] of [['domain', 'port'], ['peer', 'peer_port']] as const) {
        const df = fields.get(dk)?.[0];
        const pf = fields.get(pk)?.[0];
        const d = df ? this.domainRef(a, df) : undefined;
        if (df && !d) ok = false;
        let port: number | undefined;
        if (pf) {
          const rg = this.fieldRange(a, pf);
          const n = parseXlNumber(pf.value);
          if (!n.ok || n.value < 1 || n.value > EVTCHN_MAX_PORT) {
            this.r.error(rg, 'evtchn', `event channel port must be between 1 and ${EVTCHN_MAX_PORT}: "${pf.value}"`);
            ok = false;
          } else if (d) {
            port = n.value;
            const k = `${d.description.name}:${port}`;
            const prev = used.get(k);
            if (prev) {
              this.r.error(rg, 'evtchn', `port ${port} of ${d.description.name} is already bound`, { related: [{ file: this.file, range: prev, message: 'bound here' }] });
              ok = false;
            }
            used.set(k, rg);
          }
        }
        ends.push({ name: d?.description.name, port });
      }
      if (ok && ends[0].name && ends[1].name && ends[0].port && ends[1].port) {
        if (ends[0].name === ends[1].name) {
          this.r.report(a.range, 'warning', 'evtchn', `this event channel connects ${ends[0].name} to itself`);
        }
        out.push({ domain: ends[0].name, port: ends[0].port, peer: ends[1].name, peerPort: ends[1].port });
      }
    }
    return out;
  }

  private readSchedulerConfig(name: SchedulerName): SchedulerConfig {
    switch (name) {
      case 'credit':
        return { name, timesliceNs: (this.r.number('timeslice', 1, 1000, 'ms') ?? 30) * NS_PER_MS };
      case 'null':
      case 'rtds':
        return { name };
      case 'arinc653':
        return this.readArinc653();
    }
  }

  private readArinc653(): SchedulerConfig {
    const r = this.r;
    const schedRange = this.settings.get('scheduler')?.value.range ?? START_OF_FILE;
    if (!this.settings.has('major_frame')) r.error(schedRange, 'missing-key', 'the arinc653 scheduler needs `major_frame` (ms)');
    if (!this.settings.has('windows')) r.error(schedRange, 'missing-key', 'the arinc653 scheduler needs `windows`');
    const majorMs = r.number('major_frame', 1, 60_000, 'ms');
    const majorNs = (majorMs ?? 0) * NS_PER_MS;
    const majorRange = this.settings.get('major_frame')?.value.range;
    const windows: (Arinc653Window & { range: Range })[] = [];
    const entries = this.specs('windows');
    if (entries.length > ARINC653_MAX_WINDOWS) {
      r.error(this.settings.get('windows')!.value.range, 'arinc653', `at most ${ARINC653_MAX_WINDOWS} windows fit in an ARINC 653 schedule (Xen's limit); there are ${entries.length}`);
    }
    for (const { atom: a, fields } of entries) {
      let ok = this.required(a, fields, 'windows', ['domain', 'start', 'duration']);
      const df = fields.get('domain')?.[0];
      const d = df ? this.domainRef(a, df) : undefined;
      if (df && !d) ok = false;
      const time = (k: string): number | undefined => {
        const f = fields.get(k)?.[0];
        if (!f) return undefined;
        const v = parseDuration(f.value);
        if (v === undefined) { r.error(this.fieldRange(a, f), 'arinc653', `invalid ${k} "${f.value}": write milliseconds, or a number with ms, us or ns`); ok = false; }
        return v;
      };
      const start = time('start');
      const duration = time('duration');
      if (duration === 0) { r.error(this.fieldRange(a, fields.get('duration')![0]), 'arinc653', 'a window needs a duration above 0'); ok = false; }
      const int = (k: string, max: number, what: string): number => {
        const f = fields.get(k)?.[0];
        if (!f) return 0;
        const n = parseXlNumber(f.value);
        if (!n.ok || n.value < 0 || n.value >= max) {
          r.error(this.fieldRange(a, f), 'arinc653', `${k} ${f.value} does not exist: ${what}`);
          ok = false;
          return 0;
        }
        return n.value;
      };
      const vcpu = d ? int('vcpu', d.description.vcpus, `${d.description.name} has ${d.description.vcpus} vCPU(s)`) : 0;
      const cpu = int('cpu', this.cpus, `the board has ${this.cpus} CPU(s)`);
      if (start !== undefined && duration !== undefined && majorMs !== undefined && start + duration > majorNs) {
        r.error(a.range, 'arinc653', `this window ends at ${formatDuration(start + duration)}, after the ${formatDuration(majorNs)} major frame`,
          majorRange ? { related: [{ file: this.file, range: majorRange, message: 'the major frame is set here' }] } : undefined);
        ok = false;
      }
      if (!ok || !d || start === undefined || duration === undefined) continue;
      const clash = windows.find((w) => w.cpu === cpu && start < w.startNs + w.durationNs && w.startNs < start + duration);
      if (clash) {
        r.error(a.range, 'arinc653', `this window (${formatDuration(start)}-${formatDuration(start + duration)}) overlaps the window of ${clash.domain} (${formatDuration(clash.startNs)}-${formatDuration(clash.startNs + clash.durationNs)}) on CPU ${cpu}`,
          { related: [{ file: this.file, range: clash.range, message: 'the other window' }] });
        continue;
      }
      windows.push({ domain: d.description.name, vcpu, cpu, startNs: start, durationNs: duration, range: a.range });
    }
    for (const d of this.domains) {
      if (windows.length && !windows.some((w) => w.domain === d.description.name)) {
        this.push(d.file, d.sources.name?.range ?? START_OF_FILE, 'arinc653', `${d.description.name} has no ARINC 653 window, so it never runs`,
          [{ file: this.file, range: this.settings.get('windows')!.value.range, message: 'the windows are listed here' }], [], 'warning');
      }
    }
    return {
      name: 'arinc653',
      majorFrameNs: majorNs,
      windows: windows.map(({ range: _r, ...w }) => w).sort((x, y) => x.cpu - y.cpu || x.startNs - y.startNs),
    };
  }

  private push(file: string, range: Range, code: ConfigDiagnostic['code'], message: string, related?: RelatedLocation[], fixes?: Fix[], severity: ConfigDiagnostic['severity'] = 'error'): void {
    this.diagnostics.push({ file, range, severity, code, message, related: related?.length ? related : undefined, fixes: fixes?.length ? fixes : undefined });
  }
}

/** The edit that pins vCPU `v` of a domain to `cpu`, keeping the other vCPUs' pinning. */
function pinEdit(d: ValidatedDomain, v: number, cpu: number): { file: string; range: Range; newText: string } {
  const src = d.sources.cpuLists[v]!;
  if (!src.shared) return { file: d.file, range: src.atom.range, newText: `"${cpu}"` };
  if (d.description.maxVcpus === 1) return { file: d.file, range: src.atom.range, newText: `"${cpu}"` };
  const items = d.sources.cpuLists.map((s, i) => (i === v ? `"${cpu}"` : JSON.stringify(s ? s.atom.text : 'all')));
  return { file: d.file, range: d.sources.cpus ?? src.atom.range, newText: `[ ${items.join(', ')} ]` };
}

function indexDomain(d: ValidatedDomain, index: UsageIndex): void {
  const name = d.description.name;
  if (d.sources.name) index.domainDefs.push({ name, file: d.file, range: d.sources.name.range });
  for (const i of d.sources.irqs) index.irqs.push({ irq: i.irq, domain: name, file: d.file, range: i.range });
  for (const src of d.sources.iomem) {
    const io = d.description.iomem[src.index];
    index.iomem.push({ domain: name, file: d.file, range: src.range, start: io.hostAddress, end: io.hostAddress + io.size });
  }
  const paths: [Range | undefined, string | undefined][] = [
    [d.sources.kernel, d.description.kernel], [d.sources.ramdisk, d.description.ramdisk], [d.sources.deviceTree, d.description.deviceTree],
  ];
  for (const [range, target] of paths) if (range && target) index.paths.push({ file: d.file, range, target });
}
