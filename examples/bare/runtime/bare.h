/* The bare-metal runtime's whole interface (examples/bare/runtime): console output on the
   `virt` board's PL011 UART0, a small printf, and the few string functions GCC may call even
   in freestanding code. */
#ifndef HVLAB_BARE_H
#define HVLAB_BARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

int putchar(int c);
int puts(const char *s);            /* appends '\n' like the C library's */
void putstr(const char *s);         /* no newline */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
char *strcpy(char *dst, const char *src);

/* x0 as the program was entered with (saved by crt0): the DTB address when a hypervisor or a
   Linux-style loader passes one, else 0. */
extern uint64_t __boot_x0;

/* Powers the board off through PSCI SYSTEM_OFF; prints the status first if it is not zero. */
void _exit(int status) __attribute__((noreturn));

#endif
