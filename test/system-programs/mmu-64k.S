// Stage 1 at EL1 with the 64 KiB granule (TCR_EL1.TG0 = 0b01, T0SZ = 25: the walk starts at
// level 2, whose entries cover 512 MiB; 13 bits of index per level). Level 2: [0] a Device block
// over 0x00000000-0x1fffffff (UART0), [2] a Normal block over RAM at 0x40000000, [4] -> a level 3
// table of 64 KiB pages at VA 0x80000000. The test itself is mmu-granule.inc's.
#define PAGE 0x10000
#define TCR_TG0 (1 << 14)
.macro BUILD_TABLES
  adr x20, l2
  adr x23, l3
  movz x0, #0x0401              // L2[0]: 512 MiB block at 0, Device (AttrIndx 0), AF
  str x0, [x20, #0]
  movz x0, #0x4000, lsl #16
  movz x1, #0x0705              // L2[2]: 512 MiB block at 0x40000000, Normal, ISH, AF
  orr x0, x0, x1
  str x0, [x20, #16]
  orr x0, x23, #3               // L2[4] -> l3
  str x0, [x20, #32]
.endm
#include "mmu-granule.inc"
.balign PAGE
l2: .skip PAGE
l3: .skip PAGE
