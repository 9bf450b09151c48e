/* SPDX-License-Identifier: MIT */
/*
 * Read-side sections and the deferred-free lists (defer.h).
 *
 * Each CPU has one sequence word, bumped when it enters a section and
 * when it leaves: odd inside. Unlinked tables wait in batches, as Linux's
 * RCU callbacks wait in segments for a grace period: tables handed over
 * since the last snapshot are "next"; a snapshot records the word of
 * every CPU inside a section, and makes "next" the "waiting" batch, which
 * may be freed once each of those words has moved on. A snapshot is taken
 * after every table of its batch was unlinked, so it waits for at least
 * the sections that could reach them.
 *
 * The two sides are ordered as a store-buffering pair (Arm ARM, B2
 * "Memory ordering": a DMB between a store and a later load on each
 * side): the unlinking CPU writes the new descriptor, DMB, and queues the
 * table under the lock; the CPU taking the snapshot takes the lock, DMB,
 * reads the words. An entering CPU bumps its word, DMB, then walks. So
 * either the snapshot sees the section (and the batch waits for it), or
 * the entering CPU's walk sees the new descriptor and never reaches the
 * table. A CPU leaving a section orders its walk's accesses before the
 * bump (release), and the freeing CPU reads the words with acquire before
 * it frees.
 *
 * Why defer_free() never waits: it is called inside the caller's own
 * section, in the middle of a shared walk. Waiting there for other CPUs'
 * sections to end is waiting for a grace period inside a read-side
 * section, which Linux forbids (synchronize_rcu() in rcu_read_lock() is a
 * deadlock): two CPUs doing it at once each wait for the other's section,
 * and a bounded queue that fills makes every CPU that unlinks a table do
 * it. Nor may the caller drop its own section to wait: its walk goes on
 * afterwards and may be inside a table another CPU unlinked. So, as
 * Linux's stage2_free_unlinked_table() hands the table to call_rcu()
 * through the rcu_head in its struct page and the level in page_private,
 * a table is linked through the allocator's words for its page
 * (alloc_meta()), never through its own memory, which other CPUs may
 * still walk: queueing cannot fail, and there is no bound to reach.
 * kvm_pgtable_stage2_free_unlinked() then frees it, as s2_free_unlinked()
 * does here, once the grace period is over.
 */
#include "alloc.h"
#include "atomic.h"
#include "defer.h"
#include "smp.h"

static uint64_t seq[NR_CPUS];
static struct spinlock lock;
static struct alloc_meta *next;            /* queued since the last snapshot */
static struct alloc_meta *waiting;         /* the batch the snapshot is for */
static uint64_t snap_mask;                 /* CPUs the snapshot saw inside */
static uint64_t snap[NR_CPUS];             /* their words then */
static uint64_t npending;
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

void defer_free(void *ctx, struct s2_pgtable *pgt, void *table, int level)
{
	struct alloc_meta *m = alloc_meta(table);

	(void)ctx;
	/* The descriptor that linked @table is written: order it before
	   the snapshot that will be taken after this is queued. */
	smp_mb();
	m->owner = pgt;
	m->priv = (uint64_t)level;
	spin_lock(&lock);
	m->next = next;
	next = m;
	st.queued++;
	if (++npending > st.peak)
		st.peak = npending;
	spin_unlock(&lock);
}

/* Has every section the snapshot saw ended? */
static bool grace_over(void)
{
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (((snap_mask >> c) & 1) && atomic_load(&seq[c]) == snap[c])
			return false;
	return true;
}

/* Free the waiting batch once its grace period is over, then start one
   for the next batch; until neither can go further. Under the lock. */
static void reclaim_locked(void)
{
	for (;;) {
		if (waiting) {
			if (!grace_over())
				return;
			while (waiting) {
				struct alloc_meta *m = waiting;

				waiting = m->next;
				s2_free_unlinked(m->owner, alloc_meta_block(m), (int)m->priv);
				st.freed++;
				npending--;
			}
		}
		if (!next)
			return;
		waiting = next;
		next = NULL;
		smp_mb();
		snap_mask = 0;
		for (unsigned c = 0; c < NR_CPUS; c++) {
			uint64_t w = atomic_load(&seq[c]);

			snap[c] = w;
			if (w & 1)
				snap_mask |= 1ULL << c;
		}
		st.batches++;
	}
}

void defer_reclaim(void)
{
	if (!atomic_load(&npending))
		return;
	spin_lock(&lock);
	reclaim_locked();
	spin_unlock(&lock);
}

static uint64_t count(const struct alloc_meta *m, const struct s2_pgtable *pgt)
{
	uint64_t n = 0;

	for (; m; m = m->next)
		n += !pgt || m->owner == pgt;
	return n;
}

void defer_drain(const struct s2_pgtable *pgt)
{
	for (;;) {
		spin_lock(&lock);
		reclaim_locked();
		uint64_t left = count(next, pgt) + count(waiting, pgt);
		spin_unlock(&lock);
		if (!left)
			return;
		cpu_relax();
	}
}

uint64_t defer_pending(const struct s2_pgtable *pgt)
{
	uint64_t n;

	spin_lock(&lock);
	n = count(next, pgt) + count(waiting, pgt);
	spin_unlock(&lock);
	return n;
}

const struct defer_stats *defer_stats(void)
{
	return &st;
}
