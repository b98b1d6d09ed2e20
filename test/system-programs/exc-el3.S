// Exception model from EL3, QEMU `-M virt,secure=on,virtualization=on` with a bare ELF: the CPU
// starts at EL3 (Secure) with SCR_EL3 at reset, and QEMU answers no PSCI call (it boots code at
// the EL its conduit targets), so every SMC is architectural. Shows, in order:
//   EL3: CurrentEL, SCR_EL3 at reset; SVC/SMC (preferred return = next instruction), HVC with
//        SCR_EL3.HCE = 0 and UDF (UNDEFINED, EC 0), BRK (EC 0x3c), an unaligned LDXR (Data Abort,
//        alignment fault, FAR); SCR_EL3 written and read back, with a counter around the MSR
//        (an MSR that ends a block must not execute twice).
//   ERET to Non-secure EL2 (SCR_EL3 NS | RW | HCE | TWI): CurrentEL; WFI trapped to EL3 by
//        SCR_EL3.TWI; HVC at EL2 (EL2's own vector); SMC from EL2 to EL3.
//   ERET to EL1 (HCR_EL2.RW): CurrentEL; HVC to EL2; SMC to EL3; WFI trapped to EL3.
//   ERET to EL0: SVC to EL1, whose handler ends the test with SMC #0xff; EL3 powers off through
//        the Secure GPIO (PL061 at 0x090b0000, line 0 = gpio-poweroff).
// Each handler prints "<EL><vector offset> ESR ELR-_start SPSR" (and FAR-_start for aborts).
.text
#include "print.inc"
.globl _start
_start:
  adr x0, vectors_el3
  msr vbar_el3, x0
  adr x0, vectors_el2
  msr vbar_el2, x0
  adr x0, vectors_el1
  msr vbar_el1, x0
  adr x0, stack_el3_top
  mov sp, x0
  PUTS s_el3
  mrs x0, CurrentEL
  bl puthex
  PUTC 32
  mrs x0, scr_el3
  bl puthex
  PUTC 10
  // --- synchronous exceptions taken at EL3 from EL3 ---
  svc #0x31
  smc #0x32
  hvc #0x33              // SCR_EL3.HCE = 0: UNDEFINED
  udf #0x34
  brk #0x35
  adr x1, data_word
  add x1, x1, #4
  ldxr x0, [x1]          // exclusives must be aligned: alignment fault at EL3
  // --- SCR_EL3 write: Non-secure lower ELs, AArch64, HVC enabled, WFI trapped to EL3 ---
  mov x9, #0
  add x9, x9, #1
  movz x0, #0x1531       // TWI | RW | HCE | RES1 5:4 | NS
  msr scr_el3, x0
  add x9, x9, #1
  isb
  add x9, x9, #1
  mrs x0, scr_el3
  bl puthex
  PUTC 32
  PUTHEX x9
  PUTC 10
  // --- down to EL2h ---
  adr x0, stack_el2_top
  msr sp_el2, x0
  adr x0, el2_code
  msr elr_el3, x0
  mov x0, #0x3c9         // EL2h, DAIF masked
  msr spsr_el3, x0
  eret

el2_code:
  PUTS s_el2
  mrs x0, CurrentEL
  bl puthex
  PUTC 10
  wfi                    // SCR_EL3.TWI: to EL3, ELR = the WFI
  hvc #0x21              // EL2 to EL2
  smc #0x22              // EL2 to EL3
  movz x0, #0x8000, lsl #16   // HCR_EL2.RW: EL1 is AArch64
  msr hcr_el2, x0
  ERET_TO_EL1 el1_code, stack_el1_top

el1_code:
  PUTS s_el1
  mrs x0, CurrentEL
  bl puthex
  PUTC 10
  hvc #0x11              // to EL2
  smc #0x12              // to EL3 (HCR_EL2.TSC = 0)
  wfi                    // to EL3 (HCR_EL2.TWI = 0, SCR_EL3.TWI = 1)
  adr x0, el0_code
  msr elr_el1, x0
  mov x0, #0x3c0         // EL0t, DAIF masked
  msr spsr_el1, x0
  eret

