/* SPDX-License-Identifier: MIT */
/*
 * Unmaps that cut blocks, over a range mapped with the configuration's
 * blocks:
 *   "cut ends":  one call from the middle of the first block to the middle
 *                of the last: two blocks split, everything between cleared;
 *   "hole per block": one call per block removing 16 pages from its
 *                middle: every call splits one block (the fault-time
 *                pattern of ballooning or of a host reclaiming pages).
 * The limit of a split is filling one new table: memset of a table page.
 */
#include <stdio.h>
#include <string.h>
#include "cases.h"
#include "limits.h"
#include "measure.h"
#include "minimum.h"
#include "report.h"

/* Least table bytes for leaves at level 3 over two disjoint ranges
   (lo below hi): count each table once where the ranges share it. */
static uint64_t min_two(const struct s2_geometry *g, uint64_t a0, uint64_t a1,
			uint64_t b0, uint64_t b1)
{
	uint64_t bytes = bench_root_bytes(g);

	for (int l = g->start_level + 1; l <= 3; l++) {
		uint64_t span = s2_level_size(g, l - 1);
		uint64_t n = bench_tables_at(g, l, 3, a0, a1) + bench_tables_at(g, l, 3, b0, b1);

		if (((a1 - 1) & ~(span - 1)) == (b0 & ~(span - 1)))
			n--;
		bytes += n * s2_page_size(g);
	}
	return bytes;
}

void bench_case_partial(const struct bench_opts *o, const struct bench_cfg *cfg)
{
	struct s2_geometry g;
	struct bench_vm vm;
	struct op_meas ends = { .tlbis = 0 }, holes = { .tlbis = 0 };
	struct bench_samples lim_ends = { .n = 0 }, lim_holes = { .n = 0 };
	char name[64], conf[32];

	bench_cfg_geometry(cfg, &g);
	uint64_t blk = s2_level_size(&g, cfg->block_level), page = s2_page_size(&g);
	uint64_t size = o->partial_size < 4 * blk ? 4 * blk : o->partial_size;
	uint64_t ipa = cfg->ipa_base, end = ipa + size, half = blk / 2, hole = 16 * page;
	uint64_t pa = bench_block_pa(cfg, &g), nblk = size / blk;
	uint64_t bytes_ends = 0, env_ends = 0, bytes_holes = 0, env_holes = 0;

	snprintf(conf, sizeof(conf), "%s %s", cfg->name, cfg->block_name);
	snprintf(name, sizeof(name), "partial %s", conf);
	if (!bench_selected(o, name))
		return;
	bench_vm_open(&vm, cfg, 4 * bench_min_table_bytes(&g, 3, ipa, end) + 64 * MiB);
	/* Warm-up: fault in the arena pages the splits will use. */
	bench_map(&vm, ipa, size, pa, 0);
	for (uint64_t b = ipa; b < end; b += blk)
		bench_unmap(&vm, b + half - hole / 2, hole);
	bench_unmap(&vm, ipa, size);

	for (unsigned r = 0; r < o->reps; r++) {
		bench_map(&vm, ipa, size, pa, 0);
		MEASURE(&ends, &vm, bench_unmap(&vm, ipa + half, size - 2 * half));
		bytes_ends = vm.pgt.stats.table_bytes;
		env_ends = vm.env.live_bytes;
		bench_unmap(&vm, ipa, size);
		/* Two split tables filled, the blocks between cleared. */
		bench_add(&lim_ends, bench_memset_ns(2 * page + 8 * (nblk - 2), 1));

		bench_map(&vm, ipa, size, pa, 0);
		uint64_t tl = bench_tlbis(&vm), t0 = bench_now_ns();
		for (uint64_t b = ipa; b < end; b += blk)
			bench_unmap(&vm, b + half - hole / 2, hole);
		bench_add(&holes.ns, (double)(bench_now_ns() - t0) / (double)nblk);
		holes.tlbis += bench_tlbis(&vm) - tl;
		bytes_holes = vm.pgt.stats.table_bytes;
		env_holes = vm.env.live_bytes;
		bench_unmap(&vm, ipa, size);
		uint8_t *buf = bench_scratch(nblk * page);
		uint64_t t1 = bench_now_ns();
		for (uint64_t b = 0; b < nblk; b++)
			memset(buf + b * page, (int)b, page);
		bench_use(buf);
		bench_add(&lim_holes, (double)(bench_now_ns() - t1) / (double)nblk);
	}

	struct bench_row *row = bench_row_new("unmap partial, cut ends", conf, size, "ns/page");
	double pages = (double)((size - 2 * half) >> 12);
	bench_row_paired(row, &ends.ns, &lim_ends, 1 / pages, "memset");
	row->tlbi_per_op = (double)ends.tlbis / ends.ns.n;
	bench_row_mem("table memory after cut ends", conf, size, bytes_ends, env_ends,
		      min_two(&g, ipa, ipa + half, end - half, end), "minimum");

	row = bench_row_new("unmap partial, hole per block", conf, size, "ns/call");
	bench_row_paired(row, &holes.ns, &lim_holes, 1, "memset");
	row->tlbi_per_op = (double)holes.tlbis / (double)(nblk * holes.ns.n);
	snprintf(row->note, sizeof(row->note), "%llu calls, each splits a %s block",
		 (unsigned long long)nblk, cfg->block_name);
	bench_row_mem("table memory after holes", conf, size, bytes_holes, env_holes,
		      bench_min_table_bytes(&g, 3, ipa, end), "minimum");
	bench_row_mem("table memory after unmap", conf, size, vm.pgt.stats.table_bytes,
		      vm.env.live_bytes, bench_root_bytes(&g), "root");
	bench_vm_close(&vm);
}
