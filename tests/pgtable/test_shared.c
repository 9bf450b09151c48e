/* SPDX-License-Identifier: MIT */
/*
 * The shared fault path under threads: for every granule, threads fault
 * pages, runs of pages and whole blocks of overlapping ranges of one VM
 * at once (s2_map_cached with S2_MAP_SHARED, s2_relax_perms, s2_mkyoung,
 * s2_translate), each retrying on S2_EAGAIN, with caches topped up
 * outside any lock. Every mapping asked for has one fixed PA and
 * permission per place, so whatever the interleaving the end state is
 * known: the reference model given the same maps (blocks wherever a
 * whole block was asked for, pages elsewhere, W added where relaxed).
 * After the threads: every leaf against the model, every page of the
 * zones against it, the table count equal to the minimum those leaves
 * need (no table lost, none leaked), the valid-entry counts right, and
 * the memory held equal to the tables reached once the unlinked tables
 * are freed. Built also with ThreadSanitizer (check-pgtable-tsan).
 *
 * Also the page cache's all-or-nothing rule: a map whose cache is short
 * returns S2_ENOMEM with the tables bit for bit unchanged.
 */
#include <pthread.h>
#include "ut.h"
#include "model.h"

#define NTHREADS 4
#define NBLOCKS  4        /* block zone: level-2 blocks with one prot each */
#define NRELAX   64       /* relax zone: pages mapped R, some relaxed to RW */

#ifndef SHARED_OPS
#define SHARED_OPS 3000   /* per thread and round */
#endif
#ifndef SHARED_ROUNDS
#define SHARED_ROUNDS 3
#endif

/* A thread-safe environment: the host arena under a mutex, TLBIs
   counted, unlinked tables queued until the threads are joined (the
   test's quiescent point). */
struct senv {
	struct renv r;
	struct s2_mm_ops ops;
	pthread_mutex_t lock;
	struct { void *t; int level; } q[4096];
	size_t nq;
	uint64_t tlbi;
};

static void *sz(void *ctx, size_t size)
{
	struct senv *s = ctx;
	void *p;

	pthread_mutex_lock(&s->lock);
	p = s2_host_env_ops.zalloc(&s->r.env, size);
	pthread_mutex_unlock(&s->lock);
	return p;
}

static void sf(void *ctx, void *va, size_t size)
{
	struct senv *s = ctx;

	pthread_mutex_lock(&s->lock);
	s2_host_env_ops.free(&s->r.env, va, size);
	pthread_mutex_unlock(&s->lock);
}

static s2_pa_t sv2p(void *ctx, void *va)
{
	return s2_host_env_ops.virt_to_phys(&((struct senv *)ctx)->r.env, va);
}

static void *sp2v(void *ctx, s2_pa_t pa)
{
	return s2_host_env_ops.phys_to_virt(&((struct senv *)ctx)->r.env, pa);
}

static void stlbi_ipa(void *ctx, const struct s2_pgtable *p, s2_ipa_t ipa, int level)
{
	(void)p; (void)ipa; (void)level;
	__atomic_fetch_add(&((struct senv *)ctx)->tlbi, 1, __ATOMIC_RELAXED);
}

static void stlbi_range(void *ctx, const struct s2_pgtable *p, s2_ipa_t ipa, uint64_t size)
{
	(void)p; (void)ipa; (void)size;
	__atomic_fetch_add(&((struct senv *)ctx)->tlbi, 1, __ATOMIC_RELAXED);
}

static void stlbi_vmid(void *ctx, const struct s2_pgtable *p)
{
	(void)p;
	__atomic_fetch_add(&((struct senv *)ctx)->tlbi, 1, __ATOMIC_RELAXED);
}

static void sfree_unlinked(void *ctx, struct s2_pgtable *p, void *table, int level)
{
	struct senv *s = ctx;

	(void)p;
	pthread_mutex_lock(&s->lock);
	if (s->nq == ARRAY_LEN(s->q))
		abort();
	s->q[s->nq].t = table;
	s->q[s->nq++].level = level;
	pthread_mutex_unlock(&s->lock);
}

static const struct { unsigned shift, ipa, ps; bool lpa2; int start; } cfgs[] = {
	{ 12, 40, 48, false, S2_START_AUTO }, { 12, 52, 52, true, -1 },
	{ 14, 40, 48, false, S2_START_AUTO }, { 16, 42, 48, false, S2_START_AUTO },
};

struct vm {
	struct senv s;
	struct s2_pgtable p;
	struct ageom g;
	struct tw tw;
	uint64_t base, block, page, paoff;
	unsigned prot[NBLOCKS];
	/* What was asked (set by the threads, read after they joined). */
	uint8_t *page_mapped;         /* block zone pages */
	uint8_t block_mapped[NBLOCKS];
	uint8_t relax_mapped[NRELAX], relaxed[NRELAX];
};

struct worker {
	struct vm *vm;
	pthread_barrier_t *go;
	unsigned id;
	uint64_t rng;
	struct s2_page_cache cache;
	unsigned long ops, eagain, fails;
	char why[200];
};

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dULL;
}

static void wfail(struct worker *w, const char *what, uint64_t ipa, int err)
{
	if (!w->fails++)
		snprintf(w->why, sizeof(w->why), "thread %u: %s at %#llx: %s", w->id, what,
			 (unsigned long long)ipa, s2_errname(err));
}

/* One fault: top up outside any lock, then map, again while EAGAIN. */
static int fault(struct worker *w, uint64_t ipa, uint64_t size, unsigned prot)
{
	struct vm *vm = w->vm;
	int err;

	do {
		uint64_t need = s2_map_cache_pages(&vm->p, s2_ipa(ipa), size,
						   s2_pa(ipa + vm->paoff), 0);
		if (s2_cache_topup(&vm->p, &w->cache, need, NULL))
			return S2_ENOMEM;
		err = s2_map_cached(&vm->p, s2_ipa(ipa), size, s2_pa(ipa + vm->paoff), prot,
				    S2_MAP_SHARED, &w->cache, NULL);
		w->eagain += err == S2_EAGAIN;
	} while (err == S2_EAGAIN);
	return err;
}

static unsigned xprot(unsigned m)
{
	return (m & M_R ? S2_PROT_R : 0) | (m & M_W ? S2_PROT_W : 0) | (m & M_X ? S2_PROT_X : 0);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct vm *vm = w->vm;
	uint64_t pages = vm->block / vm->page, relax0 = vm->base + NBLOCKS * vm->block;

	pthread_barrier_wait(w->go);
	for (unsigned i = 0; i < SHARED_OPS; i++, w->ops++) {
		unsigned k = (unsigned)(rnd(w) % NBLOCKS), what = (unsigned)(rnd(w) % 10);
		uint64_t blk = vm->base + k * vm->block, pg = rnd(w) % pages, n;
		unsigned prot = xprot(vm->prot[k]);
		int err;

		if (what < 4) {                  /* one page */
			err = fault(w, blk + pg * vm->page, vm->page, prot);
			if (err)
				wfail(w, "page fault", blk + pg * vm->page, err);
			__atomic_store_n(&vm->page_mapped[k * pages + pg], 1, __ATOMIC_RELAXED);
		} else if (what < 6) {           /* a run of pages in the block */
			n = 1 + rnd(w) % 16;
			if (pg + n > pages)
				n = pages - pg;
			err = fault(w, blk + pg * vm->page, n * vm->page, prot);
			if (err)
				wfail(w, "run", blk + pg * vm->page, err);
			for (uint64_t j = 0; j < n; j++)
				__atomic_store_n(&vm->page_mapped[k * pages + pg + j], 1,
						 __ATOMIC_RELAXED);
		} else if (what < 7 && k < NBLOCKS / 2 && i > SHARED_OPS / 3) {
			/* The whole block, over the pages and tables the other
			   threads are building (half the blocks, later on). */
			err = fault(w, blk, vm->block, prot);
			if (err)
				wfail(w, "block", blk, err);
			__atomic_store_n(&vm->block_mapped[k], 1, __ATOMIC_RELAXED);
		} else if (what < 9 || what < 7) {   /* relax zone: map R, relax own pages */
			uint64_t r = rnd(w) % NRELAX, ipa = relax0 + r * vm->page;
			err = fault(w, ipa, vm->page, S2_PROT_R);
			if (err)
				wfail(w, "relax-zone fault", ipa, err);
			__atomic_store_n(&vm->relax_mapped[r], 1, __ATOMIC_RELAXED);
			if (r % 3 == 0 && r % NTHREADS == w->id) {
				while ((err = s2_relax_perms(&vm->p, s2_ipa(ipa), S2_PROT_W)) == S2_EAGAIN)
					w->eagain++;
				if (err < 0)
					wfail(w, "relax", ipa, err);
				__atomic_store_n(&vm->relaxed[r], 1, __ATOMIC_RELAXED);
			}
		} else {                         /* a concurrent reader */
			uint64_t ipa = blk + pg * vm->page;
			struct s2_xlate x;
			s2_translate(&vm->p, s2_ipa(ipa), &x);
			/* Whatever is mapped is what some thread asked for. */
			if (x.valid && (x.pa.v != ipa + vm->paoff ||
					(x.prot & S2_PROT_RWX) != prot))
				wfail(w, "translate saw a mapping nobody asked for", ipa, 0);
			/* A shared map replacing the entry meanwhile (pages
			   by their block) holds it locked: S2_EAGAIN, retried
			   as a fault handler would. */
			if (x.valid) {
				while ((err = s2_mkyoung(&vm->p, s2_ipa(ipa))) == S2_EAGAIN)
					w->eagain++;
				if (err < 0)
					wfail(w, "mkyoung", ipa, err);
			}
		}
	}
	return NULL;
}

