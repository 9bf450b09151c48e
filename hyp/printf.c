/* SPDX-License-Identifier: MIT */
/*
 * A small formatter. The library's s2_snprintf() has no va_list entry
 * point and no left-justified strings, which the reports' tables need.
 */
#include <stdbool.h>
#include <stdint.h>
#include "printf.h"
#include "uart.h"

struct sink {
	char *buf;
	size_t len, pos;
};

static void put(struct sink *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void pad(struct sink *o, unsigned n, char c)
{
	while (n--)
		put(o, c);
}

static void put_str(struct sink *o, const char *s, unsigned width, bool left)
{
	unsigned n = 0;

	while (s[n])
		n++;
	if (!left && width > n)
		pad(o, width - n, ' ');
	for (unsigned i = 0; i < n; i++)
		put(o, s[i]);
	if (left && width > n)
		pad(o, width - n, ' ');
}

int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct sink o = { buf, len, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		bool left = false, zero = false, alt = false;
		unsigned width = 0, lng = 0;

		for (fmt++;; fmt++) {
			if (*fmt == '-') left = true;
			else if (*fmt == '0') zero = true;
			else if (*fmt == '#') alt = true;
			else break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}

		char num[32], tmp[24], *p = num;
		unsigned long long u;
		long long s;
		unsigned n = 0;

		switch (*fmt) {
		case 's': {
			const char *str = va_arg(ap, const char *);
			put_str(&o, str ? str : "(null)", width, left);
			continue;
		}
		case 'c':
			num[0] = (char)va_arg(ap, int);
			num[1] = 0;
			put_str(&o, num, width, left);
			continue;
		case '%':
			put(&o, '%');
			continue;
		case 'd':
			s = lng ? va_arg(ap, long long) : va_arg(ap, int);
			if (s < 0)
				*p++ = '-';
			u = s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s;
			do tmp[n++] = (char)('0' + u % 10); while (u /= 10);
			break;
		case 'p':
			alt = true;
			lng = 2;
			/* fall through */
		case 'x':
		case 'u':
			u = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			if (*fmt == 'u') {
				do tmp[n++] = (char)('0' + u % 10); while (u /= 10);
			} else {
				do tmp[n++] = "0123456789abcdef"[u & 15]; while (u >>= 4);
				if (alt) {
					*p++ = '0';
					*p++ = 'x';
				}
			}
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			continue;
		}
		/* Zero padding goes between the sign/prefix and the digits. */
		unsigned prefix = (unsigned)(p - num);
		if (zero && !left)
			while (n + prefix < width && n < sizeof(tmp))
				tmp[n++] = '0';
		while (n)
			*p++ = tmp[--n];
		*p = 0;
		put_str(&o, num, width, left);
	}
	if (len)
		o.buf[o.pos < len ? o.pos : len - 1] = 0;
	return (int)o.pos;
}

int snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	uart_puts(line);
	return n;
}
