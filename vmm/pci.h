/* SPDX-License-Identifier: MIT */
/*
 * PCI: a generic ECAM host bridge (bus 0 only) and type-0 configuration
 * space with memory BARs in one 64-bit MMIO window (PCI Local Bus 3.0,
 * 6.1 and 6.2.5; PCI Express Base 4.0, 7.2.2 for ECAM).
 */
#ifndef VMM_PCI_H
#define VMM_PCI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

#define VMM_PCI_BARS      6
#define VMM_PCI_CFG_SIZE  256     /* conventional space; the rest of 4 KiB reads 0 */
#define VMM_PCI_MAX_DEVS  32      /* device numbers on bus 0 */

/* BAR flags (the type bits of the BAR's low dword). */
#define VMM_PCI_BAR_MEM64     (1u << 0)
#define VMM_PCI_BAR_PREFETCH  (1u << 1)

struct vmm_pci_fn;

struct vmm_pci_bar {
	uint64_t size;            /* power of two, 0: BAR not implemented */
	unsigned flags;
	vmm_mmio_fn fn;           /* accesses, offset from the BAR's start */
	void *opaque;
};

struct vmm_pci_fn {
	uint8_t cfg[VMM_PCI_CFG_SIZE];    /* what the guest reads */
	uint8_t wmask[VMM_PCI_CFG_SIZE];  /* bits the guest may write */
	struct vmm_pci_bar bar[VMM_PCI_BARS];
	unsigned dev;             /* device number on bus 0 */
	unsigned cap_last, cap_end;   /* the list's last entry, first free byte */
	/* Called after the guest wrote bytes [off, off + len) of the
	   capabilities (offset 0x40 and up); may update cfg. */
	void (*cap_write)(struct vmm_pci_fn *f, unsigned off, unsigned len);
	/* Called before the guest reads bytes [off, off + len) of the
	   capabilities; may update cfg (a register whose value the device
	   computes on each read). */
	void (*cap_read)(struct vmm_pci_fn *f, unsigned off, unsigned len);
	void *opaque;
};

struct vmm_pci_bus {
	pthread_mutex_t lock;
	struct vmm_pci_fn *fn[VMM_PCI_MAX_DEVS];
	uint64_t ecam_base, ecam_size, mmio_base, mmio_size;
};

/*
 * vmm_pci_fn_init() - a type-0 header: @vendor, @device, @class (24-bit
 * class code), subsystem IDs, interrupt pin INTA when @intx, and the
 * BARs already in @f->bar (a 64-bit BAR takes the next slot as its upper
 * half; each size must be a power of two of at least 16 bytes).
 * Return: 0, or -1 for a BAR that cannot be (no slot for its upper
 * half, bad size).
 */
int vmm_pci_fn_init(struct vmm_pci_fn *f, uint16_t vendor, uint16_t device, uint32_t class,
		    uint16_t subsys_vendor, uint16_t subsys, bool intx);

/*
 * vmm_pci_add_cap() - append a capability of @len bytes (@id, next
 * pointer filled in) to @f's list; the bytes after the two-byte header
 * are @body (may be NULL for zeros). Return its offset, or 0 when the
 * 256-byte space is full.
 */
unsigned vmm_pci_add_cap(struct vmm_pci_fn *f, uint8_t id, const void *body, unsigned len);

/* Put @f at its device number. Return 0 or -1 (taken, out of range). */
int vmm_pci_bus_add(struct vmm_pci_bus *b, struct vmm_pci_fn *f);

/* A configuration access at @off from the ECAM base (bus/device/
   function/register, PCIe 7.2.2); absent functions read all ones. */
void vmm_pci_ecam_access(struct vmm_pci_bus *b, uint64_t off, uint8_t *data, unsigned len,
			 bool write);

/* An access at guest address @addr in the MMIO window, to the BAR
   that decodes it (memory space enabled in the command register).
   Return false when none does. */
bool vmm_pci_mmio_access(struct vmm_pci_bus *b, uint64_t addr, uint8_t *data, unsigned len,
			 bool write);

/* The guest address BAR @i of @f decodes, or 0 when it is not
   programmed or memory space is disabled. */
uint64_t vmm_pci_bar_addr(const struct vmm_pci_fn *f, unsigned i);

#endif