static void vm_init(struct vm *vm, size_t c, unsigned round)
{
	struct s2_geom_req req = { (enum s2_granule)cfgs[c].shift, cfgs[c].ipa, cfgs[c].ps,
				   cfgs[c].lpa2, cfgs[c].start };
	struct s2_geometry g;
	struct s2_diag d = { "" };

	memset(vm, 0, sizeof(*vm));
	if (s2_geometry_init(&g, &req, &d))
		fail_msg("geometry: %s", d.msg);
	if (renv_init(&vm->s.r, 1ULL << 31, 1ULL << 34))
		fail_msg("no arena");
	pthread_mutex_init(&vm->s.lock, NULL);
	vm->s.ops = (struct s2_mm_ops){
		.zalloc = sz, .free = sf, .virt_to_phys = sv2p, .phys_to_virt = sp2v,
		.linear = round & 1, .linear_offset = vm->s.r.env.ops.linear_offset,
		.tlbi_ipa = stlbi_ipa, .tlbi_range = stlbi_range, .tlbi_vmid = stlbi_vmid,
		.free_unlinked = sfree_unlinked,
	};
	if (s2_pgtable_init(&vm->p, &g, &vm->s.ops, &vm->s, 1, 0, &d))
		fail_msg("init: %s", d.msg);
	a_geom(&vm->g, cfgs[c].shift, cfgs[c].ipa, g.ps_bits, cfgs[c].lpa2, g.start_level);
	vm->tw = (struct tw){ &vm->g, &vm->s.r, vm->p.root, false };
	vm->page = a_page(&vm->g);
	vm->block = a_lsize(&vm->g, 2);
	/* Across a level-1 boundary (4K: a 1 GiB line) when it fits. */
	uint64_t line = a_lsize(&vm->g, 1) < a_ipa_end(&vm->g) / 4 ? a_lsize(&vm->g, 1)
								     : a_ipa_end(&vm->g) / 4;
	vm->base = line - 2 * vm->block;
	vm->paoff = 8 * a_lsize(&vm->g, 1);
	static const unsigned prots[] = { M_R, M_R | M_W, M_R | M_X, M_R | M_W | M_X };
	for (unsigned k = 0; k < NBLOCKS; k++)
		vm->prot[k] = prots[(k + round) % 4];
	vm->page_mapped = calloc(NBLOCKS * (vm->block / vm->page), 1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Table pages (root aside) the model's leaves need: one per level below
   the root on the way to each leaf, counted once. */
static uint64_t min_tables(const struct vm *vm, const struct model *m)
{
	size_t n = 0, cap = 1024, uniq = 0;
	uint64_t *keys = malloc(cap * sizeof(*keys));

	for (size_t i = 0; i < m->n; i++) {
		const struct mrun *r = &m->r[i];
		uint64_t ls = a_lsize(&vm->g, r->level);
		for (uint64_t a = r->ipa; a < r->ipa + r->size; a += ls)
			for (int l = vm->g.start + 1; l <= r->level; l++) {
				if (n == cap)
					keys = realloc(keys, (cap *= 2) * sizeof(*keys));
				keys[n++] = (a >> a_lshift(&vm->g, l - 1)) << 3 | (uint64_t)(l + 1);
			}
	}
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (size_t i = 0; i < n; i++)
		uniq += !i || keys[i] != keys[i - 1];
	free(keys);
	return uniq;
}

struct leafcheck {
	const struct vm *vm;
	const struct model *m;
	uint64_t leaves, bad;
	char why[200];
};

static void check_leaf(void *arg, uint64_t ipa, int level, uint64_t desc)
{
	struct leafcheck *lc = arg;
	struct mrun leaf;
	int fl;

	lc->leaves++;
	if (!model_leaf(lc->m, ipa, &leaf, &fl) || leaf.ipa != ipa || leaf.level != level ||
	    a_leaf(&lc->vm->g, level, leaf.pa, leaf.m) != desc) {
		if (!lc->bad++)
			snprintf(lc->why, sizeof(lc->why), "leaf %#llx level %d desc %#llx",
				 (unsigned long long)ipa, level, (unsigned long long)desc);
	}
}

static void stress(size_t c, unsigned round)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	struct worker w[NTHREADS];
	pthread_t th[NTHREADS];
	struct model m;
	struct tw_report rep;
	struct leafcheck lc;
	uint64_t pages, relax0;
	char ctx[64];

	vm_init(vm, c, round);
	pages = vm->block / vm->page;
	relax0 = vm->base + NBLOCKS * vm->block;
	snprintf(ctx, sizeof(ctx), "%uK/%u round %u", cfgs[c].shift == 12 ? 4 : cfgs[c].shift == 14 ? 16 : 64,
		 cfgs[c].ipa, round);
	pthread_barrier_t go;

	pthread_barrier_init(&go, NULL, NTHREADS);
	for (unsigned t = 0; t < NTHREADS; t++) {
		w[t] = (struct worker){ .vm = vm, .go = &go, .id = t, .rng = 0x9e3779b97f4a7c15ULL * (t + 1) + round };
		if (pthread_create(&th[t], NULL, worker_main, &w[t]))
			fail_msg("pthread_create");
	}
	for (unsigned t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	pthread_barrier_destroy(&go);
	/* Quiescent: the unlinked tables can go. */
	for (size_t i = 0; i < vm->s.nq; i++)
		s2_free_unlinked(&vm->p, vm->s.q[i].t, vm->s.q[i].level);
	for (unsigned t = 0; t < NTHREADS; t++) {
		CHECK_EQ(w[t].fails, 0, "%s: %s", ctx, w[t].why);
		s2_cache_free(&vm->p, &w[t].cache);
	}

	/* The expected end state, from the model. */
	model_init(&m, &vm->g, false, false);
	for (unsigned k = 0; k < NBLOCKS; k++)
		for (uint64_t p = 0; p < pages; p++)
			if (vm->page_mapped[k * pages + p]) {
				uint64_t a = vm->base + k * vm->block + p * vm->page;
				model_map(&m, a, a + vm->page, a + vm->paoff, vm->prot[k], true);
			}
	for (unsigned k = 0; k < NBLOCKS; k++)
		if (vm->block_mapped[k]) {
			uint64_t a = vm->base + k * vm->block;
			model_map(&m, a, a + vm->block, a + vm->paoff, vm->prot[k], false);
		}
	for (unsigned r = 0; r < NRELAX; r++) {
		uint64_t a = relax0 + r * vm->page;
		if (vm->relax_mapped[r])
			model_map(&m, a, a + vm->page, a + vm->paoff, M_R, true);
		if (vm->relaxed[r])
			model_protect(&m, a, a + vm->page, M_R | M_W);
	}

	lc = (struct leafcheck){ .vm = vm, .m = &m };
	vm->tw.counts_unknown_ok = true;
	tw_check(&vm->tw, check_leaf, &lc, &rep);
	CHECK_EQ(rep.errs, 0, "%s: structure: %s", ctx, rep.msg);
	CHECK_EQ(lc.bad, 0, "%s: %llu leaves unlike the model, first %s", ctx,
		 (unsigned long long)lc.bad, lc.why);
	/* Nothing mapped that the model lacks, nothing lacking it has. */
	for (uint64_t a = vm->base; a < relax0 + NRELAX * vm->page; a += vm->page) {
		struct mrun leaf;
		uint64_t desc;
		int fl, wl;
		bool mapped = model_leaf(&m, a, &leaf, &fl);
		tw_lookup(&vm->tw, a, &desc, &wl);
		if (!CHECK_EQ(desc != 0, mapped, "%s: page %#llx", ctx, (unsigned long long)a))
			break;
	}
	CHECK_EQ(rep.tables - 1, min_tables(vm, &m), "%s: tables = the minimum for the leaves", ctx);
	CHECK_EQ(vm->p.stats.tables, rep.tables, "%s: stats.tables", ctx);
	CHECK_EQ(vm->s.r.env.live_bytes, vm->p.stats.table_bytes, "%s: memory held = tables", ctx);
	CHECK(vm->s.r.env.live_bytes <= rep.tables * (vm->p.geom.root_bytes + vm->page),
	      "%s: memory bounded", ctx);

	/* Exclusive calls after the shared ones: unmapping page by page must
	   recount the tables the threads filled, and free each exactly when
	   its last entry goes (every count exact again, only the root left). */
	for (uint64_t a = vm->base; a < relax0 + NRELAX * vm->page; a += vm->page) {
		CHECK_EQ(s2_unmap(&vm->p, s2_ipa(a), vm->page, NULL), 0, "%s: unmap", ctx);
		if (a == vm->base + 2 * vm->block) {
			tw_check(&vm->tw, NULL, NULL, &rep);
			CHECK_EQ(rep.errs, 0, "%s: half unmapped: %s", ctx, rep.msg);
		}
	}
	vm->tw.counts_unknown_ok = false;
	tw_check(&vm->tw, NULL, NULL, &rep);
	CHECK_EQ(rep.errs, 0, "%s: all unmapped: %s", ctx, rep.msg);
	CHECK_EQ(rep.tables, 1, "%s: only the root left", ctx);
	CHECK_EQ(vm->p.stats.tables, 1, "%s: stats.tables", ctx);

	model_free(&m);
	s2_pgtable_destroy(&vm->p);
	CHECK_EQ(vm->s.r.env.live_bytes, 0, "%s: destroy returns everything", ctx);
	unsigned long ops = 0, eagain = 0;
	for (unsigned t = 0; t < NTHREADS; t++) {
		ops += w[t].ops;
		eagain += w[t].eagain;
	}
	if (getenv("S2_SHARED_VERBOSE"))
		printf("%s: %lu ops, %lu EAGAIN, %zu tables unlinked, %llu TLBIs\n", ctx, ops,
		       eagain, vm->s.nq, (unsigned long long)vm->s.tlbi);
	renv_fini(&vm->s.r);
	free(vm->page_mapped);
	free(vm);
}

static void test_shared_stress(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cfgs); c++)
		for (unsigned r = 0; r < SHARED_ROUNDS; r++)
			stress(c, r);
}

