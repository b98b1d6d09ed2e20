// PSCI firmware the board provides (Arm DEN 0022, "Power State Coordination Interface"), reached
// through HVC or SMC with the SMCCC calling convention: function ID in W0, result in X0.
// Issue 2 needs SYSTEM_OFF/SYSTEM_RESET and VERSION; CPU_ON and friends come with SMP (issue 3).
import type { Cpu } from '../cpu/cpu';

export const PSCI = {
  VERSION: 0x84000000,
  FEATURES: 0x8400000a,
  SYSTEM_OFF: 0x84000008,
  SYSTEM_RESET: 0x84000009,
} as const;
export const PSCI_NOT_SUPPORTED = -1;

function setX0(cpu: Cpu, v: number): void {
  cpu.xlo[0] = v | 0;
  cpu.xhi[0] = v < 0 ? -1 : 0;
}

/**
 * Handles a call on the board's firmware conduit. As in QEMU 7.2 (arm_is_psci_call), every HVC or
 * SMC on the conduit is a firmware call whatever its immediate and function ID: unknown
 * functions return NOT_SUPPORTED rather than trapping.
 */
export function psciCall(cpu: Cpu): boolean {
  const fn = cpu.xlo[0] >>> 0;
  switch (fn) {
    case PSCI.VERSION: setX0(cpu, 0x10001); return true; // 1.1
    case PSCI.SYSTEM_OFF: cpu.stop({ kind: 'poweroff' }); break;
    case PSCI.SYSTEM_RESET: cpu.stop({ kind: 'reset' }); break;
    case PSCI.FEATURES: {
      const q = cpu.xlo[1] >>> 0;
      const known: number[] = [PSCI.VERSION, PSCI.FEATURES, PSCI.SYSTEM_OFF, PSCI.SYSTEM_RESET];
      setX0(cpu, known.includes(q) ? 0 : PSCI_NOT_SUPPORTED);
      return true;
    }
    default: setX0(cpu, PSCI_NOT_SUPPORTED); return true;
  }
  return true;
}
