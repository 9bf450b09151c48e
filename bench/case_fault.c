/* SPDX-License-Identifier: MIT */
/*
 * The stage-2 fault path: one call per page, over a range, in IPA order
 * or in random order (a guest touching its memory at random): s2_map()
 * (exclusive), and s2_map_cached(S2_MAP_SHARED) with a page cache topped
 * up between calls (the path many CPUs take at once). The limit is what
 * any fault handler must at least do per page: walk to the leaf (the
 * pointer chase of the same depth over the same table memory, in the
 * same order) and store one descriptor; for the shared path, install it
 * with one compare-and-swap, the least a lock-free install can do.
 */
#include <stdio.h>
#include <stdlib.h>
#include "cases.h"
#include "limits.h"
#include "minimum.h"
#include "report.h"
#include "rng.h"

static uint32_t *page_order(uint64_t n, bool random)
{
	uint32_t *p = malloc(n * sizeof(*p));
	uint64_t seed = 0x5eed;

	if (!p) {
		fprintf(stderr, "s2bench: out of memory\n");
		exit(1);
	}
	for (uint64_t i = 0; i < n; i++)
		p[i] = (uint32_t)i;
	for (uint64_t i = n; random && i > 1; i--) {
		uint64_t j = bench_rng(&seed) % i;
		uint32_t t = p[i - 1];
		p[i - 1] = p[j];
		p[j] = t;
	}
	return p;
}

/* Mean of per-batch figures, a batch above 3x the median counting as the
   median (equal batches; the last one may be shorter, which is ignored). */
static double filtered_mean(const struct bench_samples *s)
{
	double med = bench_median(s), sum = 0;

	for (unsigned i = 0; i < s->n; i++)
		sum += s->v[i] > 3 * med ? med : s->v[i];
	return sum / s->n;
}

/* The fault path under test: exclusive s2_map(), or the shared
   s2_map_cached(S2_MAP_SHARED) an embedder runs from many CPUs. */
struct fault_how {
	bool shared;
	struct s2_page_cache *cache;
};

static void map_pages(struct bench_vm *vm, const uint32_t *order, uint64_t n,
		      const struct fault_how *how)
{
	const struct bench_cfg *cfg = vm->cfg;
	unsigned shift = vm->g.page_shift;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t off = (uint64_t)order[i] << shift;
		s2_ipa_t ipa = s2_ipa(cfg->ipa_base + off);
		s2_pa_t pa = s2_pa(cfg->data_pa + off);
		int err;

		if (how->shared) {
			/* Top up as a fault handler does, before its lock. */
			if (how->cache->n < 3 && s2_cache_topup(&vm->pgt, how->cache, 8, NULL))
				err = S2_ENOMEM;
			else
				err = s2_map_cached(&vm->pgt, ipa, 1ull << shift, pa, BENCH_PROT,
						    S2_MAP_SHARED, how->cache, NULL);
		} else {
			err = s2_map(&vm->pgt, ipa, 1ull << shift, pa, BENCH_PROT, 0, NULL);
		}
		if (err) {
			fprintf(stderr, "s2bench: one-page map failed: %s\n", s2_errname(err));
			exit(1);
		}
	}
}

/* The limit: the raw walk to each leaf and one store there, or (for the
   shared path, which must install each entry atomically against other
   CPUs, as Linux's stage2_try_set_pte() does) one compare-and-swap. */
static void limit_pages(const struct bench_chase *chase, const struct bench_cfg *cfg,
			unsigned shift, const uint32_t *order, uint64_t n, bool cas)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t off = (uint64_t)order[i] << shift;
		uint64_t *p = bench_chase_ptep(chase, cfg->ipa_base + off);
		uint64_t new = cfg->data_pa + off + 3;

		if (cas) {
			uint64_t old = __atomic_load_n(p, __ATOMIC_RELAXED);
			__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_ACQ_REL,
						    __ATOMIC_ACQUIRE);
		} else {
			*p = new;
		}
	}
	bench_use(chase->root);
}

static void no_unlink(void *ctx, struct s2_pgtable *pgt, void *table, int level)
{
	(void)ctx; (void)pgt; (void)table; (void)level;
	fprintf(stderr, "s2bench: a one-page fault unlinked a table\n");
	exit(1);
}