/* A short cache: S2_ENOMEM, tables bit for bit as they were, nothing
   allocated or freed; enough: the same leaves as s2_map(). */
static void no_free_unlinked(void *ctx, struct s2_pgtable *p, void *table, int level)
{
	(void)ctx; (void)p; (void)table; (void)level;
	fail_msg("nothing is unlinked here");
}

static void test_cache_all_or_nothing(void **state)
{
	struct ut tt, *t = &tt;
	struct s2_mm_ops with_hook = renv_ops;
	struct s2_page_cache cache = { 0 };
	struct snap before, after;
	char why[200];

	(void)state;
	ut_init(t, 12, 40, 0, false, S2_START_AUTO, 0, 0);
	with_hook.free_unlinked = no_free_unlinked;
	uint64_t b = a_lsize(&t->g, 2);
	CHECK_EQ(s2_map(&t->p, s2_ipa(4 * b), b, s2_pa(4 * b), S2_PROT_R, 0, NULL), 0, "block");
	/* Exclusive; shared without the hook (refused); shared. */
	for (unsigned mode = 0; mode < 3; mode++) {
		bool shared = mode > 0;
		unsigned fl = shared ? S2_MAP_SHARED : 0;

		if (mode == 2)
			t->p.ops = &with_hook;
		/* A page under the block (one table: split) and pages far away
		   (two tables: level 2 and 3). */
		const uint64_t at[] = { 4 * b, 2 * a_lsize(&t->g, 1) };
		for (unsigned i = 0; i < ARRAY_LEN(at); i++) {
			uint64_t ipa = at[i] + 5 * a_page(&t->g);
			uint64_t need = s2_map_cache_pages(&t->p, s2_ipa(ipa), a_page(&t->g),
							   s2_pa(ipa + (1ULL << 33)), 0);
			CHECK_EQ(need, (uint64_t)(3 - t->g.start), "worst case for one page");
			tw_snapshot(&t->tw, &before);
			size_t ev = t->r.n;
			struct s2_diag d = { "" };
			int err = s2_map_cached(&t->p, s2_ipa(ipa), a_page(&t->g),
						s2_pa(ipa + (1ULL << 33)), S2_PROT_R | S2_PROT_W, fl,
						&cache, &d);
			if (mode == 1) {
				CHECK_EQ(err, S2_EINVAL, "shared without free_unlinked");
				snap_free(&before);
				continue;
			}
			CHECK_EQ(err, S2_ENOMEM, "empty cache (%s)", shared ? "shared" : "exclusive");
			CHECK(strstr(d.msg, "page cache holds 0"), "message: %s", d.msg);
			tw_snapshot(&t->tw, &after);
			CHECK(snap_equal(&before, &after, why, sizeof(why)), "unchanged: %s", why);
			CHECK_EQ(t->r.n, ev, "no allocation, free or maintenance");
			snap_free(&before);
			snap_free(&after);
		}
	}
	CHECK_EQ(s2_cache_topup(&t->p, &cache, 3, NULL), 0, "topup");
	CHECK_EQ(cache.n, 3, "three pages");
	uint64_t far = 2 * a_lsize(&t->g, 1);
	CHECK_EQ(s2_map_cached(&t->p, s2_ipa(far), a_page(&t->g), s2_pa(far), S2_PROT_R, 0,
			       &cache, NULL), 0, "map from the cache");
	CHECK_EQ(cache.n, 1, "two pages taken (levels 2 and 3)");
	uint64_t desc;
	int level;
	CHECK(tw_lookup(&t->tw, far, &desc, &level) && level == 3 &&
	      desc == a_leaf(&t->g, 3, far, M_R | M_AF), "mapped");
	s2_cache_free(&t->p, &cache);
	CHECK_EQ(cache.n, 0, "cache emptied");
	ut_check_structure(t, "cache");
	ut_fini(t);
}

