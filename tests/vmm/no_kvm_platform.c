/* SPDX-License-Identifier: MIT */
/*
 * The KVM setup of the platform devices (gic.c, pvtime.c, pmu.c) for host
 * builds, which have no arm64 KVM headers: the device files that
 * register them link, and the host code never reaches a setup stage.
 */
#include <errno.h>

#include "gic.h"
#include "log.h"
#include "pmu.h"
#include "pvtime.h"

static int no_kvm(const char *what)
{
	pr_err("%s: this is a host build of s2vmm without KVM", what);
	return -ENODEV;
}

int vmm_gic_create(struct vmm_vm *vm)
{
	(void)vm;
	return no_kvm("creating the GIC");
}

int vmm_gic_init(struct vmm_vm *vm)
{
	(void)vm;
	return no_kvm("initialising the GIC");
}

int vmm_pmu_init(struct vmm_vm *vm)
{
	(void)vm;
	return no_kvm("the PMU");
}

int vmm_pvtime_setup(struct vmm_vm *vm, unsigned slot)
{
	(void)vm;
	(void)slot;
	return no_kvm("the stolen-time region");
}

int vmm_pvtime_vcpu(struct vmm_vm *vm, struct vmm_vcpu *v)
{
	(void)vm;
	(void)v;
	return no_kvm("stolen time for a vCPU");
}
