/* SPDX-License-Identifier: MIT */
/*
 * Configuration space is kept as the bytes the guest reads plus a mask
 * of the bits it may write, so every register's rule is data: a BAR's
 * low address bits below its size are read-only zeros and its type bits
 * read-only, which is the whole sizing protocol (write all ones, read
 * back, PCI Local Bus 3.0, 6.2.5.1). Capabilities are owned by the
 * device, which is told of writes to them.
 */
#include <string.h>
#include <linux/pci_regs.h>

#include "pci.h"

#define CAP_START 0x40

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int vmm_pci_fn_init(struct vmm_pci_fn *f, uint16_t vendor, uint16_t device, uint32_t class,
		    uint16_t subsys_vendor, uint16_t subsys, bool intx)
{
	memset(f->cfg, 0, sizeof(f->cfg));
	memset(f->wmask, 0, sizeof(f->wmask));
	put16(f->cfg + PCI_VENDOR_ID, vendor);
	put16(f->cfg + PCI_DEVICE_ID, device);
	put32(f->cfg + PCI_CLASS_REVISION, class << 8);
	f->cfg[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;
	put16(f->cfg + PCI_SUBSYSTEM_VENDOR_ID, subsys_vendor);
	put16(f->cfg + PCI_SUBSYSTEM_ID, subsys);
	put16(f->wmask + PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
	      PCI_COMMAND_PARITY | PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
	f->wmask[PCI_INTERRUPT_LINE] = 0xff;
	f->cfg[PCI_INTERRUPT_PIN] = intx ? 1 : 0;   /* INTA# */
	for (unsigned i = 0; i < VMM_PCI_BARS; i++) {
		struct vmm_pci_bar *b = &f->bar[i];
		uint8_t *c = f->cfg + PCI_BASE_ADDRESS_0 + 4 * i;
		uint64_t mask;

		if (!b->size)
			continue;
		if (b->size < 16 || (b->size & (b->size - 1)) ||
		    (!(b->flags & VMM_PCI_BAR_MEM64) && b->size > (1ULL << 31)) ||
		    ((b->flags & VMM_PCI_BAR_MEM64) && (i + 1 == VMM_PCI_BARS || f->bar[i + 1].size)))
			return -1;
		mask = ~(b->size - 1);
		put32(c, (b->flags & VMM_PCI_BAR_MEM64 ? PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) |
		      (b->flags & VMM_PCI_BAR_PREFETCH ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0));
		put32(f->wmask + PCI_BASE_ADDRESS_0 + 4 * i, (uint32_t)mask & ~0xfu);
		if (b->flags & VMM_PCI_BAR_MEM64)
			put32(f->wmask + PCI_BASE_ADDRESS_0 + 4 * (i + 1), (uint32_t)(mask >> 32));
	}
	return 0;
}

unsigned vmm_pci_add_cap(struct vmm_pci_fn *f, uint8_t id, const void *body, unsigned len)
{
	unsigned at = f->cap_end ? f->cap_end : CAP_START;

	/* Capabilities are dword aligned (PCI Local Bus 3.0, 6.7). */
	at = (at + 3) & ~3u;
	if (len < 2 || at + len > VMM_PCI_CFG_SIZE)
		return 0;
	f->cfg[at] = id;
	f->cfg[at + 1] = 0;
	if (body)
		memcpy(f->cfg + at + 2, (const uint8_t *)body + 2, len - 2);
	if (f->cap_last)
		f->cfg[f->cap_last + 1] = (uint8_t)at;
	else
		f->cfg[PCI_CAPABILITY_LIST] = (uint8_t)at;
	put16(f->cfg + PCI_STATUS, PCI_STATUS_CAP_LIST);
	f->cap_last = at;
	f->cap_end = at + len;
	return at;
}

int vmm_pci_bus_add(struct vmm_pci_bus *b, struct vmm_pci_fn *f)
{
	if (f->dev >= VMM_PCI_MAX_DEVS || b->fn[f->dev])
		return -1;
	b->fn[f->dev] = f;
	return 0;
}

uint64_t vmm_pci_bar_addr(const struct vmm_pci_fn *f, unsigned i)
{
	const struct vmm_pci_bar *b = &f->bar[i];
	uint64_t a;

	if (i >= VMM_PCI_BARS || !b->size || !(f->cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY))
		return 0;
	a = get32(f->cfg + PCI_BASE_ADDRESS_0 + 4 * i) & PCI_BASE_ADDRESS_MEM_MASK;
	if (b->flags & VMM_PCI_BAR_MEM64)
		a |= (uint64_t)get32(f->cfg + PCI_BASE_ADDRESS_0 + 4 * (i + 1)) << 32;
	return a;
}

static void cfg_write(struct vmm_pci_fn *f, unsigned reg, const uint8_t *data, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		f->cfg[reg + i] = (uint8_t)((f->cfg[reg + i] & ~f->wmask[reg + i]) |
					    (data[i] & f->wmask[reg + i]));
	if (reg + len > CAP_START && f->cap_write)
		f->cap_write(f, reg < CAP_START ? CAP_START : reg,
			     reg + len - (reg < CAP_START ? CAP_START : reg));
}

void vmm_pci_ecam_access(struct vmm_pci_bus *b, uint64_t off, uint8_t *data, unsigned len,
			 bool write)
{
	/* ECAM: bus [27:20], device [19:15], function [14:12], register. */
	unsigned bus = (unsigned)(off >> 20), dev = (off >> 15) & 31, fn = (off >> 12) & 7;
	unsigned reg = off & 0xfff;
	struct vmm_pci_fn *f;

	pthread_mutex_lock(&b->lock);
	f = bus == 0 && fn == 0 ? b->fn[dev] : NULL;
	/* Accesses are naturally aligned 1, 2 or 4 bytes. */
	if (len > 4 || (len & (len - 1)) || (reg & (len - 1))) {
		if (!write)
			memset(data, 0xff, len);
	} else if (!f) {
		/* No function: the host bridge completes the read with all
		   ones (PCIe 2.3.2, Unsupported Request to configuration). */
		if (!write)
			memset(data, 0xff, len);
	} else if (reg >= VMM_PCI_CFG_SIZE) {
		if (!write)
			memset(data, 0, len);
	} else if (write) {
		cfg_write(f, reg, data, len);
	} else {
		if (reg + len > CAP_START && f->cap_read)
			f->cap_read(f, reg < CAP_START ? CAP_START : reg,
				    reg + len - (reg < CAP_START ? CAP_START : reg));
		memcpy(data, f->cfg + reg, len);
	}
	pthread_mutex_unlock(&b->lock);
}

bool vmm_pci_mmio_access(struct vmm_pci_bus *b, uint64_t addr, uint8_t *data, unsigned len,
			 bool write)
{
	struct vmm_pci_fn *hit = NULL;
	unsigned bar = 0;
	uint64_t base = 0;

	pthread_mutex_lock(&b->lock);
	for (unsigned d = 0; d < VMM_PCI_MAX_DEVS && !hit; d++) {
		struct vmm_pci_fn *f = b->fn[d];

		for (unsigned i = 0; f && i < VMM_PCI_BARS; i++) {
			uint64_t a = vmm_pci_bar_addr(f, i);

			if (a && addr >= a && addr - a < f->bar[i].size) {
				hit = f;
				bar = i;
				base = a;
				break;
			}
		}
	}
	pthread_mutex_unlock(&b->lock);
	if (!hit || !hit->bar[bar].fn)
		return false;
	hit->bar[bar].fn(hit->bar[bar].opaque, addr - base, data, len, write);
	return true;
}