/*
 * Counts after shared installs: a shared fault marks its table's count
 * unknown (one CAS per table, none per entry); exclusive calls keep it
 * unknown when they add or remove entries, and recount it when they must
 * know whether the table is empty.
 */
static void test_counts_after_shared(void **state)
{
	struct ut tt, *t = &tt;
	struct s2_mm_ops with_hook = renv_ops;
	struct s2_page_cache cache = { 0 };
	struct tw_report rep;
	uint64_t pg, a, desc;
	int level;

	(void)state;
	ut_init(t, 12, 40, 0, false, S2_START_AUTO, 0, 0);
	with_hook.free_unlinked = no_free_unlinked;
	t->p.ops = &with_hook;
	pg = a_page(&t->g);
	a = 3 * a_lsize(&t->g, 1) + 7 * a_lsize(&t->g, 2);
	CHECK_EQ(s2_map(&t->p, s2_ipa(a), pg, s2_pa(a), S2_PROT_R, 0, NULL), 0, "exclusive page");
	uint64_t tables = t->p.stats.tables;
	ut_check_structure(t, "exclusive: counts exact");

	/* A shared fault into that table: the fast path (one CAS). */
	CHECK_EQ(s2_map_cached(&t->p, s2_ipa(a + pg), pg, s2_pa(a + pg), S2_PROT_R,
			       S2_MAP_SHARED, &cache, NULL), 0, "shared page");
	CHECK_EQ(t->p.stats.tables, tables, "no table taken");
	tw_check(&t->tw, NULL, NULL, &rep);
	CHECK_EQ(rep.errs, TWE_COUNT, "the count is no longer kept: %s", rep.msg);
	t->tw.counts_unknown_ok = true;
	ut_check_structure(t, "shared: count unknown, structure intact");

	/* Exclusive changes keep it unknown (a count cannot be adjusted
	   from unknown), and it must not become a wrong number either. */
	CHECK_EQ(s2_map(&t->p, s2_ipa(a + 2 * pg), pg, s2_pa(a + 2 * pg), S2_PROT_R, 0, NULL), 0,
		 "exclusive page after shared");
	ut_check_structure(t, "exclusive after shared");
	/* Unmapping two of three: the recount sees one left, so the table
	   stays (and its count is exact again). */
	CHECK_EQ(s2_unmap(&t->p, s2_ipa(a), 2 * pg, NULL), 0, "unmap two");
	CHECK(tw_lookup(&t->tw, a + 2 * pg, &desc, &level) && desc && level == 3,
	      "the third page is still mapped");
	CHECK_EQ(t->p.stats.tables, tables, "the table stays");
	t->tw.counts_unknown_ok = false;
	ut_check_structure(t, "recounted");
	/* Shared again, then the last exclusive unmap frees the tables. */
	CHECK_EQ(s2_map_cached(&t->p, s2_ipa(a), pg, s2_pa(a), S2_PROT_R, S2_MAP_SHARED, &cache,
			       NULL), 0, "shared page again");
	CHECK_EQ(s2_unmap(&t->p, s2_ipa(a + 2 * pg), pg, NULL), 0, "unmap the exclusive one");
	CHECK(tw_lookup(&t->tw, a, &desc, &level) && desc && level == 3,
	      "the shared page is still mapped");
	CHECK_EQ(s2_unmap(&t->p, s2_ipa(a), pg, NULL), 0, "unmap the last");
	CHECK_EQ(t->p.stats.tables, 1, "only the root left");
	ut_check_structure(t, "empty");
	ut_fini(t);
}

