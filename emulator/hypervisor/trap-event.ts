// A trap as the debugger sees it: which CPU, domain and vCPU, the exception class and its
// syndrome decoded into words (Arm ARM D17.2.37 ESR_EL2), before the hypervisor handles it.
import type { Cpu } from '../cpu/cpu';
import type { ExceptionEvent } from '../cpu/exceptions';
import type { Vcpu } from './domain';
import { mrs } from './arch-state';
import { EC_NAMES } from './stats';

export interface HypervisorTrapEvent {
  pcpu: number;
  domain: string;
  vcpu: number;
  kind: ExceptionEvent['kind'];
  /** ESR_EL2.EC (sync only) and the whole ESR_EL2. */
  ec: number;
  esr: number;
  /** Guest PC of the trapping instruction (ELR_EL2; for HVC the instruction after it). */
  pc: bigint;
  /** FAR_EL2 and the faulting IPA, for aborts. */
  far?: bigint;
  ipa?: bigint;
  /** One line, e.g. "dabt: write 4 bytes from x1 to IPA 0x9000000 (ISV)". */
  summary: string;
}

export function faultIpa(cpu: Cpu): bigint {
  // HPFAR_EL2.FIPA (bits 43:4) holds IPA[51:12]; the page offset comes from FAR_EL2.
  const hpfar = mrs(cpu, 'HPFAR_EL2');
  return ((hpfar >> 4n) << 12n) | (mrs(cpu, 'FAR_EL2') & 0xfffn);
}

const SYSREG_ISS = (iss: number): string => {
  const op0 = (iss >>> 20) & 3, op2 = (iss >>> 17) & 7, op1 = (iss >>> 14) & 7, crn = (iss >>> 10) & 15, rt = (iss >>> 5) & 31, crm = (iss >>> 1) & 15;
  return `${iss & 1 ? 'MRS' : 'MSR'} S${op0}_${op1}_C${crn}_C${crm}_${op2}, x${rt}`;
};

export function describeTrap(cpu: Cpu, ev: ExceptionEvent, v: Vcpu): HypervisorTrapEvent {
  const ec = ev.kind === 'sync' ? (ev.esr >>> 26) & 0x3f : -1;
  const iss = ev.esr & 0x1ffffff;
  const base = { pcpu: cpu.index, domain: v.domain.name, vcpu: v.id, kind: ev.kind, ec, esr: ev.esr, pc: ev.pc };
  if (ev.kind !== 'sync') return { ...base, summary: `${ev.kind}: physical interrupt` };
  const name = EC_NAMES[ec] ?? `ec 0x${ec.toString(16)}`;
  switch (ec) {
    case 0x01: return { ...base, summary: `${name}: ${iss & 1 ? 'WFE' : 'WFI'}` };
    case 0x16: case 0x17: return { ...base, summary: `${name} #0x${(iss & 0xffff).toString(16)}` };
    case 0x18: return { ...base, summary: `${name}: ${SYSREG_ISS(iss)}` };
    case 0x20: case 0x24: {
      const far = mrs(cpu, 'FAR_EL2'), ipa = faultIpa(cpu);
      const isv = (iss >>> 24) & 1;
      const access = ec === 0x20 ? 'fetch' : isv
        ? `${(iss >>> 6) & 1 ? 'write' : 'read'} ${1 << ((iss >>> 22) & 3)} bytes ${(iss >>> 6) & 1 ? 'from' : 'to'} x${(iss >>> 16) & 31}`
        : `${(iss >>> 6) & 1 ? 'write' : 'read'} (no instruction syndrome)`;
      return { ...base, far, ipa, summary: `${name}: ${access} at IPA 0x${ipa.toString(16)} (VA 0x${far.toString(16)}, FSC 0x${(iss & 0x3f).toString(16)})` };
    }
    default: return { ...base, summary: `${name} (ISS 0x${iss.toString(16)})` };
  }
}
