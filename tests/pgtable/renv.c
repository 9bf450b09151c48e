/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "renv.h"

#define HOST (&s2_host_env_ops)

static void add(struct renv *r, struct ev e)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->log = realloc(r->log, r->cap * sizeof(*r->log));
		if (!r->log)
			abort();
	}
	r->log[r->n++] = e;
}

static uint64_t pa_of(struct renv *r, void *va)
{
	return r->env.pa_base + (uint64_t)((uint8_t *)va - r->env.arena);
}

static void *z(void *ctx, size_t size)
{
	struct renv *r = ctx;
	void *p = HOST->zalloc(&r->env, size);

	if (p)
		add(r, (struct ev){ EV_ALLOC, pa_of(r, p), size, 0, 0 });
	return p;
}

/* Not zeroed: filled with junk (valid-looking descriptors), so that an
   entry the library forgets to write shows up in every structural check. */
static void *a(void *ctx, size_t size)
{
	void *p = z(ctx, size);

	if (p)
		memset(p, 0xa5, size);
	return p;
}

static void f(void *ctx, void *va, size_t size)
{
	struct renv *r = ctx;

	add(r, (struct ev){ EV_FREE, pa_of(r, va), size, 0, 0 });
	HOST->free(&r->env, va, size);
}

static s2_pa_t v2p(void *ctx, void *va)
{
	return HOST->virt_to_phys(&((struct renv *)ctx)->env, va);
}

static void *p2v(void *ctx, s2_pa_t pa)
{
	return HOST->phys_to_virt(&((struct renv *)ctx)->env, pa);
}

static void dc(void *ctx, s2_pa_t pa, uint64_t size)
{
	struct renv *r = ctx;

	add(r, (struct ev){ EV_DCACHE, pa.v, size, 0, 0 });
	HOST->dcache_clean_inval(&r->env, pa, size);
}

static void ic(void *ctx, s2_pa_t pa, uint64_t size)
{
	struct renv *r = ctx;

	add(r, (struct ev){ EV_ICACHE, pa.v, size, 0, 0 });
	HOST->icache_inval(&r->env, pa, size);
}

static void hook(struct renv *r)
{
	if (r->on_tlbi)
		r->on_tlbi(r, &r->log[r->n - 1], r->arg);
}

static void ti(void *ctx, const struct s2_pgtable *pgt, s2_ipa_t ipa, int level)
{
	struct renv *r = ctx;

	add(r, (struct ev){ EV_TLBI_IPA, ipa.v, 0, level, pgt->vmid });
	HOST->tlbi_ipa(&r->env, pgt, ipa, level);
	hook(r);
}

static void tr(void *ctx, const struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size)
{
	struct renv *r = ctx;

	add(r, (struct ev){ EV_TLBI_RANGE, ipa.v, size, 0, pgt->vmid });
	HOST->tlbi_range(&r->env, pgt, ipa, size);
	hook(r);
}

static void tv(void *ctx, const struct s2_pgtable *pgt)
{
	struct renv *r = ctx;

	add(r, (struct ev){ EV_TLBI_VMID, 0, 0, 0, pgt->vmid });
	HOST->tlbi_vmid(&r->env, pgt);
	hook(r);
}

const struct s2_mm_ops renv_ops = {
	.zalloc = z, .alloc = a, .free = f, .virt_to_phys = v2p, .phys_to_virt = p2v,
	.dcache_clean_inval = dc, .icache_inval = ic,
	.tlbi_ipa = ti, .tlbi_range = tr, .tlbi_vmid = tv,
};

int renv_init(struct renv *r, uint64_t pa_base, uint64_t arena_bytes)
{
	*r = (struct renv){ 0 };
	return s2_host_env_init(&r->env, s2_pa(pa_base), arena_bytes);
}

void renv_fini(struct renv *r)
{
	s2_host_env_fini(&r->env);
	free(r->log);
	r->log = NULL;
	r->n = r->cap = 0;
}

size_t renv_count(const struct renv *r, enum ev_kind k)
{
	size_t c = 0;

	for (size_t i = 0; i < r->n; i++)
		c += r->log[i].k == k;
	return c;
}

void *renv_va(const struct renv *r, uint64_t pa, uint64_t bytes)
{
	if (pa < r->env.pa_base || pa - r->env.pa_base > r->env.arena_bytes ||
	    r->env.arena_bytes - (pa - r->env.pa_base) < bytes)
		return NULL;
	return r->env.arena + (pa - r->env.pa_base);
}
