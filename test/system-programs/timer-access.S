// Generic-timer and GIC system-register access rules at EL1/EL0 on QEMU `-M virt,gic-version=3`:
// EL0 reads of CNTVCT/CNTPCT and accesses to CNTV_CTL/CNTP_CTL trap to EL1 (EC 0x18, ISS naming
// the register, Rt and the direction) unless CNTKCTL_EL1 enables them; CNTFRQ_EL0 is readable
// at EL0 when either counter is; ICC_PMR_EL1 at EL0 is UNDEFINED (EC 0x00). Also TVAL/CVAL
// arithmetic: CVAL = count + TVAL, and a TVAL in the past reads negative with ISTATUS set.
// Each EL1 exception prints "exc <ESR> <ELR - _start>"; the handler skips the instruction.
.text
#include "print.inc"
.globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  adr x0, stack_top
  mov sp, x0
  PUTS s_hello
  msr cntkctl_el1, xzr
  isb
  mov x19, #0
  bl to_el0                   // EL0 with every CNTKCTL_EL1 enable clear
  // CNTKCTL_EL1: EL0VCTEN (1) and EL0VTEN (8): the virtual counter and timer, not the physical ones.
  mov x0, #(1 << 1) | (1 << 8)
  msr cntkctl_el1, x0
  isb
  mov x19, #1
  bl to_el0
  mrs x0, cntkctl_el1
  bl puthex
  PUTC 10

  // TVAL/CVAL: set CVAL from TVAL, and check both views with the timer disabled and enabled.
  mrs x21, cntvct_el0
  mov x0, #0x4000
  msr cntv_tval_el0, x0
  mrs x22, cntv_cval_el0
  sub x0, x22, x21            // about 0x4000 + a few ticks: print whether it is in [0x4000, 0x4100)
  sub x0, x0, #0x4000
  cmp x0, #0x100
  cset x0, lo
  bl puthex
  PUTC 10
  mrs x0, cntvct_el0          // CVAL in the past: TVAL negative (32-bit), ISTATUS = 1 once enabled
  sub x0, x0, #0x10
  msr cntv_cval_el0, x0
  mov x0, #3                  // ENABLE | IMASK
  msr cntv_ctl_el0, x0
  isb
  mrs x0, cntv_ctl_el0
  bl puthex
  PUTC 10
  mrs x0, cntv_tval_el0
  lsr x0, x0, #31             // sign bit of the 32-bit TVAL
  bl puthex
  PUTC 10
  msr cntv_ctl_el0, xzr
  mrs x0, cntv_ctl_el0        // disabled: ISTATUS reads 0 (as QEMU)
  bl puthex
  PUTC 10
  PUTS s_done
  POWEROFF hvc

// Runs el0_code at EL0 (SP_EL0 = stack0_top); it returns here through SVC #1.
to_el0:
  mov x23, x30
  adr x0, stack0_top
  msr sp_el0, x0
  adr x0, el0_code
  msr elr_el1, x0
  msr spsr_el1, xzr           // EL0t, interrupts unmasked
  isb
  eret

el0_code:
  mrs x1, cntvct_el0
  mrs x2, cntpct_el0
  mrs x3, cntfrq_el0
  mrs x4, cntv_ctl_el0
  msr cntv_ctl_el0, xzr
  mrs x5, cntp_ctl_el0
  msr cntp_cval_el0, x6
  mrs x7, s3_0_c4_c6_0        // ICC_PMR_EL1
  svc #1

handler:
  mrs x0, esr_el1
  lsr x1, x0, #26
  cmp x1, #0x15               // SVC #1: back to EL1
  b.ne 1f
  mov x30, x23
  ret
1: mov x14, x30
  PUTS s_exc
  mrs x0, esr_el1
  bl puthex
  PUTC 32
  mrs x0, elr_el1
  adr x1, _start
  sub x0, x0, x1
  bl puthex
  PUTC 10
  mov x30, x14
  mrs x0, elr_el1
  add x0, x0, #4
  msr elr_el1, x0
  eret

  UNEXPECTED_EXCEPTION
  VECTORS sync_spx=handler, sync_lower=handler

.data
s_hello: .asciz "timer-access\n"
s_exc: .asciz "exc "
s_done: .asciz "done\n"
.balign 16
stack: .skip 512
stack_top:
stack0: .skip 512
stack0_top:
