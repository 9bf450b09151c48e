/* SPDX-License-Identifier: MIT */
/*
 * A recording environment for the table tests: the library's host
 * environment (include/s2/host_env.h: mmap arena with fake PAs, failing
 * the k-th allocation, live_bytes) with every call the table code makes
 * appended, in order, to one event log. The order is what the TLB tests
 * need (break before the TLBI, TLBI before a table is freed) and the log
 * keeps the arguments the host environment drops (the PA and size of each
 * cache maintenance call).
 */
#ifndef PGT_RENV_H
#define PGT_RENV_H

#include <stddef.h>
#include <s2/host_env.h>

enum ev_kind { EV_ALLOC, EV_FREE, EV_TLBI_IPA, EV_TLBI_RANGE, EV_TLBI_VMID,
	       EV_DCACHE, EV_ICACHE };

struct ev {
	enum ev_kind k;
	uint64_t a;      /* IPA (TLBI), PA (CMO), PA of the page (alloc/free) */
	uint64_t b;      /* size (range TLBI, CMO, alloc/free) */
	int level;       /* tlbi_ipa's level hint */
	unsigned vmid;
};

struct renv {
	struct s2_host_env env;
	struct ev *log;
	size_t n, cap;
	/* Called after each TLBI is recorded, to inspect the tables at that
	   instant (break-before-make: the entry must already be invalid). */
	void (*on_tlbi)(struct renv *r, const struct ev *e, void *arg);
	void *arg;
};

extern const struct s2_mm_ops renv_ops;

/* Returns 0 or S2_ENOMEM (like s2_host_env_init). */
int renv_init(struct renv *r, uint64_t pa_base, uint64_t arena_bytes);
void renv_fini(struct renv *r);
static inline void renv_clear(struct renv *r) { r->n = 0; }
size_t renv_count(const struct renv *r, enum ev_kind k);

/* The host address of fake PA @pa, or NULL if it is not in the arena. */
void *renv_va(const struct renv *r, uint64_t pa, uint64_t bytes);

#endif
