/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <s2/host_env.h>

static unsigned order_of(size_t size)
{
	return 63u - (unsigned)__builtin_clzll(size);
}

/* A block from the free list (zeroed if @zero) or the untouched arena. */
static void *env_get(struct s2_host_env *e, size_t size, bool zero)
{
	unsigned o = order_of(size);
	void *p;

	if (e->fail_at != S2_HOST_ENV_FAIL_NEVER && --e->fail_at == 0)
		return NULL;
	if (e->free_list[o]) {
		p = e->free_list[o];
		e->free_list[o] = *(void **)p;
		e->free_n[o]--;
		if (zero)
			memset(p, 0, size);
	} else {
		/* Natural alignment: concatenated roots must be aligned to their
		   whole size. Fresh arena memory is already zero. */
		uint64_t off = (e->bump + size - 1) & ~(uint64_t)(size - 1);
		if (off + size > e->arena_bytes)
			return NULL;
		p = e->arena + off;
		e->bump = off + size;
	}
	e->live_bytes += size;
	return p;
}

static void *env_zalloc(void *ctx, size_t size)
{
	return env_get(ctx, size, true);
}

static void *env_alloc(void *ctx, size_t size)
{
	return env_get(ctx, size, false);
}

static void env_free(void *ctx, void *va, size_t size)
{
	struct s2_host_env *e = ctx;
	unsigned o = order_of(size);

	*(void **)va = e->free_list[o];
	e->free_list[o] = va;
	e->free_n[o]++;
	e->live_bytes -= size;
}

/* Blocks on the free list, then what the untouched arena holds (an
   injected failure is not announced). */
static uint64_t env_room(void *ctx, size_t size)
{
	struct s2_host_env *e = ctx;
	uint64_t off = (e->bump + size - 1) & ~(uint64_t)(size - 1);

	return e->free_n[order_of(size)] +
	       (off < e->arena_bytes ? (e->arena_bytes - off) / size : 0);
}

static s2_pa_t env_virt_to_phys(void *ctx, void *va)
{
	struct s2_host_env *e = ctx;
	return s2_pa(e->pa_base + (uint64_t)((uint8_t *)va - e->arena));
}

static void *env_phys_to_virt(void *ctx, s2_pa_t pa)
{
	struct s2_host_env *e = ctx;
	return e->arena + (pa.v - e->pa_base);
}

/* Nothing caches these tables or the guest memory: cache maintenance and
   TLB invalidation have nothing to do. They are hooks all the same, so
   the library makes (and counts) the calls it would make on hardware
   without FWB, and s2_flush() visits what it would clean. */
static void env_dcache(void *ctx, s2_pa_t pa, uint64_t size)
{
	(void)ctx; (void)pa; (void)size;
}

static void env_icache(void *ctx, s2_pa_t pa, uint64_t size)
{
	(void)ctx; (void)pa; (void)size;
}

static void env_tlbi_ipa(void *ctx, const struct s2_pgtable *pgt, s2_ipa_t ipa, int level)
{
	(void)ctx; (void)pgt; (void)ipa; (void)level;
}

static void env_tlbi_range(void *ctx, const struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size)
{
	(void)ctx; (void)pgt; (void)ipa; (void)size;
}

static void env_tlbi_vmid(void *ctx, const struct s2_pgtable *pgt)
{
	(void)ctx; (void)pgt;
}

const struct s2_mm_ops s2_host_env_ops = {
	.zalloc = env_zalloc,
	.alloc = env_alloc,
	.free = env_free,
	.room = env_room,
	.virt_to_phys = env_virt_to_phys,
	.phys_to_virt = env_phys_to_virt,
	.dcache_clean_inval = env_dcache,
	.icache_inval = env_icache,
	.tlbi_ipa = env_tlbi_ipa,
	.tlbi_range = env_tlbi_range,
	.tlbi_vmid = env_tlbi_vmid,
};

int s2_host_env_init(struct s2_host_env *e, s2_pa_t pa_base, uint64_t arena_bytes)
{
	void *p = mmap(NULL, arena_bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	memset(e, 0, sizeof(*e));
	if (p == MAP_FAILED)
		return S2_ENOMEM;
	/* Allocations are aligned by arena offset, so their fake PAs are
	   naturally aligned whenever pa_base is (the hardware only cares
	   about the PA). */
	e->arena = (uint8_t *)p;
	e->ops = s2_host_env_ops;
	e->ops.linear = true;
	e->ops.linear_offset = (intptr_t)((uintptr_t)p - pa_base.v);
	e->arena_bytes = arena_bytes;
	e->pa_base = pa_base.v;
	return 0;
}

void s2_host_env_fini(struct s2_host_env *e)
{
	if (e->arena)
		munmap(e->arena, e->arena_bytes);
	e->arena = NULL;
}
