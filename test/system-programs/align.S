// SCTLR_EL1.A alignment checking (Arm ARM D8 "Alignment fault", AArch64.CheckAlignment), QEMU
// `-M virt` at EL1 with the MMU off. With A = 1 every data access not aligned to its size (for
// pairs and SIMD structures: to its element size) takes a Data Abort with DFSC 0b100001 and
// FAR = the address; naturally aligned accesses do not, whatever their offset from a larger
// boundary. With A = 0 the same accesses complete. An EL0 access with A = 1 faults to EL1 (lower
// EL vector). Every exception prints "<vector> ESR [FAR-buf] ELR-_start"; the handler skips the
// faulting instruction. Each pass ends with the number of faults it took.
.text
#include "print.inc"
.globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  mov x0, #(3 << 20)              // CPACR_EL1.FPEN: FP/SIMD at EL0 and EL1 untrapped
  msr cpacr_el1, x0
  isb
  PUTS s_hello
  adr x20, buf                    // 4 KiB aligned; buf + 4096 starts the next page
  add x21, x20, #4096
  add x22, x20, #2
  add x23, x20, #4
  add x24, x20, #1
  add x26, x20, #8
  mov x25, #0                     // faults taken (the handler counts)

  // --- pass 1: SCTLR_EL1.A = 1 ---
  mrs x0, sctlr_el1
  orr x0, x0, #(1 << 1)
  msr sctlr_el1, x0
  isb
  PUTS s_a1
  bl accesses
  bl print_count

  // --- EL0 with A = 1: the abort is taken to EL1 from a lower EL ---
  adr x0, el0_code
  msr elr_el1, x0
  msr spsr_el1, xzr               // EL0t
  isb
  eret
el0_back:
  bl print_count

  // --- pass 2: SCTLR_EL1.A = 0 (no faults) ---
  mrs x0, sctlr_el1
  bic x0, x0, #(1 << 1)
  msr sctlr_el1, x0
  isb
  PUTS s_a0
  bl accesses
  mov x27, x1                     // the unaligned store and load of 0x5a5a went through
  PUTS s_x1
  PUTHEX x27
  PUTC 10
  bl print_count
  PUTS s_done
  POWEROFF hvc

// The accesses of both passes: with A = 1 those marked F fault, the others complete.
accesses:
  ldrh w1, [x20, #1]              // F: 2-byte load at odd address
  ldur w1, [x20, #2]              // F
  ldur x1, [x20, #4]              // F
  ldursh x1, [x20, #3]            // F
  ldursw x1, [x20, #5]            // F
  sturh w1, [x20, #3]             // F (WnR)
  stur w1, [x20, #1]              // F
  stur x1, [x20, #12]             // F
  ldp w1, w2, [x22]               // F: element size 4
  ldp x1, x2, [x23]               // F: element size 8
  stp x1, x2, [x23, #16]          // F
  ldur x1, [x21, #-4]             // F: a page-crossing access faults on its first address
  mov x0, #9
  ldr x1, [x20, x0]               // F: register offset
  ldrb w1, [x20, #1]              // bytes are always aligned
  strb w1, [x20, #3]
  ldrh w1, [x20, #2]              // naturally aligned, though not to 8
  ldr w1, [x20, #4]
  ldr x1, [x20, #8]
  str w1, [x20, #12]
  ldp w1, w2, [x23]               // pairs need element alignment only
  stp x1, x2, [x26]
  ldpsw x1, x2, [x23, #8]
  // FP/SIMD: scalar registers by their size, Q by 16, structures and pairs by the element
  ldur s0, [x20, #2]              // F
  ldur d0, [x20, #4]              // F
  ldur q0, [x20, #8]              // F: 16-byte alignment
  ldr q0, [x20, #16]
  stur d0, [x20, #6]              // F
  ld1 {v0.4s}, [x22]              // F: element 4 at +2
  ld1 {v0.4s}, [x23]              // element 4 at +4
  ld1 {v0.16b, v1.16b}, [x24]     // bytes
  st1 {v0.2d}, [x23]              // F: element 8 at +4
  ld1 {v0.s}[1], [x22]            // F
  ld1r {v0.2d}, [x23]             // F
  ld2 {v0.8h, v1.8h}, [x22]       // element 2 at +2
  ldp q0, q1, [x26]               // F: element 16 at +8
  stp d0, d1, [x23]               // F: element 8 at +4
  stp s0, s1, [x23]               // element 4 at +4
  mov x0, #0x5a5a
  stur x0, [x20, #7]              // F; with A = 0 it writes across an 8-byte boundary...
  ldur x1, [x20, #7]              // F; ...and reads it back
  ret

print_count:
  mov x14, x30
  PUTS s_faults
  mov x0, x25
  bl puthex
  PUTC 10
  mov x25, #0
  ret x14

el0_code:
  ldur x1, [x20, #1]              // F: from EL0
  stur w1, [x20, #6]              // F
  ldr x1, [x20, #16]              // aligned
  svc #0                          // back to EL1

// ---- exception handler: "<vector> ESR [FAR-buf] ELR-_start", then resumes ----
handler:
  mov x14, x30
  mov x0, x18
  bl puthex
  PUTC 32
  mrs x0, esr_el1
  bl puthex
  PUTC 32
  mrs x0, esr_el1
  lsr x0, x0, #26
  cmp x0, #0x24                   // data abort (lower / same EL): FAR is valid
  b.eq 1f
  cmp x0, #0x25
  b.ne 2f
1: mrs x0, far_el1
  sub x0, x0, x20
  bl puthex
  PUTC 32
2: mrs x0, elr_el1
  adr x1, _start
  sub x0, x0, x1
  bl puthex
  PUTC 10
  mov x30, x14
  mrs x0, esr_el1
  lsr x0, x0, #26
  cmp x0, #0x15                   // SVC from EL0: return to EL1 at el0_back
  b.ne 3f
  adr x0, el0_back
  msr elr_el1, x0
  mov x0, #0x5                    // EL1h
  msr spsr_el1, x0
  eret
3: add x25, x25, #1
  mrs x0, elr_el1
  add x0, x0, #4
  msr elr_el1, x0
  eret

// Only the synchronous vectors of the current EL (SP_EL1) and of a lower EL are expected.
sync_same:
  mov x18, #0x200
  b handler
sync_lower:
  mov x18, #0x400
  b handler
UNEXPECTED_EXCEPTION
VECTORS sync_same, unexpected_exception, sync_lower

.data
s_hello: .asciz "alignment checks at EL1\n"
s_a1: .asciz "SCTLR_EL1.A=1\n"
s_a0: .asciz "SCTLR_EL1.A=0\n"
s_faults: .asciz "faults="
s_x1: .asciz "x1="
s_done: .asciz "done\n"
.balign 4096
buf: .skip 8192
