/* SPDX-License-Identifier: MIT */
/*
 * The in-kernel GICv3 and its ITS as a platform device: the frames sit at
 * the top of the device block as kvmtool's arm64 map has them (the
 * distributor last, one redistributor frame pair per vCPU below it, the
 * ITS below those), the interrupt controller's node (Linux's
 * arm,gic-v3 binding with an arm,gic-v3-its child), and the setup around
 * the vCPUs that KVM requires (gic.c): the device is created before them
 * and initialised after them.
 */
#include <libfdt.h>

#include "device.h"
#include "devtree.h"
#include "gic.h"
#include "layout.h"

#define TRY(x) VMM_FDT_TRY(x)

static void gic_place(const struct vmm_layout_req *req, uint64_t block, struct vmm_layout *l)
{
	l->gicd = (struct vmm_region){ .kind = VMM_R_GICD, .base = block + VMM_DEV_BLOCK - VMM_GICD_SIZE,
				       .size = VMM_GICD_SIZE };
	l->gicr = (struct vmm_region){ .kind = VMM_R_GICR, .base = l->gicd.base - req->cpus * VMM_GICR_SIZE,
				       .size = req->cpus * VMM_GICR_SIZE };
	l->has_its = req->its;
	if (req->its)
		l->its = (struct vmm_region){ .kind = VMM_R_ITS, .base = l->gicr.base - VMM_ITS_SIZE,
					      .size = VMM_ITS_SIZE };
}

static unsigned gic_regions(const struct vmm_layout *l, struct vmm_region *out, unsigned max)
{
	const struct vmm_region *r[3] = { &l->gicd, &l->gicr, l->has_its ? &l->its : NULL };
	unsigned n = 0;

	for (unsigned i = 0; i < 3; i++)
		if (r[i] && r[i]->size && n < max)
			out[n++] = *r[i];
	return n;
}

static int gic_fdt(void *f, const struct vmm_layout *l, const struct vmm_region *unused)
{
	fdt64_t r[4] = {
		cpu_to_fdt64(l->gicd.base), cpu_to_fdt64(l->gicd.size),
		cpu_to_fdt64(l->gicr.base), cpu_to_fdt64(l->gicr.size),
	};

	(void)unused;
	TRY(vmm_fdt_begin(f, "intc", l->gicd.base));
	TRY(fdt_property_string(f, "compatible", "arm,gic-v3"));
	TRY(fdt_property_u32(f, "#interrupt-cells", 3));
	TRY(fdt_property(f, "interrupt-controller", NULL, 0));
	TRY(fdt_property(f, "reg", r, sizeof(r)));
	TRY(fdt_property_u32(f, "#redistributor-regions", 1));
	TRY(fdt_property_u32(f, "phandle", VMM_PHANDLE_GIC));
	TRY(fdt_property_u32(f, "#address-cells", 2));
	TRY(fdt_property_u32(f, "#size-cells", 2));
	TRY(fdt_property(f, "ranges", NULL, 0));
	if (l->has_its) {
		TRY(vmm_fdt_begin(f, "msic", l->its.base));
		TRY(fdt_property_string(f, "compatible", "arm,gic-v3-its"));
		TRY(fdt_property(f, "msi-controller", NULL, 0));
		TRY(fdt_property_u32(f, "#msi-cells", 1));
		TRY(fdt_property_u32(f, "phandle", VMM_PHANDLE_ITS));
		/* The ITS's NUMA node keeps a guest's node-local ITS
		   tables below 2^48 (vmm_layout_its_numa()). */
		if (vmm_layout_its_numa(l))
			TRY(fdt_property_u32(f, "numa-node-id", 0));
		TRY(vmm_fdt_reg(f, l->its.base, l->its.size));
		TRY(fdt_end_node(f));
	}
	return fdt_end_node(f);
}

static unsigned gic_instances(const struct vmm_layout_req *req)
{
	(void)req;
	return 1;       /* every VM has one */
}

static const struct vmm_device gic_device = {
	.name = "gic",
	.what = "the GICv3",
	.kind = VMM_DEV_PLATFORM,
	.instances = gic_instances,
	.fdt = gic_fdt,
	/* After stolen time's memory slot, before the timer and the PMU
	   (whose overflow PPI needs the initialised GIC). */
	.order = 10,
	.place = gic_place,
	.regions = gic_regions,
	.vm_setup = vmm_gic_create,
	.late_setup = vmm_gic_init,
};

VMM_DEVICE_REGISTER(gic_device);
