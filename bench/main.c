/* SPDX-License-Identifier: MIT */
/*
 * s2bench: the stage-2 page-table benchmarks (make bench), over the host
 * environment. Each figure is printed beside its physical limit measured
 * in the same run, with its target; the same table goes to JSON.
 *
 *   s2bench [--quick] [--reps N] [--filter TEXT] [--json FILE]
 *
 * --quick runs every case at a tiny size once (the smoke test in make
 * check: it proves the benchmark builds and runs, never judges timings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cases.h"
#include "limits.h"
#include "report.h"
#include "timing.h"

static const char *filter;
static uint64_t t_start;

/* Progress on stderr, so a slow case in a loaded machine is visible. */
bool bench_selected(const struct bench_opts *o, const char *name)
{
	if (filter && !strstr(name, filter))
		return false;
	if (!o->quick)
		fprintf(stderr, "s2bench: [%6.1f s] %s\n",
			(double)(bench_now_ns() - t_start) / 1e9, name);
	return true;
}

static void loadavg(char *buf, size_t n)
{
	FILE *f = fopen("/proc/loadavg", "r");

	buf[0] = 0;
	if (f) {
		if (!fgets(buf, (int)n, f))
			buf[0] = 0;
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: s2bench [--quick] [--reps N] [--filter TEXT] [--json FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct bench_opts o = {
		.reps = 7, .big_reps = 5, .lookup_reps = 21,
		.bulk_sizes = { 1 * GiB, 16 * GiB, 256 * GiB }, .nbulk = 3,
		.fault_size = 1 * GiB, .partial_size = 16 * GiB,
		.hot_size = 1 * GiB, .cold_size = 256 * GiB,
		.hot_lookups = 1 << 17, .cold_lookups = 1 << 16,
	};
	const char *json = "build/bench/results.json";
	char load0[64], load1[64];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			o.quick = true;
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			o.reps = o.big_reps = o.lookup_reps = (unsigned)atoi(argv[++i]);
			if (o.reps < 1 || o.reps > BENCH_MAX_REPS)
				usage();
		} else if (!strcmp(argv[i], "--filter") && i + 1 < argc) {
			filter = argv[++i];
		} else if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			json = argv[++i];
		} else {
			usage();
		}
	}
	if (o.quick) {
		o.reps = o.big_reps = o.lookup_reps = 1;
		o.bulk_sizes[0] = 16 * MiB;
		o.nbulk = 1;
		o.fault_size = o.partial_size = o.hot_size = 16 * MiB;
		o.cold_size = 64 * MiB;
		o.hot_lookups = o.cold_lookups = 20000;
	}

	t_start = bench_now_ns();
	loadavg(load0, sizeof(load0));
	for (unsigned c = 0; c < bench_ncfgs; c++)
		for (unsigned s = 0; s < o.nbulk; s++)
			for (int pages = 1; pages >= 0; pages--)
				bench_case_bulk(&o, &bench_cfgs[c], o.bulk_sizes[s], pages);
	for (unsigned c = 0; c < bench_ncfgs; c++)
		bench_case_partial(&o, &bench_cfgs[c]);
	for (unsigned c = 0; c < bench_ncfgs; c++)
		for (int random = 0; random <= 1; random++)
			bench_case_fault(&o, &bench_cfgs[c], random);
	for (unsigned c = 0; c < bench_ncfgs; c++)
		bench_case_parallel(&o, &bench_cfgs[c]);
	for (unsigned c = 0; c < bench_ncfgs; c++)
		for (int cold = 0; cold <= 1; cold++)
			bench_case_lookup(&o, &bench_cfgs[c], cold);
	bench_scratch_release();
	loadavg(load1, sizeof(load1));

	printf("s2bench%s: median of %u repetitions (%u above 16 GiB, %u for lookups) in %.0f s;\n"
	       "ns per 4K page of IPA unless noted; limit = memset of the descriptor bytes,\n"
	       "or a pointer chase of the same depth and working set; iqr = interquartile range\n"
	       "over median (noise); lookups and one-page maps: medians over batches of 4096.\n"
	       "load average before: %s; after: %s\n\n",
	       o.quick ? " --quick (smoke run: timings meaningless)" : "",
	       o.reps, o.big_reps, o.lookup_reps, (double)(bench_now_ns() - t_start) / 1e9,
	       load0, load1);
	bench_report_print();
	if (bench_report_json(json, o.quick, o.reps))
		return 1;
	printf("\nwritten: %s\n", json);
	return 0;
}
