/* SPDX-License-Identifier: MIT */
/*
 * The reference model: what the tables should map, and as which leaves.
 *
 * A sorted array of runs; a run is a sequence of leaves of one level with
 * consecutive IPAs and PAs and the same attributes (M_* of arch.h). A
 * page map would be the most obvious model, but blocks reach 512 GiB and
 * the tests map them: a run holds 2^27 pages in one element. Each
 * operation is written the simple way from the API's contract
 * (include/s2/pgtable.h), not from the library's walker:
 *   map       cut the leaves at both ends, then the largest legal leaf
 *             at each position where IPA, PA and the rest are aligned;
 *   cut(a)    a leaf straddling a becomes leaves of the next level, and
 *             again for the one holding a, until a is a leaf boundary
 *             (recorded as MFX_CUT: how the block is broken is the
 *             engine's business, see engine_fx.c);
 *   split     every leaf overlapping the range goes one level down,
 *             repeatedly, until the range holds pages;
 *   collapse  bottom-up, an aligned span of a legal block size wholly in
 *             the range, made of next-level leaves with consecutive PAs
 *             (the first aligned to the block) and equal attributes,
 *             becomes one block.
 * Expected TLB and cache maintenance is recorded in model_fx.
 */
#ifndef PGT_MODEL_H
#define PGT_MODEL_H

#include <stddef.h>
#include "arch.h"

struct mrun {
	uint64_t ipa, size, pa;
	int level;
	unsigned m;       /* M_* */
};

/* One expected maintenance call: kind (see renv.h's ev_kind), a, b, level;
   or MFX_CUT: block at a, level, b = 1 for the outermost of a cut. */
#define MFX_CUT 100
struct mfx {
	int k;
	uint64_t a, b;
	int level;
};

struct model_fx {
	struct mfx *e;
	size_t n, cap;
	bool flush;       /* entries changed: a final range TLBI */
	bool no_fwb;      /* expect CMOs for newly mapped normal memory */
};

struct model {
	const struct ageom *g;
	bool hd;          /* VTCR.HD: wrprotect sets DBM */
	struct mrun *r;
	size_t n, cap;
	struct model_fx fx;
};

void model_init(struct model *m, const struct ageom *g, bool hd, bool no_fwb);
void model_free(struct model *m);
void model_copy(struct model *dst, const struct model *src);
void model_fx_reset(struct model *m);

/* Leaves a map would create (stops counting at @cap). */
uint64_t model_map_leaves(const struct ageom *g, uint64_t lo, uint64_t hi, uint64_t pa,
			  bool pages, uint64_t cap);

/* The operations, on arguments the API accepts (the tests check the
   error cases themselves). @m is M_R/M_W/M_X/M_DEV. */
void model_map(struct model *m, uint64_t lo, uint64_t hi, uint64_t pa, unsigned prot,
	       bool pages);
void model_unmap(struct model *m, uint64_t lo, uint64_t hi);
void model_protect(struct model *m, uint64_t lo, uint64_t hi, unsigned prot);
void model_wrprotect(struct model *m, uint64_t lo, uint64_t hi);
int model_mark_dirty(struct model *m, uint64_t ipa);        /* 1, 0, -2 (ENOENT) */
int64_t model_harvest(struct model *m, uint64_t lo, uint64_t hi, uint64_t *bitmap);
int64_t model_mkold(struct model *m, uint64_t lo, uint64_t hi);
int model_mkyoung(struct model *m, uint64_t ipa);           /* 1, 0, -2 */
void model_split(struct model *m, uint64_t lo, uint64_t hi);
int64_t model_collapse(struct model *m, uint64_t lo, uint64_t hi);

/* The leaf holding @ipa: its run narrowed to that one leaf. False if
   unmapped; then *fault_level is where a walk of tables that hold only
   what is mapped (no empty tables) stops. */
bool model_leaf(const struct model *m, uint64_t ipa, struct mrun *leaf, int *fault_level);

/* Is anything mapped in [lo, hi)? */
bool model_any(const struct model *m, uint64_t lo, uint64_t hi);

/* Merge neighbouring runs that continue each other (canonical form). */
void model_normalize(struct model *m);

#endif
