// Reads its console with CONSOLEIO_read (console_io 18, cmd 1) and writes back what it got with
// CONSOLEIO_write (cmd 0), yielding (sched_op yield) while nothing is there, until a '.'.
#include "hv.inc"
.global _start
_start:
  adr x0, hello
  bl puts
loop:
  mov x0, #1
  mov x1, #64
  adr x2, buf
  XEN 18
  cbz x0, idle
  tbnz x0, #63, fail
  mov x7, x0
  mov x1, x0
  mov x0, #0
  adr x2, buf
  XEN 18
  adr x2, buf
  add x3, x2, x7
1: ldrb w4, [x2], #1
  cmp w4, #'.'
  b.eq done
  cmp x2, x3
  b.lo 1b
  b loop
idle:
  mov x0, #0
  XEN 29
  b loop
fail:
  adr x0, failmsg
  bl puts
done:
  PSCI 0x0008
hello: .asciz "conread ready\n"
failmsg: .asciz "CONSOLEIO_read failed\n"
  .balign 8
buf: .space 64
