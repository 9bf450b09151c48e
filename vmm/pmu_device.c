/* SPDX-License-Identifier: MIT */
/*
 * The PMU as a platform device: its node, and its KVM setup (pmu.c)
 * once every vCPU exists and after the GIC's initialisation, which
 * KVM_ARM_VCPU_PMU_V3_INIT requires. No region: the overflow interrupt
 * is a PPI. The node builds on any host, as the plan made before KVM
 * needs.
 */
#include <libfdt.h>

#include "device.h"
#include "layout.h"
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

static int pmu_fdt(void *f, const struct vmm_layout *l, const struct vmm_region *unused)
{
	(void)unused;
	return l->has_pmu ? vmm_pmu_fdt(f) : 0;
}

static unsigned pmu_instances(const struct vmm_layout_req *req)
{
	return req->pmu;
}

static void pmu_place(const struct vmm_layout_req *req, uint64_t block, struct vmm_layout *l)
{
	(void)req;
	(void)block;
	l->has_pmu = true;
}

static int pmu_late(struct vmm_vm *vm)
{
	return vm->layout.has_pmu ? vmm_pmu_init(vm) : 0;
}

static const struct vmm_device pmu_device = {
	.name = "pmu",
	.what = "the PMU",
	.kind = VMM_DEV_PLATFORM,
	.instances = pmu_instances,
	.fdt = pmu_fdt,
	.order = 30,     /* after the GIC (its init) and the timer (its node) */
	.place = pmu_place,
	.late_setup = pmu_late,
};

VMM_DEVICE_REGISTER(pmu_device);