static void fault_case(const struct bench_opts *o, const struct bench_cfg *cfg, bool random,
		       bool shared)
{
	struct s2_geometry g;
	struct bench_vm vm;
	struct bench_chase chase;
	struct bench_samples ns = { .n = 0 }, lim = { .n = 0 };
	struct s2_page_cache cache = { 0 };
	struct fault_how how = { shared, &cache };
	char name[64], conf[32];
	uint64_t size = o->fault_size, ipa = cfg->ipa_base, tlbis = 0, bytes = 0, env = 0;

	bench_cfg_geometry(cfg, &g);
	snprintf(conf, sizeof(conf), "%s %s", cfg->name, random ? "random" : "sequential");
	snprintf(name, sizeof(name), "fault%s %s", shared ? " shared" : "", conf);
	if (!bench_selected(o, name))
		return;

	uint64_t n = size >> g.page_shift, minb = bench_min_table_bytes(&g, 3, ipa, ipa + size);
	uint32_t *order = page_order(n, random);
	bench_vm_open(&vm, cfg, 2 * minb + 64 * MiB);
	if (shared)
		vm.env.ops.free_unlinked = no_unlink;
	bench_chase_build(&chase, &g, 3, ipa, ipa + size, 0xc4a5e);
	map_pages(&vm, order, n, &how);       /* warm-up: faults the arena in */
	bench_unmap(&vm, ipa, size);

	/* Batches of map calls and of the limit in turn, so that load from
	   other processes hits both alike. A repetition's time is the sum of
	   its batches, except that a batch taking more than 3x the median
	   batch counts as the median: that is a preemption (milliseconds) on
	   the shared machine, not the library. Table allocations, which in
	   random order crowd into the first batch, cost far less than that. */
	const uint64_t batch = 4096;
	struct bench_samples bm, bl;
	for (unsigned r = 0; r < o->reps; r++) {
		uint64_t tl = bench_tlbis(&vm);

		bm.n = bl.n = 0;
		for (uint64_t done = 0; done < n; done += batch) {
			uint64_t b = n - done < batch ? n - done : batch;
			uint64_t t0 = bench_now_ns();
			map_pages(&vm, order + done, b, &how);
			uint64_t t1 = bench_now_ns();
			limit_pages(&chase, cfg, g.page_shift, order + done, b, shared);
			bench_add(&bm, (double)(t1 - t0) / (double)b);
			bench_add(&bl, (double)(bench_now_ns() - t1) / (double)b);
		}
		bench_add(&ns, filtered_mean(&bm));
		bench_add(&lim, filtered_mean(&bl));
		tlbis += bench_tlbis(&vm) - tl;
		bytes = vm.pgt.stats.table_bytes;
		env = vm.env.live_bytes - cache.n * s2_page_size(&g);
		bench_unmap(&vm, ipa, size);
	}
	s2_cache_free(&vm.pgt, &cache);

	struct bench_row *row = bench_row_new(shared ? "map one page per call, shared" :
					      "map one page per call", conf, size, "ns/call");
	bench_row_paired(row, &ns, &lim, 1, shared ? "chase+cas" : "chase+st");
	row->target = BT_RATIO_MAX;
	row->target_val = 3;
	row->tlbi_per_op = (double)tlbis / (double)(n * ns.n);
	snprintf(row->note, sizeof(row->note), "%llu calls of %lluK", (unsigned long long)n,
		 (unsigned long long)(s2_page_size(&g) >> 10));
	bench_row_mem(shared ? "table memory after shared maps" : "table memory after 1-page maps",
		      conf, size, bytes, env, minb, "minimum");
	bench_row_mem("table memory after unmap", conf, size, vm.pgt.stats.table_bytes,
		      vm.env.live_bytes, bench_root_bytes(&g), "root");
	bench_vm_close(&vm);
	free(order);
}

void bench_case_fault(const struct bench_opts *o, const struct bench_cfg *cfg, bool random)
{
	fault_case(o, cfg, random, false);
	fault_case(o, cfg, random, true);
}
