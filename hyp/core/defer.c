/* SPDX-License-Identifier: MIT */
/*
 * Read-side sections and the deferred-free queue (defer.h).
 *
 * Each CPU has one sequence word, bumped when it enters a section and
 * when it leaves: odd inside. A table handed over records the word of
 * every other CPU that is inside a section at that moment; it may be
 * freed once each of those words has moved on. The two sides are ordered
 * as a store-buffering pair (Arm ARM, B2 "Memory ordering": a DMB between
 * a store and a later load on each side): the unlinking CPU writes the
 * new descriptor, DMB, reads the words; an entering CPU bumps its word,
 * DMB, then walks. So either the unlinking CPU sees the section (and
 * waits for it), or the entering CPU's walk sees the new descriptor and
 * never reaches the table. A CPU leaving a section orders its walk's
 * accesses before the bump (release), and the freeing CPU reads the word
 * with acquire before it frees.
 */
#include "atomic.h"
#include "defer.h"
#include "smp.h"

struct pending {
	struct s2_pgtable *pgt;
	void *table;
	int level;
	uint64_t mask;                 /* CPUs this table waits for */
	uint64_t seq[NR_CPUS];         /* their sequence words when queued */
};

static uint64_t seq[NR_CPUS];
static struct pending queue[DEFER_QUEUE];
static uint64_t nqueued;
static struct spinlock lock;
static struct defer_stats st;

void defer_enter(void)
{
	unsigned id = this_cpu()->id;

	atomic_add(&seq[id], 1);
	smp_mb();
}

void defer_exit(void)
{
	unsigned id = this_cpu()->id;

	atomic_add(&seq[id], 1);
}

static bool reachable(const struct pending *p)
{
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (((p->mask >> c) & 1) && atomic_load(&seq[c]) == p->seq[c])
			return true;
	return false;
}

/* Free the queued tables that nobody can reach (of @pgt, or all); under
   the lock. */
static void reclaim_locked(const struct s2_pgtable *pgt)
{
	for (uint64_t i = 0; i < nqueued;) {
		struct pending *p = &queue[i];

		if ((pgt && p->pgt != pgt) || reachable(p)) {
			i++;
			continue;
		}
		s2_free_unlinked(p->pgt, p->table, p->level);
		st.freed++;
		*p = queue[--nqueued];
	}
}

void defer_free(void *ctx, struct s2_pgtable *pgt, void *table, int level)
{
	unsigned self = this_cpu()->id;
	struct pending *p;

	(void)ctx;
	/* The descriptor that linked @table is written: order it before
	   reading who is inside a section. */
	smp_mb();
	spin_lock(&lock);
	while (nqueued == DEFER_QUEUE) {
		/* Our own section does not count: the walk that unlinked the
		   table no longer enters it. */
		st.waited++;
		reclaim_locked(NULL);
		if (nqueued < DEFER_QUEUE)
			break;
		spin_unlock(&lock);
		cpu_relax();
		spin_lock(&lock);
	}
	p = &queue[nqueued++];
	*p = (struct pending){ .pgt = pgt, .table = table, .level = level };
	for (unsigned c = 0; c < NR_CPUS; c++) {
		uint64_t w = atomic_load(&seq[c]);

		if (c == self || !(w & 1))
			continue;
		p->mask |= 1ULL << c;
		p->seq[c] = w;
	}
	st.queued++;
	if (nqueued > st.peak)
		st.peak = nqueued;
	spin_unlock(&lock);
}

void defer_reclaim(void)
{
	if (!atomic_load(&nqueued))
		return;
	spin_lock(&lock);
	reclaim_locked(NULL);
	spin_unlock(&lock);
}

void defer_drain(const struct s2_pgtable *pgt)
{
	for (;;) {
		spin_lock(&lock);
		reclaim_locked(pgt);
		uint64_t left = 0;
		for (uint64_t i = 0; i < nqueued; i++)
			left += queue[i].pgt == pgt;
		spin_unlock(&lock);
		if (!left)
			return;
		cpu_relax();
	}
}

uint64_t defer_pending(const struct s2_pgtable *pgt)
{
	uint64_t n = 0;

	spin_lock(&lock);
	for (uint64_t i = 0; i < nqueued; i++)
		n += !pgt || queue[i].pgt == pgt;
	spin_unlock(&lock);
	return n;
}

const struct defer_stats *defer_stats(void)
{
	return &st;
}
