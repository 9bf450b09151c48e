/* SPDX-License-Identifier: MIT */
/*
 * The differential engine: one table (recording environment, library)
 * and one reference model side by side. eng_op() applies an operation to
 * both and compares: the return value, the TLB and cache maintenance the
 * library issued (break-before-make order and level hints included), the
 * translation of a sample of addresses by s2_translate(), s2_lookup() and
 * the tests' own walker. eng_full() compares every leaf and the tables'
 * structure. Used by test_diff.c (random operations) and fuzz_ops.c
 * (operations decoded from the fuzzer's input).
 */
#ifndef PGT_ENGINE_H
#define PGT_ENGINE_H

#include <s2/pgtable.h>
#include "model.h"
#include "twalk.h"

enum op_kind { OP_MAP, OP_UNMAP, OP_PROTECT, OP_WRPROTECT, OP_MARK_DIRTY, OP_HARVEST,
	       OP_MKOLD, OP_MKYOUNG, OP_SPLIT, OP_COLLAPSE, OP_FLUSH, OP_TRANSLATE, OP__N };

struct op {
	enum op_kind k;
	uint64_t ipa, size, pa;
	unsigned prot, flags;  /* S2_PROT_*, S2_MAP_* */
	int64_t fail_at;       /* fail this allocation (allocating ops), 0 none */
};

struct eng_cfg {
	unsigned shift, ipa_bits, ps_bits;  /* ps_bits as asked (0: smallest) */
	bool lpa2;
	int start_level;                    /* S2_START_AUTO or -1..3 */
	unsigned flags;                     /* S2_PGT_HD, S2_PGT_NO_FWB */
	uint64_t pa_base;                   /* 0: just below the top of PS */
};

struct eng_stats {
	uint64_t ops, by_kind[OP__N], errors_expected, enomem, full_checks, samples;
	uint64_t tlbi, leaves_max, tables_max;
};

struct eng {
	struct eng_cfg cfg;
	struct renv r;
	struct s2_mm_ops ops;    /* renv_ops, in half the configurations
				    with the arena's linear map */
	struct s2_pgtable pgt;
	struct ageom g;
	struct model m;
	struct tw tw;
	uint64_t root_live;      /* env live bytes with only the root */
	uint64_t rng;            /* sample addresses */
	enum op_kind cur_k;
	/* Blocks the operation will cut (from the model, before it runs). */
	struct { uint64_t ipa; int level; } cut[2];
	unsigned ncut;
	/* What the tables looked like at each TLBI of the operation. */
	struct tl_rec { bool entry_invalid; int level; bool cuts_broken; } *tl;
	size_t ntl, captl;
	char err[2048];
	struct eng_stats st;
};

/* 0; 1 when the library refuses the geometry (not an error: skip it);
   -1 on a failure (e->err). */
int eng_init(struct eng *e, const struct eng_cfg *c, uint64_t seed);
/* 0, or -1 with e->err describing the first mismatch. */
int eng_op(struct eng *e, const struct op *op);
int eng_full(struct eng *e);
/* Unmap everything (only the root stays), destroy (all memory back). */
int eng_fini(struct eng *e);
/* Release without checks (after a failure). */
void eng_abort(struct eng *e);

/* Record the first failure in e->err; returns -1. */
int eng_fail(struct eng *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void eng_describe_cfg(const struct eng *e, char *buf, size_t len);
void op_describe(const struct op *op, char *buf, size_t len);

#endif
