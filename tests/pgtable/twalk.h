/* SPDX-License-Identifier: MIT */
/*
 * The tests' own table walker: reads raw descriptors from pgt->root with
 * the index arithmetic and descriptor format of arch.h (nothing from
 * lib/), and table addresses through the environment's arena only.
 *   tw_lookup()   what the hardware would find for one IPA;
 *   tw_check()    every reachable table: structural invariants, leaves;
 *   tw_snapshot() contents and layout of every reachable table page.
 */
#ifndef PGT_TWALK_H
#define PGT_TWALK_H

#include <stdbool.h>
#include <stddef.h>
#include "arch.h"
#include "renv.h"

struct tw {
	const struct ageom *g;
	const struct renv *r;
	const uint64_t *root;
	/* Shared calls ran since the last exclusive one: a table descriptor
	   may hold S2_TBL_COUNT_UNKNOWN instead of its count. */
	bool counts_unknown_ok;
};

/* The leaf descriptor for @ipa (0 if the walk ends on an invalid entry)
   and the level where the walk ended. False if a table address lies
   outside the arena (a corrupt table). */
bool tw_lookup(const struct tw *t, uint64_t ipa, uint64_t *desc, int *level);

/* Kinds of structural error tw_check() reports (a bit each). */
enum {
	TWE_COUNT = 1,     /* s2_tbl_count() != valid entries in the child */
	TWE_EMPTY = 2,     /* a non-root table without valid entries */
	TWE_TBL_RES0 = 4,  /* a table descriptor sets a RES0 bit */
	TWE_ADDR = 8,      /* table address misaligned or outside the arena */
	TWE_TYPE = 16,     /* block where the granule has none, reserved type */
	TWE_JUNK = 32,     /* an invalid entry that is not all zero */
	TWE_LEAF_RES0 = 64,/* a leaf with bits set outside its known fields */
};

struct tw_report {
	uint64_t tables;   /* reachable table pages, root included */
	uint64_t leaves;
	unsigned errs;     /* TWE_* seen */
	char msg[512];     /* the first error of each kind, concatenated */
};

typedef void (*tw_leaf_fn)(void *arg, uint64_t ipa, int level, uint64_t desc);

/* Walk every reachable table. Returns true when no error was found. */
bool tw_check(const struct tw *t, tw_leaf_fn fn, void *arg, struct tw_report *rep);

struct snap_table {
	uint64_t pa;
	int level;
	uint64_t ipa;      /* first IPA it maps */
	uint64_t *data;    /* copy of the table */
	size_t entries;
};

struct snap {
	struct snap_table *t;
	size_t n, cap;
};

/* Copy every reachable table (in walk order). */
void tw_snapshot(const struct tw *t, struct snap *s);
/* Equal layout and contents; else false with the first difference. */
bool snap_equal(const struct snap *a, const struct snap *b, char *why, size_t len);
void snap_free(struct snap *s);

#endif
