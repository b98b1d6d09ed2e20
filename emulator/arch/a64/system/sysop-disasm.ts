// SYS / SYSL spelling for the disassembler (objdump's operation names, see sysop-names.ts).
import { ins, xr } from '../../disasm-util';
import { SYSOP_NAME_LINES } from './sysop-names';

interface SysOpName { mnemonic: string; op: string; noreg: boolean }

/** By key op1:CRn:CRm:op2 (bits [18:5] of a SYS word). */
const names = new Map<number, SysOpName>();
for (const line of SYSOP_NAME_LINES) {
  const f = line.split(' ');
  names.set(sysOpKey(+f[0], +f[1], +f[2], +f[3]), { mnemonic: f[4], op: f[5], noreg: f[6] === 'noreg' });
}

export function sysOpKey(op1: number, crn: number, crm: number, op2: number): number {
  return (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** `DC ZVA`, `TLBI VMALLE1IS` or undefined for an encoding objdump has no name for. */
export function sysOpName(key: number): string | undefined {
  const n = names.get(key);
  return n && `${n.mnemonic} ${n.op}`.toUpperCase();
}

/** `#op1, Cn, Cm, #op2`: the generic operands of SYS/SYSL. */
function genericOps(key: number): string {
  return `#${key >>> 11}, C${(key >>> 7) & 15}, C${(key >>> 3) & 15}, #${key & 7}`;
}

export function disasmSys(insn: number): string {
  const key = (insn >>> 5) & 0x3fff, t = insn & 31;
  const n = names.get(key);
  if (n) return n.noreg ? ins(n.mnemonic, n.op) : ins(n.mnemonic, n.op, xr(t));
  return t === 31 ? ins('sys', genericOps(key)) : ins('sys', genericOps(key), xr(t));
}

export function disasmSysl(insn: number): string {
  return ins('sysl', xr(insn & 31), genericOps((insn >>> 5) & 0x3fff));
}
