/* SPDX-License-Identifier: MIT */
/* A VM without KVM for device tests on the build host (fake_vm.c). */
#ifndef VMM_FAKE_VM_H
#define VMM_FAKE_VM_H

#include "vm.h"

#define FAKE_NR_SPI 128

/* Each SPI's level, and how many times it rose. */
extern int fake_spi_level[FAKE_NR_SPI];
extern unsigned fake_spi_edges[FAKE_NR_SPI];

#define FAKE_NR_MSI 64
struct fake_msi {
	uint64_t addr;
	uint32_t data, devid;
};
/* The MSIs sent, in order (the count may exceed FAKE_NR_MSI). */
extern struct fake_msi fake_msi[FAKE_NR_MSI];
extern unsigned fake_nr_msi;

/* An empty VM whose RAM is @size bytes at @ram, guest address @gpa. */
void fake_vm_init(struct vmm_vm *vm, uint8_t *ram, uint64_t gpa, uint64_t size);

#endif
