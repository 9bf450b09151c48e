/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal test guest: finds its UART and RAM in the DTB s2vmm made,
 * prints where it runs (its PC, so the IPA of its RAM), writes and reads
 * back the last word of RAM, shows the initrd the device tree bounds, and
 * powers off through PSCI. With "unhandled-mmio" on its command line it
 * first polls an address where there is no device.
 */
#include <stdint.h>

#include "gio.h"

static uint64_t virtio;

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

/*
 * The initrd as linux,initrd-start/end bound it: its size and last byte,
 * for the host to compare with the file it passed.
 */
static void show_initrd(const uint8_t *dtb)
{
	const uint8_t *s = dt_prop(dtb, "chosen", "linux,initrd-start", 0);
	const uint8_t *e = dt_prop(dtb, "chosen", "linux,initrd-end", 0);
	uint64_t start, end;

	if (!s || !e)
		return;
	start = be64(s);
	end = be64(e);
	puts_("s2vmm-guest: initrd ");
	puthex(start);
	puts_("..");
	puthex(end);
	puts_(" size ");
	puthex(end - start);
	puts_(" last byte ");
	puthex(end > start ? *(volatile const uint8_t *)(uintptr_t)(end - 1) : 0);
	puts_("\r\n");
}

/*
 * Read an address of the device block where there is no device 1000
 * times, as a guest polling a missing device does: each read returns 0,
 * and the host reports the address once.
 */
static void poll_nothing(void)
{
	uint64_t a = uart_base() - 0x1000000 + 0xa000008, ored = 0;

	for (int i = 0; i < 1000; i++)
		ored |= r32(a);
	puts_("s2vmm-guest: 1000 reads at ");
	puthex(a);
	puts_(" where there is no device, OR of all ");
	puthex(ored);
	puts_("\r\n");
}

void guest_main(const uint8_t *dtb, uint64_t entry);

void guest_main(const uint8_t *dtb, uint64_t entry)
{
	uint64_t pc, el, ram = 0, ram_size = 0;
	volatile uint64_t *last;

	__asm__ volatile("adr %0, ." : "=r"(pc));
	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	const uint8_t *reg;

	if (be32(dtb) != 0xd00dfeed)
		return;
	gio_init(dtb);
	reg = dt_prop(dtb, "virtio@", "reg", 0);
	virtio = reg ? be64(reg) : 0;
	reg = dt_prop(dtb, "memory@", "reg", 0);
	if (reg) {
		ram = be64(reg);
		ram_size = be64(reg + 8);
	}
	puts_("s2vmm-guest: hello from PC=");
	puthex(pc);
	puts_(" EL");
	putc_((char)('0' + ((el >> 2) & 3)));
	puts_(" entry=");
	puthex(entry);
	puts_(" DTB=");
	puthex((uint64_t)(uintptr_t)dtb);
	puts_(" UART=");
	puthex(uart_base());
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
	show_initrd(dtb);
	reg = dt_prop(dtb, "chosen", "bootargs", 0);
	if (reg && word_in((const char *)reg, "unhandled-mmio"))
		poll_nothing();
	puts_("s2vmm-guest: PSCI SYSTEM_OFF\r\n");
}
