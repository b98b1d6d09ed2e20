// enable_mmu: stage 1 on at EL1 with the 4 KiB granule, for the MMU-on run of the benchmark.
// T0SZ = 25 (39-bit VAs, walk from level 1): RAM identity-mapped by the 1 GiB block at
// 0x40000000 (Normal write-back), UART0's 2 MiB region by a level-2 Device block. Caches on.
        .text
        .globl  enable_mmu
        .type   enable_mmu, %function
enable_mmu:
        adrp    x0, mmu_l1
        add     x0, x0, :lo12:mmu_l1
        adrp    x1, mmu_l2
        add     x1, x1, :lo12:mmu_l2
        orr     x2, x1, #3                  // L1[0] -> L2 (table)
        str     x2, [x0]
        movz    x2, #0x4000, lsl #16        // L1[1]: 1 GiB block, AF | ISH | AttrIndx 1
        movz    x3, #0x0705
        orr     x2, x2, x3
        str     x2, [x0, #8]
        movz    x2, #0x0900, lsl #16        // L2[72]: 2 MiB Device block (AttrIndx 0) for UART0
        movz    x3, #0x0401
        orr     x2, x2, x3
        str     x2, [x1, #72*8]
        mov     x2, #0xff00                 // MAIR: attr0 Device-nGnRnE, attr1 Normal WB
        msr     mair_el1, x2
        movz    x2, #0x3519                 // TCR: T0SZ=25, IRGN0=ORGN0=WB, SH0=ISH, TG0=4K
        movk    x2, #0x0080, lsl #16        // EPD1: no TTBR1 walks
        movk    x2, #0x0002, lsl #32        // IPS: 40 bits
        msr     tcr_el1, x2
        msr     ttbr0_el1, x0
        dsb     ish
        isb
        mrs     x2, sctlr_el1
        orr     x2, x2, #1                  // M
        orr     x2, x2, #(1 << 2)           // C
        orr     x2, x2, #(1 << 12)          // I
        msr     sctlr_el1, x2
        isb
        ret
        .size   enable_mmu, . - enable_mmu

        .bss
        .balign 4096
mmu_l1: .skip   4096
mmu_l2: .skip   4096
