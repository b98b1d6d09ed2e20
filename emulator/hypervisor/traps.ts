// Synchronous exceptions from a guest, dispatched on ESR_EL2.EC (Arm ARM D17.2.37) as Xen's
// do_trap_guest_sync does (xen/arch/arm/traps.c):
//   0x01 WFI/WFE      block until an interrupt / yield          (HCR_EL2.TWI/TWE)
//   0x16 HVC          Xen hypercalls (#0xEA1), else SMCCC: PSCI, SMCCC_VERSION, ARCH_FEATURES
//   0x17 SMC          the same SMCCC services (HCR_EL2.TSC); the return address is the SMC itself
//   0x18 MSR/MRS      ICC_SGI1R_EL1 (virtual IPIs), trapped ID registers (sanitised), others UNDEFINED
//   0x24 Data Abort   stage 2: MMIO emulation from the instruction syndrome; nothing there -> abort
//   0x20 Instr. Abort stage 2: the guest fetched from an IPA with no RAM -> abort injected
// Anything else the guest did is its own fault: an UNDEFINED exception injected at EL1, logged.
import type { Cpu } from '../cpu/cpu';
import { EC, type ExceptionEvent } from '../cpu/exceptions';
import { mrs, mrsKey } from './arch-state';
import type { Hypervisor } from './hypervisor';
import type { Vcpu } from './domain';
import { hypercall, XEN_HVC_IMM, type HypercallEffect } from './hypercalls';
import { GuestMemory } from './guest-memory';
import { injectAbort, injectUndefined, skipInstruction } from './guest-exceptions';
import { faultIpa } from './trap-event';

export interface TrapContext {
  hv: Hypervisor;
  cpu: Cpu;
  vcpu: Vcpu;
  ev: ExceptionEvent;
  ec: number;
}

export interface TrapOutcome {
  /** resume: back to the same vCPU; block/yield: tell the scheduler; schedule: it can no longer run. */
  next: 'resume' | 'block' | 'yield' | 'schedule';
  costNs: number;
}

/** The vCPU's state changed under the handler (PSCI CPU_OFF, domain shutdown): choose again. */
function after(ctx: TrapContext, costNs: number, effect?: HypercallEffect['kind']): TrapOutcome {
  if (ctx.vcpu.state !== 'running' || ctx.vcpu.domain.state !== 'running') return { next: 'schedule', costNs };
  if (effect === 'yield') return { next: 'yield', costNs };
  if (effect === 'block') return { next: 'block', costNs };
  return { next: 'resume', costNs };
}

export function handleGuestTrap(ctx: TrapContext): TrapOutcome {
  const { hv, cpu, ec } = ctx;
  const iss = ctx.ev.esr & 0x1ffffff;
  switch (ec) {
    case EC.WFX:
      skipInstruction(cpu);
      // ISS.TI (bit 0): 0 WFI, 1 WFE. WFE only yields (a spinning vCPU lets the lock holder run).
      return { next: iss & 1 ? 'yield' : 'block', costNs: hv.costs.trapNs };
    case EC.HVC64:
      if ((iss & 0xffff) === XEN_HVC_IMM) return xenHypercall(ctx);
      return smccc(ctx);
    case EC.SMC64:
      skipInstruction(cpu);
      return smccc(ctx);
    case EC.SYSREG:
      return systemRegister(ctx, iss);
    case EC.DABT_LOWER:
      return dataAbort(ctx, iss);
    case EC.IABT_LOWER: {
      const ipa = faultIpa(cpu);
      hv.say(`${ctx.vcpu.label}: instruction fetch from IPA 0x${ipa.toString(16)} (PC 0x${mrs(cpu, 'ELR_EL2').toString(16)}): nothing there, abort injected`);
      injectAbort(cpu, true, mrs(cpu, 'FAR_EL2'));
      return { next: 'resume', costNs: hv.costs.trapNs };
    }
    default:
      hv.say(`${ctx.vcpu.label}: unhandled trap EC 0x${ec.toString(16)} (ESR 0x${ctx.ev.esr.toString(16)}) at PC 0x${mrs(cpu, 'ELR_EL2').toString(16)}: UNDEFINED injected`);
      injectUndefined(cpu);
      return { next: 'resume', costNs: hv.costs.trapNs };
  }
}

