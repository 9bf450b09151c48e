/* SPDX-License-Identifier: MIT */
/*
 * Device tree in the shape kvmtool gives arm64 guests: 2 address and
 * size cells everywhere (every address may be 52 bits), PSCI 0.2 over
 * HVC, the platform devices' nodes (GICv3 with an optional ITS child,
 * the arch timer's PPIs, the PMU), then the other devices'.
 */
#include <inttypes.h>
#include <stdio.h>
#include <libfdt.h>

#include "device.h"
#include "devtree.h"
#include "pci_host.h"

#define TRY(x) VMM_FDT_TRY(x)

static int cpus(void *f, const struct vmm_layout *l)
{
	TRY(fdt_begin_node(f, "cpus"));
	TRY(fdt_property_u32(f, "#address-cells", 1));
	TRY(fdt_property_u32(f, "#size-cells", 0));
	for (unsigned i = 0; i < l->cpus; i++) {
		/* KVM's default MPIDR: Aff0 = id % 16, Aff1 = id / 16. */
		unsigned mpidr = (i & 0xf) | ((i >> 4) << 8);

		TRY(vmm_fdt_begin(f, "cpu", mpidr));
		TRY(fdt_property_string(f, "device_type", "cpu"));
		TRY(fdt_property_string(f, "compatible", "arm,arm-v8"));
		TRY(fdt_property_string(f, "enable-method", "psci"));
		TRY(fdt_property_u32(f, "reg", mpidr));
		if (vmm_layout_its_numa(l))
			TRY(fdt_property_u32(f, "numa-node-id", 0));
		TRY(fdt_end_node(f));
	}
	return fdt_end_node(f);
}

/* The machine's own devices (GIC, timer, PMU), in their order. */
static int platform(void *f, const struct vmm_layout *l)
{
	unsigned n;
	const struct vmm_device *const *p = vmm_platform_devices(&n);

	for (unsigned i = 0; i < n; i++)
		if (p[i]->fdt)
			TRY(p[i]->fdt(f, l, NULL));
	return 0;
}

static int devices(void *f, const struct vmm_layout *l)
{
	for (unsigned i = 0; i < l->nr_dev; i++)
		TRY(l->dev[i].dev->fdt(f, l, &l->dev[i]));
	return 0;
}

int vmm_fdt_build(const struct vmm_layout *l, const struct vmm_fdt_info *info, void *f)
{
	/* An ITS with RAM above 2^48: the boot bank is the ITS's NUMA node,
	   so the guest's node-local ITS allocations stay where GITS_BASER's
	   4K-page form can point. */
	bool numa = vmm_layout_its_numa(l);

	const struct vmm_region *uart = vmm_layout_dev(l, "uart", 0);
	char stdout_path[64];

	TRY(fdt_create(f, VMM_FDT_MAX));
	TRY(fdt_finish_reservemap(f));
	TRY(fdt_begin_node(f, ""));
	TRY(fdt_property_string(f, "compatible", "linux,dummy-virt"));
	TRY(fdt_property_string(f, "model", "s2vmm"));
	TRY(fdt_property_u32(f, "#address-cells", 2));
	TRY(fdt_property_u32(f, "#size-cells", 2));
	TRY(fdt_property_u32(f, "interrupt-parent", VMM_PHANDLE_GIC));
	for (unsigned i = 0; i < l->nr_ram; i++) {
		TRY(vmm_fdt_begin(f, "memory", l->ram[i].base));
		TRY(fdt_property_string(f, "device_type", "memory"));
		if (numa)
			TRY(fdt_property_u32(f, "numa-node-id", vmm_layout_bank_node(l, i)));
		TRY(vmm_fdt_reg(f, l->ram[i].base, l->ram[i].size));
		TRY(fdt_end_node(f));
	}
	TRY(cpus(f, l));
	TRY(fdt_begin_node(f, "psci"));
	TRY(fdt_property_string(f, "compatible", "arm,psci-0.2"));
	TRY(fdt_property_string(f, "method", "hvc"));
	TRY(fdt_end_node(f));
	TRY(platform(f, l));
	TRY(devices(f, l));
	if (l->has_pci)
		TRY(vmm_pci_host_fdt(f, l));
	TRY(fdt_begin_node(f, "chosen"));
	TRY(fdt_property_string(f, "bootargs", info->bootargs ? info->bootargs : ""));
	/* Always present, as kvmtool writes it: 0 unless --kaslr-seed. */
	TRY(fdt_property_u64(f, "kaslr-seed", info->kaslr_seed));
	if (!info->virtio_console && uart) {
		snprintf(stdout_path, sizeof(stdout_path), "/uart@%" PRIx64, uart->base);
		TRY(fdt_property_string(f, "stdout-path", stdout_path));
	}
	if (info->initrd_end) {
		TRY(fdt_property_u64(f, "linux,initrd-start", info->initrd_start));
		TRY(fdt_property_u64(f, "linux,initrd-end", info->initrd_end));
	}
	TRY(fdt_end_node(f));
	TRY(fdt_end_node(f));
	TRY(fdt_finish(f));
	return 0;
}
