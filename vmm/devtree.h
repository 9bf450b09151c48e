/* SPDX-License-Identifier: MIT */
/* The guest's device tree, generated with libfdt from the layout. */
#ifndef VMM_DEVTREE_H
#define VMM_DEVTREE_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

#define VMM_FDT_MAX 0x10000
#define VMM_PHANDLE_GIC 1
#define VMM_PHANDLE_ITS 2

struct vmm_fdt_info {
	const char *bootargs;
	uint64_t initrd_start, initrd_end;   /* end 0: no initrd */
	bool virtio_console;
	uint64_t kaslr_seed;                 /* /chosen/kaslr-seed */
};

#define VMM_FDT_TRY(x) do { int _r = (x); if (_r < 0) return _r; } while (0)

/* Helpers for the devices' nodes (device.h); each returns 0 or a
   negative libfdt error. */
/* Begin node "@name@@addr" (unit address in hex). */
int vmm_fdt_begin(void *fdt, const char *name, uint64_t addr);
/* "reg" with one 2-cell address and 2-cell size. */
int vmm_fdt_reg(void *fdt, uint64_t base, uint64_t size);
/* "interrupts": SPI @spi (INTID - 32), level high. */
int vmm_fdt_spi(void *fdt, unsigned spi);

/* Build into @buf (VMM_FDT_MAX bytes). Return 0 or a negative libfdt
   error (fdt_strerror). */
int vmm_fdt_build(const struct vmm_layout *l, const struct vmm_fdt_info *info, void *buf);

#endif
