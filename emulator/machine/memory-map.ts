// QEMU `virt` board memory map (hw/arm/virt.c, base_memmap) and interrupt numbers, so that guests
// built for QEMU find their devices where they expect them.
/**
 * CPUs hvlab's virt board runs (the "up to 8", QEMU's own limit for virt with GICv2; with
 * GICv3 QEMU's redistributor region would hold 123). One number for -smp, the board and system files.
 */
export const VIRT_MAX_CPUS = 8;

export const VIRT = {
  GIC_DIST: 0x08000000,
  GIC_REDIST: 0x080a0000,
  UART0: 0x09000000,
  RTC: 0x09010000,
  /** QEMU virt's second PL011 slot (VIRT_SECURE_UART in QEMU 7.2, which maps nothing there for -M virt). */
  UART1: 0x09040000,
  /** QEMU virt's VIRT_SECURE_GPIO: a PL061 in the Secure PA space only (secure=on). */
  SECURE_GPIO: 0x090b0000,
  RAM: 0x40000000,
  UART0_SPI: 1, // INTID 33
  UART1_SPI: 8, // INTID 40
  /** virt.c's irqmap has no entry for VIRT_SECURE_GPIO: create_gpio_devices connects it to SPI 0 (INTID 32). */
  SECURE_GPIO_SPI: 0,
} as const;
