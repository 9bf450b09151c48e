/* SPDX-License-Identifier: MIT */
/*
 * The stage-2 table walker. Every table operation in s2kit is a visitor
 * over this one walk (map, unmap, protect, dirty logging, aging, split,
 * collapse, flush, translate, dump, destroy).
 *
 * The walk covers [ipa, ipa + size) in IPA order. For each entry overlapping
 * the range it calls the visitor:
 *   S2_VISIT_TABLE_PRE  on a table descriptor, before descending (return
 *                       S2_WALK_SKIP to not descend);
 *   S2_VISIT_LEAF       on anything that is not a table: invalid, block or
 *                       page. The visitor may turn the entry into a table;
 *                       the walk then descends into it;
 *   S2_VISIT_TABLE_POST on a table descriptor after its table was walked.
 * A negative return value stops the walk and is returned.
 */
#ifndef S2_WALK_H
#define S2_WALK_H

#include <s2/pgtable.h>

enum s2_visit_kind {
	S2_VISIT_LEAF = 1,
	S2_VISIT_TABLE_PRE = 2,
	S2_VISIT_TABLE_POST = 4,
};

#define S2_WALK_SKIP 1

struct s2_visit {
	struct s2_pgtable *pgt;
	uint64_t *ptep;       /* the entry */
	uint64_t old;         /* its value when the visitor was called */
	uint64_t addr;        /* first IPA the entry maps (aligned to its size) */
	uint64_t size;        /* bytes the entry maps: 2^level_shift */
	uint64_t start, end;  /* the range being walked */
	int level;
	uint64_t *parent;     /* the table descriptor pointing at the table that
				 holds ptep; NULL in the root */
	void *arg;            /* the visitor's own state */
};

/**
 * s2_visitor_fn() - a visitor: reads the visit @v it is given, of kind
 * @kind, and may write *v->ptep (doing its own break-before-make and
 * TLBI). No diag: a visitor that wants one carries it in v->arg.
 * Return: 0 to go on, S2_WALK_SKIP (at S2_VISIT_TABLE_PRE) not to
 * descend, or a negative error (S2_ENOMEM, S2_EINVAL, ...) to stop the
 * walk, which s2_walk() then returns.
 */
typedef int (*s2_visitor_fn)(const struct s2_visit *v, enum s2_visit_kind kind);

/* A walk (Linux's struct kvm_pgtable_walker): its callback, the kinds of
   visit it wants (S2_VISIT_*), and the argument each visit carries. */
struct s2_walker {
	s2_visitor_fn cb;
	unsigned kinds;
	void *arg;
};

/**
 * s2_walk() - walk [@ipa, @ipa + @size) of @pgt calling @w->cb for the
 * kinds in @w->kinds, with @w->arg in each visit's ->arg. An exclusive
 * call (s2/pgtable.h): a visitor may change entries, and does its own
 * break-before-make and TLB maintenance; the walk itself issues no TLBI.
 * No diag (s2/err.h's diagnostics rule).
 * Return: 0; the first negative value the callback returned; S2_EINVAL for
 * a NULL @pgt, @w or callback, size 0 or a range that wraps; S2_ERANGE for a range beyond
 * the IPA space.
 */
int s2_walk(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, const struct s2_walker *w);

#endif
