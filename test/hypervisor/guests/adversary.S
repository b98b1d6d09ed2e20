// An adversarial domain for test/hypervisor/isolation.test.ts. It runs at EL1 in a 16 MiB domain
// (IPA 0x40000000..0x41000000) beside a victim domain, and tries to reach what is not its own:
//   a  loads/stores beyond its RAM: the victim's host PA and the hypervisor's reserve used as
//      IPAs, emulated and absent devices, IPAs past the stage-2 input size
//   b  SGIs to vCPUs it does not have (ICC_SGI1R_EL1 target lists, IRM "all but self")
//   c  GIC distributor/redistributor writes for interrupts of others (GICv3 map): they reach its
//      own virtual distributor only (or fault: a redistributor of a vCPU it does not have)
//   d  hypercalls with pointers into foreign/unmapped/device memory, then seeded random ones
//   e  EL2/EL3-only instructions, HVC/SMC immediates and PSCI calls on absent vCPUs, ERET to EL2/EL3
// Its vectors count every exception by ESR_EL1.EC and skip the instruction (clearing PSTATE.IL
// after an illegal exception return), so each attempt shows as faulted or not. It prints one
// line per section ("adv x: ..."), which the test parses. The expected addresses assume the
// test's system file (256 MiB board, this domain first): the test checks the layout agrees.
        .file   "adversary.S"

        .equ    OWN_END,        0x41000000      // end of its 16 MiB of RAM (IPA)
        .equ    VICTIM_PA,      0x41000000      // the victim's RAM in host PA
        .equ    RESERVE_PA,     0x4c000000      // the hypervisor's reserve (256 MiB - 64 MiB)
        .equ    GICD,           0x08000000
        .equ    GICR,           0x080a0000
        .equ    RANDOM_CALLS,   2000

        .text
        .globl  main
        .type   main, %function
main:
        stp     x29, x30, [sp, #-48]!
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        adr     x0, vectors
        msr     vbar_el1, x0
        isb

// ---------------------------------------------------------------- a: memory beyond its own
        mov     x19, #0                 // attempts
        mov     x20, #0                 // faulted
        adr     x21, bad_addresses
1:      ldr     x9, [x21], #8
        cbz     x9, 2f
        mov     x10, #0x5a5a
        bl      try_store
        add     x19, x19, #1
        add     x20, x20, x0
        bl      try_load
        add     x19, x19, #1
        add     x20, x20, x0
        bl      try_pair                // STP: no instruction syndrome
        add     x19, x19, #1
        add     x20, x20, x0
        b       1b
2:      // DC ZVA on the victim's PA used as an IPA
        ldr     x9, =VICTIM_PA + 0x100000
        bl      count_now
        mov     x22, x0
        dc      zva, x9
        bl      count_now
        sub     x0, x0, x22
        add     x19, x19, #1
        add     x20, x20, x0
        adr     x0, fmt_a
        mov     x1, x19
        mov     x2, x20
        bl      printf

// ---------------------------------------------------------------- b: SGIs to absent vCPUs
        bl      count_now
        mov     x22, x0
        adr     x21, sgi_values
        mov     x19, #0
3:      ldr     x9, [x21], #8
        cmn     x9, #1
        b.eq    4f
        msr     icc_sgi1r_el1, x9
        msr     icc_asgi1r_el1, x9
        msr     icc_sgi0r_el1, x9
        add     x19, x19, #3
        b       3b
4:      isb
        // Give a wrongly delivered SGI the chance to arrive (IRQs unmasked for a moment).
        msr     daifclr, #2
        mov     x9, #2000
5:      subs    x9, x9, #1
        b.ne    5b
        msr     daifset, #2
        bl      count_now
        sub     x2, x0, x22
        adr     x0, fmt_b
        mov     x1, x19
        adr     x3, irq_count
        ldr     x3, [x3]
        bl      printf

// ---------------------------------------------------------------- c: GIC registers not its own
        mov     x19, #0                 // writes
        mov     x20, #0                 // faulted
        mov     x22, #0                 // read back with a foreign bit set
        adr     x21, gic_writes
6:      ldp     x9, x10, [x21], #16     // address, value (bits of interrupts it does not own)
        cbz     x9, 7f
        bl      try_store32
        add     x19, x19, #1
        add     x20, x20, x0
        cbnz    x0, 6b                  // faulted: nothing to read back
        bl      try_load32              // emulated: the foreign bits must read as 0
        cbnz    x0, 6b
        tst     x11, x10
        cinc    x22, x22, ne
        b       6b
7:      adr     x0, fmt_c
        mov     x1, x19
        mov     x2, x20
        mov     x3, x22
        bl      printf

// ---------------------------------------------------------------- d: hypercalls, bad pointers
        mov     x19, #0                 // calls
        mov     x20, #0                 // -EFAULT results
        adr     x21, bad_pointers
8:      ldr     x22, [x21], #8
        cbz     x22, 9f
        // console_io(CONSOLEIO_write, 16, p)
        mov     x0, #0
        mov     x1, #16
        mov     x2, x22
        mov     x16, #18
        hvc     #0xea1
        cmn     x0, #14
        cinc    x20, x20, eq
        // xen_version(XENVER_extraversion, p)
        mov     x0, #1
        mov     x1, x22
        mov     x16, #17
        hvc     #0xea1
        cmn     x0, #14
        cinc    x20, x20, eq
        // sched_op(SCHEDOP_shutdown, p): the reason must not be read from foreign memory
        mov     x0, #2
        mov     x1, x22
        mov     x16, #29
        hvc     #0xea1
        cmn     x0, #14
        cinc    x20, x20, eq
        add     x19, x19, #3
        b       8b
9:      adr     x0, fmt_d
        mov     x1, x19
        mov     x2, x20
        bl      printf

        // Seeded random calls (xorshift64): numbers from the implemented set or random, command
        // words and pointers random or from the bad list. Counts negative (error) results.
        ldr     x21, =0x9e3779b97f4a7c15 // the seed
        mov     x19, #0
        mov     x20, #0
10:     bl      rand
        and     x9, x0, #7
        adr     x10, call_numbers
        ldr     x16, [x10, x9, lsl #3]
        cmp     x9, #5
        b.lo    11f
        bl      rand
        mov     x16, x0                 // a random hypercall number
11:     bl      rand
        mov     x12, x0                 // command word
        and     x9, x0, #3
        cmp     x9, #3
        b.eq    12f
        and     x12, x12, #0xffffffff00000000
        orr     x12, x12, x9            // 0..2 in the low word, random high bits
        cmp     x16, #29
        b.ne    12f
        cmp     x9, #1
        b.ne    12f
        mov     x12, #0                 // SCHEDOP_block would wait for an interrupt forever: yield
12:     bl      rand
        mov     x13, x0
        bl      pick_pointer
        mov     x14, x0
        bl      pick_pointer
        mov     x15, x0
        bl      rand
        mov     x4, x0
        mov     x0, x12
        tst     x13, #1
        and     x1, x13, #0xff          // small counts and ports mostly ...
        csel    x1, x13, x1, ne         // ... random ones otherwise
        tst     x13, #2
        csel    x1, x14, x1, ne         // or a bad pointer in x1 (xen_version, sched_op)
        mov     x2, x14
        mov     x3, x15
        hvc     #0xea1
        tbz     x0, #63, 13f
        add     x20, x20, #1
13:     add     x19, x19, #1
        cmp     x19, #RANDOM_CALLS
        b.lo    10b
        adr     x0, fmt_d2
        mov     x1, x19
        mov     x2, x20
        bl      printf

// ---------------------------------------------------------------- e: EL2/EL3 instructions
        bl      count_now
        mov     x22, x0
        mov     x0, #0
        msr     hcr_el2, x0
        mrs     x0, hcr_el2
        msr     vttbr_el2, x0
        mrs     x0, vttbr_el2
        msr     vtcr_el2, x0
        msr     vbar_el2, x0
        msr     sctlr_el2, x0
        msr     elr_el2, x0
        msr     spsr_el2, x0
        mrs     x0, esr_el2
        msr     cnthctl_el2, x0
        msr     cntvoff_el2, x0
        msr     vmpidr_el2, x0
        msr     cptr_el2, x0
        msr     icc_sre_el2, x0
        tlbi    alle2
        tlbi    vmalls12e1
        at      s1e2r, x0
        at      s12e1r, x0
        msr     scr_el3, x0
        mrs     x0, scr_el3
        msr     vbar_el3, x0
        tlbi    alle3
        bl      count_now
        sub     x2, x0, x22
        mov     x1, #23
        adr     x3, ec_counts
        ldr     x3, [x3]                // EC 0x00 (UNDEFINED) count so far
        adr     x0, fmt_e1
        bl      printf

        // Exception returns to EL2h, EL2t, EL3h and AArch32 from EL1: illegal (Arm ARM D1.11.4),
        // PSTATE.IL set, the next instruction takes an Illegal Execution state exception (EC 0x0e).
        bl      count_now
        mov     x22, x0
        adr     x21, eret_spsrs
14:     ldr     x9, [x21], #8
        cmn     x9, #1
        b.eq    15f
        msr     spsr_el1, x9
        adr     x9, 16f
        msr     elr_el1, x9
        eret
16:     nop                             // the Illegal Execution state exception skips this
        mrs     x9, CurrentEL
        cmp     x9, #(1 << 2)
        b.ne    fatal_el
        b       14b
15:     bl      count_now
        sub     x2, x0, x22
        adr     x3, ec_counts
        ldr     x3, [x3, #0x0e * 8]
        mov     x1, #4
        adr     x0, fmt_e2
        bl      printf

        // HVC/SMC with immediates the hypervisor gives meaning to (or none) and PSCI calls on
        // vCPUs the domain does not have; x0 results printed in order.
        adr     x21, smccc_calls
        mov     x19, #0
17:     ldp     x9, x0, [x21], #16      // which instruction, function ID
        cmn     x9, #1
        b.eq    18f
        ldp     x1, x2, [x21], #16
        mov     x3, #0
        adr     x10, smccc_insns
        add     x10, x10, x9, lsl #3
        blr     x10
        adr     x10, smccc_results
        str     x0, [x10, x19, lsl #3]
        add     x19, x19, #1
        b       17b
18:     adr     x10, smccc_results
        adr     x0, fmt_e3
        ldp     x1, x2, [x10]
        ldp     x3, x4, [x10, #16]
        bl      printf
        adr     x10, smccc_results
        adr     x0, fmt_e3
        ldp     x1, x2, [x10, #32]
        ldp     x3, x4, [x10, #48]
        bl      printf
        mrs     x1, CurrentEL
        lsr     x1, x1, #2
        adr     x2, exc_count
        ldr     x2, [x2]
        adr     x3, irq_count
        ldr     x3, [x3]
        adr     x0, fmt_done
        bl      printf

        mov     w0, #0
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
        .size   main, . - main

fatal_el:
        adr     x0, fmt_fatal
        mrs     x1, CurrentEL
        bl      printf
        mov     w0, #1
        b       _exit

// Each entry: the instruction, then `ret` (8 bytes).
        .balign 8
smccc_insns:
        hvc     #0
        ret
        hvc     #1
        ret
        hvc     #0x4856                 // the hypervisor's own per-CPU entry immediate
        ret
        hvc     #0xffff
        ret
        smc     #0
        ret
        smc     #0x4856
        ret

// ---------------------------------------------------------------- helpers

// x0 = exceptions taken so far.
count_now:
        adr     x0, exc_count
        ldr     x0, [x0]
        ret

// try_*: one access to x9 (value x10); x0 = 1 if it took an exception, else 0. Loads put the
// value in x11. Each access is a single instruction so that the handler's skip resumes here.
        .macro  TRY name, insn:vararg
\name:
        adr     x12, exc_count
        ldr     x13, [x12]
        \insn
        ldr     x0, [x12]
        sub     x0, x0, x13
        ret
        .endm
        TRY     try_store, str x10, [x9]
        TRY     try_load, ldr x11, [x9]
        TRY     try_pair, stp x10, x10, [x9]
        TRY     try_store32, str w10, [x9]
        TRY     try_load32, ldr w11, [x9]

// x0 = next xorshift64 value of the state in x21.
rand:
        eor     x21, x21, x21, lsl #13
        eor     x21, x21, x21, lsr #7
        eor     x21, x21, x21, lsl #17
        mov     x0, x21
        ret

// x0 = a bad pointer from the list (plus a random offset below 4 KiB) or a random value.
pick_pointer:
        mov     x17, x30
        bl      rand
        mov     x30, x17
        and     x9, x0, #15
        cmp     x9, #NBAD_POINTERS
        b.hs    1f
        adr     x10, bad_pointers
        ldr     x9, [x10, x9, lsl #3]
        ubfx    x0, x0, #16, #12
        add     x0, x0, x9
1:      ret

// ---------------------------------------------------------------- vectors

        .macro  ENTRY label
        .balign 0x80
        b       \label
        .endm
        .balign 0x800
vectors:
        .rept   4
        ENTRY   sync_handler
        ENTRY   irq_handler
        ENTRY   irq_handler
        ENTRY   sync_handler             // SError: counted like a synchronous exception
        .endr

sync_handler:
        stp     x0, x1, [sp, #-16]!
        stp     x2, x3, [sp, #-16]!
        mrs     x0, esr_el1
        ubfx    x0, x0, #26, #6
        adr     x1, ec_counts
        ldr     x2, [x1, x0, lsl #3]
        add     x2, x2, #1
        str     x2, [x1, x0, lsl #3]
        adr     x1, exc_count
        ldr     x2, [x1]
        add     x2, x2, #1
        str     x2, [x1]
        mrs     x0, elr_el1
        add     x0, x0, #4
        msr     elr_el1, x0
        mrs     x0, spsr_el1
        bic     x0, x0, #(1 << 20)      // PSTATE.IL from an illegal exception return
        msr     spsr_el1, x0
        ldp     x2, x3, [sp], #16
        ldp     x0, x1, [sp], #16
        eret

// An interrupt the adversary should never get: counted, then masked in the interrupted PSTATE.
irq_handler:
        stp     x0, x1, [sp, #-16]!
        adr     x0, irq_count
        ldr     x1, [x0]
        add     x1, x1, #1
        str     x1, [x0]
        mrs     x0, spsr_el1
        orr     x0, x0, #(1 << 7)
        msr     spsr_el1, x0
        ldp     x0, x1, [sp], #16
        eret

// ---------------------------------------------------------------- data

        .section .rodata
        .balign 8
bad_addresses:                          // a: each gets a store, a load and a pair store
        .quad   OWN_END                 // just past its RAM = the victim's PA as an IPA
        .quad   VICTIM_PA + 0x100000    // the victim's pattern, by host PA
        .quad   VICTIM_PA + 0xfffff8    // the victim's last bytes
        .quad   RESERVE_PA              // the hypervisor's stubs
        .quad   RESERVE_PA + 0x1000     // its EL2 vectors
        .quad   RESERVE_PA + 0x10000    // its stage-2 table pool
        .quad   0x40000000 + 0x10000000 - 8 // the board's last RAM bytes
        .quad   GICD + 0x10000          // GICv2's CPU interface on virt: absent with GICv3
        .quad   GICR + 0x20000          // a redistributor of a vCPU it does not have
        .quad   0x09001000              // the page after its vUART
        .quad   0x09010000              // PL031 RTC (not passed through)
        .quad   0x0a000000              // virtio-mmio
        .quad   0x00000008              // flash
        .quad   0x100000000             // 4 GiB: nothing
        .quad   0x7ffffff000            // the last page below 2^39 (stage-2 input size)
        .quad   0x8000000000            // 2^39: beyond stage 2's input range
        .quad   0x0000fffffffff000      // top of a 48-bit address space
        .quad   0

sgi_values:                             // ICC_SGI1R_EL1: TargetList 15:0, Aff1 23:16, INTID 27:24, IRM 40
        .quad   (0xfffe) | (1 << 24)                    // vCPUs 1..15 of cluster 0
        .quad   (0xffff) | (1 << 16) | (2 << 24)        // every vCPU of cluster 1
        .quad   (1 << 40) | (3 << 24)                   // IRM: all but self
        .quad   (0xffff) | (0xff << 16) | (0xff << 32) | (0xff << 48) | (15 << 24)
        .quad   -1

gic_writes:                             // c: address, value; GICv3 register map (IHI 0069)
        .quad   GICD + 0x0000, 0x00000000                 // GICD_CTLR: disable everything
        .quad   GICD + 0x0104, 0xfffffffd                 // GICD_ISENABLER1: SPIs 32..63 but its vUART's 33
        .quad   GICD + 0x0108, 0xffffffff                 // GICD_ISENABLER2: SPIs 64..95
        .quad   GICD + 0x0184, 0xfffffffd                 // GICD_ICENABLER1
        .quad   GICD + 0x0204, 0xfffffffd                 // GICD_ISPENDR1: make others' SPIs pending
        .quad   GICD + 0x0304, 0xfffffffd                 // GICD_ISACTIVER1
        .quad   GICD + 0x0424, 0xffffffff                 // GICD_IPRIORITYR9: SPIs 36..39
        .quad   GICD + 0x0c08, 0xfffffff3                 // GICD_ICFGR2: SPIs 32..47 but 33
        .quad   GICD + 0x6100, 0x00000001                 // GICD_IROUTER32 -> PE 1 (low word)
        .quad   GICD + 0x6110, 0x80000000                 // GICD_IROUTER34: 1-of-N
        .quad   GICR + 0x20000 + 0x10000 + 0x100, 0xffffffff  // vCPU 1's GICR_ISENABLER0
        .quad   GICR + 0x20000 + 0x10000 + 0x200, 0xffffffff  // vCPU 1's GICR_ISPENDR0
        .quad   GICR + 0x20000 + 0x0014, 0x00000000       // vCPU 1's GICR_WAKER
        .quad   0, 0

bad_pointers:                           // d
        .quad   VICTIM_PA + 0x100000    // foreign RAM (as an IPA: nothing; as a PA: the victim)
        .quad   RESERVE_PA + 0x10000    // the hypervisor's tables
        .quad   0x09000000              // its own vUART: a device, not RAM
        .quad   GICD
        .quad   0x00000010              // flash
        .quad   OWN_END - 2             // straddles the end of its RAM (even a 4-byte read)
        .quad   0x8000000000            // beyond the IPA space
        .quad   0xfffffffffffff000      // the top of the VA space
        .equ    NBAD_POINTERS, (. - bad_pointers) / 8
        .quad   0

call_numbers:
        .quad   17, 18, 29, 0x48560001, 18, 0, 0, 0

eret_spsrs:
        .quad   0x3c9                   // EL2h
        .quad   0x3c8                   // EL2t
        .quad   0x3cd                   // EL3h
        .quad   0x3d0                   // AArch32 User (no AArch32 here)
        .quad   -1

smccc_calls:                            // insn index, x0, x1, x2
        .quad   0, 0xc4000003, 1, VICTIM_PA              // CPU_ON vCPU 1 (absent), entry in foreign RAM
        .quad   0, 0xc4000003, 0x100, 0x40200000         // CPU_ON Aff1 = 1 (absent)
        .quad   0, 0xc4000003, 0, 0x40200000             // CPU_ON itself (on)
        .quad   0, 0xc4000004, 1, 0                      // AFFINITY_INFO vCPU 1 (absent)
        .quad   1, 0xc2000000, 0, 0                      // HVC #1: a SiP call
        .quad   2, 0xc4000003, 1, RESERVE_PA             // HVC #0x4856 (the entry stub's immediate)
        .quad   3, 0x84000000, 0, 0                      // HVC #0xffff: PSCI_VERSION
        .quad   4, 0xc4000003, 5, RESERVE_PA             // SMC CPU_ON vCPU 5, entry in the reserve
        .quad   -1, 0

fmt_a:  .asciz  "adv a: %lu accesses, %lu faulted\n"
fmt_b:  .asciz  "adv b: %lu SGI writes, %lu exceptions, %lu irqs\n"
fmt_c:  .asciz  "adv c: %lu GIC writes, %lu faulted, %lu took effect\n"
fmt_d:  .asciz  "adv d: %lu bad-pointer calls, %lu -EFAULT\n"
fmt_d2: .asciz  "adv d: %lu random calls, %lu errors\n"
fmt_e1: .asciz  "adv e: %lu EL2/EL3 instructions, %lu exceptions, %lu undefined\n"
fmt_e2: .asciz  "adv e: %lu illegal returns, %lu exceptions, %lu illegal-state\n"
fmt_e3: .asciz  "adv e: smccc %ld %ld %ld %ld\n"
fmt_done: .asciz "adv done: EL%lu, %lu exceptions, %lu irqs\n"
fmt_fatal: .asciz "adv FATAL: CurrentEL 0x%lx after an illegal return\n"

        .bss
        .balign 8
exc_count:      .quad   0
irq_count:      .quad   0
ec_counts:      .space  64 * 8
smccc_results:  .space  8 * 8
