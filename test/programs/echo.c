/* UART0 receive: enables the PL011 receiver with FIFOs (CR = UARTEN | TXE | RXE, LCR_H.FEN),
   then echoes every received character, bracketed, until input stops for a long while (a
   bounded number of idle polls of FR.RXFE) or a 'q' arrives; prints how many it got. With no
   input at all (the differential run against QEMU) it prints the same two lines on both.
   test/emulator/cli-serial.test.ts pipes text into it through `hvlab run -nographic`. */
#include "common.h"

#define UART0 0x09000000UL
#define REG(off) (*(volatile uint32_t *)(UART0 + (off)))
#define DR 0x000
#define FR 0x018
#define LCR_H 0x02c
#define CR 0x030
#define FR_RXFE (1u << 4)
#define IDLE_POLLS 500000u

int main(void)
{
    REG(LCR_H) = (3u << 5) | (1u << 4); /* 8 bits, FIFOs enabled */
    REG(CR) = (1u << 0) | (1u << 8) | (1u << 9);
    puts("echo: ready");
    unsigned got = 0, idle = 0;
    for (;;) {
        if (REG(FR) & FR_RXFE) {
            if (++idle >= IDLE_POLLS) break;
            continue;
        }
        idle = 0;
        unsigned c = REG(DR) & 0xff;
        got++;
        printf("[%c]", c == '\n' ? '$' : (int)c);
        if (c == 'q') break;
    }
    printf("\necho: %u characters\n", got);
    return 0;
}