function xenHypercall(ctx: TrapContext): TrapOutcome {
  const { hv, cpu, vcpu } = ctx;
  const d = vcpu.domain;
  d.counters.hypercalls++;
  const owned = [{ pa: d.ramPa, size: d.ramSize }, ...hv.sharedRamOf(d)];
  const r = hypercall(cpu.getX(16), [0, 1, 2, 3, 4].map((i) => cpu.getX(i)), new GuestMemory(cpu, owned), {
    consoleWrite: (bytes) => hv.consoles.write(d.name, bytes),
    consoleRead: (max) => hv.consoleInput(d, max),
    notify: (port) => hv.notify(vcpu, port),
  });
  cpu.setX(0, r.x0);
  if (r.effect.kind === 'shutdown') hv.shutdown(cpu, d, r.effect.reason);
  return after(ctx, hv.costs.hypercallNs, r.effect.kind);
}

/** SMCCC calls (HVC #0 or a trapped SMC): PSCI and the SMCCC version/feature queries. */
function smccc(ctx: TrapContext): TrapOutcome {
  const { hv, cpu, vcpu } = ctx;
  vcpu.domain.counters.hypercalls++;
  const r = hv.psciFor(vcpu.domain).call({ fn: cpu.xlo[0] >>> 0, x1: cpu.getX(1), x2: cpu.getX(2), x3: cpu.getX(3), caller: vcpu.id });
  if (r.kind === 'return') cpu.setX(0, r.x0);
  return after(ctx, hv.costs.hypercallNs, vcpu.state === 'blocked' ? 'block' : undefined);
}

/** ISS of a trapped MSR/MRS (Arm ARM D17.2.37): Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10, Rt 9:5, CRm 4:1, Direction 0. */
function systemRegister(ctx: TrapContext, iss: number): TrapOutcome {
  const { hv, cpu, vcpu } = ctx;
  const op0 = (iss >>> 20) & 3, op2 = (iss >>> 17) & 7, op1 = (iss >>> 14) & 7, crn = (iss >>> 10) & 15;
  const rt = (iss >>> 5) & 31, crm = (iss >>> 1) & 15, read = (iss & 1) === 1;
  const value = rt === 31 ? 0n : cpu.getX(rt);
  const set = (v: bigint): void => { if (rt !== 31) cpu.setX(rt, v); };
  // ICC_SGI1R_EL1 (3,0,12,11,5), ICC_ASGI1R_EL1 (3,0,12,11,6), ICC_SGI0R_EL1 (3,0,12,11,7): with
  // HCR_EL2.IMO/FMO set, writes trap to EL2 (IHI 0069 ICC_SGI1R_EL1) — virtual IPIs.
  if (op0 === 3 && op1 === 0 && crn === 12 && crm === 11 && op2 >= 5 && !read) {
    skipInstruction(cpu);
    const targets = hv.vgic ? hv.vgic.sgi(vcpu, value) : [];
    for (const t of targets) hv.wake(t);
    return { next: 'resume', costNs: hv.costs.sgiNs };
  }
  // The ID register space (HCR_EL2.TID3): the guest reads the CPU's own values, which describe
  // what the vCPU has (hvlab exposes no feature the hypervisor hides).
  if (op0 === 3 && op1 === 0 && crn === 0 && crm >= 1 && crm <= 7 && read) {
    skipInstruction(cpu);
    set(sanitiseIdRegister(crm, op2, mrsKey(cpu, (3 << 14) | (crn << 7) | (crm << 3) | op2)));
    return { next: 'resume', costNs: hv.costs.trapNs };
  }
  // DC ISW/CSW/CISW (SYS 1, 0, C7, C6/C10/C14, 2), trapped by HCR_EL2.TSW: set/way operations
  // act on the physical CPU's caches, which a guest must not control; with no caches modelled
  // there is nothing to clean, so they complete (Xen cleans the whole guest instead).
  if (op0 === 1 && op1 === 0 && crn === 7 && (crm === 6 || crm === 10 || crm === 14) && op2 === 2 && !read) {
    skipInstruction(cpu);
    return { next: 'resume', costNs: hv.costs.trapNs };
  }
  hv.say(`${vcpu.label}: trapped ${read ? 'MRS' : 'MSR'} S${op0}_${op1}_C${crn}_C${crm}_${op2} at PC 0x${mrs(cpu, 'ELR_EL2').toString(16)}: UNDEFINED injected`);
  injectUndefined(cpu);
  return { next: 'resume', costNs: hv.costs.trapNs };
}

