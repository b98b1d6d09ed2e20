// Instruction trace in QEMU's `-d cpu` format, so a run of hvlab can be compared line by line with
// `qemu-system-aarch64 -singlestep -d nochain,cpu -D FILE` (test/tools/trace-diff-cli.ts).
//
// One record per instruction, written BEFORE the instruction executes (QEMU logs the CPU state
// before each translation block, and with -singlestep a block is one instruction). The layout is
// QEMU 7.2's aarch64_cpu_dump_state (target/arm/cpu.c):
//
//    PC=0000000040200000 X00=0000000000000000 X01=0000000000000000
//   X02=… X03=… X04=…                     (three per line)
//   X29=0000000000000000 X30=0000000000000000  SP=0000000000000000
//   PSTATE=400003c5 -Z-- EL1h  SVCR=00000000 --  BTYPE=0
//
// The `SVCR`/`BTYPE` suffix appears for `-cpu max` (QEMU's max CPU has SME and BTI); the Cortex
// models print the PSTATE line without it. With `fpu` (QEMU's `-d cpu,fpu`) the PSTATE line ends
// with `     FPCR=… FPSR=…` followed by Q00..Q31 two per line (`Qnn=high:low`), or with
// `    FPU disabled` when CPACR_EL1.FPEN traps FP at the current EL.
//
// The hook runs before every instruction, so it formats into one large byte buffer with table
// lookups and flushes with a single write when the buffer is nearly full.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Cpu } from '../cpu/cpu';

export interface TraceOptions {
  /** CPU model the board emulates: decides the PSTATE line's suffix (default 'max'). */
  cpu?: string;
  /** Also print FPCR/FPSR and Q0..Q31, as QEMU's `-d cpu,fpu`. */
  fpu?: boolean;
}

export interface Trace {
  /** Install as `cpu.beforeInsn`. */
  hook: (cpu: Cpu) => void;
  /** Flushes and closes the file. Safe to call twice. */
  close(): void;
  /** Records written so far. */
  readonly records: number;
}

const BUF_BYTES = 1 << 20;
/** A record is at most ~2.3 KB (with fpu); flush before a record could overflow the buffer. */
const MAX_RECORD = 4096;

const HEX = new Uint8Array(16);
for (let i = 0; i < 16; i++) HEX[i] = i < 10 ? 48 + i : 87 + i;

/** Byte strings used by the formatter, pre-encoded. */
const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const X_LABEL: Uint8Array[] = [];
for (let i = 0; i < 31; i++) X_LABEL.push(enc(`X${String(i).padStart(2, '0')}=`));
const Q_LABEL: Uint8Array[] = [];
for (let i = 0; i < 32; i++) Q_LABEL.push(enc(`Q${String(i).padStart(2, '0')}=`));
const PC_LABEL = enc(' PC=');
const SP_LABEL = enc(' SP=');
const PSTATE_LABEL = enc('PSTATE=');
const MAX_SUFFIX = enc('  SVCR=00000000 --  BTYPE=0');
const FPU_DISABLED = enc('    FPU disabled\n');
const FPCR_LABEL = enc('     FPCR=');
const FPSR_LABEL = enc(' FPSR=');

export function openTrace(path: string, opts: TraceOptions = {}): Trace {
  const fd = openSync(path, 'w');
  const buf = Buffer.allocUnsafe(BUF_BYTES);
  const maxSuffix = (opts.cpu ?? 'max') === 'max';
  const fpu = opts.fpu === true;
  let pos = 0;
  let records = 0;
  let closed = false;

  const flush = (): void => {
    let off = 0;
    while (off < pos) off += writeSync(fd, buf, off, pos - off);
    pos = 0;
  };
  const bytes = (b: Uint8Array): void => {
    for (let i = 0; i < b.length; i++) buf[pos++] = b[i];
  };
  const hex32 = (v: number): void => {
    for (let s = 28; s >= 0; s -= 4) buf[pos++] = HEX[(v >>> s) & 15];
  };
  const hexByte = (v: number): void => {
    buf[pos++] = HEX[(v >>> 4) & 15];
    buf[pos++] = HEX[v & 15];
  };

  const hook = (cpu: Cpu): void => {
    if (closed) return;
    if (pos > BUF_BYTES - MAX_RECORD) flush();
    records++;
    const xlo = cpu.xlo, xhi = cpu.xhi;
    bytes(PC_LABEL); hex32(cpu.pcHi); hex32(cpu.pcLo); buf[pos++] = 32;
    for (let i = 0; i < 31; i++) {
      bytes(X_LABEL[i]); hex32(xhi[i]); hex32(xlo[i]);
      buf[pos++] = (i + 2) % 3 ? 32 : 10;
    }
    bytes(SP_LABEL); hex32(xhi[31]); hex32(xlo[31]); buf[pos++] = 10;

    // PSTATE as QEMU's pstate_read(): NZCV 31:28, PAN 22, IL 20, DAIF 9:6, EL 3:2, SP 0 (nRW = 0, AArch64).
    const el = cpu.el;
    const psr = (cpu.n << 31) | (cpu.z << 30) | (cpu.c << 29) | (cpu.v << 28) | (cpu.pan << 22) | (cpu.il << 20) |
      (cpu.daif & 0x3c0) | (el << 2) | (cpu.spsel & 1);
    bytes(PSTATE_LABEL); hex32(psr); buf[pos++] = 32;
    buf[pos++] = cpu.n ? 78 : 45; buf[pos++] = cpu.z ? 90 : 45; buf[pos++] = cpu.c ? 67 : 45; buf[pos++] = cpu.v ? 86 : 45;
    buf[pos++] = 32; buf[pos++] = 69; buf[pos++] = 76; buf[pos++] = 48 + el; buf[pos++] = cpu.spsel ? 104 : 116;
    if (maxSuffix) bytes(MAX_SUFFIX);
    if (!fpu) { buf[pos++] = 10; return; }

    // FP enabled at EL1 when CPACR_EL1.FPEN is 0b01 or 0b11 (Arm ARM D19.2.30); EL0 needs 0b11.
    const fpen = (cpu.cpacrEl1 >>> 20) & 3;
    if (el === 0 ? fpen !== 3 : (fpen & 1) === 0) { bytes(FPU_DISABLED); return; }
    bytes(FPCR_LABEL); hex32(cpu.fpcr); bytes(FPSR_LABEL); hex32(cpu.fpsr); buf[pos++] = 10;
    const vb = cpu.vbytes;
    for (let q = 0; q < 32; q++) {
      bytes(Q_LABEL[q]);
      const base = q * 16;
      for (let k = 15; k >= 8; k--) hexByte(vb[base + k]);
      buf[pos++] = 58; // ':'
      for (let k = 7; k >= 0; k--) hexByte(vb[base + k]);
      buf[pos++] = q & 1 ? 10 : 32;
    }
  };

  return {
    hook,
    close(): void {
      if (closed) return;
      flush();
      closeSync(fd);
      closed = true;
    },
    get records(): number { return records; },
  };
}