/*
 * An unmap that cuts a block in a table whose count shared maps left
 * unknown: the recount must still count the cut block, broken until the
 * unmap's TLBI and linked as a table after it, or the table would be
 * freed with that entry about to be written into it.
 */
static void test_cut_after_shared(void **state)
{
	struct ut tt, *t = &tt;
	struct s2_mm_ops with_hook = renv_ops;
	struct s2_page_cache cache = { 0 };
	uint64_t blk, a, desc, pg;
	int level;

	(void)state;
	ut_init(t, 12, 40, 0, false, S2_START_AUTO, 0, 0);
	with_hook.free_unlinked = no_free_unlinked;
	t->p.ops = &with_hook;
	blk = a_lsize(&t->g, 2);
	pg = a_page(&t->g);
	a = 3 * a_lsize(&t->g, 1) + 4 * blk;
	CHECK_EQ(s2_cache_topup(&t->p, &cache, 3, NULL), 0, "topup");
	for (unsigned i = 0; i < 2; i++)
		CHECK_EQ(s2_map_cached(&t->p, s2_ipa(a + i * blk), blk, s2_pa(a + i * blk), S2_PROT_R,
				       S2_MAP_SHARED, &cache, NULL), 0, "shared block %u", i);
	s2_cache_free(&t->p, &cache);
	t->tw.counts_unknown_ok = true;
	ut_check_structure(t, "two shared blocks");
	/* From the middle of the first block to the end of the second. */
	CHECK_EQ(s2_unmap(&t->p, s2_ipa(a + blk / 2), blk + blk / 2, NULL), 0, "unmap");
	t->tw.counts_unknown_ok = false;
	CHECK(tw_lookup(&t->tw, a, &desc, &level) && desc && level == 3,
	      "the first block's first half is still mapped");
	CHECK(tw_lookup(&t->tw, a + blk / 2 - pg, &desc, &level) && desc && level == 3,
	      "up to the cut");
	CHECK(tw_lookup(&t->tw, a + blk / 2, &desc, &level) && !desc, "unmapped from the cut");
	CHECK_EQ(ut_check_structure(t, "cut"), blk / 2 / pg, "the pages before the cut");
	CHECK_EQ(s2_unmap(&t->p, s2_ipa(a), blk / 2, NULL), 0, "unmap the rest");
	CHECK_EQ(t->p.stats.tables, 1, "only the root left");
	ut_check_structure(t, "empty");
	ut_fini(t);
}

