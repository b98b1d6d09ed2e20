// `hvlab run SYSTEM.hvsys [--stats] [--console NAME] [--max-insns N] [--quantum N]`: boots the
// hypervisor with the domains of a system file. UART0 (stdout) carries the hypervisor's console:
// each domain's output line-prefixed with its name, and the hypervisor's own "(hvlab)" lines.
// `--console NAME` feeds stdin to that domain's console. Exit status: 0 when every domain has
// shut down and the hypervisor powered the board off, 1 for a bad system file (diagnostics with
// file:line:col on stderr), 3 when the run stopped on a fault.
import { readFileSync } from 'node:fs';
import { launchSystem, SystemConfigError } from './hypervisor/launch';
import { UsageError } from './cli-options';
import { linePrefixer } from './hypervisor/console';
import type { Hypervisor } from './hypervisor/hypervisor';
import type { StopReason } from './cpu/cpu';

export interface SystemRunOptions {
  file: string;
  stats: boolean;
  console?: string;
  maxInsns?: number;
  quantum?: number;
}

export function parseSystemArgs(argv: string[]): SystemRunOptions {
  const o: SystemRunOptions = { file: '', stats: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      if (i + 1 >= argv.length) throw new UsageError(`option ${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--stats': o.stats = true; break;
      case '--console': o.console = value(); break;
      case '--max-insns': {
        const v = value(), n = Number(v);
        if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--max-insns ${v}: expected a positive integer`);
        o.maxInsns = n; break;
      }
      case '--quantum': {
        const v = value(), n = Number(v);
        if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--quantum ${v}: expected a positive integer`);
        o.quantum = n; break;
      }
      case '-nographic': case '-serial': if (a === '-serial') value(); break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a} for a system run (options: --stats, --console NAME, --max-insns N, --quantum N)`);
        if (o.file) throw new UsageError(`one system file at a time (got ${o.file} and ${a})`);
        o.file = a;
    }
  }
  if (!o.file) throw new UsageError('no system file given');
  return o;
}

/** `--stats` lines: per domain traps by class, interrupts, hypervisor time, vCPU run time. */
export function statsLines(hv: Hypervisor, retired: number, seconds: number): string[] {
  const lines = [`hvlab: ${retired} instructions retired in ${seconds.toFixed(3)} s: ${(retired / seconds / 1e6).toFixed(1)} MIPS`];
  lines.push(`hvlab: hypervisor time ${(hv.hypervisorNs / 1e6).toFixed(3)} ms (cost model), stage-2 tables ${hv.layout.tableBytes / 1024} KiB`);
  for (const d of hv.domains) {
    const c = d.counters;
    lines.push(`hvlab: domain ${d.name} (${d.state}): traps ${c.traps} [${c.describe()}], irqs ${c.irqs}, injected ${c.injected}, hypercalls ${c.hypercalls}, mmio ${c.mmio}, hypervisor ${(c.hypervisorNs / 1e6).toFixed(3)} ms`);
    for (const v of d.vcpus) lines.push(`hvlab:   ${v.label}: ran ${(v.runNs / 1e6).toFixed(3)} ms, ${v.switches} switches, ${v.state}`);
  }
  return lines;
}

export function runSystem(argv: string[], out: (b: Buffer) => void, err: (s: string) => void): number {
  const o = parseSystemArgs(argv);
  const bytes: number[] = [];
  const flush = (): void => { if (bytes.length) { out(Buffer.from(bytes)); bytes.length = 0; } };
  let sys;
  try {
    const uartOut = (b: number): void => { bytes.push(b); if (b === 10 || bytes.length > 4096) flush(); };
    // A UART passed through to a guest is the guest's own: its stream, printed apart.
    sys = launchSystem(o.file, { uartOut, uart1Out: linePrefixer('uart1| ', uartOut), quantum: o.quantum });
  } catch (e) {
    if (e instanceof SystemConfigError) { err(e.message + '\n'); return 1; }
    throw e;
  }
  for (const w of sys.warnings) err(`${w}\n`);
  if (o.console) {
    if (!sys.hypervisor.domains.some((d) => d.name === o.console)) throw new UsageError(`--console ${o.console}: no such domain (${sys.hypervisor.domains.map((d) => d.name).join(', ')})`);
    let input: Uint8Array = new Uint8Array(0);
    try { input = new Uint8Array(readFileSync(0)); } catch { /* no stdin */ }
    if (input.length) sys.hypervisor.consoleInputFor(o.console, input);
  }
  const start = process.hrtime.bigint();
  let stop: StopReason | undefined;
  try {
    stop = sys.board.run(o.maxInsns ?? Infinity);
  } finally {
    sys.hypervisor.consoles.flush();
    flush();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (o.stats) for (const l of statsLines(sys.hypervisor, sys.board.retired, seconds)) err(l + '\n');
  if (!stop) { err('hvlab: instruction limit reached\n'); return 0; }
  if (stop.kind === 'poweroff') return 0;
  err(`hvlab: ${stop.kind === 'fault' ? `fault at PC 0x${stop.pc.toString(16)}: ${stop.message}` : stop.kind}\n`);
  return 3;
}
