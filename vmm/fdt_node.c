/* SPDX-License-Identifier: MIT */
/* Property helpers the devices' device-tree hooks share (devtree.h). */
#include <inttypes.h>
#include <stdio.h>
#include <libfdt.h>

#include "devtree.h"

#define GIC_SPI        0
#define IRQ_LEVEL_HIGH 4

int vmm_fdt_reg(void *f, uint64_t base, uint64_t size)
{
	fdt64_t v[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(f, "reg", v, sizeof(v));
}

int vmm_fdt_spi(void *f, unsigned n)
{
	fdt32_t v[3] = { cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(n), cpu_to_fdt32(IRQ_LEVEL_HIGH) };

	return fdt_property(f, "interrupts", v, sizeof(v));
}

int vmm_fdt_begin(void *f, const char *name, uint64_t addr)
{
	char n[64];

	snprintf(n, sizeof(n), "%s@%" PRIx64, name, addr);
	return fdt_begin_node(f, n);
}
