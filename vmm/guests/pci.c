/* SPDX-License-Identifier: MIT */
/*
 * Configuration space through ECAM: bus [27:20], device [19:15],
 * function [14:12], register [11:0] (PCI Express 7.2.2). The host bridge
 * node follows the generic binding: reg is the ECAM, ranges one entry of
 * three PCI address cells (space code 0b11: 64-bit memory), two CPU
 * address cells and two size cells.
 */
#include "pci.h"
#include "gio.h"

#define CFG_COMMAND     0x04
#define CFG_STATUS      0x06
#define CFG_BAR0        0x10
#define CFG_CAP_PTR     0x34
#define CMD_MEMORY      (1u << 1)
#define CMD_MASTER      (1u << 2)
#define STATUS_CAP_LIST (1u << 4)

bool pci_find_host(const void *fdt, struct pci_host *h)
{
	uint32_t len = 0, rlen = 0;
	const uint8_t *reg = dt_prop(fdt, "pci@", "reg", &len);
	const uint8_t *ranges = dt_prop(fdt, "pci@", "ranges", &rlen);

	if (!reg || len != 16 || !ranges || rlen != 28 || (be32(ranges) >> 24 & 3) != 3) {
		putln("s2vmm-guest: pci: no pci@ node with an ECAM and one 64-bit memory range");
		return false;
	}
	h->ecam = be64(reg);
	h->ecam_size = be64(reg + 8);
	h->win = be64(ranges + 12);
	h->win_size = be64(ranges + 20);
	h->next = h->win;
	puts_("s2vmm-guest: pci: ECAM ");
	puthex(h->ecam);
	puts_(" window ");
	puthex(h->win);
	puts_("..");
	puthex(h->win + h->win_size - 1);
	putln("");
	return true;
}

bool pci_probe(const struct pci_host *h, unsigned dev, struct pci_fn *f)
{
	uint32_t id;

	f->cfg = h->ecam + ((uint64_t)dev << 15);
	f->dev = dev;
	id = r32(f->cfg);
	f->vendor = (uint16_t)id;
	f->device = (uint16_t)(id >> 16);
	for (unsigned i = 0; i < PCI_BARS; i++)
		f->bar[i] = f->size[i] = 0;
	return f->vendor != 0xffff;
}

static void print_size(uint64_t s)
{
	if (s >= 1 << 20) {
		putdec(s >> 20);
		puts_(" MiB");
	} else if (s >= 1 << 10) {
		putdec(s >> 10);
		puts_(" KiB");
	} else {
		putdec(s);
		puts_(" bytes");
	}
}

bool pci_assign_bars(struct pci_host *h, struct pci_fn *f)
{
	/* Decoding off while the BARs hold all ones (6.2.5.1). */
	w16(f->cfg + CFG_COMMAND, 0);
	for (unsigned i = 0; i < PCI_BARS; i++) {
		uint64_t a = f->cfg + CFG_BAR0 + 4 * i, lo, hi = 0xffffffff, size, at;

		w32(a, 0xffffffff);
		lo = r32(a);
		if (!lo || (lo & 1))    /* not implemented, or I/O space */
			continue;
		f->mem64[i] = (lo >> 1 & 3) == 2;
		f->prefetch[i] = (lo & 8) != 0;
		if (f->mem64[i]) {
			if (i + 1 == PCI_BARS)
				return false;
			w32(a + 4, 0xffffffff);
			hi = r32(a + 4);
		}
		size = ~(hi << 32 | (lo & ~0xfULL)) + 1;
		at = (h->next + size - 1) & ~(size - 1);
		puts_("s2vmm-guest: pci: 00:");
		putc_((char)('0' + f->dev / 10));
		putc_((char)('0' + f->dev % 10));
		puts_(".0 BAR ");
		putdec(i);
		puts_(f->mem64[i] ? ": 64-bit" : ": 32-bit");
		puts_(f->prefetch[i] ? " prefetchable, " : ", ");
		print_size(size);
		puts_(" at ");
		puthex(at);
		putln("");
		if (!size || (size & (size - 1)) || at + size > h->win + h->win_size ||
		    (!f->mem64[i] && at + size > 1ULL << 32)) {
			putln("s2vmm-guest: pci: the BAR does not fit the window");
			return false;
		}
		w32(a, (uint32_t)at);
		if (f->mem64[i])
			w32(a + 4, (uint32_t)(at >> 32));
		if ((r32(a) & ~0xfu) != (uint32_t)at ||
		    (f->mem64[i] && r32(a + 4) != (uint32_t)(at >> 32))) {
			putln("s2vmm-guest: pci: the BAR does not read back its address");
			return false;
		}
		f->bar[i] = at;
		f->size[i] = size;
		h->next = at + size;
		if (f->mem64[i])
			i++;
	}
	w16(f->cfg + CFG_COMMAND, CMD_MEMORY | CMD_MASTER);
	return true;
}

unsigned pci_find_cap(const struct pci_fn *f, uint8_t id, unsigned from)
{
	unsigned p, n = 0;

	if (!(r16(f->cfg + CFG_STATUS) & STATUS_CAP_LIST))
		return 0;
	p = from ? r8(f->cfg + from + 1) : r8(f->cfg + CFG_CAP_PTR);
	/* 48 dwords at most after the header: a loop would be a bug. */
	for (; p >= 0x40 && n < 48; p = r8(f->cfg + p + 1), n++)
		if (r8(f->cfg + p) == id)
			return p;
	return 0;
}