/**
 * What a guest reads for an ID register: the CPU's value, with EL2 and EL3 shown as not
 * implemented in ID_AA64PFR0_EL1 (CRm 4, op2 0; fields EL2 11:8, EL3 15:12), as KVM shows them:
 * the guest runs at EL1 and cannot use them.
 */
export function sanitiseIdRegister(crm: number, op2: number, v: bigint): bigint {
  if (crm === 4 && op2 === 0) return v & ~0xff00n;
  return v;
}

/**
 * A stage-2 Data Abort. With a valid instruction syndrome (ISV, bit 24) the access is emulated:
 * SAS (23:22) the size, SSE (21) sign extension, SRT (20:16) the register, SF (15) 64-bit
 * register, WnR (6) the direction. Without one, or with no device at the IPA, the guest gets a
 * synchronous external abort, as Xen does, and the access is logged.
 */
function dataAbort(ctx: TrapContext, iss: number): TrapOutcome {
  const { hv, cpu, vcpu } = ctx;
  const d = vcpu.domain;
  const ipa = faultIpa(cpu);
  const far = mrs(cpu, 'FAR_EL2');
  const write = ((iss >>> 6) & 1) === 1;
  const dev = ipa < 2n ** 48n ? d.findMmio(Number(ipa)) : undefined;
  const isv = ((iss >>> 24) & 1) === 1;
  if (!dev || !isv) {
    const why = dev ? `${dev.name}: access without an instruction syndrome (not a single load/store)` : 'nothing there';
    hv.say(`${vcpu.label}: ${write ? 'write to' : 'read from'} IPA 0x${ipa.toString(16)} (PC 0x${mrs(cpu, 'ELR_EL2').toString(16)}): ${why}, abort injected`);
    injectAbort(cpu, false, far);
    return { next: 'resume', costNs: hv.costs.trapNs };
  }
  d.counters.mmio++;
  const size = 1 << ((iss >>> 22) & 3), srt = (iss >>> 16) & 31, sse = ((iss >>> 21) & 1) === 1, sf = ((iss >>> 15) & 1) === 1;
  const offset = Number(ipa) - dev.base;
  if (write) {
    const v = srt === 31 ? 0n : cpu.getX(srt) & ((1n << BigInt(size * 8)) - 1n);
    dev.write(vcpu, offset, size, v);
  } else {
    let v = dev.read(vcpu, offset, size) & ((1n << BigInt(size * 8)) - 1n);
    if (sse) v = BigInt.asUintN(64, BigInt.asIntN(size * 8, v));
    if (!sf) v &= 0xffffffffn;
    if (srt !== 31) cpu.setX(srt, v);
  }
  skipInstruction(cpu);
  const cost = dev.name.startsWith('vgic') ? hv.costs.gicTrapNs : hv.costs.mmioNs;
  return after(ctx, cost);
}
