/* SPDX-License-Identifier: MIT */
/*
 * Random translation: s2_lookup() (the fast leaf lookup) and s2_translate()
 * (the walker) at random IPAs of a range mapped with pages, hot (1 GiB:
 * the leaf tables fit in L2/L3) and cold (256 GiB: 512 MiB of leaf tables,
 * far beyond the caches). Each lookup's IPA depends on the previous result
 * (through a zero the compiler cannot see), so the figure is the latency
 * of one lookup, as on a fault path, not the throughput of overlapped
 * ones; the pointer-chase limit is measured the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include "cases.h"
#include "limits.h"
#include "minimum.h"
#include "report.h"
#include "rng.h"

static volatile uint64_t zero_v;

static void bad(const char *what, uint64_t ipa)
{
	fprintf(stderr, "s2bench: %s found no mapping at IPA %#llx\n", what,
		(unsigned long long)ipa);
	exit(1);
}

/* One generator per method, seeded alike: all three see the same IPAs. */
struct stream {
	uint64_t x, dep, zero, base, mask;
};

static double run_lookup(const struct bench_vm *vm, struct stream *s, unsigned n)
{
	uint64_t t0 = bench_now_ns();

	for (unsigned i = 0; i < n; i++) {
		uint64_t ipa = s->base + ((bench_rng(&s->x) & s->mask) | s->dep);
		uint64_t pte = s2_lookup(&vm->pgt, s2_ipa(ipa), NULL);
		if (!pte)
			bad("s2_lookup", ipa);
		s->dep = pte & s->zero;
	}
	return (double)(bench_now_ns() - t0) / n;
}

static double run_translate(const struct bench_vm *vm, struct stream *s, unsigned n)
{
	uint64_t t0 = bench_now_ns();

	for (unsigned i = 0; i < n; i++) {
		uint64_t ipa = s->base + ((bench_rng(&s->x) & s->mask) | s->dep);
		struct s2_xlate xl;
		s2_translate(&vm->pgt, s2_ipa(ipa), &xl);
		if (!xl.valid)
			bad("s2_translate", ipa);
		s->dep = xl.pa.v & s->zero;
	}
	return (double)(bench_now_ns() - t0) / n;
}

static double run_chase(const struct bench_chase *c, struct stream *s, unsigned n)
{
	uint64_t t0 = bench_now_ns();

	for (unsigned i = 0; i < n; i++) {
		uint64_t ipa = s->base + ((bench_rng(&s->x) & s->mask) | s->dep);
		uint64_t pte = *bench_chase_ptep(c, ipa);
		if (!pte)
			bad("the pointer chase", ipa);
		s->dep = pte & s->zero;
	}
	return (double)(bench_now_ns() - t0) / n;
}

static void row(const char *op, const char *conf, uint64_t size, const struct bench_samples *s,
		const struct bench_samples *lim, double target)
{
	struct bench_row *r = bench_row_new(op, conf, size, "ns/lookup");

	bench_row_paired(r, s, lim, 1, "chase");
	r->target = BT_RATIO_MAX;
	r->target_val = target;
}

void bench_case_lookup(const struct bench_opts *o, const struct bench_cfg *cfg, bool cold)
{
	struct s2_geometry g;
	struct bench_vm vm;
	struct bench_chase chase;
	struct bench_samples lk = { .n = 0 }, tr = { .n = 0 }, ch = { .n = 0 }, ch_tr = { .n = 0 };
	char name[64], conf[32];
	uint64_t size = cold ? o->cold_size : o->hot_size, ipa = cfg->ipa_base;
	uint64_t n = cold ? o->cold_lookups : o->hot_lookups;

	bench_cfg_geometry(cfg, &g);
	snprintf(conf, sizeof(conf), "%s %s", cfg->name, cold ? "cold" : "hot");
	snprintf(name, sizeof(name), "lookup %s", conf);
	if (!bench_selected(o, name))
		return;
	uint64_t minb = bench_min_table_bytes(&g, 3, ipa, ipa + size);
	bench_vm_open(&vm, cfg, 2 * minb + 64 * MiB);
	bench_map(&vm, ipa, size, cfg->data_pa, S2_MAP_PAGES);
	bench_chase_build(&chase, &g, 3, ipa, ipa + size, 0xc01d);
	if (chase.bytes != vm.pgt.stats.table_bytes)
		fprintf(stderr, "s2bench: %s: chase working set %llu != table bytes %llu\n", name,
			(unsigned long long)chase.bytes,
			(unsigned long long)vm.pgt.stats.table_bytes);

	/* Short batches of the library call and the chase in turn: load from
	   other processes, which comes and goes in milliseconds, then hits
	   both alike. s2_lookup() and s2_translate() are paired with the
	   chase separately: run one after the other with the same IPAs, the
	   first would warm the caches for the second. */
	const unsigned batch = 4096;
	for (unsigned r = 0; r < o->lookup_reps; r++) {
		for (int which = 0; which < 2; which++) {
			struct stream st[2];
			for (int m = 0; m < 2; m++)
				st[m] = (struct stream){ .x = 0x1234567 + r, .zero = zero_v,
							 .base = ipa, .mask = size - 1 };
			for (uint64_t done = 0; done < n; done += batch) {
				unsigned b = n - done < batch ? (unsigned)(n - done) : batch;
				bench_add(which ? &ch_tr : &ch, run_chase(&chase, &st[0], b));
				bench_add(which ? &tr : &lk, which ? run_translate(&vm, &st[1], b) :
								     run_lookup(&vm, &st[1], b));
			}
		}
	}
	row("lookup (s2_lookup)", conf, size, &lk, &ch, cold ? 1.2 : 1.5);
	row("translate (s2_translate)", conf, size, &tr, &ch_tr, 1.2);
	struct bench_row *r = bench_row_new("raw walk (pointer chase)", conf, size, "ns/lookup");
	bench_row_samples(r, &ch, 1);
	snprintf(r->note, sizeof(r->note), "%u levels over %.1f MiB", g.levels,
		 (double)chase.bytes / MiB);
	bench_vm_close(&vm);
}
