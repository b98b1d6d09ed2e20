// A risu-style test case: set every register to a known value, run a sequence of instructions,
// then dump X0-X30, SP, NZCV, V0-V31, FPSR and a 256-byte scratch buffer to UART0 as hex.
// The same ELF runs on QEMU and on hvlab; the two dumps must be byte-identical.
//
// Conventions for the body: X28 holds the scratch buffer's address on entry (tests that load or
// store use it as a base); the body must not branch outside itself. The dump code does not trust
// any register: it parks X0 in TPIDR_EL1 and finds its save area with ADR.

export interface SnippetState {
  /** X0..X30 initial values (missing ones: a fixed pattern derived from the index). */
  x?: bigint[];
  sp?: bigint;
  nzcv?: number;
  /** V0..V31 initial values as 128-bit numbers. */
  v?: bigint[];
  /** Initial scratch buffer contents (256 bytes; missing bytes are a pattern). */
  scratch?: Uint8Array;
}

export const SCRATCH_BYTES = 256;

const mask64 = (1n << 64n) - 1n;

function defaultX(i: number): bigint {
  // Distinct, with high halves and sign bits exercised.
  return (0x0123456789abcdefn * BigInt(i + 1) ^ (BigInt(i) << 59n)) & mask64;
}

function movImm(reg: string, v: bigint): string[] {
  const out = [`movz ${reg}, #0x${(v & 0xffffn).toString(16)}`];
  for (let s = 1; s < 4; s++) out.push(`movk ${reg}, #0x${((v >> BigInt(16 * s)) & 0xffffn).toString(16)}, lsl #${16 * s}`);
  return out;
}

/** Assembly source for one case, or for many cases in one program (each dumps in turn). */
export function snippetSource(cases: { body: string[]; state?: SnippetState }[]): string {
  const L: string[] = [];
  L.push('.text', '.globl _start', '_start:');
  // FP/SIMD on: CPACR_EL1.FPEN = 0b11 (Arm ARM D19.2.30); otherwise SIMD traps at EL1.
  L.push('  movz x0, #0x30, lsl #16', '  msr cpacr_el1, x0', '  isb');
  cases.forEach((c, k) => {
    const st = c.state ?? {};
    L.push(`case_${k}:`);
    // scratch buffer contents
    const scratch = new Uint8Array(SCRATCH_BYTES);
    for (let i = 0; i < SCRATCH_BYTES; i++) scratch[i] = st.scratch?.[i] ?? ((i * 37 + k * 11 + 0x5a) & 0xff);
    L.push(`  adr x0, scratch_init_${k}`, '  adr x1, scratch', `  mov x2, #${SCRATCH_BYTES / 16}`,
      `1: ldp x3, x4, [x0], #16`, '  stp x3, x4, [x1], #16', '  subs x2, x2, #1', '  b.ne 1b');
    // V registers from a table
    L.push(`  adr x0, vinit_${k}`);
    for (let i = 0; i < 32; i += 2) L.push(`  ldp q${i}, q${i + 1}, [x0], #32`);
    // flags, SP, then general registers (X28 = scratch unless overridden)
    L.push(...movImm('x0', BigInt((st.nzcv ?? 0) & 15) << 28n).map((s) => '  ' + s), '  msr nzcv, x0');
    L.push(...movImm('x0', st.sp ?? 0x40100000n).map((s) => '  ' + s), '  mov sp, x0');
    for (let i = 0; i <= 30; i++) {
      if (i === 28 && st.x?.[28] === undefined) { L.push('  adr x28, scratch'); continue; }
      L.push(...movImm(`x${i}`, st.x?.[i] ?? defaultX(i)).map((s) => '  ' + s));
    }
    L.push(`body_${k}:`, ...c.body.map((s) => '  ' + s), `body_end_${k}:`);
    L.push('  msr tpidr_el1, x0', '  msr tpidrro_el0, x30', `  adr x30, after_${k}`, '  b dump', `after_${k}:`);
    L.push('  .pushsection .data', '  .balign 16', `scratch_init_${k}:`);
    for (let i = 0; i < SCRATCH_BYTES; i += 16) L.push('  .byte ' + Array.from(scratch.subarray(i, i + 16)).join(','));
    L.push(`vinit_${k}:`);
    for (let i = 0; i < 32; i++) {
      const v = st.v?.[i] ?? ((defaultX(i + 3) << 64n) | defaultX(i + 40));
      L.push(`  .quad 0x${(v & mask64).toString(16)}, 0x${((v >> 64n) & mask64).toString(16)}`);
    }
    L.push('  .popsection');
  });
  // PSCI SYSTEM_OFF through HVC (QEMU virt without virtualization uses the HVC conduit).
  L.push('  movz w0, #0x0008', '  movk w0, #0x8400, lsl #16', '  hvc #0', '0: b 0b');
  L.push(DUMP_ROUTINE);
  L.push('.data', '.balign 16', 'scratch: .skip 256', 'save: .skip 8*34', 'vsave: .skip 16*32');
  return L.join('\n') + '\n';
}

