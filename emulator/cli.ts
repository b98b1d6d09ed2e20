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

export function runCommand(opts: RunOptions): number {
  const sink = new UartSink();
  const start = process.hrtime.bigint();
  let retired = 0;
  let stop: StopReason | undefined;
  // QEMU's virt defaults to GICv2; hvlab has only GICv3 so far, and says so instead of guessing quietly.
  if (!opts.machineProps.has('gic-version')) process.stderr.write('hvlab: GICv2 is not emulated; using GICv3 (gic-version=3)\n');
  const trace = opts.trace ? openTrace(opts.trace, { cpu: opts.cpu }) : undefined;
  try {
    let first = true;
    for (;;) {
      const board = boardFromOptions(opts, sink.put);
      if (first) for (const w of board.warnings) process.stderr.write(`hvlab: warning: ${w}\n`);
      first = false;
      if (trace) for (const cpu of board.cpus) cpu.beforeInsn = trace.hook;
      stop = board.run(opts.maxInsns === undefined ? Infinity : opts.maxInsns - retired);
      retired += board.retired;
      if (stop?.kind === 'reset' && !opts.noReboot) continue;
      break;
    }
  } finally {
    sink.flush();
    trace?.close();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (opts.stats) {
    process.stderr.write(`hvlab: ${retired} instructions retired in ${seconds.toFixed(3)} s: ${(retired / seconds / 1e6).toFixed(1)} MIPS\n`);
  }
  if (!stop) { process.stderr.write(`hvlab: instruction limit reached\n`); return 0; }
  if (stop.kind === 'poweroff' || stop.kind === 'reset') return 0;
  process.stderr.write(describeStop(stop) + '\n');
  return 3;
}

export function main(argv: string[]): number {
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

if (require.main === module) process.exitCode = main(process.argv.slice(2));
