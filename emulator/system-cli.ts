// `hvlab run SYSTEM.hvsys [--stats] [--console NAME] [--max-insns N] [--quantum N]`: boots the
// hypervisor with the domains of a system file. UART0 (stdout) carries the hypervisor's console:
// each domain's output line-prefixed with its name, and the hypervisor's own "(hvlab)" lines.
// `--console NAME` feeds stdin to that domain's console. Exit status: 0 when every domain has
// shut down and the hypervisor powered the board off, 1 for a bad system file (diagnostics with
// file:line:col on stderr), 3 when the run stopped on a fault.
import { launchSystem, SystemConfigError, type RunningSystem } from './hypervisor/launch';
import { attachConsoleInput } from './hypervisor/console-input';
import { attachTerminal, FdSource, LiveSource } from './machine/serial-input';
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

/** Instructions per slice of an interactive run, between which the terminal's keys are taken in. */
const INTERACTIVE_SLICE = 2_000_000;

/**
 * `hvlab run SYSTEM`. With `--console NAME`, stdin goes to the board's UART0, whose receive
 * interrupt the hypervisor forwards to that domain (console-input.ts): a file or pipe is read at
 * the line's pace, so the run is reproducible; a terminal makes the run interactive (raw mode,
 * Ctrl-A x quits) and this function asynchronous.
 */
export function runSystem(argv: string[], out: (b: Buffer) => void, err: (s: string) => void): number | Promise<number> {
  const o = parseSystemArgs(argv);
  const bytes: number[] = [];
  const flush = (): void => { if (bytes.length) { out(Buffer.from(bytes)); bytes.length = 0; } };
  const live = o.console !== undefined && process.stdin.isTTY ? new LiveSource() : undefined;
  const serialIn = live ?? (o.console !== undefined ? new FdSource(0) : undefined);
  let sys;
  try {
    const uartOut = (b: number): void => { bytes.push(b); if (b === 10 || bytes.length > 4096) flush(); };
    // A UART passed through to a guest is the guest's own: its stream, printed apart.
    sys = launchSystem(o.file, { uartOut, uart1Out: linePrefixer('uart1| ', uartOut), quantum: o.quantum, serialIn });
  } catch (e) {
    if (e instanceof SystemConfigError) { err(e.message + '\n'); return 1; }
    throw e;
  }
  for (const w of sys.warnings) err(`${w}\n`);
  if (o.console !== undefined) {
    if (!sys.hypervisor.domains.some((d) => d.name === o.console)) throw new UsageError(`--console ${o.console}: no such domain (${sys.hypervisor.domains.map((d) => d.name).join(', ')})`);
    attachConsoleInput(sys.hypervisor, o.console);
  }
  const running = sys;
  const start = process.hrtime.bigint();
  const finish = (stop: StopReason | undefined, quit: boolean): number => {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (o.stats) for (const l of statsLines(running.hypervisor, running.board.retired, seconds)) err(l + '\n');
    if (quit) { err('\nhvlab: terminated (Ctrl-A x)\n'); return 0; }
    if (!stop) { err('hvlab: instruction limit reached\n'); return 0; }
    if (stop.kind === 'poweroff') return 0;
    err(`hvlab: ${stop.kind === 'fault' ? `fault at PC 0x${stop.pc.toString(16)}: ${stop.message}` : stop.kind}\n`);
    return 3;
  };
  if (live) return runInteractive(running, live, o.maxInsns, flush, finish);
  let stop: StopReason | undefined;
  try {
    stop = running.board.run(o.maxInsns ?? Infinity);
  } finally {
    running.hypervisor.consoles.flush();
    flush();
  }
  return finish(stop, false);
}

async function runInteractive(sys: RunningSystem, src: LiveSource, maxInsns: number | undefined, flush: () => void,
  finish: (stop: StopReason | undefined, quit: boolean) => number): Promise<number> {
  let wake: (() => void) | undefined;
  const term = attachTerminal(src, () => wake?.());
  let stop: StopReason | undefined;
  try {
    for (;;) {
      const left = maxInsns === undefined ? Infinity : maxInsns - sys.board.retired;
      if (left <= 0 || term.quit) break;
      stop = sys.board.run(Math.min(INTERACTIVE_SLICE, left));
      sys.hypervisor.consoles.flush();
      flush();
      if (stop) break;
      // Let the keys in: at once, or, when every CPU sleeps waiting for them, when one comes.
      await new Promise<void>((resolve) => {
        if (!sys.board.waitingForHost || src.pending() || term.quit) { setImmediate(resolve); return; }
        wake = () => { wake = undefined; resolve(); };
      });
    }
  } finally {
    sys.hypervisor.consoles.flush();
    flush();
    term.detach();
  }
  return finish(stop, term.quit);
}
