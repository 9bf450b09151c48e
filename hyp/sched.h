/* SPDX-License-Identifier: MIT */
#ifndef HYP_SCHED_H
#define HYP_SCHED_H

#include "vm.h"

/* Run @vms until none is runnable. */
void sched_run(struct vm **vms, unsigned n);

#endif
