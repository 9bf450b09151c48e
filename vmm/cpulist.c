/* SPDX-License-Identifier: MIT */
/*
 * The list syntax of Linux's cpulist_parse() (lib/bitmap.c), which
 * kvmtool's --vcpu-affinity uses, without its stride form: numbers and
 * inclusive ranges separated by commas, nothing else.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpulist.h"

static int number(const char **p, unsigned *out)
{
	unsigned long v = 0;
	const char *s = *p;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (unsigned long)(*s++ - '0');
		if (v >= CPU_SETSIZE)
			return -2;
	}
	*p = s;
	*out = (unsigned)v;
	return 0;
}

int vmm_cpulist_parse(const char *s, cpu_set_t *set, char *err, size_t errlen)
{
	const char *p = s;

	CPU_ZERO(set);
	for (;;) {
		unsigned a, b;
		int rc = number(&p, &a);

		if (!rc && *p == '-') {
			p++;
			rc = number(&p, &b);
		} else {
			b = a;
		}
		if (rc == -2) {
			snprintf(err, errlen, "'%s': CPU numbers go up to %d", s, CPU_SETSIZE - 1);
			return -1;
		}
		if (rc || (*p && *p != ',')) {
			snprintf(err, errlen, "'%s' is not a CPU list (like 0-3,6)", s);
			return -1;
		}
		if (b < a) {
			snprintf(err, errlen, "'%s': range %u-%u ends before it starts", s, a, b);
			return -1;
		}
		for (unsigned c = a; c <= b; c++)
			CPU_SET(c, set);
		if (!*p)
			return 0;
		p++;
	}
}

const char *vmm_cpulist_fmt(const cpu_set_t *set, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (unsigned c = 0; c < CPU_SETSIZE; c++) {
		unsigned e = c;
		int w;

		if (!CPU_ISSET(c, set))
			continue;
		while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, set))
			e++;
		w = e == c ? snprintf(buf + n, len - n, "%s%u", n ? "," : "", c)
			   : snprintf(buf + n, len - n, "%s%u-%u", n ? "," : "", c, e);
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
		c = e;
	}
	return buf;
}
