/* SPDX-License-Identifier: MIT */
/*
 * Result rows: each figure beside its limit, the ratio, its target and
 * whether it is met; printed as a table and written as JSON.
 */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include "timing.h"

enum bench_target {
	BT_NONE,
	BT_NS_MAX,        /* value <= target */
	BT_RATIO_MAX,     /* value / limit <= target */
	BT_RATIO_MIN,     /* value / limit >= target (a speed-up) */
	BT_EQUAL,         /* value == limit (table bytes) */
};

struct bench_row {
	char op[40];
	char config[32];
	char size[24];
	const char *unit;      /* "ns/page" (per 4K of IPA), "ns/lookup", "ns/call", "bytes" */
	double value, vmin, vmax, p25, p75;
	double nsamples;       /* repetitions or batches behind value */
	const char *limit_kind;/* "memset", "chase", "minimum", "root" */
	double limit;          /* NAN if none */
	enum bench_target target;
	double target_val;
	struct bench_samples ratios; /* per repetition, when value and limit
					were measured in pairs */
	double tlbi_per_op;    /* NAN if not a range operation */
	double ns_per_desc;    /* per descriptor written or read, NAN if n/a */
	char note[64];
};

/* A row for a timed figure from @s (median, min, max) in unit @unit. */
struct bench_row *bench_row_new(const char *op, const char *config, uint64_t size,
				const char *unit);
void bench_row_samples(struct bench_row *r, const struct bench_samples *s, double scale);

/* Value and limit measured in the same repetitions (interleaved): the
   ratio is the median of the per-repetition ratios, which drifting load
   on the machine disturbs less than a ratio of medians. */
void bench_row_paired(struct bench_row *r, const struct bench_samples *s,
		      const struct bench_samples *lim, double scale, const char *limit_kind);

/* A table-memory row: @bytes (pgt stats) against @limit (@kind), with the
   allocator's own count @env_bytes noted if it differs. */
void bench_row_mem(const char *op, const char *config, uint64_t size, uint64_t bytes,
		   uint64_t env_bytes, uint64_t limit, const char *kind);

bool bench_row_met(const struct bench_row *r);
bool bench_row_tlbi_met(const struct bench_row *r);

void bench_report_print(void);
int bench_report_json(const char *path, bool quick, unsigned reps);

#endif
