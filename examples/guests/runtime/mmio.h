/* Device register accessors. Each is exactly one LDR or STR with a plain base register (no
   offset writeback, no pair, no SIMD), as Linux's readl/writel: a hypervisor emulates a trapped
   MMIO access from the Data Abort syndrome (ESR_EL2.ISS: ISV, SAS, SRT, WnR), which describes
   only such single general-register accesses (Arm ARM, ISS encoding for an exception from a Data
   Abort). A C pointer dereference would leave the choice of instruction to the compiler. */
#ifndef HVLAB_GUEST_MMIO_H
#define HVLAB_GUEST_MMIO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
    uint32_t v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
    __asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
    uint64_t v;
    __asm__ volatile("ldr %x0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

static inline void mmio_write64(uintptr_t addr, uint64_t v)
{
    __asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

#endif
