// Exceptions the hypervisor injects into a guest, as Xen does (xen/arch/arm/traps.c
// inject_undef64_exception, inject_abt64_exception): the guest sees exactly what the architecture
// would have done had the exception been taken to EL1 (Arm ARM D1.10 "Exception entry"): ESR_EL1,
// FAR_EL1, ELR_EL1 = the faulting instruction, SPSR_EL1 = its PSTATE, then EL1h with D, A, I, F
// masked at VBAR_EL1 + the offset for where it came from. The hypervisor does this at EL2 by
// editing the guest's saved state (ELR_EL2 / SPSR_EL2 and the EL1 registers) before it returns.
import type { Cpu } from '../cpu/cpu';
import { EC, ESR_IL } from '../cpu/exceptions';
import { mrs, msr } from './arch-state';

/** DFSC/IFSC "synchronous external abort, not on a translation table walk" (Arm ARM D17.2.37). */
export const FSC_EXTERNAL_ABORT = 0x10;

/** Enters the guest's EL1 synchronous vector with `esr`; the guest PC/PSTATE are ELR_EL2/SPSR_EL2. */
export function injectSync(cpu: Cpu, esr: number, far?: bigint): void {
  const pc = mrs(cpu, 'ELR_EL2');
  const spsr = mrs(cpu, 'SPSR_EL2');
  const fromEl = Number((spsr >> 2n) & 3n), spx = Number(spsr & 1n);
  const offset = fromEl === 0 ? 0x400 : spx ? 0x200 : 0x000;
  msr(cpu, 'ESR_EL1', esr >>> 0);
  if (far !== undefined) msr(cpu, 'FAR_EL1', far);
  msr(cpu, 'ELR_EL1', pc);
  msr(cpu, 'SPSR_EL1', spsr);
  const vbar = mrs(cpu, 'VBAR_EL1') & ~0x7ffn;
  msr(cpu, 'ELR_EL2', vbar + BigInt(offset));
  // EL1h, D A I F masked, the flags cleared (PSTATE on exception entry, Arm ARM D1.10.3).
  msr(cpu, 'SPSR_EL2', 0x3c5n);
}

/** The guest executed something the hypervisor does not emulate: UNDEFINED, as at EL1 (EC 0x00). */
export function injectUndefined(cpu: Cpu): void {
  injectSync(cpu, (EC.UNKNOWN << 26) | ESR_IL);
}

/** An access to an IPA with nothing behind it: a synchronous external Data/Prefetch Abort. */
export function injectAbort(cpu: Cpu, fetch: boolean, far: bigint): void {
  const fromEl0 = ((mrs(cpu, 'SPSR_EL2') >> 2n) & 3n) === 0n;
  const ec = fetch ? (fromEl0 ? EC.IABT_LOWER : EC.IABT_SAME) : (fromEl0 ? EC.DABT_LOWER : EC.DABT_SAME);
  injectSync(cpu, (ec << 26) | ESR_IL | FSC_EXTERNAL_ABORT, far);
}

/** Skips the trapped instruction (the guest resumes after it). */
export function skipInstruction(cpu: Cpu): void {
  msr(cpu, 'ELR_EL2', mrs(cpu, 'ELR_EL2') + 4n);
}
