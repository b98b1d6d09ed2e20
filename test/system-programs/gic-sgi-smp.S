// Two CPUs on QEMU `-M virt,gic-version=3 -smp 2`: CPU 0 starts CPU 1 with PSCI CPU_ON (HVC),
// checks AFFINITY_INFO and CPU_ON's ALREADY_ON once CPU 1 reports in, then sends it SGI 5
// through ICC_SGI1R_EL1; CPU 1 takes it, and answers with SGI 7 to CPU 0. Only one CPU prints at a
// time (the other waits on a flag or in WFI), so the output order is fixed.
.text
#include "print.inc"
// Sleeps until x20 (the handler's count of interrupts taken) reaches \n. IRQs stay masked
// except for an instant after each wake-up, so one arriving before the WFI cannot be missed (WFI
// wakes on a pending interrupt even while PSTATE.I masks it).
.macro WAIT_IRQS n
  msr daifset, #2
1: cmp x20, #\n
  b.hs 2f
  wfi
  msr daifclr, #2
  isb
  msr daifset, #2
  b 1b
2:
.endm
.equ GICD, 0x08000000
.equ GICR, 0x080a0000
.equ PSCI_CPU_ON, 0xc4000003
.equ PSCI_AFFINITY_INFO, 0xc4000004
.globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  adr x0, stack0_top
  mov sp, x0
  PUTS s_hello
  ldr x1, =GICD
  mov w2, #0x13                // GICD_CTLR: ARE, EnableGrp1, EnableGrp0
  str w2, [x1]
  mov x0, #7
  bl gic_cpu_setup             // CPU 0 takes SGI 7

  ldr x0, =PSCI_CPU_ON
  mov x1, #1                   // MPIDR affinity of CPU 1
  adr x2, secondary
  ldr x3, =0x1234abcd          // context id: x0 of CPU 1
  hvc #0
  mov x22, x0                  // printed once CPU 1 is quiet

  adr x1, ready                // wait until CPU 1 has printed and set up its GIC interface
1: ldr w2, [x1]
  cbz w2, 1b
  PUTS s_on
  mov x0, x22
  bl puthex
  PUTC 10

  ldr x0, =PSCI_AFFINITY_INFO
  mov x1, #1
  mov x2, #0
  hvc #0
  mov x19, x0
  PUTS s_aff
  mov x0, x19
  bl puthex
  PUTC 10
  ldr x0, =PSCI_CPU_ON         // again: ALREADY_ON (-4)
  mov x1, #1
  adr x2, secondary
  mov x3, #0
  hvc #0
  mov x19, x0
  PUTS s_on
  mov x0, x19
  bl puthex
  PUTC 10

  mov x20, #0                  // SGIs taken by CPU 0
  // SGI 5 to CPU 1: INTID in 27:24, Aff1 = 0 (23:16), TargetList bit 1 (15:0).
  movz x0, #2
  movk x0, #(5 << 8), lsl #16
  msr icc_sgi1r_el1, x0
  isb
  WAIT_IRQS 1
  PUTS s_done
  POWEROFF hvc

secondary:
  mov x19, x0                  // context id from CPU_ON
  adr x0, vectors
  msr vbar_el1, x0
  adr x0, stack1_top
  mov sp, x0
  PUTS s_cpu1
  mov x0, x19
  bl puthex
  PUTS s_mpidr
  mrs x0, mpidr_el1
  bl puthex
  PUTS s_el
  mrs x0, CurrentEL
  bl puthex
  PUTC 10
  mov x0, #5
  bl gic_cpu_setup
  mov x20, #0
  msr daifclr, #2
  adr x1, ready
  mov w2, #1
  dmb ish
  str w2, [x1]
1: wfi
  b 1b

// Wakes this CPU's redistributor and enables SGI x0 (Group 1, priority 0x80), then the CPU
// interface. Clobbers x0-x4. The redistributor frame of CPU n is GICR + n * 0x20000.
gic_cpu_setup:
  mov x4, x0
  mrs x1, mpidr_el1
  and x1, x1, #0xff
  ldr x2, =GICR
  add x1, x2, x1, lsl #17
  ldr w2, [x1, #0x14]          // GICR_WAKER
  bic w2, w2, #2
  str w2, [x1, #0x14]
1: ldr w2, [x1, #0x14]
  tbnz w2, #2, 1b
  add x1, x1, #0x10000         // SGI_base
  mov w2, #1
  lsl w2, w2, w4
  str w2, [x1, #0x80]          // GICR_IGROUPR0
  str w2, [x1, #0x100]         // GICR_ISENABLER0
  add x3, x1, #0x400
  mov w2, #0x80
  strb w2, [x3, x4]            // GICR_IPRIORITYR<x4>
  GIC_CPU_IF_ON
  ret

irq_handler:
  stp x0, x1, [sp, #-16]!
  stp x2, x3, [sp, #-16]!
  stp x21, x30, [sp, #-16]!
  mrs x21, icc_iar1_el1
  PUTS s_cpu
  mrs x0, mpidr_el1
  and x0, x0, #0xff
  bl puthex
  PUTS s_irq
  mov x0, x21
  bl puthex
  PUTC 10
  msr icc_eoir1_el1, x21
  add x20, x20, #1
  cmp x21, #5
  b.ne 1f
  movz x0, #1                  // CPU 1 answers with SGI 7 to CPU 0
  movk x0, #(7 << 8), lsl #16
  msr icc_sgi1r_el1, x0
  isb
1: ldp x21, x30, [sp], #16
  ldp x2, x3, [sp], #16
  ldp x0, x1, [sp], #16
  eret

  UNEXPECTED_EXCEPTION
  VECTORS irq_spx=irq_handler

.data
s_hello: .asciz "cpu 0 up\n"
s_on: .asciz "CPU_ON -> "
s_aff: .asciz "AFFINITY_INFO(1) -> "
s_cpu1: .asciz "cpu 1 up, x0="
s_mpidr: .asciz " mpidr="
s_el: .asciz " CurrentEL="
s_cpu: .asciz "cpu "
s_irq: .asciz " irq "
s_done: .asciz "done\n"
.balign 4
ready: .word 0
.balign 16
stack0: .skip 1024
stack0_top:
stack1: .skip 1024
stack1_top:
