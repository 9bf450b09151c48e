/* SPDX-License-Identifier: MIT */
/* Console output; the formats are s2_snprintf()'s (include/s2/err.h). */
#ifndef HYP_PRINTF_H
#define HYP_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
int snprintf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
