/* SPDX-License-Identifier: MIT */
/* The in-kernel GICv3 (and ITS): KVM_CREATE_DEVICE, addresses, init. */
#ifndef VMM_GIC_H
#define VMM_GIC_H

#include "vm.h"

/* Create the distributor/redistributors (and ITS) at the layout's
   addresses; before the vCPUs exist. Return 0 or -errno (printed). */
int vmm_gic_create(struct vmm_vm *vm);
/* KVM_DEV_ARM_VGIC_CTRL_INIT, once every vCPU exists. */
int vmm_gic_init(struct vmm_vm *vm);

#endif
