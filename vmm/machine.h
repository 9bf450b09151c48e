/* SPDX-License-Identifier: MIT */
/* `s2vmm run`: from a checked plan to a running VM. */
#ifndef VMM_MACHINE_H
#define VMM_MACHINE_H

#include "opts.h"
#include "plan.h"

/*
 * vmm_machine_run() - open /dev/kvm, redo @p's layout against the IPA
 * limit KVM reports, print or write what @c asks, and run the kernel.
 * @p: made by vmm_plan_inputs(); its files are still read.
 * Return: the process exit code: 0 guest powered off (or nothing to
 * run), 1 KVM failure (the failing ioctl named) or guest crash/reset,
 * 2 input this host cannot hold (nothing was created).
 */
int vmm_machine_run(const struct vmm_config *c, struct vmm_plan *p);

#endif
