// HCR_EL2 and CPTR_EL2 traps from EL1 to EL2, QEMU `-M virt,virtualization=on`: WFI (TWI,
// EC 0x01), MRS CTR_EL0 (TID2), MSR SCTLR_EL1 (TVM), MRS TTBR0_EL1 (TRVM), DC ZVA (TDZ),
// TLBI VMALLE1 (TTLB), IC IALLU (TPU) (all EC 0x18 with the MSR/MRS/SYS ISS), an FP
// instruction (CPTR_EL2.TFP, EC 0x07). Each EL2 exception prints "<vector> ESR_EL2 ELR_EL2-_start";
// the handler skips the trapped instruction, and HVC #0x99 ends the test.
.text
#include "print.inc"
.globl _start
_start:
  adr x0, vectors_el2
  msr vbar_el2, x0
  adr x0, stack_el2_top
  mov sp, x0
  PUTS s_hello
  // HCR_EL2: RW | TRVM | TDZ | TVM | TTLB | TPU | TID2 | TWI
  movz x0, #0xd702, lsl #16
  movk x0, #0x2000
  msr hcr_el2, x0
  mov x0, #(1 << 10)       // CPTR_EL2.TFP (RES1 bits 13:12 and 9:0 as QEMU resets them: none)
  msr cptr_el2, x0
  mov x0, #(3 << 20)       // CPACR_EL1.FPEN = 0b11: the EL1 side allows FP
  msr cpacr_el1, x0
  adr x0, el1_code
  msr elr_el2, x0
  mov x0, #0x3c5           // EL1h, DAIF masked
  msr spsr_el2, x0
  isb
  eret

el1_code:
  wfi                      // TWI
  mrs x1, ctr_el0          // TID2
  msr sctlr_el1, x2        // TVM
  mrs x3, ttbr0_el1        // TRVM
  adr x4, scratch
  dc zva, x4               // TDZ
  tlbi vmalle1             // TTLB
  ic iallu                 // TPU
  fmov d0, x1              // CPTR_EL2.TFP
  mov x0, #9
  hvc #0x99
0: b 0b

el2_handler:
  mov x14, x30
  mov x0, x18
  bl puthex
  PUTC 32
  mrs x0, esr_el2
  bl puthex
  PUTC 32
  mrs x0, elr_el2
  adr x1, _start
  sub x0, x0, x1
  bl puthex
  PUTC 10
  mov x30, x14
  mrs x0, esr_el2
  lsr x1, x0, #26
  cmp x1, #0x16            // HVC: the preferred return is already the next instruction
  b.ne 1f
  and x1, x0, #0xffff
  cmp x1, #0x99
  b.eq finish
  eret
1: mrs x0, elr_el2         // a trap: skip the trapped instruction
  add x0, x0, #4
  msr elr_el2, x0
  eret

finish:
  PUTS s_done
  POWEROFF smc

.balign 2048
vectors_el2:
  .irp off, 0x000,0x080,0x100,0x180,0x200,0x280,0x300,0x380,0x400,0x480,0x500,0x580,0x600,0x680,0x700,0x780
  VECTOR_TO \off, el2_handler
  .endr

.data
s_hello: .asciz "EL2 traps\n"
s_done: .asciz "done\n"
.balign 64
scratch: .skip 64
.balign 16
stack_el2: .skip 256
stack_el2_top:
