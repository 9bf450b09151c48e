/* SPDX-License-Identifier: MIT */
#include "gio.h"

static uint64_t uart;
unsigned gio_failures;

uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

static bool prefix(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return false;
	return true;
}

static bool same(const char *a, const char *b)
{
	while (*b && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Walk the structure block (FDT_BEGIN_NODE 1, FDT_END_NODE 2, FDT_PROP 3,
   FDT_NOP 4, FDT_END 9): the first @prop of a node named @node..., or
   with @count, the number of such nodes. */
static const void *walk(const void *fdt, const char *node, const char *prop, uint32_t *len,
			unsigned *count)
{
	const uint8_t *p = (const uint8_t *)fdt + be32((const uint8_t *)fdt + 8);
	const char *strings = (const char *)fdt + be32((const uint8_t *)fdt + 12);
	bool in = false;

	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == 1) {
			const char *n = (const char *)p;
			unsigned l = 0;

			while (n[l])
				l++;
			in = prefix(n, node);
			if (in && count)
				(*count)++;
			p += (l + 4) & ~3u;
		} else if (tok == 3) {
			uint32_t l = be32(p), name = be32(p + 4);

			if (in && prop && same(strings + name, prop)) {
				if (len)
					*len = l;
				return p + 8;
			}
			p += 8 + ((l + 3) & ~3u);
		} else if (tok == 9) {
			return 0;
		}
	}
}

const void *dt_prop(const void *fdt, const char *node, const char *prop, uint32_t *len)
{
	return walk(fdt, node, prop, len, 0);
}

unsigned dt_count(const void *fdt, const char *node)
{
	unsigned n = 0;

	walk(fdt, node, 0, 0, &n);
	return n;
}

bool gio_init(const void *fdt)
{
	const uint8_t *reg = dt_prop(fdt, "uart@", "reg", 0);

	uart = reg ? be64(reg) : 0;
	return uart != 0;
}

uint64_t uart_base(void)
{
	return uart;
}

void putc_(char c)
{
	if (uart)
		__asm__ volatile("strb %w0, [%1]" :: "r"(c), "r"(uart) : "memory");
}

void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

void putln(const char *s)
{
	puts_(s);
	puts_("\r\n");
}

void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 0xf]);
}

void putdec(uint64_t v)
{
	char b[24];
	int n = 0;

	do
		b[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		putc_(b[--n]);
}

void check(bool ok, const char *what)
{
	puts_("s2vmm-guest: ");
	puts_(what);
	putln(ok ? " ok" : " FAIL");
	gio_failures += !ok;
}

bool word_in(const char *list, const char *word)
{
	while (list && *list) {
		const char *w = word, *s = list;

		while (*w && *s == *w) {
			s++;
			w++;
		}
		if (!*w && (*s == ' ' || !*s))
			return true;
		while (*list && *list != ' ')
			list++;
		while (*list == ' ')
			list++;
	}
	return false;
}

uint64_t w64_read(uint64_t a)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

void w64_write(uint64_t a, uint64_t v)
{
	__asm__ volatile("str %0, [%1]" :: "r"(v), "r"(a) : "memory");
}

uint32_t r32(uint64_t a)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

void w32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(a) : "memory");
}

uint16_t r16(uint64_t a)
{
	uint16_t v;

	__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

void w16(uint64_t a, uint16_t v)
{
	__asm__ volatile("strh %w0, [%1]" :: "r"(v), "r"(a) : "memory");
}

uint8_t r8(uint64_t a)
{
	uint8_t v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

void w8(uint64_t a, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" :: "r"(v), "r"(a) : "memory");
}

int64_t psci(uint64_t fn, uint64_t a, uint64_t b, uint64_t c)
{
	register uint64_t x0 __asm__("x0") = fn, x1 __asm__("x1") = a;
	register uint64_t x2 __asm__("x2") = b, x3 __asm__("x3") = c;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	return (int64_t)x0;
}

uint64_t ticks_per_sec(void)
{
	return SYSREG_READ("cntfrq_el0");
}

uint64_t now(void)
{
	ISB();
	return SYSREG_READ("cntvct_el0");
}
