/* SPDX-License-Identifier: MIT */
/*
 * The multi-vCPU guest (MODE_SMP, guest/smp.c) and the hypervisor's check
 * of it: which arena pages each vCPU touches, how, and what it writes, so
 * both sides derive the same plan.
 *
 * The arena (npages pages from GUEST_ARENA) is cut into regions:
 *   own     pages 0 .. own_end: page k is vCPU (k % n)'s alone, so
 *           neighbouring pages fault on different CPUs (one last-level
 *           table); every other one is read before it is written;
 *   shared  .. shared_end: every vCPU writes its own slot in each page and
 *           later reads everyone's; the first half in lockstep (a barrier
 *           before each page, so all vCPUs fault on it at once), the
 *           second half with odd vCPUs going downwards; even pages are
 *           read first;
 *   ro      .. ro_end: every vCPU only reads (and finds zeros), in
 *           lockstep;
 *   exec    .. exec_end: every vCPU writes a two-instruction function in
 *           its slot of each page, then calls everyone's;
 *   the rest is never touched.
 * Permissions the stage 2 must end with: own and shared RW, ro R, exec
 * RWX, the rest unmapped (where pages, not blocks, back RAM).
 *
 * Then each vCPU verifies: its own pages, everyone's slots in the shared
 * pages, its slot of the ro pages, and calls every function.
 *
 * Slot i of a page is SMP_SLOT(i) bytes into it. Synchronisation: the
 * page at GUEST_SMP_SYNC holds each vCPU's barrier counter and result.
 * With SMP_F_VMM the barrier before verifying (round smp_verify_round())
 * also waits for the VMM's word, SMP_VMM_ARRIVE: the VMM works on the
 * tables meanwhile and lets the vCPUs go when it is done.
 */
#ifndef GUEST_SMP_PROTO_H
#define GUEST_SMP_PROTO_H

#include <stdbool.h>
#include <stdint.h>
#include "proto.h"

#define SMP_MAX_VCPUS     4
#define SMP_VCPU_STACK    0x4000ULL     /* per vCPU, down from GUEST_STACK_TOP */
#define GUEST_SMP_SYNC    0x30000ULL    /* from the RAM base; below GUEST_ITS_MEM */
#define SMP_ARRIVE(i)     ((uint64_t)(i) * 64)          /* barrier counters */
#define SMP_RESULT(i)     (0x400 + (uint64_t)(i) * 64)  /* struct smp_result */
#define SMP_VMM_ARRIVE    SMP_ARRIVE(SMP_MAX_VCPUS)
#define SMP_SLOT(i)       (0x100 + (uint64_t)(i) * 16)
#define SMP_F_VMM         1u
#define SMP_DONE          0x53325359444f4e45ULL

/* What each vCPU leaves at SMP_RESULT(i). */
struct smp_result {
	uint64_t done;        /* SMP_DONE once finished */
	uint64_t failures;    /* mismatches it saw */
	uint64_t first_bad;   /* arena page of its first mismatch, + 1 */
	uint64_t calls;       /* functions in exec pages that returned right */
	uint64_t timeouts;    /* barriers left after SMP_BARRIER_S seconds */
	uint64_t undefs;      /* PMCR_EL0 reads made UNDEFINED as they must be */
};

#define SMP_BARRIER_S 60

struct smp_plan {
	unsigned own_end, shared_end, ro_end, exec_end;
};

static inline struct smp_plan smp_plan(unsigned npages)
{
	struct smp_plan p;
	unsigned exec = npages / 16 < 8 ? npages / 16 : 8;

	p.own_end = npages / 4;
	p.shared_end = p.own_end + npages / 4;
	p.ro_end = p.shared_end + npages / 8;
	p.exec_end = p.ro_end + (exec ? exec : 1);
	return p;
}

/* The barrier round before the vCPUs verify: the start, after own, one
   per lockstep page, then this one. */
static inline uint64_t smp_verify_round(const struct smp_plan *p)
{
	return 3 + (p->shared_end - p->own_end) / 2 + (p->ro_end - p->shared_end);
}

/* The value vCPU @i writes in its slot of arena page @k. */
static inline uint64_t smp_pattern(unsigned i, unsigned k)
{
	return proto_mix(0x5350ULL << 48 | (uint64_t)i << 32 | k) | 1;
}

/* The function vCPU @i puts in its slot of exec page @k returns this. */
static inline unsigned smp_ret(unsigned i, unsigned k)
{
	return (k & 0xfff) << 4 | i;
}

#endif
