// crt0 for hvlab's bare-metal examples and test programs (QEMU `virt`, entered at EL1 with the
// MMU off, as `qemu-system-aarch64 -M virt -kernel prog.elf` does for an ELF that is not Linux).
//
// _start: stack in .bss, FP/SIMD on, .bss zeroed, main(), then PSCI SYSTEM_OFF through HVC
// (QEMU's virt firmware conduit is HVC when the guest starts at EL1). main's return value is
// passed to _exit, which prints it if it is not zero. x0 at entry is kept in __boot_x0: the DTB
// address under a hypervisor or with a Linux-style boot (0 for QEMU's plain ELF boot, which puts
// the DTB at the RAM base instead).

        .file   "crt0.S"

        .section .text.boot, "ax"
        .globl  _start
        .type   _start, %function
_start:
        mov     x19, x0
        adrp    x0, __stack_top
        add     x0, x0, :lo12:__stack_top
        mov     sp, x0

        // CPACR_EL1.FPEN = 0b11 (bits 21:20): FP/SIMD does not trap at EL1/EL0 (Arm ARM D19.2.30).
        mov     x0, #(3 << 20)
        msr     cpacr_el1, x0
        isb

        // Zero .bss (the linker script keeps both ends 16-byte aligned).
        adrp    x0, __bss_start
        add     x0, x0, :lo12:__bss_start
        adrp    x1, __bss_end
        add     x1, x1, :lo12:__bss_end
1:      cmp     x0, x1
        b.hs    2f
        stp     xzr, xzr, [x0], #16
        b       1b
2:
        adrp    x0, __boot_x0
        str     x19, [x0, :lo12:__boot_x0]
        mov     x29, #0
        mov     x30, #0
        bl      main
        b       _exit
        .size   _start, . - _start

        .bss
        .balign 8
        .globl  __boot_x0
        .type   __boot_x0, %object
__boot_x0:
        .quad   0
        .size   __boot_x0, 8

// void _exit(int status): report a non-zero status, then power off.
        .text
        .globl  _exit
        .type   _exit, %function
_exit:
        cbz     w0, 3f
        bl      __report_exit
3:
        // PSCI SYSTEM_OFF (Arm DEN 0022): function ID 0x84000008 in W0, SMCCC immediate 0.
        movz    w0, #0x0008
        movk    w0, #0x8400, lsl #16
        hvc     #0
4:      wfi
        b       4b
        .size   _exit, . - _exit
