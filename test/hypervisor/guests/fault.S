// Reads an IPA with nothing behind it: the hypervisor injects a synchronous external abort; the
// guest's vector prints ESR_EL1, FAR_EL1 and ELR_EL1 and spins (a faulted guest).
#include "hv.inc"
.global _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  isb
  movz x5, #0x2000, lsl #16
bad:
  ldr w6, [x5, #0x10]
  PUTS notreached
1: b 1b
sync_handler:
  PUTS esr
  mrs x0, esr_el1
  bl puthex
  PUTS far
  mrs x0, far_el1
  bl puthex
  PUTS elr
  mrs x0, elr_el1
  adr x4, bad
  sub x0, x0, x4
  bl puthex
  PUTC 10
2: b 2b
notreached: .asciz "no abort\n"
esr: .asciz "abort ESR="
far: .asciz " FAR="
elr: .asciz " ELR-bad="
  .balign 2048
vectors:
  .rept 4
  b .
  .balign 0x80
  .endr
  b sync_handler               // current EL with SPx, synchronous (offset 0x200)
  .balign 0x80
  .rept 11
  b .
  .balign 0x80
  .endr
