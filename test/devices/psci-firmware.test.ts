import { HEX_ROUTINE } from '../tools/harness/asm-routines';
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import {
  AFFINITY_STATE, PSCI_FN, PSCI_RET, PsciFirmware, SMCCC_FN, type PsciPlatform, type PsciOptions,
} from '../../emulator/devices/psci-firmware';
import { cachePath } from '../tools/harness/toolchain';

const U64 = (1n << 64n) - 1n;
const neg = (v: number): bigint => BigInt(v) & U64;

class FakeBoard implements PsciPlatform {
  on: boolean[];
  pending = new Set<number>();
  log: string[] = [];
  refuseOff = false;
  constructor(readonly cpuCount: number, onMask = 1) {
    this.on = Array.from({ length: cpuCount }, (_, i) => ((onMask >> i) & 1) === 1);
  }
  isOn(i: number): boolean { return this.on[i]; }
  isOnPending(i: number): boolean { return this.pending.has(i); }
  powerOn(i: number, entry: bigint, ctx: bigint, el: 1 | 2): void { this.on[i] = true; this.log.push(`on ${i} 0x${entry.toString(16)} 0x${ctx.toString(16)} EL${el}`); }
  powerOff(i: number): boolean { if (this.refuseOff) return false; this.on[i] = false; this.log.push(`off ${i}`); return true; }
  systemOff(): void { this.log.push('system-off'); }
  systemReset(): void { this.log.push('system-reset'); }
  standby(i: number): void { this.log.push(`standby ${i}`); }
}

function fw(board: PsciPlatform, opts?: PsciOptions): (fn: number, x1?: bigint, x2?: bigint, x3?: bigint, caller?: number) => bigint | 'no-return' {
  const f = new PsciFirmware(board, opts);
  return (fn, x1 = 0n, x2 = 0n, x3 = 0n, caller = 0) => {
    const r = f.call({ fn, x1, x2, x3, caller });
    return r.kind === 'return' ? r.x0 : 'no-return';
  };
}

describe('PSCI firmware', () => {
  it('PSCI_VERSION is 1.1 (configurable)', () => {
    assert.equal(fw(new FakeBoard(1))(PSCI_FN.VERSION), 0x10001n);
    assert.equal(fw(new FakeBoard(1), { version: 0x2 })(PSCI_FN.VERSION), 2n);
  });

  it('PSCI_FEATURES: 0 for implemented functions, NOT_SUPPORTED otherwise', () => {
    const call = fw(new FakeBoard(1));
    for (const f of [PSCI_FN.VERSION, PSCI_FN.FEATURES, PSCI_FN.CPU_ON, PSCI_FN.CPU_ON64, PSCI_FN.CPU_OFF, PSCI_FN.AFFINITY_INFO64,
      PSCI_FN.CPU_SUSPEND64, PSCI_FN.MIGRATE_INFO_TYPE, PSCI_FN.SYSTEM_OFF, PSCI_FN.SYSTEM_RESET, SMCCC_FN.VERSION]) {
      assert.equal(call(PSCI_FN.FEATURES, BigInt(f)), 0n, f.toString(16));
    }
    for (const f of [PSCI_FN.MIGRATE, PSCI_FN.MIGRATE_INFO_UP_CPU, 0x8400000e, 0x12345678]) {
      assert.equal(call(PSCI_FN.FEATURES, BigInt(f)), neg(-1), f.toString(16));
    }
    assert.equal(fw(new FakeBoard(1), { smcccVersion: null })(PSCI_FN.FEATURES, BigInt(SMCCC_FN.VERSION)), neg(-1));
  });

  it('CPU_ON starts an off CPU at the board EL with entry and context id', () => {
    const b = new FakeBoard(4);
    const call = fw(b, { cpuOnEl: 2 });
    assert.equal(call(PSCI_FN.CPU_ON64, 2n, 0x40280000n, 0xdeadbeefcafen), 0n);
    assert.deepEqual(b.log, ['on 2 0x40280000 0xdeadbeefcafe EL2']);
    assert.equal(call(PSCI_FN.CPU_ON64, 2n, 0x40280000n), neg(PSCI_RET.ALREADY_ON));
    b.pending.add(3);
    assert.equal(call(PSCI_FN.CPU_ON64, 3n, 0x40280000n), neg(PSCI_RET.ON_PENDING));
    assert.equal(call(PSCI_FN.CPU_ON64, 4n, 0x40280000n), neg(PSCI_RET.INVALID_PARAMETERS), 'no CPU 4');
    assert.equal(call(PSCI_FN.CPU_ON64, 1n | (1n << 24n), 0x40280000n), neg(PSCI_RET.INVALID_PARAMETERS), 'reserved MPIDR bits');
    assert.equal(call(PSCI_FN.CPU_ON64, 1n | (1n << 32n), 0x40280000n), neg(PSCI_RET.INVALID_PARAMETERS), 'Aff3 names no CPU');
  });

  it('CPU_ON (SMC32) uses only W1..W3', () => {
    const b = new FakeBoard(2);
    const call = fw(b);
    assert.equal(call(PSCI_FN.CPU_ON, 0xffffffff00000001n, 0x1_4020_0000n, 0x7_0000_0005n), 0n);
    assert.deepEqual(b.log, ['on 1 0x40200000 0x5 EL1']);
  });

  it('CPU_ON with MPIDRs from the board (clusters) and an entry check', () => {
    const b = new FakeBoard(2);
    const f = new PsciFirmware(Object.assign(b, { mpidr: (i: number) => BigInt(i) << 8n, isValidEntry: (pa: bigint) => pa >= 0x40000000n }));
    assert.equal(f.call({ fn: PSCI_FN.CPU_ON64, x1: 1n, x2: 0x40000000n, x3: 0n, caller: 0 }).kind, 'return');
    assert.deepEqual(f.call({ fn: PSCI_FN.CPU_ON64, x1: 1n, x2: 0x40000000n, x3: 0n, caller: 0 }), { kind: 'return', x0: neg(PSCI_RET.INVALID_PARAMETERS) });
    assert.deepEqual(f.call({ fn: PSCI_FN.CPU_ON64, x1: 0x100n, x2: 0x1000n, x3: 0n, caller: 0 }), { kind: 'return', x0: neg(PSCI_RET.INVALID_ADDRESS) });
    assert.deepEqual(f.call({ fn: PSCI_FN.CPU_ON64, x1: 0x100n, x2: 0x40001000n, x3: 0n, caller: 0 }), { kind: 'return', x0: 0n });
  });

  it('CPU_OFF powers off the caller and does not return; DENIED when the board refuses', () => {
    const b = new FakeBoard(2, 3);
    const call = fw(b);
    assert.equal(call(PSCI_FN.CPU_OFF, 0n, 0n, 0n, 1), 'no-return');
    assert.deepEqual(b.log, ['off 1']);
    b.refuseOff = true;
    assert.equal(call(PSCI_FN.CPU_OFF, 0n, 0n, 0n, 0), neg(PSCI_RET.DENIED));
  });

  it('AFFINITY_INFO: ON / OFF / ON_PENDING per CPU, higher levels by instance, bad arguments', () => {
    const b = new FakeBoard(3, 0b001);
    b.pending.add(2);
    const call = fw(b);
    assert.equal(call(PSCI_FN.AFFINITY_INFO64, 0n, 0n), BigInt(AFFINITY_STATE.ON));
    assert.equal(call(PSCI_FN.AFFINITY_INFO64, 1n, 0n), BigInt(AFFINITY_STATE.OFF));
    assert.equal(call(PSCI_FN.AFFINITY_INFO, 2n, 0n), BigInt(AFFINITY_STATE.ON_PENDING));
    assert.equal(call(PSCI_FN.AFFINITY_INFO64, 1n, 1n), BigInt(AFFINITY_STATE.ON), 'cluster 0 has CPU 0 on');
    assert.equal(call(PSCI_FN.AFFINITY_INFO64, 7n, 0n), neg(PSCI_RET.INVALID_PARAMETERS));
    assert.equal(call(PSCI_FN.AFFINITY_INFO64, 0x100n, 1n), neg(PSCI_RET.INVALID_PARAMETERS), 'no cluster 1');
    assert.equal(call(PSCI_FN.AFFINITY_INFO64, 0n, 4n), neg(PSCI_RET.INVALID_PARAMETERS));
    assert.equal(call(PSCI_FN.AFFINITY_INFO, 0n, 3n), neg(PSCI_RET.INVALID_PARAMETERS), 'no Aff3 for SMC32');
  });

  it('MIGRATE_INFO_TYPE is 2; MIGRATE and MIGRATE_INFO_UP_CPU are not supported', () => {
    const call = fw(new FakeBoard(1));
    assert.equal(call(PSCI_FN.MIGRATE_INFO_TYPE), 2n);
    assert.equal(call(PSCI_FN.MIGRATE64, 0n), neg(-1));
    assert.equal(call(PSCI_FN.MIGRATE_INFO_UP_CPU64), neg(-1));
  });

  it('SYSTEM_OFF and SYSTEM_RESET go to the board and do not return', () => {
    const b = new FakeBoard(1);
    const call = fw(b);
    assert.equal(call(PSCI_FN.SYSTEM_OFF), 'no-return');
    assert.equal(call(PSCI_FN.SYSTEM_RESET), 'no-return');
    assert.deepEqual(b.log, ['system-off', 'system-reset']);
  });

  it('CPU_SUSPEND: standby for the original format; INVALID_PARAMETERS for power levels', () => {
    const b = new FakeBoard(2, 3);
    const call = fw(b);
    assert.equal(call(PSCI_FN.CPU_SUSPEND64, 0x10005n, 0x40200000n, 0n, 1), 0n);
    assert.deepEqual(b.log, ['standby 1']);
    assert.equal(call(PSCI_FN.CPU_SUSPEND64, 0x1000000n), neg(PSCI_RET.INVALID_PARAMETERS));
  });

  it('SMCCC_VERSION and SMCCC_ARCH_FEATURES (v1.1); null = not implemented', () => {
    const call = fw(new FakeBoard(1));
    assert.equal(call(SMCCC_FN.VERSION), 0x10001n);
    assert.equal(call(SMCCC_FN.ARCH_FEATURES, BigInt(SMCCC_FN.ARCH_FEATURES)), 0n);
    assert.equal(call(SMCCC_FN.ARCH_FEATURES, BigInt(SMCCC_FN.ARCH_WORKAROUND_1)), neg(-1));
    assert.equal(call(SMCCC_FN.ARCH_FEATURES, BigInt(SMCCC_FN.ARCH_SOC_ID)), neg(-1));
    const old = fw(new FakeBoard(1), { smcccVersion: null });
    assert.equal(old(SMCCC_FN.VERSION), neg(-1));
    assert.equal(old(SMCCC_FN.ARCH_FEATURES, 0x80000000n), neg(-1));
  });

  it('unknown function IDs return NOT_SUPPORTED (-1, sign-extended)', () => {
    const call = fw(new FakeBoard(1));
    assert.equal(call(0xc2000000), U64);
    assert.equal(call(0x8400000e), U64);
  });
});

describe('PSCI firmware vs QEMU 7.2 (probe run under -smp 2 with HVC)', function () {
  this.timeout(60_000);
  // [x0, x1, x2, x3] rows; the probe prints X0 after each HVC.
  const table: [number, bigint, bigint, bigint][] = [
    [PSCI_FN.VERSION, 0n, 0n, 0n],
    [PSCI_FN.FEATURES, BigInt(SMCCC_FN.VERSION), 0n, 0n],
    [PSCI_FN.FEATURES, BigInt(PSCI_FN.CPU_ON64), 0n, 0n],
    [PSCI_FN.FEATURES, 0x8400000en, 0n, 0n],
    [PSCI_FN.FEATURES, BigInt(PSCI_FN.FEATURES), 0n, 0n],
    [PSCI_FN.FEATURES, BigInt(PSCI_FN.CPU_SUSPEND64), 0n, 0n],
    [PSCI_FN.FEATURES, BigInt(PSCI_FN.MIGRATE), 0n, 0n],
    [PSCI_FN.MIGRATE_INFO_TYPE, 0n, 0n, 0n],
    [PSCI_FN.AFFINITY_INFO64, 1n, 0n, 0n],
    [PSCI_FN.AFFINITY_INFO64, 0n, 0n, 0n],
    [PSCI_FN.AFFINITY_INFO64, 1n, 1n, 0n],
    [PSCI_FN.AFFINITY_INFO64, 7n, 0n, 0n],
    [PSCI_FN.CPU_ON64, 0n, 0x40200000n, 0n],
    [PSCI_FN.CPU_ON64, 9n, 0x40200000n, 0n],
    [PSCI_FN.CPU_ON64, 0x100000001n, 0x40200000n, 0n],
    [PSCI_FN.MIGRATE64, 0n, 0n, 0n],
    [PSCI_FN.CPU_SUSPEND64, 0x20000n, 0n, 0n],
    [PSCI_FN.CPU_SUSPEND64, 0x1000000n, 0n, 0n],
  ];

  function qemuResults(): bigint[] {
    const rows = table.map(([a, b, c, d]) => `\t.quad ${a}, ${b}, ${c}, ${d}`).join('\n');
    const src = `
	.text
	.globl _start
_start:
	ldr x10, =0x09000000
	adr x26, table
	adr x27, table_end
loop:	cmp x26, x27
	b.hs done
	ldp x0, x1, [x26], #16
	ldp x2, x3, [x26], #16
	hvc #0
	bl hex
	b loop
done:	mov w1, #'\\n'
	strb w1, [x10]
	ldr x0, =0x84000008
	hvc #0
1:	b 1b
${HEX_ROUTINE}
	.balign 16
table:
${rows}
table_end:
	.ltorg
`;
    const h = createHash('sha256').update(src).digest('hex').slice(0, 16);
    const elf = cachePath('psci-probe', `psci-${h}.elf`);
    if (!existsSync(elf)) {
      const s = cachePath('psci-probe', `psci-${h}.S`);
      writeFileSync(s, src);
      execFileSync('aarch64-linux-gnu-gcc', ['-c', '-o', s + '.o', s]);
      execFileSync('aarch64-linux-gnu-ld', ['-nostdlib', '-Ttext=0x40200000', '-e', '_start', '-o', elf, s + '.o']);
    }
    const r = spawnSync('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-smp', '2', '-m', '128M',
      '-nographic', '-monitor', 'none', '-serial', 'stdio', '-no-reboot', '-kernel', elf], { encoding: 'latin1', timeout: 20000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split(/\s+/).map((x) => BigInt('0x' + x));
  }

  it('gives the answers QEMU gives (with smcccVersion: null, QEMU 7.2 has no SMCCC_VERSION)', () => {
    const q = qemuResults();
    assert.equal(q.length, table.length);
    const board = new FakeBoard(2, 0b01); // QEMU starts secondaries powered off
    const call = fw(board, { smcccVersion: null });
    const ours = table.map(([f, a, b, c]) => call(f, a, b, c));
    assert.deepEqual(ours.map((x) => (typeof x === 'bigint' ? x.toString(16) : x)), q.map((x) => x.toString(16)));
  });
});
