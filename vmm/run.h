/* SPDX-License-Identifier: MIT */
/* vCPU threads and KVM exits. */
#ifndef VMM_RUN_H
#define VMM_RUN_H

#include "vm.h"

/* Start a thread per vCPU, wait for them all; return the exit code:
   0 after PSCI SYSTEM_OFF, 1 after a crash, reset or KVM failure. */
int vmm_run_vcpus(struct vmm_vm *vm);

#endif
