// What the hypervisor counts (shown by `hvlab run --stats` and through emulator/debug for the
// debugger): traps per exception class, interrupts injected, time spent in the hypervisor.

/** ESR_EL2.EC names for the trap classes hvlab counts (Arm ARM D17.2.37). */
export const EC_NAMES: Readonly<Record<number, string>> = {
  0x00: 'unknown', 0x01: 'wfi/wfe', 0x07: 'fp-access', 0x16: 'hvc', 0x17: 'smc', 0x18: 'sysreg',
  0x20: 'iabt', 0x24: 'dabt', 0x3c: 'brk',
};

export class TrapCounters {
  /** Traps by ESR_EL2.EC, and physical interrupts taken to EL2 while this domain ran. */
  readonly byEc = new Map<number, number>();
  irqs = 0;
  /** Virtual interrupts injected into the domain. */
  injected = 0;
  /** Virtual time charged to the hypervisor on behalf of the domain (ns). */
  hypervisorNs = 0;
  hypercalls = 0;
  mmio = 0;

  trap(ec: number): void { this.byEc.set(ec, (this.byEc.get(ec) ?? 0) + 1); }

  get traps(): number {
    let n = 0;
    for (const v of this.byEc.values()) n += v;
    return n;
  }

  describe(): string {
    const parts = [...this.byEc.entries()].sort((a, b) => a[0] - b[0]).map(([ec, n]) => `${EC_NAMES[ec] ?? `ec 0x${ec.toString(16)}`} ${n}`);
    return parts.join(', ') || 'none';
  }
}
