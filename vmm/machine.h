/* SPDX-License-Identifier: MIT */
/* `s2vmm run`: from a configuration to a running VM. */
#ifndef VMM_MACHINE_H
#define VMM_MACHINE_H

#include "opts.h"

/* Return the process exit code: 0 guest powered off, 1 runtime failure
   or guest crash/reset, 2 bad input (nothing was created). */
int vmm_machine_run(const struct vmm_config *c);

#endif
