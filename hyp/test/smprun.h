/* SPDX-License-Identifier: MIT */
/*
 * What the several-CPU run's files share: the VM, its vCPUs' threads,
 * what a run asks of the boot CPU, and the functions of the VMM's side
 * (smpvmm.c) and of the checks (smpcheck.c) that smptest.c calls.
 */
#ifndef HYP_TEST_SMPRUN_H
#define HYP_TEST_SMPRUN_H

#include <stdbool.h>
#include <stdint.h>
#include "guest/smp_proto.h"
#include "vcpu.h"

#define SMP_TIMEOUT_S 120
#define MAX_PAGES     1024        /* VM_RAM_SIZE / 4K */

struct vthread {
	struct vcpu v;
	struct vcpu_exit x;
	unsigned runs;
};

extern struct vm vm;
extern struct vthread th[SMP_MAX_VCPUS];

/* What the boot CPU does while the vCPUs run. */
enum vmm_work {
	VMM_VCPU,                 /* runs vCPU 0 */
	VMM_AGE,                  /* ages the arena, as the VMM (vCPUs on CPUs 1..) */
	VMM_UNMAP,                /* unmaps the arena, as the VMM */
};

struct smp_spec {
	enum s2_granule granule;
	uint64_t type;
	bool premap;              /* the VMM maps pages of both 2 MiB blocks first */
	enum vmm_work vmm;        /* what the boot CPU does meanwhile */
};

/* smpvmm.c */
uint64_t vmm_while_running(enum vmm_work w, unsigned nv, const struct smp_plan *p,
			   uint64_t *faults);

/* smpcheck.c */
bool premapped(unsigned i, uint64_t image_size, uint64_t page);
void plan(unsigned n, uint64_t page, uint64_t image_size, const struct smp_spec *s);
unsigned arena_leaves(const struct smp_plan *p);
void check_tables(void);
void check_walker(void);
void check_guests(unsigned n, const struct smp_plan *p);

#endif
