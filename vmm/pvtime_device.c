/* SPDX-License-Identifier: MIT */
/*
 * Stolen time as a platform device: 64 KiB at kvmtool's offset in the
 * device block (64 bytes per vCPU), no device-tree node (the guest asks
 * the PV_TIME_ST hypercall), a memory slot before the vCPUs exist and
 * each vCPU's structure once it does (pvtime.c).
 */
#include "device.h"
#include "layout.h"
#include "pvtime.h"

static void pvtime_place(const struct vmm_layout_req *req, uint64_t block, struct vmm_layout *l)
{
	(void)req;
	l->has_pvtime = true;
	l->pvtime = (struct vmm_region){ .kind = VMM_R_PVTIME, .base = block + VMM_PVTIME_OFF,
					 .size = VMM_PVTIME_SIZE };
}

static unsigned pvtime_regions(const struct vmm_layout *l, struct vmm_region *out, unsigned max)
{
	if (!l->has_pvtime || !max)
		return 0;
	out[0] = l->pvtime;
	return 1;
}

static unsigned pvtime_instances(const struct vmm_layout_req *req)
{
	return req->pvtime;
}

/* The slot after the RAM banks'. */
static int pvtime_vm(struct vmm_vm *vm)
{
	return vm->layout.has_pvtime ? vmm_pvtime_setup(vm, VMM_MAX_BANKS) : 0;
}

static int pvtime_vcpu(struct vmm_vm *vm, struct vmm_vcpu *v)
{
	return vm->layout.has_pvtime ? vmm_pvtime_vcpu(vm, v) : 0;
}

static const struct vmm_device pvtime_device = {
	.name = "pvtime",
	.what = "stolen-time structures",
	.kind = VMM_DEV_PLATFORM,
	.instances = pvtime_instances,
	.order = 0,
	.place = pvtime_place,
	.regions = pvtime_regions,
	.vm_setup = pvtime_vm,
	.vcpu_setup = pvtime_vcpu,
};

VMM_DEVICE_REGISTER(pvtime_device);
