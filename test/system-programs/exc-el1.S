// Exception model at EL1 (and EL0), QEMU `-M virt` (no EL2/EL3): synchronous exceptions from
// SVC, BRK, UDF, HVC without EL2, trapped/undefined system-register accesses at EL0, ERET to EL0
// and back, an illegal exception return, and SP banking with SPSel. Every exception prints the
// vector it arrived at, ESR_EL1, ELR_EL1 (as an offset from _start) and SPSR_EL1.
.text
#include "print.inc"
.globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  adr x0, stack_el1_top
  mov sp, x0
  isb
  PUTS s_hello
  mrs x0, CurrentEL
  bl puthex
  PUTC 10

  // --- synchronous exceptions at the current EL (vector 0x200) ---
  movz x19, #1          // handler: skip the trapping instruction for BRK/UDF (preferred return = itself)
  svc #0x1234
  brk #0x10
  udf #0x2a
  mov x0, #0            // not a PSCI function ID: the HVC is architectural, and without EL2 it is UNDEFINED
  hvc #0x1
  smc #0                // no EL3: UNDEFINED

  // --- SPSel: SP_EL0 vs SP_EL1 banking ---
  adr x0, stack_el0_top
  msr sp_el0, x0
  mov x20, sp
  msr spsel, #0
  mov x21, sp           // now SP_EL0
  msr spsel, #1
  mov x22, sp           // back to SP_EL1
  adr x0, _start
  sub x1, x20, x0
  bl puthex_nl_x1
  sub x1, x21, x0
  bl puthex_nl_x1
  sub x1, x22, x0
  bl puthex_nl_x1

  // exception taken with SPSel = 0 uses the "current EL with SP_EL0" vector (0x000)
  msr spsel, #0
  svc #0x77
  msr spsel, #1

  // --- ERET to EL0 and back through SVC (vector 0x400 = lower EL, AArch64) ---
  adr x0, el0_code
  msr elr_el1, x0
  mov x0, #0x0          // SPSR: EL0t, DAIF clear, flags clear
  msr spsr_el1, x0
  isb
  eret

el0_back:
  PUTS s_back
  mrs x0, CurrentEL
  bl puthex
  PUTC 10

  // --- illegal exception return: SPSR says EL2h, which does not exist -> PSTATE.IL, then EC 0x0E ---
  adr x0, after_illegal
  msr elr_el1, x0
  mov x0, #0x9          // EL2h
  msr spsr_el1, x0
  movz x19, #0          // the handler resumes at ELR (the illegal-state exception's return = the instruction)
  eret
after_illegal:
  PUTS s_done
  POWEROFF hvc

el0_code:
  mov x5, #42
  svc #0x1                          // EL0 -> EL1 (lower EL vector)
  mrs x6, ctr_el0                   // SCTLR_EL1.UCT = 0 at reset? QEMU resets it so: trap EC 0x18 if clear
  // (MSR DAIFSet at EL0 with UMA clear also traps with EC 0x18, but QEMU 7.2 swaps op1/op2 in
  // that syndrome; hvlab follows the Arm ARM, and a unit test pins the value instead.)
  mrs x7, sctlr_el1                 // EL1 register at EL0: UNDEFINED
  mrs x8, tpidrro_el0               // readable at EL0
  msr tpidr_el0, x5                 // writable at EL0
  mrs x9, tpidr_el0
  mov x0, x9
  svc #0x2                          // handler sends us back to EL1 at el0_back

puthex_nl_x1:
  mov x15, x30
  mov x0, x1
  bl puthex
  PUTC 10
  ret x15

// ---- exception handler: prints "<vector> ESR ELR-_start SPSR", then resumes ----
handler:
  // x18 = vector offset (set by the vector stub)
  mov x14, x30
  mov x0, x18
  bl puthex
  PUTC 32
  mrs x0, esr_el1
  bl puthex
  PUTC 32
  mrs x0, elr_el1
  adr x1, _start
  sub x0, x0, x1
  bl puthex
  PUTC 32
  mrs x0, spsr_el1
  bl puthex
  PUTC 10
  mov x30, x14
  mrs x0, esr_el1
  lsr x0, x0, #26
  cmp x0, #0x15                // SVC: #2 from EL0 means "go back to EL1"
  b.ne 1f
  mrs x0, esr_el1
  and x0, x0, #0xffff
  cmp x0, #2
  b.ne 3f
  adr x0, el0_back
  msr elr_el1, x0
  mov x0, #0x5                 // EL1h
  msr spsr_el1, x0
  b 3f
1: cmp x0, #0x0e               // illegal state: resume at ELR with PSTATE.IL cleared
  b.ne 4f
  mrs x0, spsr_el1
  bic x0, x0, #(1 << 20)
  msr spsr_el1, x0
  b 3f
4:
  cbz x19, 3f                  // otherwise skip the instruction that trapped
2: mrs x0, elr_el1
  add x0, x0, #4
  msr elr_el1, x0
3: eret

.macro VECTOR off
  .balign 0x80
  mov x18, #\off
  b handler
.endm
.balign 2048
vectors:
  VECTOR 0x000
  VECTOR 0x080
  VECTOR 0x100
  VECTOR 0x180
  VECTOR 0x200
  VECTOR 0x280
  VECTOR 0x300
  VECTOR 0x380
  VECTOR 0x400
  VECTOR 0x480
  VECTOR 0x500
  VECTOR 0x580
  VECTOR 0x600
  VECTOR 0x680
  VECTOR 0x700
  VECTOR 0x780


.data
s_hello: .asciz "exceptions at EL1, CurrentEL="
s_back: .asciz "back at EL1, CurrentEL="
s_done: .asciz "done\n"
.balign 16
stack_el0: .skip 256
stack_el0_top:
stack_el1: .skip 256
stack_el1_top:
