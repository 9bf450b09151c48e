/* SPDX-License-Identifier: MIT */
/*
 * A small freestanding formatter for diagnostics: the core library runs at
 * EL2 without libc, so it cannot use snprintf.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <s2/err.h>

struct out {
	char *buf;
	unsigned long len, pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

/* As C's printf: the sign or "0x" (only for non-zero values) counts in
   the width; space padding goes before it (after the number when
   left-justified), zero padding after it. */
static void put_num(struct out *o, unsigned long long v, unsigned base,
		    bool neg, bool alt, unsigned width, bool zero, bool left)
{
	const char *prefix = neg ? "-" : alt && base == 16 && v ? "0x" : "";
	char tmp[24];
	unsigned n = 0, len;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	len = n;
	for (const char *p = prefix; *p; p++)
		len++;
	zero = zero && !left;
	for (; !zero && !left && len < width; width--)
		put(o, ' ');
	while (*prefix)
		put(o, *prefix++);
	for (; zero && len < width; width--)
		put(o, '0');
	while (n)
		put(o, tmp[--n]);
	for (; left && len < width; width--)
		put(o, ' ');
}

static void put_str(struct out *o, const char *str, unsigned width, bool left)
{
	unsigned n = 0;

	while (str[n])
		n++;
	for (; !left && n < width; width--)
		put(o, ' ');
	for (unsigned i = 0; i < n; i++)
		put(o, str[i]);
	for (; left && n < width; width--)
		put(o, ' ');
}

int s2_vsnprintf(char *buf, unsigned long len, const char *fmt, va_list ap)
{
	struct out o = { buf, len, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		bool alt = false, zero = false, left = false;
		unsigned width = 0, lng = 0;

		for (fmt++;; fmt++) {
			if (*fmt == '#')
				alt = true;
			else if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		if (*fmt == '*') {
			int w = va_arg(ap, int);
			width = w > 0 ? (unsigned)w : 0;
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l') { lng++; fmt++; }
		if (*fmt == 'z') {        /* size_t: as long on LP64 */
			lng = 1;
			fmt++;
		}

		unsigned long long u;
		long long s;
		switch (*fmt) {
		case 'd':
			s = lng >= 2 ? va_arg(ap, long long) :
			    lng ? va_arg(ap, long) : va_arg(ap, int);
			put_num(&o, s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s,
				10, s < 0, false, width, zero, left);
			break;
		case 'u':
		case 'x':
			u = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			put_num(&o, u, *fmt == 'u' ? 10 : 16, false, alt, width, zero, left);
			break;
		case 'p':
			put_num(&o, (unsigned long long)(uintptr_t)va_arg(ap, void *), 16, false,
				true, width, zero, left);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			put_str(&o, str ? str : "(null)", width, left);
			break;
		}
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), '\0' };
			put_str(&o, c, width, left);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:      /* unknown conversion: print it verbatim */
			put(&o, '%');
			if (!*fmt)
				fmt--;
			else
				put(&o, *fmt);
		}
	}
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = '\0';
	return (int)(o.pos < len ? o.pos : len - 1);
}

int s2_snprintf(char *buf, unsigned long len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = s2_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

int s2_diag_set(struct s2_diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (d) {
		va_start(ap, fmt);
		s2_vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

const char *s2_errname(int err)
{
	switch (err) {
	case 0: return "OK";
	case S2_ENOENT: return "ENOENT";
	case S2_EAGAIN: return "EAGAIN";
	case S2_ENOMEM: return "ENOMEM";
	case S2_EEXIST: return "EEXIST";
	case S2_EINVAL: return "EINVAL";
	case S2_ERANGE: return "ERANGE";
	case S2_ENOTSUP: return "ENOTSUP";
	default: return "EUNKNOWN";
	}
}
