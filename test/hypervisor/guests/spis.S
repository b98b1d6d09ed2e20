// A guest that makes six SPIs (INTIDs 40-45) pending at once through GICD_ISPENDR0 with IRQs
// masked, gives them different priorities, then unmasks and takes them one by one: they must
// arrive in priority order (highest first). Under the hypervisor only four fit in the list
// registers: the rest wait for the underflow maintenance interrupt and a refill. Then an SGI to
// itself (ICC_SGI1R_EL1, trapped under the hypervisor), and PSCI SYSTEM_OFF.
.text
#include "print.inc"
.globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  adr x0, stack_top
  mov sp, x0
  PUTS s_hello
  movz x1, #0x0800, lsl #16     // GICD
  mov w0, #0x12
  str w0, [x1]                  // CTLR: ARE | EnableGrp1
  mov w0, #(0x3f << 8)          // INTIDs 40-45 are bits 8-13 of the second bank
  str w0, [x1, #0x84]           // IGROUPR1
  // priorities: 40 -> 0xa0, 41 -> 0x90, ... 45 -> 0x48 (so 45 comes first)
  mov x2, #40
  mov w3, #0xa0
1: add x4, x1, #0x400
  strb w3, [x4, x2]
  sub w3, w3, #0x10
  add x2, x2, #1
  cmp x2, #46
  b.lo 1b
  // IROUTER<n> = 0 (CPU 0), 64-bit registers at 0x6000 + 8n
  mov x2, #40
2: add x4, x1, #0x6000
  str xzr, [x4, x2, lsl #3]
  add x2, x2, #1
  cmp x2, #46
  b.lo 2b
  mov w0, #(0x3f << 8)
  str w0, [x1, #0x104]          // ISENABLER1
  movz x1, #0x080a, lsl #16
  str wzr, [x1, #0x14]          // GICR_WAKER
  movz x1, #0x080b, lsl #16
  mov w0, #-1
  str w0, [x1, #0x80]           // GICR_IGROUPR0
  mov w0, #(1 << 3)
  str w0, [x1, #0x100]          // enable SGI 3
  mov x0, #7
  msr icc_sre_el1, x0
  mov x0, #0xff
  msr icc_pmr_el1, x0
  mov x0, #1
  msr icc_igrpen1_el1, x0
  isb
  mov x20, #0
  movz x1, #0x0800, lsl #16
  mov w0, #(0x3f << 8)
  str w0, [x1, #0x204]          // ISPENDR1: all six pending
  dsb sy
  msr daifclr, #2
3: cmp x20, #6
  b.lo 3b
  PUTS s_sgi
  mov x0, #(3 << 24)            // SGI 3, Aff1 0, TargetList = CPU 0
  orr x0, x0, #1
  msr icc_sgi1r_el1, x0
  isb
4: cmp x20, #7
  b.lo 4b
  msr daifset, #2
  PUTS s_done
  POWEROFF hvc

irq:
  mrs x21, icc_iar1_el1
  PUTS s_irq
  PUTHEX x21
  PUTC 10
  add x20, x20, #1
  msr icc_eoir1_el1, x21
  eret

UNEXPECTED_EXCEPTION
.balign 2048
vectors:
  .rept 4
  b unexpected_exception
  .balign 128
  .endr
  b unexpected_exception
  .balign 128
  b irq
  .balign 128
  .rept 2
  b unexpected_exception
  .balign 128
  .endr
  .rept 8
  b unexpected_exception
  .balign 128
  .endr
s_hello: .asciz "spis start\n"
s_irq: .asciz "irq "
s_sgi: .asciz "sgi to self\n"
s_done: .asciz "spis done\n"
.balign 16
.space 4096
stack_top:
