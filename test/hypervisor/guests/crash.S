// Crashes itself: SCHEDOP_shutdown (sched_op 29, cmd 2) with reason SHUTDOWN_crash (3).
#include "hv.inc"
.global _start
_start:
  PUTS msg
  mov x0, #2
  adr x1, reason
  XEN 29
  PUTS after
1: b 1b
  .balign 4
reason: .word 3
msg: .asciz "crashing\n"
after: .asciz "still running after SCHEDOP_shutdown\n"