// The dump. The body may leave any value in any register (SP included), so the case parks X0 in
// TPIDR_EL1 and X30 in TPIDRRO_EL0, then enters with X30 = where to continue.
const DUMP_ROUTINE = `
dump:
  adr x0, save
  stp x1, x2, [x0, #8]
  stp x3, x4, [x0, #24]
  stp x5, x6, [x0, #40]
  stp x7, x8, [x0, #56]
  stp x9, x10, [x0, #72]
  stp x11, x12, [x0, #88]
  stp x13, x14, [x0, #104]
  stp x15, x16, [x0, #120]
  stp x17, x18, [x0, #136]
  stp x19, x20, [x0, #152]
  stp x21, x22, [x0, #168]
  stp x23, x24, [x0, #184]
  stp x25, x26, [x0, #200]
  stp x27, x28, [x0, #216]
  str x29, [x0, #232]
  mrs x1, tpidrro_el0
  str x1, [x0, #240]
  mrs x1, tpidr_el1
  str x1, [x0]
  mov x1, sp
  str x1, [x0, #248]
  mrs x1, nzcv
  str x1, [x0, #256]
  mrs x1, fpsr
  str x1, [x0, #264]
  adr x0, vsave
  stp q0, q1, [x0], #32
  stp q2, q3, [x0], #32
  stp q4, q5, [x0], #32
  stp q6, q7, [x0], #32
  stp q8, q9, [x0], #32
  stp q10, q11, [x0], #32
  stp q12, q13, [x0], #32
  stp q14, q15, [x0], #32
  stp q16, q17, [x0], #32
  stp q18, q19, [x0], #32
  stp q20, q21, [x0], #32
  stp q22, q23, [x0], #32
  stp q24, q25, [x0], #32
  stp q26, q27, [x0], #32
  stp q28, q29, [x0], #32
  stp q30, q31, [x0], #32
  mov x19, x30
  adr x20, save
  mov x21, #34
2:ldr x0, [x20], #8
  bl puthex
  subs x21, x21, #1
  b.ne 2b
  adr x20, vsave
  mov x21, #64
3:ldr x0, [x20], #8
  bl puthex
  subs x21, x21, #1
  b.ne 3b
  adr x20, scratch
  mov x21, #32
4:ldr x0, [x20], #8
  bl puthex
  subs x21, x21, #1
  b.ne 4b
  movz x1, #0x0900, lsl #16
  mov w2, #10
  strb w2, [x1]
  ret x19

// puthex: X0 as 16 hex digits and a space, to UART0 data register.
puthex:
  movz x1, #0x0900, lsl #16
  mov x3, #60
5:lsr x2, x0, x3
  and x2, x2, #0xf
  cmp x2, #10
  b.lo 6f
  add x2, x2, #('a' - 10 - '0')
6:add x2, x2, #'0'
  strb w2, [x1]
  subs x3, x3, #4
  b.pl 5b
  mov w2, #' '
  strb w2, [x1]
  ret
`;

/** Field names of the dump, in order, for readable mismatch reports. */
export function dumpFieldNames(): string[] {
  const names: string[] = [];
  for (let i = 0; i <= 30; i++) names.push(`x${i}`);
  names.push('sp', 'nzcv', 'fpsr');
  for (let i = 0; i < 32; i++) names.push(`v${i}.lo`, `v${i}.hi`);
  for (let i = 0; i < 32; i++) names.push(`scratch[${i * 8}]`);
  return names;
}

/** Describes how two dumps of one case differ, field by field. */
export function diffDumps(a: string, b: string): string[] {
  const fa = a.trim().split(/\s+/), fb = b.trim().split(/\s+/), names = dumpFieldNames();
  const out: string[] = [];
  for (let i = 0; i < Math.max(fa.length, fb.length); i++) {
    if (fa[i] !== fb[i]) out.push(`${names[i] ?? '#' + i}: qemu ${fa[i] ?? '(missing)'} hvlab ${fb[i] ?? '(missing)'}`);
  }
  return out;
}
