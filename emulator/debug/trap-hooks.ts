// Ready-made trap hooks (see Cpu.trapHook): what a debugger or a test installs to stop on an
// exception instead of letting the guest take it.
import type { StopReason, TrapHook } from '../cpu/cpu';
import { EC } from '../cpu/exceptions';

/** Stops on every Undefined Instruction exception, naming the word, the PC and hvlab's reason. */
export const stopOnUndefined: TrapHook = (_cpu, ev): StopReason | undefined => {
  if (ev.kind !== 'sync' || ((ev.esr >>> 26) & 0x3f) !== EC.UNKNOWN || ev.insn === undefined) return undefined;
  return { kind: 'undefined', pc: ev.pc, insn: ev.insn, reason: ev.reason ?? 'UNDEFINED' };
};
