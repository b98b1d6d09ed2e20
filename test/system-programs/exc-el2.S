// Exception model from EL2, QEMU `-M virt,virtualization=on` (EL2, no EL3; PSCI through SMC):
// CurrentEL at reset, ERET from EL2 to EL1, HVC from EL1 to EL2 (ESR_EL2), SMC trapped by
// HCR_EL2.TSC (return address = the SMC itself), SVC staying at EL1, and the EL2 vectors for a
// lower EL. Each EL2 exception prints "<vector> ESR_EL2 ELR_EL2-_start SPSR_EL2".
.text
#include "print.inc"
.globl _start
_start:
  adr x0, vectors_el2
  msr vbar_el2, x0
  adr x0, vectors_el1
  msr vbar_el1, x0
  adr x0, stack_el2_top
  mov sp, x0
  PUTS s_hello
  mrs x0, CurrentEL
  bl puthex
  PUTC 10
  // HCR_EL2: RW (EL1 is AArch64) | TSC (trap SMC from EL1)
  movz x0, #0x8008, lsl #16
  msr hcr_el2, x0
  ERET_TO_EL1 el1_code, stack_el1_top

el1_code:
  PUTS s_el1
  mrs x0, CurrentEL
  bl puthex
  PUTC 10
  mov x0, #7            // not a PSCI function: an architectural HVC to EL2
  hvc #0x42
  mov x0, #8
  smc #0x5              // HCR_EL2.TSC: traps to EL2 with ELR = this SMC
  svc #0x9              // stays at EL1
  mov x0, #9
  hvc #0x99             // the EL2 handler finishes the test for this one
0: b 0b

// ---- EL2 handler ----
el2_handler:
  mov x14, x30
  mov x0, x18
  bl puthex
  PUTC 32
  mrs x0, esr_el2
  bl puthex
  PUTC 32
  mrs x0, elr_el2
  adr x1, _start
  sub x0, x0, x1
  bl puthex
  PUTC 32
  mrs x0, spsr_el2
  bl puthex
  PUTC 10
  mov x30, x14
  mrs x0, esr_el2
  and x1, x0, #0xffff
  cmp x1, #0x99
  b.eq finish
  lsr x0, x0, #26
  cmp x0, #0x17          // trapped SMC: skip it (preferred return is the SMC)
  b.ne 1f
  mrs x0, elr_el2
  add x0, x0, #4
  msr elr_el2, x0
1: eret

finish:
  PUTS s_done
  POWEROFF smc

// ---- EL1 handler: SVC at EL1 ----
el1_handler:
  mov x14, x30
  PUTS s_el1exc
  mov x0, x18
  bl puthex
  PUTC 32
  mrs x0, esr_el1
  bl puthex
  PUTC 32
  mrs x0, spsr_el1
  bl puthex
  PUTC 10
  mov x30, x14
  eret

.balign 2048
vectors_el2:
  .irp off, 0x000,0x080,0x100,0x180,0x200,0x280,0x300,0x380,0x400,0x480,0x500,0x580,0x600,0x680,0x700,0x780
  VECTOR_TO \off, el2_handler
  .endr
.balign 2048
vectors_el1:
  .irp off, 0x000,0x080,0x100,0x180,0x200,0x280,0x300,0x380,0x400,0x480,0x500,0x580,0x600,0x680,0x700,0x780
  VECTOR_TO \off, el1_handler
  .endr


.data
s_hello: .asciz "EL2 start, CurrentEL="
s_el1: .asciz "at EL1, CurrentEL="
s_el1exc: .asciz "EL1 exception "
s_done: .asciz "done\n"
.balign 16
stack_el1: .skip 256
stack_el1_top:
stack_el2: .skip 256
stack_el2_top:
