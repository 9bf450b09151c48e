/* SPDX-License-Identifier: MIT */
/*
 * The guest's side of a generic ECAM host bridge (PCI Express 7.2.2) and
 * of type-0 functions on its bus 0: find the bridge in the device tree,
 * list the functions, size and place their memory BARs in the bridge's
 * window (PCI Local Bus 3.0, 6.2.5.1) and walk their capabilities (6.7),
 * as firmware or an OS does before any driver runs.
 */
#ifndef GUEST_PCI_H
#define GUEST_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_BARS 6

struct pci_host {
	uint64_t ecam, ecam_size;       /* the bridge's reg */
	uint64_t win, win_size, next;   /* its memory window; the next free byte */
};

struct pci_fn {
	uint64_t cfg;                   /* the function's 4 KiB of ECAM */
	unsigned dev;
	uint16_t vendor, device;
	uint64_t bar[PCI_BARS], size[PCI_BARS];   /* 0: not implemented */
	bool mem64[PCI_BARS], prefetch[PCI_BARS];
};

/* The first pci@ node's ECAM and 64-bit memory window; false (printed)
   when there is none. */
bool pci_find_host(const void *fdt, struct pci_host *h);
/* Function 0 of device @dev on bus 0; false when nothing answers. */
bool pci_probe(const struct pci_host *h, unsigned dev, struct pci_fn *f);
/* Size every BAR of @f and place it in @h's window, aligned to its size,
   then enable memory decoding and bus mastering. Prints each BAR; false
   when one does not fit or does not read back its address. */
bool pci_assign_bars(struct pci_host *h, struct pci_fn *f);
/* The offset of the first capability with @id after offset @from (0:
   from the list's head), or 0. */
unsigned pci_find_cap(const struct pci_fn *f, uint8_t id, unsigned from);

#endif
