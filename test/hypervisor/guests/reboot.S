// Counts its boots in the first word of shared memory at IPA 0x80000000 (which a restart does
// not clear, unlike the domain's RAM): "boot N", PSCI SYSTEM_RESET until N = 3, then SYSTEM_OFF.
#include "hv.inc"
.global _start
_start:
  movz x5, #0x8000, lsl #16
  ldr w6, [x5]
  add w6, w6, #1
  str w6, [x5]
  PUTS msg
  mov x0, x6
  bl puthex
  PUTC 10
  cmp w6, #3
  b.hs 1f
  PSCI 0x0009
1: PSCI 0x0008
msg: .asciz "boot "
