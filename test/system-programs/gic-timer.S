// GICv3 + generic timer at EL1 on QEMU `-M virt,gic-version=3` (one CPU): the virtual timer's
// PPI (INTID 27) wakes a WFI and is taken at the IRQ vector, acknowledged through ICC_IAR1_EL1
// and completed through ICC_EOIR1_EL1; then the EL1 physical timer (INTID 30) the same way, and a
// software-pended SPI (INTID 40, routed to CPU 0 through GICD_IROUTER). Each IRQ prints
// "irq <INTID> ctl=<timer CTL at the time> rpr=<ICC_RPR_EL1>".
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
.equ SGI_BASE, GICR + 0x10000
.globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  adr x0, stack_top
  mov sp, x0
  PUTS s_hello
  mrs x0, cntfrq_el0
  bl puthex
  PUTC 10
  mrs x0, id_aa64pfr0_el1       // GIC field (27:24): 1 = system-register interface
  ubfx x0, x0, #24, #4
  bl puthex
  PUTC 10

  // Distributor: affinity routing on, both groups enabled (DS = 1 on virt without secure).
  ldr x1, =GICD
  mov w2, #0x13
  str w2, [x1]
  // Redistributor 0: wake the PE (clear GICR_WAKER.ProcessorSleep, wait for ChildrenAsleep = 0).
  ldr x1, =GICR
  ldr w2, [x1, #0x14]
  bic w2, w2, #2
  str w2, [x1, #0x14]
1: ldr w2, [x1, #0x14]
  tbnz w2, #2, 1b
  // PPIs 27 and 30: Group 1, priority 0x80 / 0x40, enabled.
  ldr x1, =SGI_BASE
  mov w2, #(1 << 27) | (1 << 30)
  str w2, [x1, #0x80]          // GICR_IGROUPR0
  mov w2, #0x80
  strb w2, [x1, #0x400 + 27]   // GICR_IPRIORITYR
  mov w2, #0x40
  strb w2, [x1, #0x400 + 30]
  mov w2, #(1 << 27) | (1 << 30)
  str w2, [x1, #0x100]         // GICR_ISENABLER0
  // CPU interface: system registers on, all priorities unmasked, Group 1 enabled.
  GIC_CPU_IF_ON
  // The implemented priority bits show in PMR (0xff reads back 0xf8: 5 bits) and ICC_CTLR_EL1.
  mrs x0, icc_pmr_el1
  bl puthex
  PUTC 32
  mrs x0, icc_ctlr_el1
  bl puthex
  PUTC 10

  // Virtual timer: fire in 1000 ticks; sleep until it does.
  mov x0, #1000
  msr cntv_tval_el0, x0
  mov x0, #1
  msr cntv_ctl_el0, x0
  isb
  mov x20, #0                 // interrupts taken so far
  WAIT_IRQS 1

  // EL1 physical timer, compared through CVAL.
  mrs x0, cntpct_el0
  add x0, x0, #500
  msr cntp_cval_el0, x0
  mov x0, #1
  msr cntp_ctl_el0, x0
  isb
  WAIT_IRQS 2

  // SPI 40: Group 1, priority 0xa0, routed to affinity 0.0.0.0, enabled, then pended by software.
  ldr x1, =GICD
  mov w2, #(1 << 8)
  str w2, [x1, #0x84]          // GICD_IGROUPR1
  mov w2, #0xa0
  strb w2, [x1, #0x400 + 40]   // GICD_IPRIORITYR
  add x3, x1, #0x6000
  str xzr, [x3, #8 * 40]       // GICD_IROUTER40
  mov w2, #(1 << 8)
  str w2, [x1, #0x104]         // GICD_ISENABLER1
  str w2, [x1, #0x204]         // GICD_ISPENDR1
  WAIT_IRQS 3

  mrs x0, icc_rpr_el1          // idle priority again
  bl puthex
  PUTC 10
  PUTS s_done
  POWEROFF hvc

irq_handler:
  stp x0, x1, [sp, #-16]!
  stp x2, x3, [sp, #-16]!
  stp x21, x30, [sp, #-16]!
  mrs x21, icc_iar1_el1
  PUTS s_irq
  mov x0, x21
  bl puthex
  PUTS s_ctl
  cmp x21, #27
  b.ne 1f
  mrs x0, cntv_ctl_el0
  mov x1, #2                   // IMASK: the timer stops asserting its PPI
  msr cntv_ctl_el0, x1
  b 2f
1: cmp x21, #30
  b.ne 3f
  mrs x0, cntp_ctl_el0
  msr cntp_ctl_el0, xzr        // disable
  b 2f
3: mov x0, #0
2: bl puthex
  PUTS s_rpr
  mrs x0, icc_rpr_el1
  bl puthex
  PUTC 10
  msr icc_eoir1_el1, x21
  add x20, x20, #1
  ldp x21, x30, [sp], #16
  ldp x2, x3, [sp], #16
  ldp x0, x1, [sp], #16
  eret

  UNEXPECTED_EXCEPTION
  VECTORS irq_spx=irq_handler

.data
s_hello: .asciz "gic-timer: CNTFRQ, PFR0.GIC\n"
s_irq: .asciz "irq "
s_ctl: .asciz " ctl="
s_rpr: .asciz " rpr="
s_done: .asciz "done\n"
.balign 16
stack: .skip 1024
stack_top:
