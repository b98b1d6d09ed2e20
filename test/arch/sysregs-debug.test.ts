// The self-hosted debug registers (emulator/arch/a64/system/debug-registers.ts), the cache ID
// registers and the IMPLEMENTATION DEFINED auxiliary registers the Linux boot touches: (1) unit
// tests on a private CPU (reset values, masks, the OS lock, the refusal of armed breakpoints and
// software step, MDCR_EL2/MDCR_EL3 traps, PMU absent); (2) a differential check against QEMU's
// cortex-a53 with its PMU switched off (pmu=off), which is what hvlab models.
import { strict as assert } from 'node:assert';
import { Cpu, type StopReason, type TrapHook } from '../../emulator/cpu/cpu';
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';
import { EC } from '../../emulator/cpu/exceptions';
import { SYS } from '../../emulator/cpu/system-state';
import { stopOnUndefined } from '../../emulator/debug/trap-hooks';
import { CCSIDR_VALUES, CLIDR_VALUE, ID_AA64DFR0_VALUE, SYSREG_BY_KEY, sysregKey } from '../../emulator/arch/a64/system/sysreg-table';
import { DBGBCR_MASK, DBGWCR_MASK, NUM_BREAKPOINTS, NUM_WATCHPOINTS } from '../../emulator/arch/a64/system/debug-registers';
import { snippetSource } from '../tools/harness/snippet';
import { buildAsm } from '../tools/harness/toolchain';
import { runHvlab, runQemu } from '../tools/harness/runners';
import { diffDumps } from '../tools/harness/snippet';
import { hex, makeCpu, RAM, runWords } from './system-util';

type Enc = [number, number, number, number, number];
const mrs = ([op0, op1, crn, crm, op2]: Enc, t: number): number => (0xd5300000 | (sysregKey(op0, op1, crn, crm, op2) << 5) | t) >>> 0;
const msr = ([op0, op1, crn, crm, op2]: Enc, t: number): number => (0xd5100000 | (sysregKey(op0, op1, crn, crm, op2) << 5) | t) >>> 0;

const MDSCR: Enc = [2, 0, 0, 2, 2];
const OSLAR: Enc = [2, 0, 1, 0, 4];
const OSLSR: Enc = [2, 0, 1, 1, 4];
const OSDLR: Enc = [2, 0, 1, 3, 4];
const DBGPRCR: Enc = [2, 0, 1, 4, 4];
const MDCCINT: Enc = [2, 0, 0, 2, 0];
const MDRAR: Enc = [2, 0, 1, 0, 0];
const CLAIMSET: Enc = [2, 0, 7, 8, 6];
const CLAIMCLR: Enc = [2, 0, 7, 9, 6];
const AUTHSTATUS: Enc = [2, 0, 7, 14, 6];
const DFR0: Enc = [3, 0, 0, 5, 0];
const bvr = (n: number): Enc => [2, 0, 0, n, 4];
const bcr = (n: number): Enc => [2, 0, 0, n, 5];
const wvr = (n: number): Enc => [2, 0, 0, n, 6];
const wcr = (n: number): Enc => [2, 0, 0, n, 7];

function setX(cpu: Cpu, r: number, v: bigint): void { cpu.setX(r, BigInt.asUintN(64, v)); }
function getX(cpu: Cpu, r: number): bigint { return (BigInt(cpu.xhi[r] >>> 0) << 32n) | BigInt(cpu.xlo[r] >>> 0); }

/** Writes `v` to the register and reads it back (x1 -> reg -> x2). */
function roundTrip(cpu: Cpu, e: Enc, v: bigint): bigint {
  setX(cpu, 1, v);
  assert.equal(runWords(cpu, [msr(e, 1), mrs(e, 2)]), undefined);
  return getX(cpu, 2);
}
function read(cpu: Cpu, e: Enc): bigint {
  assert.equal(runWords(cpu, [mrs(e, 2)]), undefined);
  return getX(cpu, 2);
}
function write(cpu: Cpu, e: Enc, v: bigint): StopReason | undefined {
  setX(cpu, 1, v);
  return runWords(cpu, [msr(e, 1)]);
}

describe('system registers: self-hosted debug (unit)', () => {
  it('ID_AA64DFR0_EL1 says 6 breakpoints (2 context-aware), 4 watchpoints, no PMU, Armv8.0 debug', () => {
    const cpu = makeCpu();
    const v = read(cpu, DFR0);
    assert.equal(v, BigInt(ID_AA64DFR0_VALUE));
    assert.equal(Number(v & 0xfn), 6, 'DebugVer');
    assert.equal(Number((v >> 8n) & 0xfn), 0, 'PMUVer: no PMU');
    assert.equal(Number((v >> 12n) & 0xfn) + 1, NUM_BREAKPOINTS);
    assert.equal(Number((v >> 20n) & 0xfn) + 1, NUM_WATCHPOINTS);
    assert.equal(Number((v >> 28n) & 0xfn) + 1, 2);
    assert.equal(v, 0x10305006n, 'QEMU cortex-a53 (0x10305106) without the PMU');
  });

  it('breakpoint and watchpoint registers exist exactly up to the advertised counts, and hold their state bits', () => {
    const cpu = makeCpu();
    for (let n = 0; n < 16; n++) {
      const hasB = n < NUM_BREAKPOINTS, hasW = n < NUM_WATCHPOINTS;
      assert.equal(SYSREG_BY_KEY[sysregKey(...bvr(n))] !== undefined, hasB, `DBGBVR${n}`);
      assert.equal(SYSREG_BY_KEY[sysregKey(...bcr(n))] !== undefined, hasB, `DBGBCR${n}`);
      assert.equal(SYSREG_BY_KEY[sysregKey(...wvr(n))] !== undefined, hasW, `DBGWVR${n}`);
      assert.equal(SYSREG_BY_KEY[sysregKey(...wcr(n))] !== undefined, hasW, `DBGWCR${n}`);
      if (!hasB) {
        const s = runWords(cpu, [mrs(bcr(n), 2)]);
        assert.equal(s?.kind, 'undefined', `DBGBCR${n}_EL1 is UNDEFINED`);
      }
    }
    for (let n = 0; n < NUM_BREAKPOINTS; n++) {
      const v = 0xffff_8000_1234_5673n + (BigInt(n) << 8n);
      assert.equal(hex(roundTrip(cpu, bvr(n), v)), hex(v & ~3n), `DBGBVR${n}: bits 1:0 RES0`);
      // E = 0: nothing armed; every other bit position exercised.
      assert.equal(hex(roundTrip(cpu, bcr(n), 0xffff_ffff_ffff_fffen)), hex(DBGBCR_MASK & ~1), `DBGBCR${n}`);
    }
    for (let n = 0; n < NUM_WATCHPOINTS; n++) {
      assert.equal(hex(roundTrip(cpu, wvr(n), 0x0000_ffff_ffff_ffffn)), hex(0x0000_ffff_ffff_fffcn), `DBGWVR${n}`);
      assert.equal(hex(roundTrip(cpu, wcr(n), 0xffff_ffff_ffff_fffen)), hex(DBGWCR_MASK & ~1), `DBGWCR${n}`);
    }
  });

  it('OS lock: locked at reset (OSLSR_EL1 = 0xa), OSLAR_EL1 unlocks and relocks; OSLAR is write-only, OSLSR read-only', () => {
    const cpu = makeCpu();
    assert.equal(read(cpu, OSLSR), 0xan);
    assert.equal(write(cpu, OSLAR, 0n), undefined);
    assert.equal(read(cpu, OSLSR), 0x8n);
    assert.equal(write(cpu, OSLAR, 0xffff_fffe_0000_0001n), undefined);
    assert.equal(read(cpu, OSLSR), 0xan, 'only bit 0 counts');
    assert.equal(runWords(cpu, [mrs(OSLAR, 2)])?.kind, 'undefined');
    assert.equal(runWords(cpu, [msr(OSLSR, 2)])?.kind, 'undefined');
  });

  it('MDSCR_EL1: SS/TDCC/KDE/MDE always writable; the EDSCR save/restore fields only while the OS lock is locked', () => {
    const cpu = makeCpu();
    const ext = (1n << 6n) | (1n << 14n) | (1n << 21n) | (3n << 22n) | (1n << 26n) | (1n << 27n) | (1n << 29n) | (1n << 30n);
    // Locked (reset): the save/restore fields are written too.
    assert.equal(hex(roundTrip(cpu, MDSCR, ext | (1n << 12n) | 0xffff_ffff_0000_0000n)), hex(ext | (1n << 12n)));
    write(cpu, OSLAR, 0n);
    // Unlocked: writes leave them as they were.
    assert.equal(hex(roundTrip(cpu, MDSCR, (1n << 13n) | (1n << 15n))), hex(ext | (1n << 13n) | (1n << 15n)));
    write(cpu, OSLAR, 1n);
    assert.equal(hex(roundTrip(cpu, MDSCR, 1n << 12n)), hex(1n << 12n));
  });

  it('refuses states in which a breakpoint, watchpoint or software step would fire (not implemented yet)', () => {
    let cpu = makeCpu();
    // Enabled breakpoint while MDE = 0: architecturally inert, accepted.
    assert.equal(write(cpu, bcr(3), 0x1e7n), undefined);
    // Then MDE = 1: refused, and MDSCR_EL1 keeps its old value.
    let s = write(cpu, MDSCR, 1n << 15n);
    assert.equal(s?.kind, 'fault');
    assert.match((s as { message: string }).message, /MDSCR_EL1.*MDE = 1 with DBGBCR3_EL1\.E = 1/);
    assert.equal(read(cpu, MDSCR), 0n);

    cpu = makeCpu();
    assert.equal(write(cpu, MDSCR, (1n << 15n) | (1n << 13n)), undefined, 'MDE/KDE with nothing enabled is fine');
    s = write(cpu, wcr(2), 0x1ff9n);
    assert.equal(s?.kind, 'fault');
    assert.match((s as { message: string }).message, /DBGWCR2_EL1\.E = 1/);
    assert.equal(read(cpu, wcr(2)), 0n, 'the refused write did not happen');
    assert.equal(write(cpu, wcr(2), 0x1ff8n), undefined, 'E = 0 is fine');

    cpu = makeCpu();
    s = write(cpu, MDSCR, 1n);
    assert.equal(s?.kind, 'fault');
    assert.match((s as { message: string }).message, /SS = 1: software step/);
  });

  it('OSDLR_EL1, DBGPRCR_EL1, MDCCINT_EL1 hold their bits; MDRAR_EL1 reads 0; claim tags set and clear; DBGAUTHSTATUS', () => {
    const cpu = makeCpu();
    assert.equal(roundTrip(cpu, OSDLR, -1n), 1n);
    assert.equal(roundTrip(cpu, DBGPRCR, -1n), 1n);
    assert.equal(hex(roundTrip(cpu, MDCCINT, -1n)), hex(0x60000000n));
    assert.equal(read(cpu, MDRAR), 0n);
    assert.equal(runWords(cpu, [msr(MDRAR, 1)])?.kind, 'undefined');
    assert.equal(read(cpu, CLAIMSET), 0xffn);
    assert.equal(read(cpu, CLAIMCLR), 0n);
    write(cpu, CLAIMSET, 0x1_0000_0105n);
    assert.equal(read(cpu, CLAIMCLR), 0x05n);
    write(cpu, CLAIMCLR, 0x4n);
    assert.equal(read(cpu, CLAIMCLR), 0x01n);
    assert.equal(read(cpu, AUTHSTATUS), 0x0an, 'non-secure only: implemented, disabled');
    const el3 = new Cpu(new PhysicalMemory(RAM, 1 << 20), { hypervisorCall: () => false }, 0, { hasEl2: true, hasEl3: true, startEl: 1 });
    el3.trapHook = stopOnUndefined;
    assert.equal(read(el3, AUTHSTATUS), 0xaan);
  });

  it('PMU registers are UNDEFINED (PMUVer = 0)', () => {
    const cpu = makeCpu();
    for (const e of [[3, 3, 9, 12, 0], [3, 3, 9, 14, 0], [3, 3, 9, 13, 0], [3, 0, 9, 14, 1]] as Enc[]) {
      assert.equal(runWords(cpu, [mrs(e, 2)])?.kind, 'undefined');
      assert.equal(runWords(cpu, [msr(e, 2)])?.kind, 'undefined');
    }
  });

  describe('traps', () => {
    let taken: { el: number; esr: number } | undefined;
    const hook: TrapHook = (_cpu, ev) => {
      if (ev.kind === 'sync' && ((ev.esr >>> 26) & 0x3f) === EC.UNKNOWN) return stopOnUndefined(_cpu, ev);
      taken = { el: ev.targetEl, esr: ev.esr >>> 0 };
      return { kind: 'fault', pc: ev.pc, message: 'trap' };
    };
    const el2Cpu = (el3 = false): Cpu => {
      const c = new Cpu(new PhysicalMemory(RAM, 1 << 20), { hypervisorCall: () => false }, 0, { hasEl2: true, hasEl3: el3, startEl: 1 });
      c.trapHook = hook;
      if (el3) c.sysLo[SYS.SCR_EL3] = 0x401; // NS, RW
      return c;
    };
    /** ISS of a trapped MSR/MRS (Arm ARM D17.2.37): Op0, Op2, Op1, CRn, Rt, CRm, direction. */
    const iss = ([op0, op1, crn, crm, op2]: Enc, rt: number, isRead: boolean): number =>
      (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (isRead ? 1 : 0);
    const MDCR_EL3 = sysregKey(3, 6, 1, 3, 1);

    it('MDCR_EL2.TDA traps MDSCR/breakpoint/claim registers from EL1 to EL2; TDOSA the OS registers; TDRA MDRAR', () => {
      const cpu = el2Cpu();
      cpu.sysLo[SYS.MDCR_EL2] = 1 << 9; // TDA
      taken = undefined;
      assert.equal(runWords(cpu, [mrs(MDSCR, 7)])?.kind, 'fault');
      assert.deepEqual(taken, { el: 2, esr: ((EC.SYSREG << 26) | (1 << 25) | iss(MDSCR, 7, true)) >>> 0 });
      taken = undefined;
      assert.equal(runWords(cpu, [msr(bcr(5), 3)])?.kind, 'fault');
      assert.deepEqual(taken, { el: 2, esr: ((EC.SYSREG << 26) | (1 << 25) | iss(bcr(5), 3, false)) >>> 0 });
      // TDA alone does not trap the OS lock registers or MDRAR.
      assert.equal(runWords(cpu, [msr(OSLAR, 31), mrs(OSLSR, 2), mrs(MDRAR, 3)]), undefined);
      cpu.sysLo[SYS.MDCR_EL2] = 1 << 10; // TDOSA
      taken = undefined;
      assert.equal(runWords(cpu, [mrs(OSLSR, 2)])?.kind, 'fault');
      assert.equal(taken!.el, 2);
      assert.equal(runWords(cpu, [mrs(MDSCR, 2)]), undefined);
      cpu.sysLo[SYS.MDCR_EL2] = 1 << 11; // TDRA
      taken = undefined;
      assert.equal(runWords(cpu, [mrs(MDRAR, 2)])?.kind, 'fault');
      assert.equal(taken!.el, 2);
      // TDE makes all three behave as 1.
      cpu.sysLo[SYS.MDCR_EL2] = 1 << 8;
      for (const e of [MDSCR, OSDLR, MDRAR, AUTHSTATUS]) {
        taken = undefined;
        assert.equal(runWords(cpu, [mrs(e, 2)])?.kind, 'fault');
        assert.equal(taken!.el, 2);
      }
      // At EL2 nothing traps to EL2.
      cpu.setPstate(2, 1);
      assert.equal(runWords(cpu, [mrs(MDSCR, 2), mrs(OSLSR, 3)]), undefined);
    });

    it('without EL2, or with SCR_EL3.NS = 0, MDCR_EL2 does not trap; MDCR_EL3.TDA/TDOSA trap EL1 and EL2 to EL3', () => {
      const cpu = el2Cpu(true);
      cpu.sysLo[SYS.SCR_EL3] = 0x400; // Secure: EL2 not enabled (Armv8.0)
      cpu.sysLo[SYS.MDCR_EL2] = 1 << 9;
      assert.equal(runWords(cpu, [mrs(MDSCR, 2)]), undefined);
      cpu.sysLo[SYS.SCR_EL3] = 0x401;
      cpu.sysLo[SYS.MDCR_EL2] = 0;
      cpu.sysLo[MDCR_EL3] = 1 << 9; // TDA
      taken = undefined;
      assert.equal(runWords(cpu, [mrs(MDRAR, 2)])?.kind, 'fault', 'MDCR_EL3 has no TDRA: TDA covers MDRAR');
      assert.equal(taken!.el, 3);
      cpu.setPstate(2, 1);
      taken = undefined;
      assert.equal(runWords(cpu, [msr(bvr(0), 2)])?.kind, 'fault');
      assert.equal(taken!.el, 3);
      // EL2 traps come first for EL1 accesses.
      cpu.setPstate(1, 1);
      cpu.sysLo[SYS.MDCR_EL2] = 1 << 9;
      taken = undefined;
      assert.equal(runWords(cpu, [mrs(MDSCR, 2)])?.kind, 'fault');
      assert.equal(taken!.el, 2);
      // TDOSA of EL3.
      cpu.sysLo[SYS.MDCR_EL2] = 0;
      cpu.sysLo[MDCR_EL3] = 1 << 10;
      taken = undefined;
      assert.equal(runWords(cpu, [msr(OSLAR, 31)])?.kind, 'fault');
      assert.equal(taken!.el, 3);
      // At EL3 itself: no trap.
      cpu.setPstate(3, 1);
      assert.equal(runWords(cpu, [msr(OSLAR, 31), mrs(MDSCR, 2)]), undefined);
    });

    it('debug registers are UNDEFINED at EL0', () => {
      const cpu = makeCpu();
      cpu.setPstate(0, 0);
      assert.equal(runWords(cpu, [mrs(MDSCR, 2)])?.kind, 'undefined');
      assert.equal(runWords(cpu, [msr(OSLAR, 2)])?.kind, 'undefined');
    });
  });
});

describe('system registers: cache ID and IMPLEMENTATION DEFINED auxiliary registers (unit)', () => {
  const CLIDR: Enc = [3, 1, 0, 0, 1], CCSIDR: Enc = [3, 1, 0, 0, 0], CSSELR: Enc = [3, 2, 0, 0, 0], AIDR: Enc = [3, 1, 0, 0, 7];
  it('CLIDR_EL1, CCSIDR_EL1 by CSSELR_EL1, AIDR_EL1', () => {
    const cpu = makeCpu();
    assert.equal(read(cpu, CLIDR), BigInt(CLIDR_VALUE));
    assert.equal(read(cpu, AIDR), 0n);
    for (const sel of [0, 1, 2, 3, 4, 5]) {
      assert.equal(roundTrip(cpu, CSSELR, BigInt(sel) | 0xffff_fff0n), BigInt(sel), 'CSSELR_EL1 holds Level and InD');
      assert.equal(read(cpu, CCSIDR), BigInt(CCSIDR_VALUES[sel] ?? 0));
    }
    assert.equal(runWords(cpu, [msr(CLIDR, 1)])?.kind, 'undefined');
  });
  it('ACTLR_EL1 and AFSR0/1_EL1 are RAZ/WI; ACTLR_EL2/EL3 keep the A53 access-enable bits', () => {
    const cpu = new Cpu(new PhysicalMemory(RAM, 1 << 20), { hypervisorCall: () => false }, 0, { hasEl2: true, hasEl3: true, startEl: 3 });
    cpu.trapHook = stopOnUndefined;
    for (const e of [[3, 0, 1, 0, 1], [3, 0, 5, 1, 0], [3, 0, 5, 1, 1], [3, 4, 5, 1, 0], [3, 6, 5, 1, 1]] as Enc[]) {
      assert.equal(roundTrip(cpu, e, -1n), 0n, sysregKey(...e).toString(16));
    }
    assert.equal(roundTrip(cpu, [3, 4, 1, 0, 1], -1n), 0x73n);
    assert.equal(roundTrip(cpu, [3, 6, 1, 0, 1], -1n), 0x73n);
  });
});

describe('system registers: debug and cache ID vs QEMU cortex-a53 (pmu=off)', function () {
  this.timeout(120_000);
  it('reads and round trips agree', () => {
    const bvrV = [0xffff_8000_0812_3450n, 0x0000_0000_4000_0000n, 0x0000_ffff_ffff_fffcn, 0xffff_0000_0000_1000n, 0x1234_5678n, 0xabcd_0000n];
    // E = 0 and BAS in {0000, 1111} (QEMU copies BAS bits into their neighbours for AArch32's sake).
    const bcrV = [0x1e6n, 0x00f0_21e4n, 0x0000_c1e2n, 0x0n, 0x0031_0006n, 0x0023_e000n];
    const wcrV = [0x1f00_1ff8n, 0x0010_0ff0n, 0x0000_c01en, 0x0n];
    const cases: { body: string[] }[] = [
      { body: ['mrs x1, id_aa64dfr0_el1', 'mrs x2, oslsr_el1', 'msr oslar_el1, xzr', 'mrs x3, oslsr_el1', 'mov x4, #1', 'msr oslar_el1, x4', 'mrs x5, oslsr_el1', 'msr oslar_el1, xzr', 'mrs x6, oslsr_el1'] },
      { body: ['mov x1, #0x1000', 'msr mdscr_el1, x1', 'mrs x2, mdscr_el1', 'mov x3, #0xb000', 'msr mdscr_el1, x3', 'mrs x4, mdscr_el1', 'msr mdscr_el1, xzr', 'mrs x5, mdscr_el1'] },
      { body: ['msr osdlr_el1, xzr', 'mrs x1, osdlr_el1', 'mrs x2, mdrar_el1', 'mrs x3, clidr_el1', 'mrs x4, aidr_el1', 'mrs x5, actlr_el1', 'mrs x6, afsr0_el1', 'mrs x7, afsr1_el1'] },
      { body: ['msr csselr_el1, xzr', 'mrs x1, ccsidr_el1', 'mrs x2, csselr_el1', 'mov x3, #1', 'msr csselr_el1, x3', 'mrs x4, ccsidr_el1', 'mov x5, #2', 'msr csselr_el1, x5', 'mrs x6, ccsidr_el1', 'mrs x7, csselr_el1'] },
    ];
    const bp: string[] = [];
    bvrV.forEach((v, n) => bp.push(`ldr x1, =0x${v.toString(16)}`, `msr dbgbvr${n}_el1, x1`, `ldr x1, =0x${bcrV[n].toString(16)}`, `msr dbgbcr${n}_el1, x1`));
    bvrV.forEach((_, n) => bp.push(`mrs x${2 + 2 * n}, dbgbvr${n}_el1`, `mrs x${3 + 2 * n}, dbgbcr${n}_el1`));
    cases.push({ body: bp });
    const wp: string[] = [];
    wcrV.forEach((v, n) => wp.push(`ldr x1, =0x${bvrV[n].toString(16)}`, `msr dbgwvr${n}_el1, x1`, `ldr x1, =0x${v.toString(16)}`, `msr dbgwcr${n}_el1, x1`));
    wcrV.forEach((_, n) => wp.push(`mrs x${2 + 2 * n}, dbgwvr${n}_el1`, `mrs x${3 + 2 * n}, dbgwcr${n}_el1`));
    cases.push({ body: wp });
    // The bodies use `ldr =`: the literal pool goes at the end of the program.
    const elf = buildAsm(snippetSource(cases) + '\n.ltorg\n', 'sysregs-debug');
    const q = runQemu(elf, { cpu: 'cortex-a53,pmu=off' });
    const h = runHvlab(elf, { cpu: 'cortex-a53' });
    assert.equal(q.error, undefined, q.error);
    assert.equal(h.error, undefined, h.error);
    const ql = q.output.split('\n'), hl = h.output.split('\n');
    const bad = cases.map((c, i) => ({ i, d: diffDumps(ql[i] ?? '', hl[i] ?? '') })).filter((r) => r.d.length);
    console.log(`      ${cases.length - bad.length}/${cases.length} cases identical to QEMU`);
    assert.deepEqual(bad.map((r) => `case ${r.i}: ${r.d.join('; ')}`), []);
    // The values are what the Arm ARM / the A53 say, not just whatever both return.
    const x = (line: string, k: number): bigint => BigInt('0x' + line.split(' ')[k]);
    assert.equal(x(hl[0], 1), 0x10305006n);
    assert.deepEqual([x(hl[0], 2), x(hl[0], 3), x(hl[0], 5), x(hl[0], 6)], [0xan, 0x8n, 0xan, 0x8n]);
    assert.equal(x(hl[2], 3), 0x0a200023n);
  });
});
