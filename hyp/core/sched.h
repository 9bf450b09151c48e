/* SPDX-License-Identifier: MIT */
#ifndef HYP_SCHED_H
#define HYP_SCHED_H

#include "vm.h"

/* The VMM's handler for an exit the hypervisor left to it. It runs with
   @vm still loaded (its stage 2 and EL1 registers in force). */
typedef void (*vm_exit_fn)(struct vm *vm, struct vm_exit *x);

/* Run @vms until none is runnable, handing their VMM exits to @handle. */
void sched_run(struct vm **vms, unsigned n, vm_exit_fn handle);

#endif
