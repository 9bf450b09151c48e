/* SPDX-License-Identifier: MIT */
/*
 * The host as KVM sees it: capabilities from this CPU's ID registers and,
 * per stage-2 granule, the resolved limits (KVM_CAP_ARM_VM_IPA_SIZE).
 * KVM ties the granule to the host page size; s2hyp hosts VMs of every
 * granule at once, so it keeps one s2_host per granule.
 */
#ifndef HYP_HOST_H
#define HYP_HOST_H

#include <s2/host.h>

extern struct s2_id_regs host_regs;
extern struct s2_host_caps host_caps;

/* Read the ID registers and resolve the hosts; prints a summary.
   Return: 0, or the library error for the CPU (no stage-2 granule). */
int host_init(void);

/* The host for a granule, or NULL if the CPU cannot use it at stage 2. */
const struct s2_host *host_for(enum s2_granule g);

#endif
