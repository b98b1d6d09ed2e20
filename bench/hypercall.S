// `npm run bench`: the hypercall round trip seen from a guest. It runs N iterations of an empty
// loop and N xen_version(XENVER_version) calls (HVC #0xEA1, x16 = 17), reading CNTVCT_EL0 around
// each, and prints both tick counts (62.5 MHz: 16 ns per tick) for bench/run.ts to parse.
        .file   "hypercall.S"
        .equ    CALLS, 100000

        .text
        .globl  main
        .type   main, %function
main:
        stp     x29, x30, [sp, #-32]!
        stp     x19, x20, [sp, #16]
        ldr     x9, =CALLS
        isb
        mrs     x19, cntvct_el0
1:      subs    x9, x9, #1              // the loop alone
        b.ne    1b
        isb
        mrs     x20, cntvct_el0
        sub     x20, x20, x19           // loop ticks
        ldr     x9, =CALLS
        isb
        mrs     x19, cntvct_el0
2:      mov     x0, #0                  // XENVER_version
        mov     x16, #17
        hvc     #0xea1
        subs    x9, x9, #1
        b.ne    2b
        isb
        mrs     x2, cntvct_el0
        sub     x2, x2, x19             // call loop ticks
        mov     x3, x0                  // the last result (0x40011: Xen 4.17)
        mov     x1, x20
        adr     x0, fmt
        ldr     x4, =CALLS
        bl      printf
        mov     w0, #0
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret
        .size   main, . - main

        .section .rodata
fmt:    .asciz  "hypercall bench: loop %lu ticks, calls %lu ticks, xen_version 0x%lx, %lu calls\n"
