/* SPDX-License-Identifier: MIT */
/* The benchmark cases and the options that size them. */
#ifndef BENCH_CASES_H
#define BENCH_CASES_H

#include <stdbool.h>
#include "vm.h"

struct bench_opts {
	bool quick;              /* tiny sizes, one repetition: proves it runs */
	unsigned reps;           /* repetitions up to 16 GiB */
	unsigned big_reps;       /* repetitions above */
	unsigned lookup_reps;    /* repetitions of the (shorter) lookup loops */
	const char *filter;      /* run only cases whose name contains this */
	uint64_t bulk_sizes[3];
	unsigned nbulk;
	uint64_t fault_size;     /* one-page-per-call map range */
	uint64_t partial_size;
	uint64_t hot_size, cold_size;
	uint64_t hot_lookups, cold_lookups;
};

/* True if the case called @name is selected by --filter. */
bool bench_selected(const struct bench_opts *o, const char *name);

/* Bulk map, wrprotect and aligned unmap of @size with pages or blocks,
   and the table memory after map and after unmapping everything. */
void bench_case_bulk(const struct bench_opts *o, const struct bench_cfg *cfg,
		     uint64_t size, bool pages);

/* Unmaps that cut blocks: both ends of a range, and a hole per block. */
void bench_case_partial(const struct bench_opts *o, const struct bench_cfg *cfg);

/* The fault path: one page per s2_map() call, in IPA or random order. */
void bench_case_fault(const struct bench_opts *o, const struct bench_cfg *cfg, bool random);

/* Shared one-page faults from 1, 2 and 4 threads (and a mutex baseline). */
void bench_case_parallel(const struct bench_opts *o, const struct bench_cfg *cfg);

/* Random s2_lookup()/s2_translate() over @size mapped with pages. */
void bench_case_lookup(const struct bench_opts *o, const struct bench_cfg *cfg, bool cold);

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

#endif
