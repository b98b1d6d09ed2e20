// Prints three lines and powers off (PSCI SYSTEM_OFF): the domain that finishes.
#include "hv.inc"
.global _start
_start:
  PUTS l1
  PUTS l2
  PUTS l3
  PSCI 0x0008
l1: .asciz "line one\n"
l2: .asciz "line two\n"
l3: .asciz "last line\n"
