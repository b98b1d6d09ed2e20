// `hvlab` command line. `hvlab run …` takes QEMU's options; the guest's UART is the only thing on
// stdout, and every diagnostic goes to stderr.
import { parseRunArgs, UsageError, type RunOptions } from './cli-options';
import { boardFromOptions } from './machine/board-from-options';
import type { StopReason } from './cpu/cpu';
import { openTrace } from './debug/trace';
import { runCheck } from './config/check-command';
import { runSystem } from './system-cli';
import { detectFileKind } from './config';
import { existsSync, readFileSync } from 'node:fs';
import { attachTerminal, FdSource, LiveSource, type SerialSource } from './machine/serial-input';
import type { VirtBoard } from './machine/virt-board';

const USAGE = `usage: hvlab check FILE...
       hvlab run SYSTEM.hvsys [--stats] [--console DOMAIN] [--max-insns N]
       hvlab run -M virt -kernel FILE [-cpu cortex-a53|cortex-a57|max] [-smp N] [-m SIZE]
                 [-initrd FILE] [-append CMDLINE] [-dtb FILE] [-nographic] [-serial stdio] [-no-reboot]
                 [--stats] [--trace FILE] [--max-insns N]
`;

class UartSink {
  private buf = Buffer.alloc(1 << 16);
  private len = 0;
  put = (b: number): void => {
    this.buf[this.len++] = b;
    if (this.len === this.buf.length || b === 10) this.flush();
  };
  flush(): void {
    if (this.len) { process.stdout.write(Buffer.from(this.buf.subarray(0, this.len))); this.len = 0; }
  }
}

function describeStop(s: StopReason): string {
  switch (s.kind) {
    case 'undefined': return `hvlab: UNDEFINED instruction 0x${s.insn.toString(16).padStart(8, '0')} at PC 0x${s.pc.toString(16)}: ${s.reason}`;
    case 'fault': return `hvlab: fault at PC 0x${s.pc.toString(16)}: ${s.message}`;
    case 'breakpoint': return `hvlab: BRK at PC 0x${s.pc.toString(16)} (no debugger attached)`;
    default: return `hvlab: ${s.kind}`;
  }
}

/** Instructions per slice of an interactive run, between which the terminal's keys are taken in. */
const INTERACTIVE_SLICE = 2_000_000;

/**
 * `hvlab run`. With `-nographic` / `-serial stdio`, stdin feeds UART0's receiver: a file or pipe
 * through blocking reads, so the run stays reproducible (serial-input.ts); a terminal
 * interactively, in raw mode (keys go to the guest; Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A,
 * as QEMU's -nographic), which makes this function asynchronous.
 */
export function runCommand(opts: RunOptions): number | Promise<number> {
  if (opts.serialStdio && process.stdin.isTTY) return runInteractive(opts);
  const sink = new UartSink();
  const start = process.hrtime.bigint();
  let retired = 0;
  let stop: StopReason | undefined;
  const serialIn = opts.serialStdio ? new FdSource(0) : undefined;
  const trace = startRun(opts);
  try {
    let first = true;
    for (;;) {
      const board = makeBoard(opts, sink, first, trace, serialIn);
      first = false;
      stop = board.run(opts.maxInsns === undefined ? Infinity : opts.maxInsns - retired);
      retired += board.retired;
      if (stop?.kind === 'reset' && !opts.noReboot) continue;
      break;
    }
  } finally {
    sink.flush();
    trace?.close();
  }
  return finishRun(opts, stop, retired, start);
}

function startRun(opts: RunOptions): ReturnType<typeof openTrace> | undefined {
  // QEMU's virt defaults to GICv2; hvlab has only GICv3 so far, and says so instead of guessing quietly.
  if (!opts.machineProps.has('gic-version')) process.stderr.write('hvlab: GICv2 is not emulated; using GICv3 (gic-version=3)\n');
  return opts.trace ? openTrace(opts.trace, { cpu: opts.cpu }) : undefined;
}

