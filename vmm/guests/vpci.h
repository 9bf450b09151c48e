/* SPDX-License-Identifier: MIT */
/*
 * Checks of a virtio-pci device from bare metal (vpci.c): the first
 * virtio function on the ECAM bus, enumerated, its BARs placed and its
 * MSI-X vectors sent through the ITS.
 */
#ifndef GUEST_VPCI_H
#define GUEST_VPCI_H

/* Modern: capabilities, the PCI configuration access window, MSI-X
   masking with the PBA, rings outside RAM refused. */
void vpci_modern(const void *fdt);
/* Legacy: queue PFNs beyond RAM refused, then a queue inside it used. */
void vpci_legacy(const void *fdt);

#endif