/*
 * The fault-path calls take no diag (s2/err.h, the diagnostics rule): each
 * error code they return has one cause. Each cause, and nothing else,
 * gives its code.
 */
static void test_fault_call_errors(void **state)
{
	struct ut tt, *t = &tt;
	uint64_t pg, a, beyond;

	(void)state;
	ut_init(t, 12, 40, 0, false, S2_START_AUTO, 0, 0);
	pg = a_page(&t->g);
	a = 5 * a_lsize(&t->g, 2);
	beyond = t->p.geom.ipa_max + 1;
	/* Unmapped (no table at all, then an empty entry in a table). */
	CHECK_EQ(s2_relax_perms(&t->p, s2_ipa(a), S2_PROT_W), S2_ENOENT, "relax, no table");
	CHECK_EQ(s2_mkyoung(&t->p, s2_ipa(a)), S2_ENOENT, "mkyoung, no table");
	CHECK_EQ(s2_mark_dirty(&t->p, s2_ipa(a)), S2_ENOENT, "mark_dirty, no table");
	CHECK_EQ(s2_map(&t->p, s2_ipa(a), pg, s2_pa(a), S2_PROT_R, 0, NULL), 0, "map");
	CHECK_EQ(s2_relax_perms(&t->p, s2_ipa(a + pg), S2_PROT_W), S2_ENOENT, "relax, hole");
	CHECK_EQ(s2_mkyoung(&t->p, s2_ipa(a + pg)), S2_ENOENT, "mkyoung, hole");
	CHECK_EQ(s2_mark_dirty(&t->p, s2_ipa(a + pg)), S2_ENOENT, "mark_dirty, hole");
	/* Beyond the IPA space. */
	CHECK_EQ(s2_relax_perms(&t->p, s2_ipa(beyond), S2_PROT_W), S2_ERANGE, "relax, range");
	CHECK_EQ(s2_mkyoung(&t->p, s2_ipa(beyond)), S2_ERANGE, "mkyoung, range");
	CHECK_EQ(s2_mark_dirty(&t->p, s2_ipa(beyond)), S2_ERANGE, "mark_dirty, range");
	/* Bits other than R/W/X, checked before anything is read. */
	CHECK_EQ(s2_relax_perms(&t->p, s2_ipa(a), S2_PROT_DEVICE), S2_EINVAL, "relax, device");
	CHECK_EQ(s2_relax_perms(&t->p, s2_ipa(beyond), 1u << 9), S2_EINVAL, "relax, unknown");
	/* The mapped page: changed once, then nothing to do. */
	CHECK_EQ(s2_relax_perms(&t->p, s2_ipa(a), S2_PROT_W), 1, "relax adds W");
	CHECK_EQ(s2_relax_perms(&t->p, s2_ipa(a), S2_PROT_R | S2_PROT_W), 0, "already RW");
	CHECK_EQ(s2_mkyoung(&t->p, s2_ipa(a)), 0, "already young");
	CHECK_EQ(s2_mark_dirty(&t->p, s2_ipa(a)), 0, "not logging: a real permission fault");
	ut_check_structure(t, "fault calls");
	ut_fini(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_shared_stress),
		UNIT_TEST(test_cache_all_or_nothing),
		UNIT_TEST(test_counts_after_shared),
		UNIT_TEST(test_fault_call_errors),
		UNIT_TEST(test_cut_after_shared),
	};
	return unit_run("test_shared", tests, ARRAY_LEN(tests));
}
