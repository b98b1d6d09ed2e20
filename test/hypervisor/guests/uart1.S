// Uses the passed-through PL011 at 0x09040000 (INTID 40) as its own device: writes a line to it
// directly (stage 2 Device mapping, no trap), then takes its TX interrupt through the vGIC with
// the HW bit: enables SPI 40 in the vGIC distributor, unmasks UARTIMSC.TXIM, acknowledges with
// ICC_IAR1_EL1, masks the source, EOIs (which deactivates the physical SPI), and reports on the
// vUART. A second round checks the physical interrupt can fire again after that deactivation.
#include "hv.inc"
.global _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  movz x5, #0x0904, lsl #16
  adr x0, u1msg
1: ldrb w2, [x0], #1
  cbz w2, 2f
  strb w2, [x5]
  b 1b
2:
  // vGIC: GICD_CTLR = ARE | EnableGrp1 (0x12); SPI 40 in group 1, priority 0x80, enabled.
  movz x6, #0x0800, lsl #16
  mov w0, #0x12
  str w0, [x6]
  mov w0, #(1 << 8)
  str w0, [x6, #0x84]          // GICD_IGROUPR1
  mov w0, #0x80
  strb w0, [x6, #(0x400 + 40)] // GICD_IPRIORITYR
  mov w0, #(1 << 8)
  str w0, [x6, #0x104]         // GICD_ISENABLER1
  mov x0, #0xff
  msr icc_pmr_el1, x0
  mov x0, #1
  msr icc_igrpen1_el1, x0
  isb
  mov x9, #0                   // interrupts taken
  mov x11, #1                  // round
round:
  mov w0, #(1 << 5)
  str w0, [x5, #0x38]          // UARTIMSC = TXIM: the line goes up at once
  // Wait with IRQs masked (WFI still wakes on a pending one), open the window briefly.
3: cmp x9, x11
  b.hs 4f
  wfi
  msr daifclr, #2
  isb
  msr daifset, #2
  b 3b
4: add x11, x11, #1
  cmp x11, #3
  b.lo round
  PUTS donemsg
  PSCI 0x0008

irq_handler:
  mrs x0, icc_iar1_el1
  mov x8, x0
  str wzr, [x5, #0x38]         // mask the source: the line drops
  msr icc_eoir1_el1, x8
  add x9, x9, #1
  PUTS irqmsg
  mov x0, x8
  bl puthex
  PUTC 10
  eret
u1msg: .asciz "hello on uart1\n"
irqmsg: .asciz "irq "
donemsg: .asciz "uart1 guest done\n"
  .balign 2048
vectors:
  .rept 5
  b .
  .balign 0x80
  .endr
  b irq_handler                // current EL, SPx, IRQ (offset 0x280)
  .balign 0x80
  .rept 10
  b .
  .balign 0x80
  .endr
