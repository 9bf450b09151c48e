/* SPDX-License-Identifier: MIT */
/*
 * What devices reach through the VM without KVM: guest RAM by address
 * and the MMIO bus. s2vmm and the host device tests (fake_vm.c) share
 * this file, so the tests exercise the lookups the VMM uses.
 */
#include <errno.h>

#include "vm.h"

/* Inside one bank: banks are separate host mappings, so a range that
   crosses from one into an adjacent one has no single host pointer. */
void *vmm_gpa(struct vmm_vm *vm, uint64_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < vm->nr_ram; i++) {
		struct vmm_ram *m = &vm->ram[i];

		if (gpa >= m->gpa && len <= m->size && gpa - m->gpa <= m->size - len)
			return m->host + (gpa - m->gpa);
	}
	return NULL;
}

int vmm_mmio_register(struct vmm_vm *vm, uint64_t base, uint64_t size, vmm_mmio_fn fn,
		      void *opaque)
{
	if (vm->nr_mmio == VMM_MAX_MMIO)
		return -ENOSPC;
	vm->mmio[vm->nr_mmio++] = (struct vmm_mmio_dev){ base, size, fn, opaque };
	return 0;
}

bool vmm_mmio_dispatch(struct vmm_vm *vm, uint64_t addr, uint8_t *data, unsigned len,
		       bool write)
{
	for (unsigned i = 0; i < vm->nr_mmio; i++) {
		struct vmm_mmio_dev *d = &vm->mmio[i];

		if (addr >= d->base && addr - d->base < d->size) {
			d->fn(d->opaque, addr - d->base, data, len, write);
			return true;
		}
	}
	return false;
}
