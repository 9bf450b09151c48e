/* SPDX-License-Identifier: MIT */
/* Console output through the library's freestanding formatter. */
#include <s2/err.h>
#include "printf.h"
#include "uart.h"

int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	return s2_vsnprintf(buf, len, fmt, ap);
}

int snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = s2_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = s2_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	uart_puts(line);
	return n;
}
