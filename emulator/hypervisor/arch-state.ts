// How the hypervisor touches the processor: through its architectural registers only, exactly as
// code at EL2 would with MRS/MSR (Arm ARM C5.2 "MRS/MSR"). Each access goes to the same
// system-register table the instructions use (emulator/arch/a64/system/sysreg-table.ts), with
// the PE at EL2, so the hypervisor sees what guest-visible hardware state really is and the
// debugger shows the same values.
import type { Cpu } from '../cpu/cpu';
import { SINK } from '../cpu/regs';
import { SYSREG_BY_KEY, type SysRegDef } from '../arch/a64/system/sysreg-table';
import '../arch/a64/system/sysreg-devices';

let byName: Map<string, SysRegDef> | undefined;

function def(name: string): SysRegDef {
  if (!byName) {
    byName = new Map();
    for (const d of SYSREG_BY_KEY) if (d) byName.set(d.name, d);
  }
  const d = byName.get(name);
  if (!d) throw new Error(`hypervisor: no system register ${name}`);
  return d;
}

/** MRS <name> at EL2, as a 64-bit value. */
export function mrs(cpu: Cpu, name: string): bigint {
  const d = def(name);
  if (!d.read) throw new Error(`hypervisor: ${name} is write-only`);
  d.read(cpu, SINK);
  return (BigInt(cpu.xhi[SINK] >>> 0) << 32n) | BigInt(cpu.xlo[SINK] >>> 0);
}

/** MRS <name> at EL2, low 32 bits (unsigned). */
export function mrs32(cpu: Cpu, name: string): number {
  const d = def(name);
  if (!d.read) throw new Error(`hypervisor: ${name} is write-only`);
  d.read(cpu, SINK);
  return cpu.xlo[SINK] >>> 0;
}

/** MSR <name>, value at EL2. */
export function msr(cpu: Cpu, name: string, value: bigint | number): void {
  const d = def(name);
  if (!d.write) throw new Error(`hypervisor: ${name} is read-only`);
  const v = BigInt.asUintN(64, BigInt(value));
  d.write(cpu, Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
}

/** Whether the register exists in the table (some depend on the board's configuration). */
export function hasSysreg(name: string): boolean {
  def('SCTLR_EL1');
  return byName!.has(name);
}

/** MRS of the register with encoding key op0:op1:CRn:CRm:op2 (reserved ID space included). */
export function mrsKey(cpu: Cpu, key: number): bigint {
  const d = SYSREG_BY_KEY[key];
  if (!d?.read) return 0n;
  d.read(cpu, SINK);
  return (BigInt(cpu.xhi[SINK] >>> 0) << 32n) | BigInt(cpu.xlo[SINK] >>> 0);
}
