/* SPDX-License-Identifier: MIT */
/*
 * What the exclusive map (map.c) and the shared fault path (map_shared.c)
 * have in common: argument checks, the operation's state, the count walk
 * that sizes the page reserve, and writing new leaves.
 */
#ifndef S2_MAP_H
#define S2_MAP_H

#include "pgt.h"
#include "plan.h"

struct map_ctx {
	struct s2_op op;
	struct s2_plan plan;
	uint64_t attrs;
	uint64_t tables;      /* count walk result */
	uint64_t filled;      /* of those, tables written whole (s2_plan) */
	bool cmo;             /* clean newly mapped memory (no FWB) */
	bool exec;
};

/**
 * s2_map_args() - check s2_map()'s arguments; @flags_ok are the flags the
 * entry point accepts. Return: 0, S2_EINVAL or S2_ERANGE with a message.
 */
int s2_map_args(const struct s2_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa,
		unsigned prot, unsigned flags, unsigned flags_ok, struct s2_diag *d);

/* Set up @c for a map of [ipa, ipa + size) to @pa (arguments checked). */
void s2_map_ctx_init(struct map_ctx *c, struct s2_pgtable *pgt, uint64_t ipa, uint64_t size,
		     uint64_t pa, unsigned prot, unsigned flags);

/* The table pages the map in @c needs, given what the tables hold now
   (c->filled: how many of them it fills with leaves entirely). */
uint64_t s2_map_count(struct map_ctx *c);

/* Clean (and for @exec invalidate the I-cache for) memory about to be
   mapped, when the environment has the hooks. */
void s2_clean_new_pa(struct s2_pgtable *pgt, uint64_t pa, uint64_t size, bool exec);

static inline void s2_map_clean(struct map_ctx *c, uint64_t pa, uint64_t size)
{
	if (c->cmo)
		s2_clean_new_pa(c->op.pgt, pa, size, c->exec);
}

/* Fill the new table @t at @level with the leaves mapping [addr, addr +
   its span); returns the number written. */
unsigned s2_map_fill_leaves(struct map_ctx *c, uint64_t *t, int level, uint64_t addr);

/**
 * s2_count_unknown() - a shared call added entries to @table, whose table
 * descriptor *@parent held @d: mark its count unknown (once per table),
 * unless the descriptor no longer points to @table.
 */
void s2_count_unknown(const struct s2_pgtable *pgt, uint64_t *parent, uint64_t d,
		      const uint64_t *table);

/* The shared map (map_shared.c): @c set up, the cache checked. */
int s2_map_shared_run(struct map_ctx *c, struct s2_page_cache *cache, struct s2_diag *d);

#endif
