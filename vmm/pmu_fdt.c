/* SPDX-License-Identifier: MIT */
/*
 * The PMU's device-tree node, apart from its KVM setup (pmu.c) so the
 * device tree builds on any host, as the plan made before KVM needs.
 */
#include <libfdt.h>

#include "pmu.h"

int vmm_pmu_fdt(void *f)
{
	/* GIC binding: PPIs are numbered from 16; level-high, as kvmtool. */
	fdt32_t irq[3] = { cpu_to_fdt32(1), cpu_to_fdt32(VMM_PMU_PPI - 16), cpu_to_fdt32(4) };
	int r;

	if ((r = fdt_begin_node(f, "pmu")) ||
	    (r = fdt_property_string(f, "compatible", "arm,armv8-pmuv3")) ||
	    (r = fdt_property(f, "interrupts", irq, sizeof(irq))))
		return r;
	return fdt_end_node(f);
}
