/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "limits.h"
#include "minimum.h"
#include "rng.h"

static void *scratch;
static size_t scratch_bytes;

void *bench_scratch(size_t bytes)
{
	if (bytes <= scratch_bytes)
		return scratch;
	bench_scratch_release();
	/* The same kind of memory as the host environment's arena (anonymous,
	   no huge-page advice), so both see the same host TLB behaviour. */
	scratch = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (scratch == MAP_FAILED) {
		fprintf(stderr, "s2bench: cannot map %zu scratch bytes\n", bytes);
		exit(1);
	}
	memset(scratch, 1, bytes);
	scratch_bytes = bytes;
	return scratch;
}

void bench_scratch_release(void)
{
	if (scratch_bytes)
		munmap(scratch, scratch_bytes);
	scratch = NULL;
	scratch_bytes = 0;
}

double bench_memset_ns(size_t bytes, unsigned reps)
{
	struct bench_samples s = { .n = 0 };
	uint8_t *buf = bench_scratch(bytes);
	/* A few KiB take less time than reading the clock: repeat them so
	   the limit is the stores' cost, not the clock's. */
	unsigned k = bytes < (1u << 20) ? (unsigned)((1u << 20) / bytes) : 1;

	for (unsigned r = 0; r < reps; r++) {
		uint64_t t0 = bench_now_ns();
		for (unsigned i = 0; i < k; i++) {
			memset(buf, (int)((r + i) & 0xff), bytes);
			bench_use(buf);
		}
		bench_add(&s, (double)(bench_now_ns() - t0) / k);
	}
	return bench_median(&s);
}

double bench_rmw_ns(size_t bytes, unsigned reps)
{
	struct bench_samples s = { .n = 0 };
	uint64_t *buf = bench_scratch(bytes);
	size_t n = bytes / 8;
	unsigned k = bytes < (1u << 20) ? (unsigned)((1u << 20) / bytes) : 1;

	for (unsigned r = 0; r < reps; r++) {
		uint64_t t0 = bench_now_ns();
		for (unsigned i = 0; i < k; i++) {
			/* What write-protecting a writable leaf does to it: clear
			   S2AP.W, set a software bit; two entries per SIMD
			   operation, four per iteration (as fast as the compiler
			   makes a plain loop at -O3, which the bench is not
			   built with). */
			typedef uint64_t v2 __attribute__((vector_size(16), may_alias));
			v2 *v = (v2 *)buf;
			for (size_t j = 0; j + 1 < n / 2; j += 2) {
				v[j] = (v[j] & ~(1ull << 7)) | (1ull << 55);
				v[j + 1] = (v[j + 1] & ~(1ull << 7)) | (1ull << 55);
			}
			bench_use(buf);
		}
		bench_add(&s, (double)(bench_now_ns() - t0) / k);
	}
	return bench_median(&s);
}

/* Fisher-Yates over slot numbers: tables land in random order. */
static uint32_t *shuffled(uint64_t n, uint64_t seed)
{
	uint32_t *p = malloc(n * sizeof(*p) + 1);

	if (!p) {
		fprintf(stderr, "s2bench: out of memory\n");
		exit(1);
	}
	for (uint64_t i = 0; i < n; i++)
		p[i] = (uint32_t)i;
	for (uint64_t i = n; i > 1; i--) {
		uint64_t j = bench_rng(&seed) % i;
		uint32_t t = p[i - 1];
		p[i - 1] = p[j];
		p[j] = t;
	}
	return p;
}

void bench_chase_build(struct bench_chase *c, const struct s2_geometry *g, int leaf_level,
		       uint64_t start, uint64_t end, uint64_t seed)
{
	uint64_t page = s2_page_size(g), root = bench_root_bytes(g);
	uint64_t first[5] = { 0 }, total = 0;

	for (int l = g->start_level + 1; l <= leaf_level; l++) {
		first[l + 1] = total;
		total += bench_tables_at(g, l, leaf_level, start, end);
	}
	c->bytes = root + total * page;
	c->start = g->start_level;
	c->leaf = leaf_level;
	for (int l = g->start_level; l <= 3; l++) {
		c->shift[l + 1] = s2_level_shift(g, l);
		c->mask[l + 1] = s2_level_entries(g, l) - 1;
	}

	/* Fresh memory, mapped now as the library's arena was for this
	   case: after the bulk cases a long-lived scratch buffer sits in
	   memory mapped long before, and the two would not be alike. */
	bench_scratch_release();
	uint8_t *buf = bench_scratch(c->bytes);
	uint32_t *slot = shuffled(total, seed);
	memset(buf, 0, c->bytes);
	c->root = (const uint64_t *)buf;
#define TABLE(l, k) ((uint64_t *)(buf + root + slot[first[(l) + 1] + (k)] * page))
	for (int l = g->start_level + 1; l <= leaf_level; l++) {
		uint64_t span = s2_level_size(g, l - 1);
		uint64_t n = bench_tables_at(g, l, leaf_level, start, end);
		uint64_t lo = start & ~(span - 1);

		for (uint64_t k = 0; k < n; k++) {
			uint64_t ipa = lo + k * span;
			uint64_t *parent = (uint64_t *)buf;

			if (l - 1 > g->start_level) {
				uint64_t pspan = s2_level_size(g, l - 2);
				parent = TABLE(l - 1, (ipa - (start & ~(pspan - 1))) / pspan);
			}
			parent[s2_level_index(g, l - 1, ipa)] = (uint64_t)TABLE(l, k);
			if (l == leaf_level)
				for (uint64_t i = 0; i < page / 8; i++)
					TABLE(l, k)[i] = ipa + i * s2_level_size(g, l) + 3;
		}
	}
#undef TABLE
	free(slot);
}
