// Two CPUs increment one counter under a spinlock written as Linux's arm64 ticket locks wait:
// SEVL; WFE; LDAXR; compare; WFE until the owner's release (STLR to the reserved granule clears
// the waiter's global monitor, a WFE wake-up event), then a second counter with LDXR/STXR retry
// loops and no lock. Both CPUs finish, CPU 0 prints both totals. A lost wake-up would hang; a
// monitor that another PE's store does not clear would lose increments.
.text
#include "print.inc"
.equ ITER, 2000
.globl _start
_start:
  adr x0, stack_top
  mov sp, x0
  movz x0, #0x0003
  movk x0, #0xc400, lsl #16     // PSCI CPU_ON64: CPU 1 at `worker`
  mov x1, #1
  adr x2, worker
  mov x3, #0
  hvc #0
  bl work
  adr x1, done1
1: sevl
  wfe
2: ldaxr w2, [x1]               // wait for CPU 1, WFE between looks
  cbnz w2, 3f
  wfe
  b 2b
3: adr x1, counter
  ldr x0, [x1]
  bl puthex
  PUTC 10
  adr x1, counter2
  ldr x0, [x1]
  bl puthex
  PUTC 10
  PUTS s_done
  POWEROFF hvc

worker:
  bl work
  adr x1, done1
  mov w2, #1
  stlr w2, [x1]
  sev
4: wfi
  b 4b

// ITER times: lock; counter += 1; unlock. Then ITER LDXR/STXR increments of counter2.
work:
  mov x9, #ITER
  adr x10, lock
  adr x11, counter
5: sevl
  wfe
6: ldaxr w2, [x10]              // spin-wait with WFE while the lock is held
  cbnz w2, 7f
  mov w3, #1
  stxr w4, w3, [x10]
  cbnz w4, 6b
  b 8f
7: wfe
  b 6b
8: ldr x5, [x11]                // critical section
  add x5, x5, #1
  str x5, [x11]
  stlr wzr, [x10]               // unlock: clears the other CPU's monitor on the lock granule
  subs x9, x9, #1
  b.ne 5b
  mov x9, #ITER
  adr x11, counter2
9: ldxr x5, [x11]
  add x5, x5, #1
  stxr w4, x5, [x11]
  cbnz w4, 9b
  subs x9, x9, #1
  b.ne 9b
  ret

.data
s_done: .asciz "done\n"
.balign 64
lock: .word 0
.balign 64
counter: .quad 0
.balign 64
counter2: .quad 0
.balign 64
done1: .word 0
.balign 16
stack: .skip 512
stack_top:
