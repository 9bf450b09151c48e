/* SPDX-License-Identifier: MIT */
/*
 * The deferred free with many tables waiting (core/defer.c). A 4K stage 2
 * gets one page in each of DT_REGIONS 2 MiB regions, so each region has a
 * last-level table. Then the boot CPU and CPU 1 each enter a read-side
 * section and, while both are inside, each puts a 2 MiB block over its
 * half of the regions with shared maps: every block unlinks a table that
 * the other CPU could still be walking, so none may be freed until it
 * leaves. That is more tables than a fixed queue of 256 could hold,
 * queued from inside sections that wait for each other: with a bounded
 * queue whose producer waits when it is full, the two CPUs would wait
 * for each other for ever. Then:
 *   - every table was queued and none freed while either CPU was inside;
 *   - with only CPU 1 still inside, a reclaim frees none of them;
 *   - once both have left, one reclaim frees each exactly once (the
 *     allocator panics on a second free of a block; its count of frees
 *     grows by exactly the number of tables), the stage 2 holds only
 *     the tables above the blocks, and the allocator has everything back
 *     when it is destroyed.
 */
#include <s2/err.h>
#include "alloc.h"
#include "atomic.h"
#include "check.h"
#include "defer.h"
#include "defertest.h"
#include "mmu.h"
#include "printf.h"
#include "smp.h"
#include "stage2.h"
#include "sysreg.h"

#define DT_REGIONS   600          /* 300 a CPU: more than 256 each */
#define DT_BLOCK     0x200000ULL  /* 2 MiB: a level-2 block with 4K pages */
#define DT_VMID      41
#define DT_TIMEOUT_S 20

static struct stage2 s;

/* The two CPUs' steps, each a flag one of them raises. */
static uint64_t inside[2], unlinked[2], let_go;
static uint64_t maps_ok[2];

static bool wait_for(const uint64_t *flag)
{
	uint64_t end = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0) * DT_TIMEOUT_S;

	while (!atomic_load(flag))
		if (read_sysreg(cntpct_el0) > end)
			return false;
	return true;
}

/* CPU @me's half: a block over every other region, inside its section. */
static void unlink_half(unsigned me)
{
	struct s2_page_cache cache = { 0 };
	struct s2_diag d;
	uint64_t ok = 0;

	/* A block over a table takes no page; the cache is for form. */
	s2_cache_topup(&s.pgt, &cache, 4, &d);
	defer_enter();
	atomic_store(&inside[me], 1);
	if (wait_for(&inside[!me]))
		for (unsigned r = me; r < DT_REGIONS; r += 2)
			ok += s2_map_cached(&s.pgt, s2_ipa(r * DT_BLOCK), DT_BLOCK, s2_pa(RAM_BASE),
					    S2_PROT_R | S2_PROT_W, S2_MAP_SHARED, &cache, &d) == 0;
	maps_ok[me] = ok;
	atomic_store(&unlinked[me], 1);
	if (me == 1) {
		/* Stay inside until the boot CPU has tried to reclaim. */
		wait_for(&unlinked[0]);
		wait_for(&let_go);
	} else {
		wait_for(&unlinked[1]);
	}
	defer_exit();
	s2_cache_free(&s.pgt, &cache);
}

static void cpu1(void *arg)
{
	(void)arg;
	unlink_half(1);
}

