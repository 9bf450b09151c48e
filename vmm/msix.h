/* SPDX-License-Identifier: MIT */
/*
 * MSI-X (PCI Local Bus 3.0, 6.8.2): the capability, the vector table
 * and the pending-bit array at the start and the middle of one BAR.
 * Messages go to the in-kernel ITS with the function's requester ID.
 */
#ifndef VMM_MSIX_H
#define VMM_MSIX_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

#define VMM_MSIX_MAX       8
#define VMM_MSIX_BAR_SIZE  0x1000ULL
#define VMM_MSIX_PBA_OFF   0x800

struct vmm_msix {
	struct vmm_vm *vm;
	struct vmm_pci_fn *f;
	unsigned cap;             /* the capability's offset in config space */
	unsigned nr;              /* table entries */
	uint32_t table[VMM_MSIX_MAX][4];   /* address lo, hi, data, vector control */
	uint64_t pba;
};

/*
 * vmm_msix_init() - add the capability to @f for @nr vectors whose table
 * and PBA live in BAR @bar (which the caller declares, VMM_MSIX_BAR_SIZE
 * bytes, accesses through vmm_msix_bar_access()). Every vector starts
 * masked, the function disabled (6.8.2.9). Return 0, or -1 when there is
 * no room (too many vectors, config space full).
 */
int vmm_msix_init(struct vmm_msix *m, struct vmm_vm *vm, struct vmm_pci_fn *f, unsigned bar,
		  unsigned nr);
/* MSI-X Enable is set in the Message Control register. */
bool vmm_msix_enabled(const struct vmm_msix *m);
/* Signal vector @v: sent when enabled and unmasked, else its pending bit
   is set (masked) or nothing happens (disabled, no such vector). */
void vmm_msix_signal(struct vmm_msix *m, unsigned v);
/* An access to the table or PBA at @off in the BAR. */
void vmm_msix_bar_access(struct vmm_msix *m, uint64_t off, uint8_t *data, unsigned len,
			 bool write);
/* After the guest wrote the capability: send what unmasking released. */
void vmm_msix_cap_written(struct vmm_msix *m);

#endif
