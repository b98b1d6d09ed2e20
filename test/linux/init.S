// /init for the Linux boot test: a static AArch64 Linux program of our own (no libc, no FP/SIMD)
// that prints a marker line through write(2) and powers the machine off with reboot(2).
// Linux AArch64 syscall ABI: number in x8, arguments in x0-x5, `svc #0`.
        .text
        .globl  _start
_start:
        mov     x0, #1                  // fd 1 (the console)
        adr     x1, marker
        mov     x2, #(marker_end - marker)
        mov     x8, #64                 // __NR_write
        svc     #0
        movz    x0, #0xdead             // LINUX_REBOOT_MAGIC1 = 0xfee1dead
        movk    x0, #0xfee1, lsl #16
        movz    x1, #0x1969             // LINUX_REBOOT_MAGIC2 = 0x28121969
        movk    x1, #0x2812, lsl #16
        movz    x2, #0xfedc             // LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedc
        movk    x2, #0x4321, lsl #16
        mov     x3, #0
        mov     x8, #142                // __NR_reboot
        svc     #0
1:      b       1b
marker:
        .ascii  "HVLAB-INIT: hello from userspace\n"
marker_end:
