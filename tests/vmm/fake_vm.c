/* SPDX-License-Identifier: MIT */
/*
 * The VM services devices use (vm.h), without KVM, so device files run
 * in host tests: guest RAM is host buffers, guest addresses and MMIO
 * are s2vmm's own (vm_bus.c), and interrupt lines are recorded.
 */
#include <errno.h>
#include <string.h>

#include "fake_vm.h"

int fake_spi_level[FAKE_NR_SPI];
unsigned fake_spi_edges[FAKE_NR_SPI];

void fake_vm_init(struct vmm_vm *vm, uint8_t *ram, uint64_t gpa, uint64_t size)
{
	memset(vm, 0, sizeof(*vm));
	memset(fake_spi_level, 0, sizeof(fake_spi_level));
	memset(fake_spi_edges, 0, sizeof(fake_spi_edges));
	fake_nr_msi = 0;
	vm->ram[0] = (struct vmm_ram){ gpa, size, ram };
	vm->nr_ram = ram ? 1 : 0;
}

int vmm_irq_set(struct vmm_vm *vm, unsigned spi, int level)
{
	(void)vm;
	if (spi >= FAKE_NR_SPI)
		return -EINVAL;
	if (level && !fake_spi_level[spi])
		fake_spi_edges[spi]++;
	fake_spi_level[spi] = level;
	return 0;
}

void vmm_request_stop(struct vmm_vm *vm, int code)
{
	atomic_store(&vm->stopping, true);
	atomic_store(&vm->exit_code, code);
}

struct fake_msi fake_msi[FAKE_NR_MSI];
unsigned fake_nr_msi;

int vmm_msi_send(struct vmm_vm *vm, uint64_t addr, uint32_t data, uint32_t devid)
{
	(void)vm;
	if (fake_nr_msi < FAKE_NR_MSI)
		fake_msi[fake_nr_msi] = (struct fake_msi){ addr, data, devid };
	fake_nr_msi++;
	return 1;
}
