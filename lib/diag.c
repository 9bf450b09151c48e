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

/* One conversion's flags, width and precision (-1: none). */
struct spec {
	bool alt, zero, left, plus, space, upper;
	unsigned width;
	int prec;
};

/* As C's printf: the sign or "0x" (only for non-zero values) counts in
   the width; space padding goes before it (after the number when
   left-justified), zero padding after it. A precision is the least
   number of digits (none for a zero value at precision 0) and turns the
   '0' flag off. */
static void put_num(struct out *o, unsigned long long v, unsigned base, bool neg,
		    const struct spec *sp)
{
	const char *digits = sp->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	const char *prefix = neg ? "-" : base == 10 && sp->plus ? "+" :
			     base == 10 && sp->space ? " " :
			     sp->alt && base == 16 && v ? (sp->upper ? "0X" : "0x") : "";
	unsigned width = sp->width, n = 0, len, lead = 0;
	bool zero = sp->zero && !sp->left && sp->prec < 0;
	char tmp[24];

	if (v || sp->prec != 0) {
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v);
	}
	if (sp->prec > 0 && (unsigned)sp->prec > n)
		lead = (unsigned)sp->prec - n;
	len = n + lead;
	for (const char *p = prefix; *p; p++)
		len++;
	for (; !zero && !sp->left && len < width; width--)
		put(o, ' ');
	while (*prefix)
		put(o, *prefix++);
	for (; zero && len < width; width--)
		put(o, '0');
	while (lead--)
		put(o, '0');
	while (n)
		put(o, tmp[--n]);
	for (; sp->left && len < width; width--)
		put(o, ' ');
}

/* At most @sp->prec bytes of @str when a precision is given: the string
   need not be terminated within them. */
static void put_str(struct out *o, const char *str, const struct spec *sp)
{
	unsigned n = 0, width = sp->width;

	while ((sp->prec < 0 || n < (unsigned)sp->prec) && str[n])
		n++;
	for (; !sp->left && n < width; width--)
		put(o, ' ');
	for (unsigned i = 0; i < n; i++)
		put(o, str[i]);
	for (; sp->left && n < width; width--)
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
		struct spec sp = { .prec = -1 };
		int lng = 0;      /* -2 hh, -1 h, 0 int, 1 long, 2 long long */

		for (fmt++;; fmt++) {
			if (*fmt == '#')
				sp.alt = true;
			else if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '+')
				sp.plus = true;
			else if (*fmt == ' ')
				sp.space = true;
			else
				break;
		}
		if (*fmt == '*') {
			int w = va_arg(ap, int);
			/* A negative width is the '-' flag and its size (C11 7.21.6.1). */
			if (w < 0) {
				sp.left = true;
				sp.width = 0u - (unsigned)w;
			} else {
				sp.width = (unsigned)w;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (unsigned)(*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				int p = va_arg(ap, int);
				sp.prec = p < 0 ? -1 : p;   /* negative: as if none */
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				sp.prec = sp.prec * 10 + (*fmt++ - '0');
		}
		while (*fmt == 'h') { lng--; fmt++; }
		while (*fmt == 'l') { lng++; fmt++; }
		if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
			/* size_t, ptrdiff_t, intmax_t: 64 bits, as long long */
			lng = 2;
			fmt++;
		}

		unsigned long long u;
		long long s;
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng >= 2 ? va_arg(ap, long long) :
			    lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
			/* Promoted to int; converted back as printf does. */
			if (lng == -1)
				s = (short)s;
			else if (lng <= -2)
				s = (signed char)s;
			put_num(&o, s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s,
				10, s < 0, &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng <= -2)
				u = (unsigned char)u;
			sp.upper = *fmt == 'X';
			put_num(&o, u, *fmt == 'u' ? 10 : 16, false, &sp);
			break;
		case 'p':
			sp.alt = true;
			put_num(&o, (unsigned long long)(uintptr_t)va_arg(ap, void *), 16, false, &sp);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			put_str(&o, str ? str : "(null)", &sp);
			break;
		}
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), '\0' };
			sp.prec = -1;
			put_str(&o, c, &sp);
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
