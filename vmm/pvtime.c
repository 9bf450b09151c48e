/* SPDX-License-Identifier: MIT */
/*
 * The region is ordinary anonymous memory, not part of any RAM bank the
 * device tree describes: Linux finds it only through the hypercall and
 * maps it with memremap() (drivers/.../arm64 pvtime: kvm_init_stolen_time).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "log.h"
#include "pvtime.h"

int vmm_pvtime_setup(struct vmm_vm *vm, unsigned slot)
{
	const struct vmm_region *r = &vm->layout.pvtime;
	void *mem;
	int rc;

	mem = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		rc = -errno;
		pr_err("allocating the stolen-time region: %s", strerror(errno));
		return rc;
	}
	rc = vmm_kvm_set_ram(&vm->kvm, slot, r->base, r->size, mem);
	if (rc) {
		pr_err("mapping the stolen-time region at %#" PRIx64 ": %s", r->base, strerror(-rc));
		munmap(mem, r->size);
	}
	return rc;
}

int vmm_pvtime_vcpu(struct vmm_vm *vm, struct vmm_vcpu *v)
{
	uint64_t ipa = vm->layout.pvtime.base + (uint64_t)v->id * VMM_PVTIME_STRIDE;
	struct kvm_device_attr a = {
		.group = KVM_ARM_VCPU_PVTIME_CTRL, .attr = KVM_ARM_VCPU_PVTIME_IPA,
		.addr = (uint64_t)(uintptr_t)&ipa,
	};

	if (ioctl(v->fd, KVM_SET_DEVICE_ATTR, &a)) {
		int rc = -errno;

		pr_err("stolen time for vCPU %u at %#" PRIx64 ": %s", v->id, ipa, strerror(errno));
		return rc;
	}
	return 0;
}
