// Stage 1 at EL1 with the 16 KiB granule (TCR_EL1.TG0 = 0b10, T0SZ = 25: the walk starts at
// level 1 with 8 entries of 64 GiB; 11 bits of index per level below; blocks exist at level 2
// only, 32 MiB each). Level 1 [0] -> level 2: [4] a Device block over 0x08000000-0x09ffffff
// (UART0), [32] a Normal block over 0x40000000-0x41ffffff (this program), [64] -> a level 3
// table of 16 KiB pages at VA 0x80000000. FEAT_TGran16: QEMU's cortex-a53 has no 16 KiB
// granule, so this runs on -cpu max. The test itself is mmu-granule.inc's.
#define PAGE 0x4000
#define TCR_TG0 (2 << 14)
.macro BUILD_TABLES
  adr x20, l1
  adr x21, l2
  adr x23, l3
  orr x0, x21, #3               // L1[0] -> l2
  str x0, [x20, #0]
  movz x0, #0x0800, lsl #16
  movz x1, #0x0401              // L2[4]: 32 MiB block at 0x08000000, Device, AF
  orr x0, x0, x1
  str x0, [x21, #4*8]
  movz x0, #0x4000, lsl #16
  movz x1, #0x0705              // L2[32]: 32 MiB block at 0x40000000, Normal, ISH, AF
  orr x0, x0, x1
  str x0, [x21, #32*8]
  orr x0, x23, #3               // L2[64] -> l3
  str x0, [x21, #64*8]
.endm
#include "mmu-granule.inc"
.balign PAGE
l1: .skip PAGE
l2: .skip PAGE
l3: .skip PAGE
