// PSCI 1.1 firmware (Arm DEN 0022D "Power State Coordination Interface") with the SMCCC
// architecture calls (Arm DEN 0028 "SMC Calling Convention"), independent of the Cpu class: the
// board implements PsciPlatform and forwards every HVC/SMC that reaches the firmware.
//
// Calling convention (SMCCC 2.x): function ID in W0; bit 30 set = SMC64/HVC64 (arguments are
// X1..X3), clear = SMC32/HVC32 (only W1..W3 count; the upper halves are ignored). The result goes
// to X0, negative error codes sign-extended to 64 bits.
//
// Behaviour follows QEMU 7.2 (target/arm/psci.c), checked by running a probe under it, where the
// spec leaves room: VERSION 1.1; MIGRATE_INFO_TYPE 2 (no Trusted OS, migration not required);
// MIGRATE and MIGRATE_INFO_UP_CPU not supported; CPU_SUSPEND only as standby (power_state bits
// other than StateID and StateType -> INVALID_PARAMETERS; a powerdown request also just waits
// for an interrupt and returns SUCCESS, as QEMU does); a CPU brought up with CPU_ON starts at the
// highest Non-secure EL the board provides (PSCI 6.4.3 / QEMU: EL2 when virtualization is on),
// with X0 = context_id, MMU off.
// Where hvlab differs from QEMU 7.2, on purpose:
//   - SMCCC_VERSION (v1.1 by default) and SMCCC_ARCH_FEATURES are implemented (QEMU 7.2 treats
//     0x80000000.. as no firmware call). Pass `smcccVersion: null` for QEMU 7.2's answers
//     (PSCI_FEATURES(SMCCC_VERSION) = NOT_SUPPORTED, and the SMCCC IDs NOT_SUPPORTED too).
//   - An SMC32 CPU_ON/AFFINITY_INFO ignores the upper halves of X1..X3, as SMCCC requires;
//     QEMU 7.2 uses the full X1 and answers INVALID_PARAMETERS when its upper half is non-zero.
//   - MPIDR arguments must have zero in the non-affinity bits (PSCI 5.1.4 / 5.1.5:
//     INVALID_PARAMETERS), where QEMU only looks the value up among the CPUs (same result for
//     every value that names no CPU).
//
// Integration (board):
//   const psci = new PsciFirmware(board /* implements PsciPlatform */, { cpuOnEl: virt ? 2 : 1 });
//   // in hypervisorCall(cpu, kind, imm16) when kind is the configured conduit and imm16 == 0:
//   const r = psci.call({ fn: cpu.xlo[0] >>> 0, x1: getX(cpu, 1), x2: getX(cpu, 2), x3: getX(cpu, 3), caller: cpu.index });
//   if (r.kind === 'return') setX(cpu, 0, r.x0);   // 'no-return': the platform already stopped the caller

export const PSCI_FN = {
  VERSION: 0x84000000,
  CPU_SUSPEND: 0x84000001, CPU_SUSPEND64: 0xc4000001,
  CPU_OFF: 0x84000002,
  CPU_ON: 0x84000003, CPU_ON64: 0xc4000003,
  AFFINITY_INFO: 0x84000004, AFFINITY_INFO64: 0xc4000004,
  MIGRATE: 0x84000005, MIGRATE64: 0xc4000005,
  MIGRATE_INFO_TYPE: 0x84000006,
  MIGRATE_INFO_UP_CPU: 0x84000007, MIGRATE_INFO_UP_CPU64: 0xc4000007,
  SYSTEM_OFF: 0x84000008,
  SYSTEM_RESET: 0x84000009,
  FEATURES: 0x8400000a,
} as const;

export const SMCCC_FN = {
  VERSION: 0x80000000,
  ARCH_FEATURES: 0x80000001,
  ARCH_SOC_ID: 0x80000002,
  ARCH_WORKAROUND_1: 0x80008000,
  ARCH_WORKAROUND_2: 0x80007fff,
  ARCH_WORKAROUND_3: 0x80003fff,
} as const;

/** PSCI return codes (DEN 0022D table 5.2.2). */
export const PSCI_RET = {
  SUCCESS: 0, NOT_SUPPORTED: -1, INVALID_PARAMETERS: -2, DENIED: -3, ALREADY_ON: -4, ON_PENDING: -5,
  INTERNAL_FAILURE: -6, NOT_PRESENT: -7, DISABLED: -8, INVALID_ADDRESS: -9,
} as const;

/** AFFINITY_INFO results. */
export const AFFINITY_STATE = { ON: 0, OFF: 1, ON_PENDING: 2 } as const;

