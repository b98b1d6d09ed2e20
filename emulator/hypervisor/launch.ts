// From a system file to a running machine: validate it with the one config checker (the same
// diagnostics `hvlab check` and the editor show), build the `virt` board with virtualization on
// (the CPUs start at EL2), install the hypervisor on every CPU, choose the scheduler, build the
// domains. `hvlab run system.hvsys`, the debug adapter and the tests all start here.
import * as path from 'node:path';
import { diskFileAccess, formatDiagnostic, hasErrors, validateFile, type FileAccess } from '../config';
import type { SystemDescription } from '../config/types';
import { VirtBoard } from '../machine/virt-board';
import type { SerialSource } from '../machine/serial-input';
import { Hypervisor, type HypervisorOptions } from './hypervisor';
import { createScheduler } from './sched';
import { Passthrough } from './passthrough';
import { linePrefixer } from './console';
import { VirtualGicV3 } from './vgic/vgic';

export class SystemConfigError extends Error {
  constructor(readonly diagnostics: string[]) { super(diagnostics.join('\n')); }
}

export interface LaunchOptions extends HypervisorOptions {
  /** Bytes the hypervisor writes to UART0 (the domain consoles, prefixed, and its own messages). */
  uartOut: (byte: number) => void;
  /**
   * Bytes a guest writes to the board's second PL011 (0x09040000, INTID 40), which exists for a
   * domain to be given by passthrough (`iomem = [ "9040,1" ]`, `irqs = [ 40 ]`): the guest's own
   * device, not a hypervisor console. Default: UART0, each line prefixed "uart1| ".
   */
  uart1Out?: (byte: number) => void;
  files?: FileAccess;
  quantum?: number;
  /** Characters for the board's UART0 receiver (the hypervisor's console: see console-input.ts). */
  serialIn?: SerialSource;
}

export interface RunningSystem { board: VirtBoard; hypervisor: Hypervisor; system: SystemDescription; warnings: string[] }

/** Validates `file`; throws SystemConfigError with `file:line:col: error: ...` lines on errors. */
export function loadSystem(file: string, files: FileAccess = diskFileAccess): { system: SystemDescription; warnings: string[] } {
  const result = validateFile(path.resolve(file), files);
  const cwd = process.cwd();
  const show = (f: string): string => { const r = path.relative(cwd, f); return r && !r.startsWith('..') ? r : f; };
  if (result.kind !== 'system') throw new SystemConfigError([`${show(result.file)}: not a system file (give the .hvsys file, which lists the domains)`]);
  if (hasErrors(result.diagnostics) || !result.system) throw new SystemConfigError(result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, show)));
  return { system: result.system, warnings: result.diagnostics.filter((d) => d.severity === 'warning').map((d) => formatDiagnostic(d, show)) };
}

export function launchSystem(file: string, opts: LaunchOptions): RunningSystem {
  const { system, warnings } = loadSystem(file, opts.files);
  const board = new VirtBoard({
    cpu: 'cortex-a53', smp: system.cpus, memory: system.memoryBytes, virtualization: true, uartOut: opts.uartOut, quantum: opts.quantum,
    uart1Out: opts.uart1Out ?? linePrefixer('uart1| ', opts.uartOut), serialIn: opts.serialIn,
  });
  const hv = new Hypervisor(board, system, opts);
  hv.scheduler = createScheduler(system.scheduler, system.cpus);
  hv.vgic = new VirtualGicV3(hv);
  new Passthrough(hv);
  hv.buildDomains();
  return { board, hypervisor: hv, system, warnings };
}
