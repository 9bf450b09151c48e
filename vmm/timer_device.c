/* SPDX-License-Identifier: MIT */
/*
 * The architected timer as a platform device: no region and no setup
 * (KVM emulates it for every vCPU), only its node, with the four PPIs
 * Linux's arm,armv8-timer binding lists (secure, non-secure, virtual,
 * hypervisor), level-low as kvmtool gives them.
 */
#include <libfdt.h>

#include "device.h"
#include "devtree.h"
#include "layout.h"

#define GIC_PPI       1
#define IRQ_LEVEL_LOW 8
#define TRY(x) VMM_FDT_TRY(x)

static int timer_fdt(void *f, const struct vmm_layout *l, const struct vmm_region *unused)
{
	static const unsigned ppis[] = { 13, 14, 11, 10 };   /* sec, non-sec, virt, hyp */
	fdt32_t v[12];

	(void)l;
	(void)unused;
	for (unsigned i = 0; i < 4; i++) {
		v[i * 3] = cpu_to_fdt32(GIC_PPI);
		v[i * 3 + 1] = cpu_to_fdt32(ppis[i]);
		v[i * 3 + 2] = cpu_to_fdt32(IRQ_LEVEL_LOW);
	}
	TRY(fdt_begin_node(f, "timer"));
	TRY(fdt_property_string(f, "compatible", "arm,armv8-timer"));
	TRY(fdt_property(f, "interrupts", v, sizeof(v)));
	TRY(fdt_property(f, "always-on", NULL, 0));
	return fdt_end_node(f);
}

static unsigned timer_instances(const struct vmm_layout_req *req)
{
	(void)req;
	return 1;
}

static const struct vmm_device timer_device = {
	.name = "timer",
	.what = "the architected timer",
	.kind = VMM_DEV_PLATFORM,
	.instances = timer_instances,
	.fdt = timer_fdt,
	.order = 20,     /* its node after the GIC's, as kvmtool */
};

VMM_DEVICE_REGISTER(timer_device);
