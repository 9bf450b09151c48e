/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal test guest: finds its UART and RAM in the DTB s2vmm made,
 * prints where it runs (its PC, so the IPA of its RAM), writes and reads
 * back the last word of RAM, and powers off through PSCI. With the MMU
 * off every access is Device memory: MMIO goes through single aligned
 * byte stores that KVM can decode (ESR.ISV=1).
 */
#include <stdint.h>

static uint64_t uart, virtio;

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

static void putc_(char c)
{
	if (uart)
		__asm__ volatile("strb %w0, [%1]" :: "r"(c), "r"(uart) : "memory");
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 0xf]);
}

static int prefix(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

/* Walk the structure block for "uart@..." and "memory@..." nodes and
   take their first reg entry (2 address and 2 size cells). */
static void scan_dtb(const uint8_t *fdt, uint64_t *ram, uint64_t *ram_size)
{
	const uint8_t *p = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	const char *node = "";

	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == 1) {                       /* FDT_BEGIN_NODE */
			const char *n = (const char *)p;
			unsigned len = 0;

			node = n;
			while (n[len])
				len++;
			p += (len + 4) & ~3u;
		} else if (tok == 3) {                /* FDT_PROP */
			uint32_t len = be32(p), name = be32(p + 4);
			const uint8_t *v = p + 8;

			if (prefix(strings + name, "reg") && strings[name + 3] == 0 && len >= 16) {
				if (prefix(node, "uart@") && !uart)
					uart = be64(v);
				if (prefix(node, "virtio@") && !virtio)
					virtio = be64(v);
				if (prefix(node, "memory@") && !*ram) {
					*ram = be64(v);
					*ram_size = be64(v + 8);
				}
			}
			p += 8 + ((len + 3) & ~3u);
		} else if (tok == 9) {                /* FDT_END */
			break;
		}
	}
}

static void w32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(a) : "memory");
}

static uint32_t r32(uint64_t a)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/*
 * With a legacy virtio-mmio device present, hand it a queue PFN that
 * points past the end of RAM, as a driver whose queue address wrapped at
 * 32 bits of PFN would, and show the device's answer in its status.
 */
static void probe_legacy_virtio(uint64_t ram_end)
{
	uint32_t pfn = (uint32_t)(ram_end >> 12) + 16;

	if (r32(virtio) != 0x74726976 || r32(virtio + 4) != 1)
		return;
	w32(virtio + 0x70, 1 | 2);          /* ACKNOWLEDGE | DRIVER */
	w32(virtio + 0x28, 4096);           /* GuestPageSize */
	w32(virtio + 0x30, 0);              /* QueueSel */
	w32(virtio + 0x38, 16);             /* QueueNum */
	w32(virtio + 0x40, pfn);            /* QueuePFN */
	puts_("s2vmm-guest: legacy virtio QueuePFN ");
	puthex(pfn);
	puts_(" -> status ");
	puthex(r32(virtio + 0x70));
	puts_(" QueuePFN reads ");
	puthex(r32(virtio + 0x40));
	puts_("\r\n");
}

void guest_main(const uint8_t *dtb, uint64_t entry);

void guest_main(const uint8_t *dtb, uint64_t entry)
{
	uint64_t pc, el, ram = 0, ram_size = 0;
	volatile uint64_t *last;

	__asm__ volatile("adr %0, ." : "=r"(pc));
	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	if (be32(dtb) != 0xd00dfeed)
		return;
	scan_dtb(dtb, &ram, &ram_size);
	puts_("s2vmm-guest: hello from PC=");
	puthex(pc);
	puts_(" EL");
	putc_((char)('0' + ((el >> 2) & 3)));
	puts_(" entry=");
	puthex(entry);
	puts_(" DTB=");
	puthex((uint64_t)(uintptr_t)dtb);
	puts_(" UART=");
	puthex(uart);
	puts_("\r\n");
	if (ram_size) {
		last = (volatile uint64_t *)(uintptr_t)(ram + ram_size - 8);
		*last = 0x5332564d4d5f4f4bULL ^ ram;
		puts_("s2vmm-guest: RAM ");
		puthex(ram);
		puts_("..");
		puthex(ram + ram_size - 1);
		puts_(*last == (0x5332564d4d5f4f4bULL ^ ram) ? " last word ok" : " last word BAD");
		puts_("\r\n");
	}
	if (virtio)
		probe_legacy_virtio(ram + ram_size);
	puts_("s2vmm-guest: PSCI SYSTEM_OFF\r\n");
}
