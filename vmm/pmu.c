/* SPDX-License-Identifier: MIT */
/*
 * KVM's vCPU PMU attributes (Documentation/virt/kvm/devices/vcpu.rst,
 * KVM_ARM_VCPU_PMU_V3_CTRL): the interrupt is a PPI number, the same on
 * every vCPU, and INIT needs an initialised vGIC.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "log.h"
#include "pmu.h"

static int pmu_attr(struct vmm_vcpu *v, uint64_t attr, void *val)
{
	struct kvm_device_attr a = {
		.group = KVM_ARM_VCPU_PMU_V3_CTRL, .attr = attr, .addr = (uint64_t)(uintptr_t)val,
	};

	return ioctl(v->fd, KVM_SET_DEVICE_ATTR, &a) ? -errno : 0;
}

int vmm_pmu_init(struct vmm_vm *vm)
{
	int irq = VMM_PMU_PPI;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		int rc = pmu_attr(&vm->vcpu[i], KVM_ARM_VCPU_PMU_V3_IRQ, &irq);

		if (rc) {
			pr_err("--pmu: setting PPI %d as vCPU %u's PMU interrupt: %s", irq, i,
			       strerror(-rc));
			return rc;
		}
		rc = pmu_attr(&vm->vcpu[i], KVM_ARM_VCPU_PMU_V3_INIT, NULL);
		if (rc) {
			pr_err("--pmu: KVM_ARM_VCPU_PMU_V3_INIT on vCPU %u: %s", i, strerror(-rc));
			return rc;
		}
	}
	return 0;
}