function makeBoard(opts: RunOptions, sink: UartSink, first: boolean, trace: ReturnType<typeof openTrace> | undefined, serialIn?: SerialSource): VirtBoard {
  const board = boardFromOptions(opts, sink.put, serialIn);
  if (first) for (const w of board.warnings) process.stderr.write(`hvlab: warning: ${w}\n`);
  if (trace) for (const cpu of board.cpus) cpu.beforeInsn = trace.hook;
  return board;
}

async function runInteractive(opts: RunOptions): Promise<number> {
  const sink = new UartSink();
  const start = process.hrtime.bigint();
  const src = new LiveSource();
  let wake: (() => void) | undefined;
  const term = attachTerminal(src, () => wake?.());
  const trace = startRun(opts);
  let retired = 0;
  let stop: StopReason | undefined;
  try {
    let first = true;
    for (;;) {
      const board = makeBoard(opts, sink, first, trace, src);
      first = false;
      const before = retired;
      for (;;) {
        const left = opts.maxInsns === undefined ? Infinity : opts.maxInsns - before - board.retired;
        if (left <= 0 || term.quit) break;
        stop = board.run(Math.min(INTERACTIVE_SLICE, left));
        sink.flush();
        if (stop) break;
        // Let the terminal's keys in: at once, or, when every CPU sleeps waiting for them, when one comes.
        await new Promise<void>((resolve) => {
          if (!board.waitingForHost || src.pending() || term.quit) { setImmediate(resolve); return; }
          wake = () => { wake = undefined; resolve(); };
        });
      }
      retired = before + board.retired;
      if (stop?.kind === 'reset' && !opts.noReboot && !term.quit) continue;
      break;
    }
  } finally {
    sink.flush();
    trace?.close();
    term.detach();
  }
  if (term.quit) { process.stderr.write('\nhvlab: terminated (Ctrl-A x)\n'); return 0; }
  return finishRun(opts, stop, retired, start);
}

function finishRun(opts: RunOptions, stop: StopReason | undefined, retired: number, start: bigint): number {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (opts.stats) {
    process.stderr.write(`hvlab: ${retired} instructions retired in ${seconds.toFixed(3)} s: ${(retired / seconds / 1e6).toFixed(1)} MIPS\n`);
  }
  if (!stop) { process.stderr.write(`hvlab: instruction limit reached\n`); return 0; }
  if (stop.kind === 'poweroff' || stop.kind === 'reset') return 0;
  process.stderr.write(describeStop(stop) + '\n');
  return 3;
}

export function main(argv: string[]): number | Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run': {
        // `hvlab run system.hvsys`: the hypervisor with the domains of a system file.
        const takesValue = new Set(['-M', '-machine', '-kernel', '-initrd', '-append', '-dtb', '-cpu', '-smp', '-m', '-serial', '--trace', '--max-insns', '--console', '--quantum']);
        const file = rest.find((a, i) => !a.startsWith('-') && !takesValue.has(rest[i - 1]));
        if (file && existsSync(file) && detectFileKind(file, readFileSync(file, 'utf8')) === 'system') {
          return runSystem(rest, (b) => process.stdout.write(b), (s) => process.stderr.write(s));
        }
        return runCommand(parseRunArgs(rest));
      }
      case 'check': return runCheck(rest, process.stdout, process.stderr);
      case undefined: case '-h': case '--help': process.stdout.write(USAGE); return cmd ? 0 : 2;
      default: throw new UsageError(`unknown command '${cmd}' (commands: run, check)`);
    }
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`hvlab: ${e.message}\n${USAGE}`); return 2; }
    if (e instanceof Error && !(e instanceof TypeError) && !(e instanceof ReferenceError)) { process.stderr.write(`hvlab: ${e.message}\n`); return 1; }
    throw e;
  }
}

if (require.main === module) {
  const r = main(process.argv.slice(2));
  if (typeof r === 'number') process.exitCode = r;
  else r.then((code) => { process.exitCode = code; process.exit(); }, (e: unknown) => { process.stderr.write(`hvlab: ${e instanceof Error ? e.message : String(e)}\n`); process.exit(1); });
}
