// Says so and spins forever with interrupts masked: a hung guest.
#include "hv.inc"
.global _start
_start:
  PUTS msg
1: b 1b
msg: .asciz "spinning\n"
