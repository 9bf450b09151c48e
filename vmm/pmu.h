/* SPDX-License-Identifier: MIT */
/* The guest PMU (KVM's PMUv3 emulation), kvmtool's --pmu. */
#ifndef VMM_PMU_H
#define VMM_PMU_H

#include "vm.h"

/* The overflow interrupt: PPI 23, as in kvmtool and QEMU's virt board. */
#define VMM_PMU_PPI 23

/*
 * vmm_pmu_init() - give every vCPU its PMU overflow interrupt and
 * KVM_ARM_VCPU_PMU_V3_INIT it. KVM requires the in-kernel GIC to be
 * initialised first. Return: 0 or -errno (printed, naming the vCPU).
 */
int vmm_pmu_init(struct vmm_vm *vm);

/* The "arm,armv8-pmuv3" node into @fdt (sequential-write mode).
   Return 0 or a negative libfdt error. */
int vmm_pmu_fdt(void *fdt);

#endif
