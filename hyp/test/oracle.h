/* SPDX-License-Identifier: MIT */
/*
 * The hardware oracle: libs2 builds a table, the CPU's own walker (AT
 * S12E1R/S12E1W) translates through it, and s2_translate() must agree on
 * every IPA: output address, memory type, fault kind and level.
 */
#ifndef HYP_ORACLE_H
#define HYP_ORACLE_H

#include <stdbool.h>
#include <stdint.h>
#include "rand.h"
#include "stage2.h"

#define ORACLE_MAX_SPANS 48

struct span {
	uint64_t ipa, size, pa;
	unsigned prot;
	int level;
};

/* State of one configuration's run. */
struct octx {
	struct stage2 s;
	const struct s2_geometry *g;
	struct rng *r;
	struct span maps[ORACLE_MAX_SPANS];
	unsigned nmaps;
	struct span touched[ORACLE_MAX_SPANS];   /* ranges the mutations changed */
	unsigned ntouched;
	int collapsible;          /* index in maps of the page-mapped block span */
	unsigned mutations;
	uint64_t ipas, compared, differed, beyond_pa;
	/* What the compared translations exercised. */
	uint64_t n_ok, n_hi_pa, n_device, n_xlate, n_af, n_perm;
	unsigned printed;
	const char *phase;
};

/* Compare AT S12E1R and AT S12E1W at @ipa with s2_translate(). The
   table must be loaded (stage2_load) with HCR_EL2.{VM,DC} set. */
void oracle_compare(struct octx *o, uint64_t ipa);

/* Random mappings: pages and every legal block size, every permission,
   normal and device, output addresses across the whole PA range. */
void oracle_populate(struct octx *o);

/* Unmap, protect, split, collapse, wrprotect, mkold on random ranges. */
void oracle_mutate(struct octx *o);

/* About @budget IPAs: the edges of @spans, the edges of the IPA space,
   addresses just past it, and random addresses near and far. */
void oracle_points(struct octx *o, const struct span *spans, unsigned n, unsigned budget);

/* Run the whole oracle; returns the number of differences. */
uint64_t oracle_run(void);

#endif
