// FEAT_PAN and the unprivileged loads/stores at EL1 (Arm ARM D8 "PSTATE.PAN", C3.2.5 LDTR/STTR):
// RAM identity-mapped EL1-only by a 1 GiB block, UART0 by a Device block, and at VA 0x80000000
// an EL0-accessible page (AP = 01) and an EL1-only page (AP = 00). Prints what loads read and
// the ESR/FAR of the faults: plain accesses to the EL0 page under PAN = 1 (also on TLB hits),
// LDTR/STTR (EL0 permissions, PAN ignored), the PAN register, PSTATE.PAN on exception entry
// with SCTLR_EL1.SPAN = 0 and its restoration by ERET.
.text
#include "print.inc"
.globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  adr x20, l1
  adr x21, l2_low
  adr x22, l2_high
  adr x23, l3
  orr x0, x21, #3
  str x0, [x20, #0]
  movz x0, #0x4000, lsl #16
  movz x1, #0x0705              // 1 GiB block: AF | ISH | AttrIndx 1, AP = 00 (EL1 only)
  orr x0, x0, x1
  str x0, [x20, #8]
  orr x0, x22, #3
  str x0, [x20, #16]
  movz x0, #0x0900, lsl #16
  movz x1, #0x0401              // UART0: 2 MiB Device block
  orr x0, x0, x1
  str x0, [x21, #72*8]
  orr x0, x23, #3
  str x0, [x22, #0]
  adr x0, page_a                // l3[0]: page_a, AP = 01 (EL1 and EL0 read/write)
  movz x1, #0x0747
  orr x0, x0, x1
  str x0, [x23, #0]
  adr x0, page_b                // l3[1]: page_b, AP = 00 (EL1 only)
  movz x1, #0x0707
  orr x0, x0, x1
  str x0, [x23, #8]
  mov x0, #0xff00
  msr mair_el1, x0
  movz x0, #0x3519              // T0SZ=25 | IRGN0/ORGN0 WB | SH0 ISH
  movk x0, #0x0080, lsl #16     // EPD1
  movk x0, #0x0002, lsl #32     // IPS = 40 bits
  msr tcr_el1, x0
  msr ttbr0_el1, x20
  isb
  mrs x0, sctlr_el1
  orr x0, x0, #1
  orr x0, x0, #(1 << 2)
  orr x0, x0, #(1 << 12)
  msr sctlr_el1, x0
  isb
  PUTS s_on
  adr x25, page_a
  adr x27, page_b
  movz x24, #0x8000, lsl #16    // EL0 page
  add x26, x24, #0x1000         // EL1 page
  movz x2, #0x1234
  str x2, [x25, #16]
  movz x2, #0xabcd
  str x2, [x27, #16]
  // --- PAN = 0: the EL1 access to the EL0 page works (and fills the TLB) ---
  ldr x4, [x24, #16]
  PUTHEX x4
  PUTC 10
  // --- PAN = 1: plain accesses to it fault (the cached entry must not be used) ---
  msr pan, #1
  mrs x4, pan
  PUTHEX x4
  PUTC 10
  ldr x5, [x24, #16]            // permission fault, level 3
  str x5, [x24, #24]            // permission fault, level 3, WnR
  ldrb w5, [x24]                // permission fault
  ldr x4, [x26, #16]            // EL1-only page: fine under PAN
  PUTHEX x4
  PUTC 10
  // --- LDTR/STTR: EL0 permissions, PAN does not apply ---
  ldtr x4, [x24, #16]
  PUTHEX x4
  PUTC 10
  movz x6, #0x7777
  sttr x6, [x24, #24]
  sttrh w6, [x24, #34]
  ldr x4, [x25, #24]
  PUTHEX x4
  PUTC 10
  ldr x4, [x25, #32]
  PUTHEX x4
  PUTC 10
  ldtrsb x4, [x24, #17]
  PUTHEX x4
  PUTC 10
  ldtr x5, [x26, #16]           // EL1-only page with EL0 permissions: permission fault
  sttrb w5, [x26]               // ... WnR
  // --- PAN = 0 again: the plain access works, also as a TLB hit ---
  msr pan, #0
  ldr x4, [x24, #16]
  PUTHEX x4
  PUTC 10
  ldr x4, [x24, #16]
  PUTHEX x4
  PUTC 10
  // --- the PAN register ---
  movz x0, #0x40, lsl #16
  msr pan, x0
  mrs x4, pan
  PUTHEX x4
  PUTC 10
  msr pan, xzr
  mrs x4, pan
  PUTHEX x4
  PUTC 10
  // --- SCTLR_EL1.SPAN = 0: exception entry sets PAN; SPSR keeps the old value, ERET restores it ---
  mrs x0, sctlr_el1
  bic x0, x0, #(1 << 23)
  msr sctlr_el1, x0
  isb
  svc #0
  mrs x4, pan
  PUTHEX x4
  PUTC 10
  msr pan, #1
  svc #1
  mrs x4, pan
  PUTHEX x4
  PUTC 10
  msr pan, #0
  PUTS s_done
  POWEROFF hvc

// Prints ESR, FAR (data aborts only), PSTATE.PAN and SPSR_EL1.PAN; skips the instruction.
handler:
  mov x14, x30
  mrs x0, esr_el1
  bl puthex
  PUTC 32
  mrs x0, esr_el1
  lsr x0, x0, #26
  cmp x0, #0x25
  b.ne 1f
  mrs x0, far_el1
  bl puthex
  PUTC 32
1: mrs x0, pan
  bl puthex
  PUTC 32
  mrs x0, spsr_el1
  and x0, x0, #(1 << 22)
  bl puthex
  PUTC 10
  mrs x0, esr_el1
  lsr x0, x0, #26
  cmp x0, #0x15                 // SVC: ELR is already the next instruction
  b.eq 2f
  mrs x0, elr_el1
  add x0, x0, #4
  msr elr_el1, x0
2: mov x30, x14
  eret

.balign 2048
vectors:
  .irp off, 0x000,0x080,0x100,0x180,0x200,0x280,0x300,0x380,0x400,0x480,0x500,0x580,0x600,0x680,0x700,0x780
  .balign 0x80
  b handler
  .endr

.data
s_on: .asciz "mmu on\n"
s_done: .asciz "done\n"
.balign 4096
l1: .skip 4096
l2_low: .skip 4096
l2_high: .skip 4096
l3: .skip 4096
page_a: .skip 4096
page_b: .skip 4096
