// A guest that takes five EL1 virtual-timer interrupts (INTID 27) through the GICv3 interface,
// printing each INTID it acknowledges, then powers off with PSCI over HVC. On the bare board the
// timer PPI reaches it directly; under the hypervisor it arrives through a list register.
.text
#include "print.inc"
.equ GICD, 0x08000000
.equ GICR, 0x080a0000
.equ SGI_BASE, GICR + 0x10000
.globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  adr x0, stack_top
  mov sp, x0
  PUTS s_hello
  movz x1, #0x0800, lsl #16
  mov w0, #0x12
  str w0, [x1]              // GICD_CTLR: ARE | EnableGrp1
  movz x1, #0x080a, lsl #16
  str wzr, [x1, #0x14]      // GICR_WAKER
  movz x1, #0x080b, lsl #16 // SGI_BASE
  mov w0, #-1
  str w0, [x1, #0x80]       // IGROUPR0
  mov w0, #(1 << 27)
  str w0, [x1, #0x100]      // ISENABLER0
  mov x0, #7
  msr icc_sre_el1, x0
  mov x0, #0xff
  msr icc_pmr_el1, x0
  mov x0, #1
  msr icc_igrpen1_el1, x0
  isb
  mov x20, #0
  mov x0, #6250             // 100 us
  msr cntv_tval_el0, x0
  mov x0, #1
  msr cntv_ctl_el0, x0
  msr daifclr, #2
1: cmp x20, #5
  b.hs 2f
  wfi
  b 1b
2: msr daifset, #2
  PUTS s_done
  POWEROFF hvc

irq:
  mrs x21, icc_iar1_el1
  PUTS s_irq
  PUTHEX x21
  PUTC 10
  add x20, x20, #1
  // After the fifth, the timer stays off: a re-armed timer could fire again before the main
  // loop masks IRQs when the host is slow (QEMU's virtual counter follows host time), and the
  // count of lines would depend on the host's load.
  mov x0, #0
  cmp x20, #5
  b.hs 3f
  mov x0, #6250
  msr cntv_tval_el0, x0
  mov x0, #1
3: msr cntv_ctl_el0, x0
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
s_hello: .asciz "vtick start\n"
s_irq: .asciz "irq "
s_done: .asciz "vtick done\n"
.balign 16
.space 4096
stack_top:
