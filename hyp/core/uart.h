/* SPDX-License-Identifier: MIT */
/* PL011 console of QEMU's virt machine (0x09000000). */
#ifndef HYP_UART_H
#define HYP_UART_H

void uart_putc(char c);
void uart_puts(const char *s);

#endif
