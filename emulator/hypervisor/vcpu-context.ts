// A vCPU's saved context: everything of the processor that belongs to the guest and not to the
// hypervisor, saved when the vCPU leaves a physical CPU and restored when it comes back (Xen's
// ctxt_switch_from/ctxt_switch_to in xen/arch/arm/domain.c do the same set). General and FP/SIMD
// registers, the EL1 system registers, the guest's PC and PSTATE (ELR_EL2/SPSR_EL2), the EL1
// timers, the per-vCPU EL2 controls (VMPIDR_EL2, HCR_EL2, VTTBR_EL2, CNTVOFF_EL2) and the GIC
// virtual interface (ICH_HCR/VMCR/APRs/LRs). All are moved with MRS/MSR at EL2 (arch-state.ts),
// except the general and FP/SIMD registers, which EL2 code saves with plain stores.
import type { Cpu } from '../cpu/cpu';
import { mrs, msr } from './arch-state';
import { NUM_LRS } from '../devices/gic/constants';

/** EL1/EL0 system registers of the guest (order does not matter; SCTLR last on restore). */
export const GUEST_SYSREGS = [
  'SP_EL0', 'SP_EL1', 'ELR_EL1', 'SPSR_EL1', 'VBAR_EL1', 'ESR_EL1', 'FAR_EL1', 'PAR_EL1',
  'TTBR0_EL1', 'TTBR1_EL1', 'TCR_EL1', 'MAIR_EL1', 'AMAIR_EL1', 'CONTEXTIDR_EL1',
  'TPIDR_EL0', 'TPIDRRO_EL0', 'TPIDR_EL1', 'CPACR_EL1', 'CSSELR_EL1', 'CNTKCTL_EL1',
  'AFSR0_EL1', 'AFSR1_EL1', 'ACTLR_EL1', 'MDSCR_EL1', 'FPCR', 'FPSR',
  'SCTLR_EL1',
] as const;

/** The EL1 timers: the virtual timer is the guest's; the EL1 physical timer too (CNTHCTL_EL2 lets EL1 at it). */
export const GUEST_TIMER_REGS = ['CNTV_CVAL_EL0', 'CNTV_CTL_EL0', 'CNTP_CVAL_EL0', 'CNTP_CTL_EL0'] as const;

const ICH_REGS = ['ICH_VMCR_EL2', 'ICH_AP0R0_EL2', 'ICH_AP1R0_EL2', ...Array.from({ length: NUM_LRS }, (_, n) => `ICH_LR${n}_EL2`), 'ICH_HCR_EL2'];

export class VcpuContext {
  readonly x = new Array<bigint>(31).fill(0n);
  readonly v = new Uint8Array(32 * 16);
  pc = 0n;
  /** SPSR_EL2 image of the guest's PSTATE: EL1h with D, A, I, F masked at reset (Linux boot protocol). */
  pstate = 0x3c5n;
  readonly sys = new Map<string, bigint>();
  readonly timer = new Map<string, bigint>();
  readonly ich = new Map<string, bigint>();
  /** HCR_EL2 while this vCPU runs (the VI/VF/VSE bits are per vCPU). */
  hcr = 0n;
  vmpidr = 0n;
  vttbr = 0n;
  cntvoff = 0n;

  constructor() {
    this.reset();
  }

  /** The state of a vCPU that has never run: architectural reset values, MMU off. */
  reset(): void {
    this.x.fill(0n);
    this.v.fill(0);
    this.pc = 0n;
    this.pstate = 0x3c5n;
    this.sys.clear();
    this.timer.clear();
    // SCTLR_EL1 as the board resets it (RES1 bits, MMU and caches off).
    this.sys.set('SCTLR_EL1', 0x00c50838n);
    for (const r of ICH_REGS) this.ich.set(r, 0n);
    this.loadedOn = undefined;
  }

  /**
   * The physical CPU (index) that still holds this context's system registers, EL2 controls and
   * GIC interface while the vCPU is parked there (a lazy switch to idle, as Xen's): only the
   * general/FP registers, PC, PSTATE and timers were saved. Undefined when `sys`/`ich`/`hcr`
   * here are the whole truth.
   */
  loadedOn: number | undefined;

  /** Loads this context into the physical CPU (at EL2), ready for an exception return. */
  restore(cpu: Cpu): void {
    msr(cpu, 'VTTBR_EL2', this.vttbr);
    msr(cpu, 'VMPIDR_EL2', this.vmpidr);
    msr(cpu, 'CNTVOFF_EL2', this.cntvoff);
    msr(cpu, 'HCR_EL2', this.hcr);
    for (const r of GUEST_SYSREGS) msr(cpu, r, this.sys.get(r) ?? 0n);
    for (const r of ICH_REGS) msr(cpu, r, this.ich.get(r) ?? 0n);
    this.restoreRunning(cpu);
  }

  /** The part a parked vCPU gives back to its CPU: general/FP registers, timers, PC and PSTATE. */
  restoreRunning(cpu: Cpu): void {
    for (let r = 0; r < 31; r++) cpu.setX(r, this.x[r]);
    cpu.vbytes.set(this.v);
    for (const r of GUEST_TIMER_REGS) msr(cpu, r, this.timer.get(r) ?? 0n);
    msr(cpu, 'ELR_EL2', this.pc);
    msr(cpu, 'SPSR_EL2', this.pstate);
    this.loadedOn = undefined;
  }

  /** Saves the physical CPU's guest state (at EL2, after an exception from the guest). */
  save(cpu: Cpu): void {
    this.saveRunning(cpu);
    this.saveLoaded(cpu);
  }

  /** Saves what a parked vCPU leaves the CPU for: general/FP registers, PC, PSTATE, timers. */
  saveRunning(cpu: Cpu): void {
    for (let r = 0; r < 31; r++) this.x[r] = cpu.getX(r);
    this.v.set(cpu.vbytes);
    this.pc = mrs(cpu, 'ELR_EL2');
    this.pstate = mrs(cpu, 'SPSR_EL2');
    for (const r of GUEST_TIMER_REGS) this.timer.set(r, mrs(cpu, r));
  }

  /** Saves the rest, which a parked vCPU leaves on its CPU: EL1 system registers, HCR_EL2, GIC interface. */
  saveLoaded(cpu: Cpu): void {
    this.hcr = mrs(cpu, 'HCR_EL2');
    for (const r of GUEST_SYSREGS) this.sys.set(r, mrs(cpu, r));
    for (const r of ICH_REGS) this.ich.set(r, mrs(cpu, r));
    this.loadedOn = undefined;
  }

  /** The guest's PC / PSTATE while it is not on a CPU (the debugger's view). */
  get x0(): bigint { return this.x[0]; }
}
