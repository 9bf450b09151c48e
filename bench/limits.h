/* SPDX-License-Identifier: MIT */
/*
 * Physical limits, measured in the same run as the figures they bound:
 *
 * - memset of the descriptor bytes an operation must write (8 per leaf):
 *   no range operation can touch its descriptors faster than the memory
 *   system stores them;
 * - a read-modify-write pass over the same bytes, for operations that
 *   must read each descriptor before they change it (wrprotect);
 * - a dependent pointer chase of the same depth and working set as a
 *   table walk: a radix tree with exactly as many tables per level as the
 *   real one (so the same bytes), placed in random order, walked with
 *   native pointers and nothing else. A lookup cannot beat its levels of
 *   dependent loads over that much memory.
 *
 * Both use one scratch buffer, mmap'd and pre-faulted like the table arena
 * after its warm-up, so neither side pays page faults in the timed part.
 */
#ifndef BENCH_LIMITS_H
#define BENCH_LIMITS_H

#include <stddef.h>
#include <s2/geometry.h>
#include "timing.h"

/* A pre-faulted buffer of at least @bytes, reused (grown) across cases. */
void *bench_scratch(size_t bytes);
void bench_scratch_release(void);

/* ns for one memset of @bytes (median of @reps). */
double bench_memset_ns(size_t bytes, unsigned reps);

/* ns for one read-modify-write pass over @bytes of descriptors (each
   loaded, changed, stored back), median of @reps: the least a range
   operation that edits every descriptor in place can cost. */
double bench_rmw_ns(size_t bytes, unsigned reps);

struct bench_chase {
	const uint64_t *root;
	int start, leaf;
	unsigned shift[5];     /* by level + 1 */
	uint64_t mask[5];
	uint64_t bytes;        /* working set: root plus every table */
};

/*
 * Build in the scratch buffer a tree for leaves at @leaf_level over
 * [start, end) with @g's shape, tables shuffled with @seed.
 */
void bench_chase_build(struct bench_chase *c, const struct s2_geometry *g, int leaf_level,
		       uint64_t start, uint64_t end, uint64_t seed);

/* The raw walk: one dependent load per level, returns the leaf entry. */
static inline uint64_t *bench_chase_ptep(const struct bench_chase *c, uint64_t ipa)
{
	const uint64_t *t = c->root;

	for (int l = c->start; l < c->leaf; l++)
		t = (const uint64_t *)t[(ipa >> c->shift[l + 1]) & c->mask[l + 1]];
	return (uint64_t *)&t[(ipa >> c->shift[c->leaf + 1]) & c->mask[c->leaf + 1]];
}

#endif
