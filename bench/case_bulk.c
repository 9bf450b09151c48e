/* SPDX-License-Identifier: MIT */
/*
 * Bulk range operations: map a whole range in one call (pages only, or the
 * configuration's block size), write-protect it, unmap it. Each repetition
 * runs the three in that order on the same table, interleaved with the
 * memset limit so that machine noise hits the figure and its limit alike.
 * A first, untimed map faults the arena in: afterwards the table pages are
 * recycled through the environment's free list, as in a running VMM.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "cases.h"
#include "limits.h"
#include "minimum.h"
#include "measure.h"
#include "report.h"

/* A row for @m against the limit @lim (@kind); @ratio: the target as a
   multiple of the limit (NAN: none). */
static void op_row(const char *op, const char *conf, uint64_t size, const struct op_meas *m,
		   const struct bench_samples *lim, const char *kind, uint64_t descs, double ratio)
{
	double pages = (double)(size >> 12);
	struct bench_row *r = bench_row_new(op, conf, size, "ns/page");

	bench_row_paired(r, &m->ns, lim, 1 / pages, kind);
	r->tlbi_per_op = (double)m->tlbis / m->ns.n;
	r->ns_per_desc = bench_median(&m->ns) / (double)descs;
	if (!isnan(ratio)) {
		r->target = BT_RATIO_MAX;
		r->target_val = ratio;
	}
}

void bench_case_bulk(const struct bench_opts *o, const struct bench_cfg *cfg,
		     uint64_t size, bool pages)
{
	struct bench_vm vm;
	struct op_meas map = { .tlbis = 0 }, wrp = { .tlbis = 0 }, unmap = { .tlbis = 0 };
	struct op_meas part = { .tlbis = 0 };
	struct bench_samples lim = { .n = 0 }, rmw = { .n = 0 };
	char name[80], conf[48];
	uint64_t ipa = cfg->ipa_base, bytes_map = 0, env_map = 0, first_touch;
	unsigned reps = size > 16 * GiB ? o->big_reps : o->reps;
	int leaf = pages ? 3 : cfg->block_level;

	struct s2_geometry geom;
	const struct s2_geometry *g = &geom;

	bench_cfg_geometry(cfg, &geom);
	uint64_t blk = s2_level_size(g, cfg->block_level);
	if (!pages && size < 2 * blk)
		size = 2 * blk;     /* quick mode: at least two blocks */
	uint64_t minb = bench_min_table_bytes(g, leaf, ipa, ipa + size);
	uint64_t descs = size >> s2_level_shift(g, leaf);
	uint64_t pa = pages ? cfg->data_pa : bench_block_pa(cfg, g);
	unsigned flags = pages ? S2_MAP_PAGES : 0;

	if (pages)
		snprintf(conf, sizeof(conf), "%s %uK pages", cfg->name,
			 (unsigned)(s2_page_size(g) >> 10) & 0xff);
	else
		snprintf(conf, sizeof(conf), "%s %s", cfg->name, cfg->block_name);
	snprintf(name, sizeof(name), "bulk %s %lluG", conf, (unsigned long long)(size >> 30));
	if (!bench_selected(o, name))
		return;
	/* Room for the tables twice over: the arena is address space only. */
	bench_vm_open(&vm, cfg, 2 * minb + 64 * MiB);

	uint64_t t0 = bench_now_ns();
	bench_map(&vm, ipa, size, pa, flags);
	first_touch = bench_now_ns() - t0;
	int level;
	if (!s2_lookup(&vm.pgt, s2_ipa(ipa + size - 1), &level) || level != leaf) {
		fprintf(stderr, "s2bench: %s: expected leaves at level %d, got %d\n",
			name, leaf, level);
		exit(1);
	}
	bench_unmap(&vm, ipa, size);

	for (unsigned r = 0; r < reps; r++) {
		MEASURE(&map, &vm, bench_map(&vm, ipa, size, pa, flags));
		bytes_map = vm.pgt.stats.table_bytes;
		env_map = vm.env.live_bytes;
		MEASURE(&wrp, &vm, bench_wrprotect(&vm, ipa, size));
		if (pages) {
			/* All but the first and last page: every last-level
			   table but two is dropped whole, unread. */
			uint64_t pg = s2_page_size(g);
			MEASURE(&part, &vm, bench_unmap(&vm, ipa + pg, size - 2 * pg));
			bench_map(&vm, ipa, size, pa, flags);
		}
		MEASURE(&unmap, &vm, bench_unmap(&vm, ipa, size));
		bench_add(&lim, bench_memset_ns(descs * 8, 1));
		bench_add(&rmw, bench_rmw_ns(descs * 8, 1));
	}

	/* Targets for pages, where every descriptor is one leaf; blocks
	   write 512x fewer descriptors than a 4K page range has pages. */
	op_row("map bulk", conf, size, &map, &lim, "memset", descs, pages ? 2 : NAN);
	struct bench_row *r = bench_row_new("map bulk, first touch", conf, size, "ns/page");
	r->value = (double)first_touch / (double)(size >> 12);
	snprintf(r->note, sizeof(r->note), "1 run, arena page faults included");
	op_row("wrprotect", conf, size, &wrp, &lim, "memset", descs, pages ? 4 : NAN);
	op_row("wrprotect", conf, size, &wrp, &rmw, "rmw", descs, pages ? 2 : NAN);
	op_row("unmap aligned", conf, size, &unmap, &lim, "memset", descs, NAN);
	if (pages)
		op_row("unmap partial", conf, size, &part, &lim, "memset", descs, 1);
	bench_row_mem("table memory after map", conf, size, bytes_map, env_map, minb, "minimum");
	bench_row_mem("table memory after unmap", conf, size, vm.pgt.stats.table_bytes,
		vm.env.live_bytes, bench_root_bytes(g), "root");
	bench_vm_close(&vm);
}
