/* SPDX-License-Identifier: MIT */
/*
 * Random operations for the differential test: addresses in three
 * windows of the IPA space (its start, its middle across a root-index
 * boundary, its very top) or inside what is already mapped, sizes of
 * whole blocks of every level give or take some pages, PAs congruent to
 * the IPA (so blocks are legal) or not, with a few malformed calls and
 * injected allocation failures. Page counts are bounded so one operation
 * never makes more than a few thousand leaves.
 */
#ifndef PGT_GEN_H
#define PGT_GEN_H

#include "engine.h"

struct gen {
	uint64_t s;              /* xorshift state */
	const uint8_t *data;     /* if set, choices come from these bytes */
	size_t len, pos;
	uint64_t span;           /* window size */
	uint64_t win[3];         /* window starts */
};

void gen_init(struct gen *gn, const struct eng *e, uint64_t seed);
/* Take every choice from @data instead (the fuzzer's input). */
void gen_from_bytes(struct gen *gn, const uint8_t *data, size_t len);
static inline bool gen_exhausted(const struct gen *gn) { return gn->data && gn->pos >= gn->len; }
void gen_op(struct gen *gn, const struct eng *e, struct op *op);
uint64_t gen_rand(struct gen *gn);

#endif
