// System register spelling for the disassembler (objdump's names, see sysreg-names.ts).
import { SYSREG_NAME_LINES } from './sysreg-names';

const readNames = new Map<number, string>();
const writeNames = new Map<number, string>();
for (const line of SYSREG_NAME_LINES) {
  const f = line.split(' ');
  const key = (+f[0] << 14) | (+f[1] << 11) | (+f[2] << 7) | (+f[3] << 3) | +f[4];
  readNames.set(key, f[5]);
  writeNames.set(key, f[6] ?? f[5]);
}

/** `s3_0_c15_c2_0`: objdump's spelling of an encoding it has no name for (key = op0:op1:CRn:CRm:op2). */
export function genericSysregName(key: number): string {
  return `s${key >>> 14}_${(key >>> 11) & 7}_c${(key >>> 7) & 15}_c${(key >>> 3) & 15}_${key & 7}`;
}

/** objdump's name of the system register with this key, as read by MRS or (write) written by MSR. */
export function sysregName(key: number, write: boolean): string {
  return (write ? writeNames : readNames).get(key) ?? genericSysregName(key);
}