/** What the board provides. CPU indexes are 0..cpuCount-1. */
export interface PsciPlatform {
  readonly cpuCount: number;
  isOn(i: number): boolean;
  /** A CPU_ON was accepted but the CPU has not started yet (boards that start CPUs at once: omit). */
  isOnPending?(i: number): boolean;
  /** MPIDR_EL1 of CPU i; default QEMU virt's GICv3 layout (Aff0 = i % 16, Aff1 = i / 16). */
  mpidr?(i: number): bigint;
  /** Start CPU i at `entry` in AArch64 at EL `el` (MMU off, DAIF masked) with X0 = contextId. */
  powerOn(i: number, entry: bigint, contextId: bigint, el: 1 | 2): void;
  /** Stop CPU i (CPU_OFF on itself); returning false makes CPU_OFF answer DENIED. */
  powerOff(i: number): boolean | void;
  systemOff(): void;
  systemReset(): void;
  /** CPU_SUSPEND standby: let CPU i wait for an interrupt as WFI does (then X0 = SUCCESS). */
  standby?(i: number): void;
  /** Optional entry-point check for CPU_ON: false -> INVALID_ADDRESS. */
  isValidEntry?(pa: bigint): boolean;
}

export interface PsciCall {
  /** W0, the function ID. */
  fn: number;
  x1: bigint;
  x2: bigint;
  x3: bigint;
  /** Index of the calling CPU. */
  caller: number;
}

export type PsciResult = { kind: 'return'; x0: bigint } | { kind: 'no-return' };

export interface PsciOptions {
  /** PSCI version reported, major << 16 | minor. Default 0x10001 (1.1, as QEMU 7.2). */
  version?: number;
  /** SMCCC version for SMCCC_VERSION (default 0x10001 = v1.1); null = not implemented, as QEMU 7.2. */
  smcccVersion?: number | null;
  /** EL a CPU started by CPU_ON enters: the highest Non-secure EL of the board (2 with virtualization). */
  cpuOnEl?: 1 | 2;
}

const U64 = (1n << 64n) - 1n;
const ret = (v: number): PsciResult => ({ kind: 'return', x0: BigInt(v) & U64 });
/** MPIDR affinity fields Aff3 (39:32) and Aff2..Aff0 (23:0). */
const AFF_MASK64 = 0xff00ffffffn;
const AFF_MASK32 = 0xffffffn;

export class PsciFirmware {
  readonly version: number;
  readonly smcccVersion: number | null;
  private readonly cpuOnEl: 1 | 2;

  constructor(private readonly platform: PsciPlatform, opts: PsciOptions = {}) {
    this.version = opts.version ?? 0x10001;
    this.smcccVersion = opts.smcccVersion === undefined ? 0x10001 : opts.smcccVersion;
    this.cpuOnEl = opts.cpuOnEl ?? 1;
  }

  private mpidrOf(i: number): bigint {
    return (this.platform.mpidr?.(i) ?? BigInt(((i >> 4) << 8) | (i & 15))) & AFF_MASK64;
  }

  /** Function IDs this firmware answers with something other than NOT_SUPPORTED. */
  implements(fn: number): boolean {
    switch (fn >>> 0) {
      case PSCI_FN.VERSION: case PSCI_FN.FEATURES: case PSCI_FN.CPU_OFF:
      case PSCI_FN.CPU_ON: case PSCI_FN.CPU_ON64: case PSCI_FN.AFFINITY_INFO: case PSCI_FN.AFFINITY_INFO64:
      case PSCI_FN.CPU_SUSPEND: case PSCI_FN.CPU_SUSPEND64:
      case PSCI_FN.MIGRATE_INFO_TYPE: case PSCI_FN.SYSTEM_OFF: case PSCI_FN.SYSTEM_RESET:
        return true;
      case SMCCC_FN.VERSION: case SMCCC_FN.ARCH_FEATURES:
        return this.smcccVersion !== null;
      default:
        return false;
    }
  }

  call(c: PsciCall): PsciResult {
    const fn = c.fn >>> 0;
    const is64 = (fn & 0x40000000) !== 0;
    // SMC32/HVC32: only the low 32 bits of each argument register are significant (SMCCC).
    const arg = (x: bigint): bigint => (is64 ? x & U64 : x & 0xffffffffn);
    const x1 = arg(c.x1), x2 = arg(c.x2), x3 = arg(c.x3);
    switch (fn) {
      case PSCI_FN.VERSION:
        return ret(this.version);

      case PSCI_FN.FEATURES: {
        const q = Number(x1 & 0xffffffffn);
        if (!this.implements(q)) return ret(PSCI_RET.NOT_SUPPORTED);
        // CPU_SUSPEND's feature flags: bit 1 = 0 (original power_state format), bit 0 = 0 (no OS-initiated mode).
        return ret(0);
      }

      case PSCI_FN.CPU_ON:
      case PSCI_FN.CPU_ON64: {
        const target = this.findCpu(x1, is64);
        if (target === undefined) return ret(PSCI_RET.INVALID_PARAMETERS);
        if (this.platform.isOn(target)) return ret(PSCI_RET.ALREADY_ON);
        if (this.platform.isOnPending?.(target)) return ret(PSCI_RET.ON_PENDING);
        if (this.platform.isValidEntry && !this.platform.isValidEntry(x2)) return ret(PSCI_RET.INVALID_ADDRESS);
        this.platform.powerOn(target, x2, x3, this.cpuOnEl);
        return ret(PSCI_RET.SUCCESS);
      }

      case PSCI_FN.CPU_OFF:
        if (this.platform.powerOff(c.caller) === false) return ret(PSCI_RET.DENIED);
        return { kind: 'no-return' };

      case PSCI_FN.AFFINITY_INFO:
      case PSCI_FN.AFFINITY_INFO64:
        return ret(this.affinityInfo(x1, x2, is64));

      case PSCI_FN.MIGRATE_INFO_TYPE:
        return ret(2); // Trusted OS not present or does not require migration

      case PSCI_FN.SYSTEM_OFF:
        this.platform.systemOff();
        return { kind: 'no-return' };

      case PSCI_FN.SYSTEM_RESET:
        this.platform.systemReset();
        return { kind: 'no-return' };

      case PSCI_FN.CPU_SUSPEND:
      case PSCI_FN.CPU_SUSPEND64: {
        // Original power_state format (PSCI 5.4.2.1): StateID 15:0, StateType bit 16, PowerLevel 25:24.
        // Like QEMU, no power levels: any bit above StateType is INVALID_PARAMETERS.
        if ((x1 & 0xfffe0000n) !== 0n) return ret(PSCI_RET.INVALID_PARAMETERS);
        this.platform.standby?.(c.caller);
        return ret(PSCI_RET.SUCCESS);
      }

      case SMCCC_FN.VERSION:
        return ret(this.smcccVersion ?? PSCI_RET.NOT_SUPPORTED);

      case SMCCC_FN.ARCH_FEATURES: {
        if (this.smcccVersion === null) return ret(PSCI_RET.NOT_SUPPORTED);
        // SMCCC 7.2: 0 for implemented calls; the CPU-erratum workarounds and SOC_ID are not
        // provided (NOT_SUPPORTED: Linux then relies on the CPU's own safe-list).
        const q = Number(x1 & 0xffffffffn);
        return ret(q === SMCCC_FN.VERSION || q === SMCCC_FN.ARCH_FEATURES ? 0 : PSCI_RET.NOT_SUPPORTED);
      }

      default:
        // MIGRATE, MIGRATE_INFO_UP_CPU, SYSTEM_SUSPEND, ... and any unknown ID: SMCCC's "unknown
        // function" value is -1, which is also PSCI's NOT_SUPPORTED.
        return ret(PSCI_RET.NOT_SUPPORTED);
    }
  }

  /** The CPU whose affinity is `mpidr`, or undefined (bad reserved bits or no such CPU). */
  private findCpu(mpidr: bigint, is64: boolean): number | undefined {
    if (mpidr & ~(is64 ? AFF_MASK64 : AFF_MASK32)) return undefined;
    for (let i = 0; i < this.platform.cpuCount; i++) if (this.mpidrOf(i) === mpidr) return i;
    return undefined;
  }

  private affinityInfo(target: bigint, level: bigint, is64: boolean): number {
    if (target & ~(is64 ? AFF_MASK64 : AFF_MASK32)) return PSCI_RET.INVALID_PARAMETERS;
    if (level > 3n || (!is64 && level === 3n)) return PSCI_RET.INVALID_PARAMETERS;
    // Affinity fields below `level` are ignored: the instance is every CPU sharing the higher fields.
    const ignore = [0n, 0xffn, 0xffffn, 0xffffffn][Number(level)];
    let any = false, on = false, pending = false;
    for (let i = 0; i < this.platform.cpuCount; i++) {
      if ((this.mpidrOf(i) & ~ignore) !== (target & ~ignore)) continue;
      any = true;
      if (this.platform.isOn(i)) on = true;
      else if (this.platform.isOnPending?.(i)) pending = true;
    }
    if (!any) return PSCI_RET.INVALID_PARAMETERS;
    return on ? AFFINITY_STATE.ON : pending ? AFFINITY_STATE.ON_PENDING : AFFINITY_STATE.OFF;
  }
}
