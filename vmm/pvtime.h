/* SPDX-License-Identifier: MIT */
/*
 * Stolen time (Arm DEN0057A, "Paravirtualized Time for Arm-based
 * Systems"): KVM updates a 64-byte structure per vCPU in guest memory,
 * whose address the guest learns through the PV_TIME_ST hypercall.
 */
#ifndef VMM_PVTIME_H
#define VMM_PVTIME_H

#include "vm.h"

/* Structure size per vCPU, as kvmtool lays them out. */
#define VMM_PVTIME_STRIDE 64

/*
 * vmm_pvtime_setup() - map the layout's stolen-time region into the VM
 * as memory (memslot @slot). Return: 0 or -errno (printed).
 */
int vmm_pvtime_setup(struct vmm_vm *vm, unsigned slot);

/*
 * vmm_pvtime_vcpu() - tell KVM where @v's structure is
 * (KVM_ARM_VCPU_PVTIME_CTRL / KVM_ARM_VCPU_PVTIME_IPA).
 * Return: 0 or -errno (printed).
 */
int vmm_pvtime_vcpu(struct vmm_vm *vm, struct vmm_vcpu *v);

#endif
