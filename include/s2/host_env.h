/* SPDX-License-Identifier: MIT */
/*
 * The host environment for stage-2 tables (tools, tests, benchmarks; not
 * part of the freestanding core). Table pages come from an arena reserved
 * with mmap and are given fake physical addresses pa_base + offset, so a
 * host can build tables whose own addresses lie anywhere in a 52-bit PA
 * space. Allocation can be made to fail on the k-th call. Nothing walks
 * the tables in hardware, so the TLB invalidation and cache maintenance
 * hooks do nothing. Not thread-safe, and without
 * ops->free_unlinked: a caller of shared maps wraps it (see
 * tests/pgtable/test_shared.c).
 */
#ifndef S2_HOST_ENV_H
#define S2_HOST_ENV_H

#include <s2/pgtable.h>

/* s2_host_env.fail_at: no allocation fails. */
#define S2_HOST_ENV_FAIL_NEVER 0

struct s2_host_env {
	/* s2_host_env_ops with the linear fast path for this arena: pass
	   &env->ops to s2_pgtable_init() (s2_host_env_ops itself goes
	   through phys_to_virt). */
	struct s2_mm_ops ops;
	uint8_t *arena;
	uint64_t arena_bytes, bump;
	uint64_t pa_base;
	void *free_list[64];          /* by log2 size */
	uint64_t free_n[64];          /* blocks on each free list */
	int64_t fail_at;              /* fail the allocation with this number
					 (1-based, counted from now), or
					 S2_HOST_ENV_FAIL_NEVER */
	uint64_t live_bytes;          /* allocated and not freed */
};

extern const struct s2_mm_ops s2_host_env_ops;

/**
 * s2_host_env_init() - reserve @arena_bytes of address space (not memory:
 * pages are touched only when used) whose first byte has fake PA @pa_base
 * (aligned to 1 GiB is convenient) for the environment @e.
 * No diag (s2/err.h's diagnostics rule: one error, one cause).
 * Return: 0 or S2_ENOMEM (mmap failed).
 */
int s2_host_env_init(struct s2_host_env *e, s2_pa_t pa_base, uint64_t arena_bytes);

/** s2_host_env_fini() - unmap @e's arena (tables in it are gone). */
void s2_host_env_fini(struct s2_host_env *e);

/**
 * s2_host_env_fail_at() - make the @k-th allocation from @e from now on
 * fail (k >= 1), S2_HOST_ENV_FAIL_NEVER to disable.
 */
static inline void s2_host_env_fail_at(struct s2_host_env *e, int64_t k)
{
	e->fail_at = k;
}

#endif
