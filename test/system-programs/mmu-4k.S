// Stage 1 translation at EL1 with the 4 KiB granule (T0SZ = 25: the walk starts at level 1):
// RAM identity-mapped by a 1 GiB block, UART0 by a 2 MiB Device block, and at VA 0x80000000 a
// level-3 table with an alias of a RAM page, a read-only page and an invalid entry. Prints data
// through the alias, PAR_EL1 from AT S1E1R/S1E1W, the ESR/FAR of a translation and a permission
// fault, and the value read after remapping the alias with TLBI VAE1.
.text
#include "print.inc"
.globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  adr x0, stack_top
  mov sp, x0
  // --- build the tables ---
  adr x20, l1
  adr x21, l2_low
  adr x22, l2_high
  adr x23, l3
  // L1[0] -> l2_low (table), L1[1] = 1 GiB block at 0x40000000 (Normal, AttrIndx 1, AF, ISH), L1[2] -> l2_high
  orr x0, x21, #3
  str x0, [x20, #0]
  movz x0, #0x4000, lsl #16
  movz x1, #0x0705              // AF | SH=ISH | AttrIndx=1 | block
  orr x0, x0, x1
  str x0, [x20, #8]
  orr x0, x22, #3
  str x0, [x20, #16]
  // l2_low[72] = 2 MiB Device block at 0x09000000 (AttrIndx 0, AF)
  movz x0, #0x0900, lsl #16
  movz x1, #0x0401
  orr x0, x0, x1
  str x0, [x21, #72*8]
  // l2_high[0] -> l3
  orr x0, x23, #3
  str x0, [x22, #0]
  // l3[0] = alias of page_a (RW), l3[1] = page_b read-only (AP[2:1] = 10), l3[2] invalid
  adr x0, page_a
  movz x1, #0x0707              // AF | ISH | AttrIndx 1 | page
  orr x0, x0, x1
  str x0, [x23, #0]
  adr x0, page_b
  movz x1, #0x0787              // ... | AP = 10 (read-only at EL1)
  orr x0, x0, x1
  str x0, [x23, #8]
  // --- MAIR: attr0 Device-nGnRnE, attr1 Normal write-back; TCR; TTBR0 ---
  mov x0, #0xff00
  msr mair_el1, x0
  movz x0, #0x3519              // T0SZ=25 | IRGN0=1 | ORGN0=1 | SH0=3
  movk x0, #0x0080, lsl #16     // EPD1
  movk x0, #0x0002, lsl #32     // IPS = 40 bits
  msr tcr_el1, x0
  msr ttbr0_el1, x20
  isb
  mrs x0, sctlr_el1
  orr x0, x0, #1                // M
  orr x0, x0, #(1 << 2)         // C
  orr x0, x0, #(1 << 12)        // I
  msr sctlr_el1, x0
  isb
  PUTS s_on
  // --- through the alias (x24 = alias VA; the print helpers clobber x0-x3) ---
  adr x25, page_a
  movz x24, #0x8000, lsl #16
  movz x2, #0x1234
  str x2, [x25, #16]
  ldr x4, [x24, #16]
  PUTHEX x4
  PUTC 10
  movz x2, #0xbeef
  str x2, [x24, #24]            // write through the alias, read through the identity map
  ldr x4, [x25, #24]
  PUTHEX x4
  PUTC 10
  // --- AT ---
  at s1e1r, x24
  isb
  mrs x0, par_el1
  bl print_par
  add x26, x24, #0x1000
  at s1e1r, x26                 // read-only page: reads translate
  isb
  mrs x0, par_el1
  bl print_par
  at s1e1w, x26                 // ... writes give a permission fault in PAR
  isb
  mrs x0, par_el1
  bl print_par
  add x26, x24, #0x2000
  at s1e1r, x26                 // invalid: translation fault level 3
  isb
  mrs x0, par_el1
  bl print_par
  // --- faults ---
  add x26, x24, #0x2000
  ldr x5, [x26, #8]             // translation fault, level 3
  add x26, x24, #0x1000
  str x5, [x26]                 // permission fault, level 3 (write)
  ldr x5, [x26]                 // reading the read-only page is fine
  movz x26, #0xc000, lsl #16
  ldr x5, [x26]                 // translation fault, level 1 (L1[3] is empty)
  // --- remap the alias to page_b and invalidate ---
  adr x0, page_b
  movz x1, #0x0707
  orr x0, x0, x1
  str x0, [x23, #0]
  dsb ishst
  lsr x0, x24, #12
  tlbi vae1is, x0
  dsb ish
  isb
  adr x1, page_b
  movz x2, #0x5678
  str x2, [x1, #16]
  ldr x4, [x24, #16]
  PUTHEX x4
  PUTC 10
  PUTS s_done
  POWEROFF hvc

print_par:
  mov x15, x30
  // PAR_EL1 without the attribute byte (QEMU 7.2 and the Arm ARM differ on SH for some types)
  lsl x0, x0, #8
  lsr x0, x0, #8
  bic x0, x0, #0x180
  adr x1, _start
  tbnz x0, #0, 1f
  lsr x0, x0, #12              // success: print the PA as a page number relative to _start's page
  lsr x1, x1, #12
  sub x0, x0, x1
1: bl puthex
  PUTC 10
  ret x15

handler:
  mov x14, x30
  mrs x0, esr_el1
  bl puthex
  PUTC 32
  mrs x0, far_el1
  bl puthex
  PUTC 10
  mrs x0, elr_el1
  add x0, x0, #4
  msr elr_el1, x0
  mov x30, x14
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
.balign 16
stack: .skip 512
stack_top:
