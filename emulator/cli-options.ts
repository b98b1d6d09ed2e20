// QEMU-compatible command-line options for `hvlab run`, so `qemu-system-aarch64` can be swapped
// for `hvlab run` in a script. Only the spellings hvlab supports are accepted; anything else is a
// clear error naming the option.
import type { CpuModel } from './machine/virt-board';
import { VIRT_MAX_CPUS } from './machine/memory-map';

export interface RunOptions {
  machine: string;
  machineProps: Map<string, string>;
  cpu: CpuModel;
  smp: number;
  memory: number;
  kernel?: string;
  initrd?: string;
  append?: string;
  dtb?: string;
  noReboot: boolean;
  stats: boolean;
  trace?: string;
  maxInsns?: number;
  /** `-nographic` or `-serial stdio`: UART0 is on stdio, so stdin feeds its receiver (as QEMU). */
  serialStdio: boolean;
}

export class UsageError extends Error {}

const CPU_MODELS: readonly CpuModel[] = ['cortex-a53', 'cortex-a57', 'max'];

/** QEMU's -m syntax: a number with optional suffix K/M/G/T; no suffix means MiB. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmgtKMGT]?)[bB]?$/.exec(s.trim());
  if (!m) throw new UsageError(`-m ${s}: expected a size such as 512M or 1G`);
  const unit = { '': 2 ** 20, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2].toLowerCase()] as number;
  return Math.round(parseFloat(m[1]) * unit);
}

export function parseRunArgs(argv: string[]): RunOptions {
  const o: RunOptions = { machine: 'virt', machineProps: new Map(), cpu: 'cortex-a53', smp: 1, memory: 128 * 2 ** 20, noReboot: false, stats: false, serialStdio: false };
  let machineGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      if (i + 1 >= argv.length) throw new UsageError(`option ${a} needs a value`);
      return argv[++i];
    };
    // QEMU accepts both -opt and --opt.
    const opt = a.startsWith('--') ? a.slice(1) : a;
    switch (opt) {
      case '-M': case '-machine': {
        const [name, ...props] = value().split(',');
        o.machine = name; machineGiven = true;
        for (const p of props) {
          const [k, v = 'on'] = p.split('=');
          o.machineProps.set(k, v);
        }
        break;
      }
      case '-cpu': {
        const c = value();
        if (!(CPU_MODELS as readonly string[]).includes(c)) throw new UsageError(`-cpu ${c}: supported models are ${CPU_MODELS.join(', ')}`);
        o.cpu = c as CpuModel;
        break;
      }
      case '-smp': {
        const v = value(), n = parseInt(v.split(',')[0].replace(/^cpus=/, ''), 10);
        if (!(n >= 1 && n <= VIRT_MAX_CPUS)) throw new UsageError(`-smp ${v}: expected 1 to ${VIRT_MAX_CPUS} CPUs`);
        o.smp = n;
        break;
      }
      case '-m': o.memory = parseSize(value().replace(/^size=/, '')); break;
      case '-kernel': o.kernel = value(); break;
      case '-initrd': o.initrd = value(); break;
      case '-append': o.append = value(); break;
      case '-dtb': o.dtb = value(); break;
      case '-nographic': o.serialStdio = true; break; // hvlab never has a display; the serial port goes to stdio
      case '-serial': {
        const v = value();
        if (v !== 'stdio' && v !== 'mon:stdio') throw new UsageError(`-serial ${v}: only stdio is supported`);
        o.serialStdio = true;
        break;
      }
      case '-no-reboot': o.noReboot = true; break;
      case '-stats': o.stats = true; break;
      case '-trace': o.trace = value(); break;
      case '-max-insns': {
        const v = value(), n = Number(v);
        if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--max-insns ${v}: expected a positive integer`);
        o.maxInsns = n;
        break;
      }
      default:
        throw new UsageError(`unknown option '${a}' (supported: -M, -cpu, -smp, -m, -kernel, -initrd, -append, -dtb, -nographic, -serial stdio, -no-reboot, --stats, --trace FILE, --max-insns N)`);
    }
  }
  if (!machineGiven) throw new UsageError('no machine given: use -M virt');
  if (o.machine !== 'virt') throw new UsageError(`-M ${o.machine}: the only machine is 'virt'`);
  for (const [k, v] of o.machineProps) {
    if (k === 'gic-version' && v !== '3' && v !== 'host' && v !== 'max') throw new UsageError(`-M virt,gic-version=${v}: only GICv3 is emulated (gic-version=3)`);
    if (!['virtualization', 'gic-version', 'secure'].includes(k)) throw new UsageError(`-M virt,${k}=…: unknown or unsupported machine property (supported: virtualization, gic-version, secure)`);
  }
  if (!o.kernel) throw new UsageError('no kernel given: use -kernel FILE');
  if (o.memory < 2 ** 20 || o.memory > 4 * 2 ** 30) throw new UsageError(`-m: ${o.memory} bytes is outside 1 MiB .. 4 GiB`);
  return o;
}
