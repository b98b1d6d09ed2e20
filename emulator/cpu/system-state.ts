// Storage slots of the system registers that are plain state (no side effects on read or write):
// each is kept in `cpu.sysLo/sysHi` at the index of its MRS/MSR encoding key
// (op0:op1:CRn:CRm:op2, bits [20:5] of the instruction), so the MRS/MSR table, the exception
// model and the debugger address one register the same way.

export function sysKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** Number of storage slots: the whole 16-bit encoding space. */
export const SYS_SLOTS = 1 << 16;

const k = sysKey;
/** Per-EL registers used by the exception model, indexed by EL (index 0 unused). */
export const SYS = {
  SPSR: [-1, k(3, 0, 4, 0, 0), k(3, 4, 4, 0, 0), k(3, 6, 4, 0, 0)],
  ELR: [-1, k(3, 0, 4, 0, 1), k(3, 4, 4, 0, 1), k(3, 6, 4, 0, 1)],
  ESR: [-1, k(3, 0, 5, 2, 0), k(3, 4, 5, 2, 0), k(3, 6, 5, 2, 0)],
  FAR: [-1, k(3, 0, 6, 0, 0), k(3, 4, 6, 0, 0), k(3, 6, 6, 0, 0)],
  VBAR: [-1, k(3, 0, 12, 0, 0), k(3, 4, 12, 0, 0), k(3, 6, 12, 0, 0)],
  SCTLR: [-1, k(3, 0, 1, 0, 0), k(3, 4, 1, 0, 0), k(3, 6, 1, 0, 0)],
  HPFAR_EL2: k(3, 4, 6, 0, 4),
  HCR_EL2: k(3, 4, 1, 1, 0),
  SCR_EL3: k(3, 6, 1, 1, 0),
  MDCR_EL2: k(3, 4, 1, 1, 1),
} as const;

/** HCR_EL2 bits the exception routing reads (Arm ARM D17.2.48). */
export const HCR = { FMO: 1 << 3, IMO: 1 << 4, AMO: 1 << 5, VF: 1 << 6, VI: 1 << 7, VSE: 1 << 8, TGE: 1 << 27, TSC: 1 << 19, HCD: 1 << 29 } as const;
/** HCR_EL2 high-half bits. */
export const HCR_HI = { E2H: 1 << 2 } as const;
/** SCR_EL3 bits (Arm ARM D17.2.117). */
export const SCR = { NS: 1 << 0, IRQ: 1 << 1, FIQ: 1 << 2, EA: 1 << 3, SMD: 1 << 7, HCE: 1 << 8, RW: 1 << 10 } as const;
/** MDCR_EL2.TDE routes debug exceptions (BRK) from EL0/EL1 to EL2. */
export const MDCR_TDE = 1 << 8;