void defertest_run(void)
{
	struct s2_geom_req req = { S2_GRANULE_4K, 40, 40, false, S2_START_AUTO };
	const struct defer_stats *ds = defer_stats();
	const struct alloc_stats *as = alloc_stats();
	uint64_t live = as->live_bytes;
	struct s2_geometry g;
	struct s2_diag d;

	printf("\ndefer: %u tables unlinked by two CPUs inside their sections\n", DT_REGIONS);
	if (!check(smp_parked(1), "defer: CPU 1 is not up and parked"))
		return;
	if (!check(s2_geometry_init(&g, &req, &d) == 0 &&
		   stage2_init(&s, &g, DT_VMID, 0, 0, &hyp_mm_ops, &d) == 0, "defer: setup: %s", d.msg))
		return;
	for (unsigned r = 0; r < DT_REGIONS; r++)
		if (!check(s2_map(&s.pgt, s2_ipa(r * DT_BLOCK + (r % 512) * 4096), 4096,
				  s2_pa(RAM_BASE + (r % 512) * 4096), S2_PROT_R | S2_PROT_W, S2_MAP_PAGES, &d) == 0,
			   "defer: map a page in region %u: %s", r, d.msg))
			goto out;
	uint64_t tables = s.pgt.stats.tables, queued = ds->queued, freed = ds->freed;

	inside[0] = inside[1] = unlinked[0] = unlinked[1] = let_go = 0;
	if (!check(smp_start(1, cpu1, NULL) == PSCI_SUCCESS, "defer: CPU 1 busy"))
		goto out;
	unlink_half(0);
	uint64_t q = ds->queued - queued, f = ds->freed - freed;
	check(maps_ok[0] + maps_ok[1] == DT_REGIONS && q == DT_REGIONS && f == 0 &&
	      defer_pending(&s.pgt) == DT_REGIONS,
	      "defer: %llu blocks mapped, %llu tables queued, %llu freed, %llu waiting while both "
	      "CPUs were inside; %u, %u, 0, %u expected", (unsigned long long)(maps_ok[0] + maps_ok[1]),
	      (unsigned long long)q, (unsigned long long)f,
	      (unsigned long long)defer_pending(&s.pgt), DT_REGIONS, DT_REGIONS, DT_REGIONS);
	/* This CPU is outside; CPU 1 is inside and could be walking them. */
	defer_reclaim();
	check(ds->freed == freed && defer_pending(&s.pgt) == DT_REGIONS,
	      "defer: %llu tables freed while CPU 1 was still inside its section",
	      (unsigned long long)(ds->freed - freed));
	atomic_store(&let_go, 1);
	uint64_t end = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0) * DT_TIMEOUT_S;
	while (!smp_parked(1) && read_sysreg(cntpct_el0) < end)
		cpu_relax();
	if (!check(smp_parked(1), "defer: CPU 1 did not leave its section"))
		return;   /* it may still use the table: leave it */
	uint64_t frees = as->frees;
	defer_reclaim();
	f = ds->freed - freed;
	check(f == DT_REGIONS && defer_pending(NULL) == 0 && as->frees - frees == DT_REGIONS &&
	      s.pgt.stats.tables == tables - DT_REGIONS && ds->peak >= DT_REGIONS,
	      "defer: after both left, %llu tables freed (allocator: %llu frees), %llu waiting, "
	      "%llu of %llu tables left, peak %llu; %u freed once each expected",
	      (unsigned long long)f, (unsigned long long)(as->frees - frees),
	      (unsigned long long)defer_pending(NULL), (unsigned long long)s.pgt.stats.tables,
	      (unsigned long long)tables, (unsigned long long)ds->peak, DT_REGIONS);
	for (unsigned r = 0; r < DT_REGIONS; r++) {
		struct s2_xlate x;

		if (!check(s2_translate(&s.pgt, s2_ipa(r * DT_BLOCK + 4096), &x) == 0 && x.valid &&
			   x.level == 2 && x.pa.v == RAM_BASE + 4096,
			   "defer: region %u is not the 2 MiB block at %#llx", r,
			   (unsigned long long)RAM_BASE))
			break;
	}
	printf("defer: %llu tables queued, %llu freed once both CPUs left (none before), "
	       "peak %llu waiting, %llu grace periods so far\n", (unsigned long long)q,
	       (unsigned long long)f, (unsigned long long)ds->peak, (unsigned long long)ds->batches);
out:
	check(stage2_destroy(&s) == 0, "defer: stage 2 not freed");
	check(as->live_bytes == live, "defer: %lld bytes not returned to the allocator",
	      (long long)(as->live_bytes - live));
}
