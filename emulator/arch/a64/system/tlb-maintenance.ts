// TLBI and AT (Arm ARM C5.5 "A64 System instructions for TLB maintenance", C5.4 "address
// translation"): SYS handlers built from objdump's SYS operation names, executed through the MMU
// module (emulator/mmu: tlbiScope, parEl1).
import type { Cpu } from '../../../cpu/cpu';
import { rz } from '../../../cpu/regs';
import { MMU_KEYS } from '../../../cpu/mmu-registers';
import { atFaultIsException, parEl1 } from '../../../mmu/fault';
import { isBroadcastTlbi, tlbiScope, type TlbiOp } from '../../../mmu/tlb';
import { ACC_READ, ACC_WRITE, CTX_E10_0, CTX_E10_1, CTX_E2, CTX_E3 } from '../../../mmu/types';
import { SYSOP_NAME_LINES as SYS_OP_NAMES } from './sysop-names';
import { HCR_TRAP, sysTrap } from './sysreg-table';
import { SYS } from '../../../cpu/system-state';
import { el2Enabled } from '../../../cpu/fp-traps';

type SysHandler = (cpu: Cpu, i: number) => void;

/** The lowest EL allowed to execute a SYS operation: from op1 (0 -> EL1, 4 -> EL2, 6 -> EL3). */
function minEl(op1: number): number { return op1 === 4 ? 2 : op1 === 6 ? 3 : 1; }

function allowed(cpu: Cpu, i: number, name: string): void {
  const need = minEl((i >>> 16) & 7);
  if (!cpu.implementsEl(need)) cpu.undefinedInstruction(i, `${name.toUpperCase()}: EL${need} is not implemented`);
  if (cpu.el < need) cpu.undefinedInstruction(i, `${name.toUpperCase()} at EL${cpu.el}`);
}

const V80_TLBI = new Set(['VMALLE1', 'VAE1', 'ASIDE1', 'VAAE1', 'VALE1', 'VAALE1', 'VMALLS12E1', 'IPAS2E1', 'IPAS2LE1',
  'ALLE1', 'ALLE2', 'VAE2', 'VALE2', 'ALLE3', 'VAE3', 'VALE3']);

function tlbiHandler(op: TlbiOp, name: string): SysHandler {
  return (cpu, i) => {
    allowed(cpu, i, name);
    // HCR_EL2.TTLB traps the EL1 TLB maintenance operations executed at EL1 to EL2.
    if (cpu.el === 1 && (cpu.sysLo[SYS.HCR_EL2] & HCR_TRAP.TTLB) !== 0 && el2Enabled(cpu)) sysTrap(cpu, i, 2, true);
    const t = rz(i & 31);
    const xt = (BigInt(cpu.xhi[t] >>> 0) << 32n) | BigInt(cpu.xlo[t] >>> 0);
    const scope = tlbiScope(op, xt, { vmid: cpu.mmu.vmidFor(CTX_E10_1), asid16: false, e2h: false });
    for (const tlb of isBroadcastTlbi(op) ? cpu.tlbDomain : [cpu.tlb]) tlb.invalidate(scope);
    cpu.retarget();
    cpu.endBlockAfterThis(); // the next instruction is fetched under the new translation
  };
}

/** AT: context, access and whether the walk stops after stage 1, by operation name. */
const AT_OPS: Record<string, { ctx: number; write: boolean; stage1Only: boolean }> = {
  's1e1r': { ctx: CTX_E10_1, write: false, stage1Only: true }, 's1e1w': { ctx: CTX_E10_1, write: true, stage1Only: true },
  's1e0r': { ctx: CTX_E10_0, write: false, stage1Only: true }, 's1e0w': { ctx: CTX_E10_0, write: true, stage1Only: true },
  's12e1r': { ctx: CTX_E10_1, write: false, stage1Only: false }, 's12e1w': { ctx: CTX_E10_1, write: true, stage1Only: false },
  's12e0r': { ctx: CTX_E10_0, write: false, stage1Only: false }, 's12e0w': { ctx: CTX_E10_0, write: true, stage1Only: false },
  's1e2r': { ctx: CTX_E2, write: false, stage1Only: true }, 's1e2w': { ctx: CTX_E2, write: true, stage1Only: true },
  's1e3r': { ctx: CTX_E3, write: false, stage1Only: true }, 's1e3w': { ctx: CTX_E3, write: true, stage1Only: true },
};

function atHandler(op: { ctx: number; write: boolean; stage1Only: boolean }, name: string): SysHandler {
  return (cpu, i) => {
    allowed(cpu, i, name);
    const t = rz(i & 31);
    const va = (BigInt(cpu.xhi[t] >>> 0) << 32n) | BigInt(cpu.xlo[t] >>> 0);
    const out = cpu.mmu.translateVa(va, op.ctx, op.write ? ACC_WRITE : ACC_READ, { stage1Only: op.stage1Only });
    // A stage 2 fault on the stage 1 walk of an EL1 AT S1 op, and external aborts, are taken as
    // exceptions rather than reported in PAR_EL1 (Arm ARM C5.4).
    if (!out.ok && atFaultIsException(out.fault, cpu.el, op.stage1Only)) cpu.abort(out.fault);
    const par = parEl1(out);
    cpu.setSys(MMU_KEYS.PAR_EL1, Number(par & 0xffffffffn), Number(par >> 32n));
  };
}

/** SYS handlers for every TLBI and AT operation objdump names, by op1:CRn:CRm:op2 key. */
export function tlbMaintenanceHandlers(): Map<number, SysHandler> {
  const m = new Map<number, SysHandler>();
  for (const line of SYS_OP_NAMES) {
    const [op1, crn, crm, op2, kind, name] = line.split(' ');
    const key = (Number(op1) << 11) | (Number(crn) << 7) | (Number(crm) << 3) | Number(op2);
    if (kind === 'tlbi' && V80_TLBI.has(name.toUpperCase().replace(/IS$/, ''))) m.set(key, tlbiHandler(name.toUpperCase() as TlbiOp, `tlbi ${name}`));
    if (kind === 'at' && AT_OPS[name]) m.set(key, atHandler(AT_OPS[name], `at ${name}`));
  }
  return m;
}