el0_code:
  PUTS s_el0
  svc #0x01              // to EL1; its handler ends the test
0: b 0b

// ---- handlers: x18 = vector offset (set by the vector entry) ----
// print_exc: prints "<tag><x18> <ESR> <ELR-_start> <SPSR>" from x4 (tag), x5, x6, x7; x30 kept in x8.
print_exc:
  mov x8, x30
  movz x1, #0x0900, lsl #16
  strb w4, [x1]
  mov x0, x18
  bl puthex
  PUTC 32
  mov x0, x5
  bl puthex
  PUTC 32
  adr x1, _start
  sub x0, x6, x1
  bl puthex
  PUTC 32
  mov x0, x7
  bl puthex
  PUTC 10
  ret x8

// Returns in x0 the ELR to go back to: past the instruction unless the exception's preferred
// return is already the next one (SVC, HVC, SMC). x5 = ESR, x6 = ELR.
next_elr:
  lsr x0, x5, #26
  cmp x0, #0x15          // SVC64
  b.eq 1f
  cmp x0, #0x16          // HVC64
  b.eq 1f
  cmp x0, #0x17          // SMC64
  b.eq 1f
  add x0, x6, #4
  ret
1: mov x0, x6
  ret

el3_handler:
  mov x14, x30
  mov x4, #'3'
  mrs x5, esr_el3
  mrs x6, elr_el3
  mrs x7, spsr_el3
  bl print_exc
  lsr x0, x5, #26
  cmp x0, #0x25          // Data Abort, same EL: print FAR
  b.ne 2f
  PUTC 'F'
  mrs x0, far_el3
  adr x1, _start
  sub x0, x0, x1
  bl puthex
  PUTC 10
2: and x0, x5, #0xffff
  lsr x1, x5, #26
  cmp x1, #0x17
  b.ne 3f
  cmp x0, #0xff
  b.eq finish
3: bl next_elr
  msr elr_el3, x0
  mov x30, x14
  eret

el2_handler:
  mov x13, x30
  mov x4, #'2'
  mrs x5, esr_el2
  mrs x6, elr_el2
  mrs x7, spsr_el2
  bl print_exc
  bl next_elr
  msr elr_el2, x0
  mov x30, x13
  eret

el1_handler:
  mov x12, x30
  mov x4, #'1'
  mrs x5, esr_el1
  mrs x6, elr_el1
  mrs x7, spsr_el1
  bl print_exc
  smc #0xff              // to EL3, which ends the test

finish:
  PUTS s_done
  // Secure GPIO line 0 (gpio-poweroff): make it an output, then drive it high.
  movz x1, #0x090b, lsl #16
  mov w2, #1
  str w2, [x1, #0x400]   // GPIODIR
  str w2, [x1, #0x004]   // GPIODATA, address mask = line 0
0: b 0b

.macro VECTOR_TABLE name, handler
  .balign 2048
\name:
  .irp off, 0x000,0x080,0x100,0x180,0x200,0x280,0x300,0x380,0x400,0x480,0x500,0x580,0x600,0x680,0x700,0x780
  .balign 0x80
  mov x18, #\off
  b \handler
  .endr
.endm
  VECTOR_TABLE vectors_el3, el3_handler
  VECTOR_TABLE vectors_el2, el2_handler
  VECTOR_TABLE vectors_el1, el1_handler

.data
s_el3: .asciz "el3 "
s_el2: .asciz "el2 "
s_el1: .asciz "el1 "
s_el0: .asciz "el0\n"
s_done: .asciz "done\n"
.balign 16
data_word: .quad 0x1122334455667788, 0
.balign 16
stack_el3: .skip 256
stack_el3_top:
stack_el2: .skip 256
stack_el2_top:
stack_el1: .skip 256
stack_el1_top:
