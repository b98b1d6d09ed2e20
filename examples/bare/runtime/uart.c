/* Console for bare-metal programs on the `virt` board: PL011 UART0 at 0x09000000. Writing the
   data register (UARTDR, offset 0) sends a byte once UARTFR.TXFF (bit 5) is clear. QEMU's model
   and hvlab's bare board never fill the FIFO, but a hypervisor's emulated SBSA UART may, and the
   poll costs one load. Output is raw: '\n' is not turned into "\r\n", so QEMU's and hvlab's
   captures compare byte for byte.

   Every device access is one 32-bit LDR/STR with a plain base register (no writeback, no pair,
   no SIMD), written in inline assembly so the compiler cannot pick another form: a hypervisor
   emulates MMIO from the data-abort syndrome, which is valid only for such single accesses
   (Arm ARM, ESR_ELx ISS encoding for a Data Abort: ISV). */
#include "bare.h"

#define UART0_BASE 0x09000000UL
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5)

static inline uint32_t uart_read(unsigned long off)
{
    uint32_t v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(UART0_BASE + off) : "memory");
    return v;
}

static inline void uart_write(unsigned long off, uint32_t v)
{
    __asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(UART0_BASE + off) : "memory");
}

int putchar(int c)
{
    while (uart_read(UART_FR) & UART_FR_TXFF)
        ;
    uart_write(UART_DR, (uint32_t)(unsigned char)c);
    return (unsigned char)c;
}

void putstr(const char *s)
{
    while (*s)
        putchar(*s++);
}

int puts(const char *s)
{
    putstr(s);
    putchar('\n');
    return 0;
}

/* ---- formatting: %d %i %u %x %X %o %c %s %p %%, length modifiers hh h l ll z t j,
        flags '-' '0' '+' ' ' '#', field width and precision (both may be '*'). ---- */

struct out {
    char *buf;      /* NULL: write to the UART */
    size_t size;
    size_t len;     /* characters produced (even past size) */
};

static void emit(struct out *o, char c)
{
    if (!o->buf)
        putchar(c);
    else if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void emit_pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        emit(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16, F_UPPER = 32 };

static void emit_number(struct out *o, unsigned long long v, int neg, unsigned base,
                        int flags, int width, int prec)
{
    char digits[24];
    const char *set = (flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0, is_zero = v == 0;
    while (v) {
        digits[n++] = set[v % base];
        v /= base;
    }
    if (prec < 0 && n == 0)
        digits[n++] = '0';
    int zeros = prec > n ? prec - n : 0;
    char sign = neg ? '-' : (flags & F_PLUS) ? '+' : (flags & F_SPACE) ? ' ' : 0;
    const char *prefix = "";
    if ((flags & F_ALT) && base == 16 && !is_zero)
        prefix = (flags & F_UPPER) ? "0X" : "0x";
    if ((flags & F_ALT) && base == 8 && zeros == 0 && (n == 0 || digits[n - 1] != '0'))
        zeros = 1;
    int plen = (int)strlen(prefix);
    int body = n + zeros + plen + (sign ? 1 : 0);
    int pad = width > body ? width - body : 0;
    if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!(flags & F_LEFT))
        emit_pad(o, ' ', pad);
    if (sign)
        emit(o, sign);
    for (const char *p = prefix; *p; p++)
        emit(o, *p);
    emit_pad(o, '0', zeros);
    while (n)
        emit(o, digits[--n]);
    if (flags & F_LEFT)
        emit_pad(o, ' ', pad);
}

static void format(struct out *o, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            emit(o, *fmt);
            continue;
        }
        int flags = 0, width = 0, prec = -1, lng = 0;
        for (;;) {
            char f = *++fmt;
            if (f == '-') flags |= F_LEFT;
            else if (f == '0') flags |= F_ZERO;
            else if (f == '+') flags |= F_PLUS;
            else if (f == ' ') flags |= F_SPACE;
            else if (f == '#') flags |= F_ALT;
            else break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        /* length: -2 hh, -1 h, 0 int, 1 long, 2 long long */
        for (;;) {
            if (*fmt == 'h') lng--;
            else if (*fmt == 'l') lng++;
            else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') lng = 1;
            else break;
            fmt++;
        }
        char c = *fmt;
        switch (c) {
        case 'd': case 'i': {
            long long v;
            if (lng >= 1) v = lng == 1 ? va_arg(ap, long) : va_arg(ap, long long);
            else {
                v = va_arg(ap, int);
                if (lng == -1) v = (short)v;
                else if (lng <= -2) v = (signed char)v;
            }
            unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            emit_number(o, u, v < 0, 10, flags, width, prec);
            break;
        }
        case 'u': case 'x': case 'X': case 'o': {
            unsigned long long v;
            if (lng >= 1) v = lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned long long);
            else {
                v = va_arg(ap, unsigned int);
                if (lng == -1) v = (unsigned short)v;
                else if (lng <= -2) v = (unsigned char)v;
            }
            if (c == 'X') flags |= F_UPPER;
            emit_number(o, v, 0, c == 'u' ? 10 : c == 'o' ? 8 : 16, flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            emit_number(o, v, 0, 16, (flags | F_ALT) & ~F_ZERO, width, prec);
            break;
        }
        case 'c': {
            char ch = (char)va_arg(ap, int);
            if (!(flags & F_LEFT)) emit_pad(o, ' ', width - 1);
            emit(o, ch);
            if (flags & F_LEFT) emit_pad(o, ' ', width - 1);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            int n = 0;
            while (s[n] && (prec < 0 || n < prec)) n++;
            if (!(flags & F_LEFT)) emit_pad(o, ' ', width - n);
            for (int i = 0; i < n; i++) emit(o, s[i]);
            if (flags & F_LEFT) emit_pad(o, ' ', width - n);
            break;
        }
        case '%':
            emit(o, '%');
            break;
        case 0:
            return;
        default:    /* unknown conversion: show it as written */
            emit(o, '%');
            emit(o, c);
            break;
        }
    }
}

int vprintf(const char *fmt, va_list ap)
{
    struct out o = { 0, 0, 0 };
    format(&o, fmt, ap);
    return (int)o.len;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    format(&o, fmt, ap);
    if (size)
        buf[o.len < size ? o.len : size - 1] = 0;
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Called by _exit (crt0.S) for a non-zero status. */
void __report_exit(int status)
{
    printf("exit status %d\n", status);
}
