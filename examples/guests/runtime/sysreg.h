/* System register access by name (the assembler knows the ICC_*, CNTV_* names). */
#ifndef HVLAB_GUEST_SYSREG_H
#define HVLAB_GUEST_SYSREG_H

#include <stdint.h>

#define read_sysreg(reg) ({ uint64_t __v; __asm__ volatile("mrs %0, " #reg : "=r"(__v)); __v; })
#define write_sysreg(reg, v) __asm__ volatile("msr " #reg ", %x0" : : "rZ"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" : : : "memory")
#define wfi() __asm__ volatile("wfi" : : : "memory")
#define irq_enable() __asm__ volatile("msr daifclr, #2" : : : "memory")
#define irq_disable() __asm__ volatile("msr daifset, #2" : : : "memory")

#endif
