// Echoes what arrives on its vUART (polling UARTFR.RXFE) until it reads 'q', then powers off.
#include "hv.inc"
.global _start
_start:
  PUTS hello
  movz x1, #0x0900, lsl #16
  mov w2, #0x301
  str w2, [x1, #0x30]       // UARTCR: UARTEN | TXE | RXE (the receiver takes nothing while UARTEN is 0)
1: ldr w2, [x1, #0x18]
  tbnz w2, #4, 1b
  ldr w2, [x1]
  and w2, w2, #0xff
  cmp w2, #'q'
  b.eq 2f
  strb w2, [x1]
  b 1b
2: PUTS bye
  PSCI 0x0008
hello: .asciz "echo ready\n"
bye: .asciz "echo done\n"
