// The one place QEMU-style run options become a board, for `hvlab run` and every tool that
// mirrors it (trace differ, debugger), so they all build the same machine from the same words.
import { UsageError, type RunOptions } from '../cli-options';
import { VirtBoard } from './virt-board';
import type { SerialSource } from './serial-input';

/** QEMU's boolean property spellings. */
function onOff(v: string | undefined, name: string): boolean {
  if (v === undefined) return false;
  if (['on', 'yes', 'true'].includes(v)) return true;
  if (['off', 'no', 'false'].includes(v)) return false;
  throw new UsageError(`-M virt,${name}=${v}: expected on or off`);
}

/** Builds the board and loads `-kernel` into it. */
export function boardFromOptions(opts: RunOptions, uartOut: (byte: number) => void, serialIn?: SerialSource): VirtBoard {
  const board = new VirtBoard({
    cpu: opts.cpu, smp: opts.smp, memory: opts.memory, kernel: opts.kernel, initrd: opts.initrd, append: opts.append, dtb: opts.dtb, uartOut, serialIn,
    virtualization: onOff(opts.machineProps.get('virtualization'), 'virtualization'),
    secure: onOff(opts.machineProps.get('secure'), 'secure'),
  });
  board.loadKernelFile(opts.kernel!);
  return board;
}
