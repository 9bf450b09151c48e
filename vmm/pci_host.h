/* SPDX-License-Identifier: MIT */
/* The ECAM host bridge of bus 0 (pci_host.c). */
#ifndef VMM_PCI_HOST_H
#define VMM_PCI_HOST_H

#include "layout.h"
#include "pci.h"
#include "vm.h"

/* The bus the virtio-pci functions join. */
struct vmm_pci_bus *vmm_pci_host(void);
/* Serve the layout's ECAM and MMIO window. Return 0, or -1 (printed). */
int vmm_pci_host_setup(struct vmm_vm *vm);
/* The host bridge's node. Return 0 or a negative libfdt error. */
int vmm_pci_host_fdt(void *fdt, const struct vmm_layout *l);

#endif
