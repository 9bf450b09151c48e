/* SPDX-License-Identifier: MIT */
/*
 * PL011 transmit only (ARM PrimeCell UART PL011 TRM: UARTDR at 0x000,
 * UARTFR.TXFF bit 5 at 0x018). QEMU's model needs no baud setup; the
 * accesses are 32-bit, aligned, without writeback.
 */
#include <stdint.h>
#include "uart.h"

#define UART_BASE 0x09000000UL
#define UARTDR    0x000
#define UARTFR    0x018
#define FR_TXFF   (1u << 5)

static inline volatile uint32_t *reg(unsigned off)
{
	return (volatile uint32_t *)(UART_BASE + off);
}

void uart_putc(char c)
{
	while (*reg(UARTFR) & FR_TXFF)
		;
	*reg(UARTDR) = (uint32_t)(unsigned char)c;
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}
