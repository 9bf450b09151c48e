/* SPDX-License-Identifier: MIT */
/*
 * The EL2 environment for libs2 tables.
 *
 * TLB maintenance follows Linux's __kvm_tlb_flush_vmid_ipa(): TLBI by IPA
 * only removes stage-2 entries, and cached combined stage 1+2 entries for
 * that IPA can be found only by VA, so a TLBI VMALLE1IS follows
 * (Arm ARM, TLB maintenance requirements for stage 2 changes). Both instructions act on
 * the VMID in the current VTTBR_EL2 and interpret the address with the
 * current VTCR_EL2 (granule, DS), so for a VM that is not the one loaded
 * its VTCR and VTTBR are loaded first and restored after, as Linux's
 * enter_vmid_context() does (arch/arm64/kvm/hyp/{vhe,nvhe}/tlb.c).
 * The inner-shareable forms reach every CPU, whichever VM each runs.
 *
 * Pages come from the allocator, which has its own lock, so CPUs top up
 * their page caches at once; tables that shared walks unlink are freed
 * through defer.c once no other CPU can be walking them.
 */
#include "alloc.h"
#include "atomic.h"
#include "defer.h"
#include "mmu.h"
#include "stage2.h"
#include "sysreg.h"

struct hyp_features hyp_feat = { .vmid_bits = 8 };

static struct stage2 *s2_of(void *ctx)
{
	return ctx;
}

static void *mm_zalloc(void *ctx, size_t size)
{
	void *p = alloc_pages(size);

	if (p) {
		uint64_t *w = p;
		for (size_t i = 0; i < size / 8; i++)
			w[i] = 0;
		atomic_add(&s2_of(ctx)->live_bytes, (int64_t)size);
	}
	return p;
}

static void mm_free(void *ctx, void *va, size_t size)
{
	atomic_add(&s2_of(ctx)->live_bytes, -(int64_t)size);
	alloc_free(va, size);
}

static s2_pa_t mm_virt_to_phys(void *ctx, void *va)
{
	(void)ctx;
	return s2_pa((uint64_t)va);
}

static void *mm_phys_to_virt(void *ctx, s2_pa_t pa)
{
	(void)ctx;
	return (void *)pa.v;
}

static unsigned line_size(unsigned shift)
{
	/* CTR_EL0.DminLine [19:16] / IminLine [3:0]: log2 words per line. */
	return 4u << ((read_sysreg(ctr_el0) >> shift) & 0xf);
}

/*
 * Output addresses outside host RAM (device windows, the unbacked
 * addresses above 2^48 that the oracle maps) have no cacheable alias at
 * EL2, so there is nothing to clean; touching them would fault.
 */
static void mm_dcache_clean_inval(void *ctx, s2_pa_t pa, uint64_t size)
{
	unsigned line = line_size(16);

	(void)ctx;
	if (!pa_is_ram(pa.v, size))
		return;
	for (uint64_t a = pa.v & ~(uint64_t)(line - 1); a < pa.v + size; a += line)
		__asm__ volatile("dc civac, %0" :: "r"(a) : "memory");
	dsb_ish();
}

static void mm_icache_inval(void *ctx, s2_pa_t pa, uint64_t size)
{
	unsigned line = line_size(0);

	(void)ctx;
	if (!pa_is_ram(pa.v, size))
		return;
	for (uint64_t a = pa.v & ~(uint64_t)(line - 1); a < pa.v + size; a += line)
		__asm__ volatile("ic ivau, %0" :: "r"(a) : "memory");
	dsb_ish();
	isb();
}

struct tlb_ctx {
	uint64_t vttbr, vtcr;
	bool switched;
};

static void tlb_enter(struct stage2 *s, struct tlb_ctx *t)
{
	/* Descriptor writes complete before the invalidation. */
	dsb_ishst();
	t->vttbr = read_sysreg(vttbr_el2);
	t->vtcr = read_sysreg(vtcr_el2);
	t->switched = t->vttbr != s->vttbr || t->vtcr != s->vtcr;
	if (t->switched) {
		write_sysreg(s->vtcr, vtcr_el2);
		write_sysreg(s->vttbr, vttbr_el2);
		isb();
		atomic_add(&s->tlbi_loads, 1);
	}
	atomic_add(&s->tlbi_ops, 1);
	s->tlbi_seen_vttbr = read_sysreg(vttbr_el2);
	s->tlbi_seen_vtcr = read_sysreg(vtcr_el2);
}

static void tlb_exit(const struct tlb_ctx *t)
{
	/* Combined stage 1+2 entries can only be removed by VMID. */
	dsb_ish();
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb_ish();
	isb();
	if (t->switched) {
		write_sysreg(t->vtcr, vtcr_el2);
		write_sysreg(t->vttbr, vttbr_el2);
		isb();
	}
}

/*
 * TLBI IPAS2E1IS operand: IPA[51:12] in bits [39:0] (bits [39:36] hold
 * IPA[51:48] with FEAT_LPA, whatever the granule), TTL in [47:44].
 * TTL encodings (FEAT_TTL): granule in TTL[3:2] (4K 01, 16K 10, 64K 11)
 * and the level in TTL[1:0]; 4K level 0 and 16K level 1 exist only with
 * FEAT_LPA2, 16K/64K level 0 and level -1 never: those get no hint.
 */
static uint64_t ipas2_operand(const struct s2_geometry *g, uint64_t ipa, int level)
{
	uint64_t op = (ipa >> 12) & S2_GENMASK(39, 0);
	unsigned tg = g->granule == S2_GRANULE_4K ? 1 : g->granule == S2_GRANULE_16K ? 2 : 3;
	bool ok;

	if (!hyp_feat.ttl || level < 0 || level > 3)
		return op;
	if (g->granule == S2_GRANULE_4K)
		ok = level > 0 || hyp_feat.lpa2;
	else if (g->granule == S2_GRANULE_16K)
		ok = level > 1 || (level == 1 && hyp_feat.lpa2);
	else
		ok = level > 0;
	if (ok)
		op |= (uint64_t)((tg << 2) | (unsigned)level) << 44;
	return op;
}

static void mm_tlbi_ipa(void *ctx, const struct s2_pgtable *pgt, s2_ipa_t ipa, int level)
{
	struct stage2 *s = s2_of(ctx);
	struct tlb_ctx t;

	tlb_enter(s, &t);
	__asm__ volatile("tlbi ipas2e1is, %0" :: "r"(ipas2_operand(&pgt->geom, ipa.v, level))
			 : "memory");
	tlb_exit(&t);
}

/* Beyond this many pages one VMALLS12E1IS is cheaper than TLBIs by IPA
   (Linux uses a similar cut-off, MAX_TLBI_OPS). */
#define TLBI_RANGE_MAX_PAGES 64

static void mm_tlbi_range(void *ctx, const struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size)
{
	struct stage2 *s = s2_of(ctx);
	uint64_t step = s2_page_size(&pgt->geom);
	struct tlb_ctx t;

	tlb_enter(s, &t);
	if (size / step > TLBI_RANGE_MAX_PAGES) {
		__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	} else {
		for (uint64_t a = ipa.v; a < ipa.v + size; a += step)
			__asm__ volatile("tlbi ipas2e1is, %0"
					 :: "r"(ipas2_operand(&pgt->geom, a, S2_TLBI_NO_LEVEL))
					 : "memory");
	}
	tlb_exit(&t);
}

static void mm_tlbi_vmid(void *ctx, const struct s2_pgtable *pgt)
{
	struct stage2 *s = s2_of(ctx);
	struct tlb_ctx t;

	(void)pgt;
	tlb_enter(s, &t);
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	tlb_exit(&t);
}

/* EL2 runs identity-mapped, so table addresses are computed inline
   (linear). */
const struct s2_mm_ops hyp_mm_ops = {
	.zalloc = mm_zalloc,
	.free = mm_free,
	.virt_to_phys = mm_virt_to_phys,
	.phys_to_virt = mm_phys_to_virt,
	.linear = true,
	.linear_offset = 0,
	.dcache_clean_inval = mm_dcache_clean_inval,
	.icache_inval = mm_icache_inval,
	.tlbi_ipa = mm_tlbi_ipa,
	.tlbi_range = mm_tlbi_range,
	.tlbi_vmid = mm_tlbi_vmid,
	.free_unlinked = defer_free,
};

int stage2_init(struct stage2 *s, const struct s2_geometry *g, unsigned vmid,
		unsigned flags, unsigned vtcr_flags, const struct s2_mm_ops *ops,
		struct s2_diag *d)
{
	int err;

	*s = (struct stage2){ 0 };
	err = s2_pgtable_init(&s->pgt, g, ops, s, vmid, flags, d);
	if (err)
		return err;
	if (hyp_feat.vmid_bits == 16)
		vtcr_flags |= S2_VTCR_F_VMID16;
	s->vtcr = s2_vtcr_encode(g, vtcr_flags);
	err = s2_vttbr_encode(g, s->pgt.root_pa, vmid, hyp_feat.vmid_bits, &s->vttbr, d);
	if (err)
		s2_pgtable_destroy(&s->pgt);
	return err;
}

uint64_t stage2_destroy(struct stage2 *s)
{
	s2_pgtable_destroy(&s->pgt);
	return s->live_bytes;
}

void stage2_load(const struct stage2 *s)
{
	write_sysreg(s->vtcr, vtcr_el2);
	write_sysreg(s->vttbr, vttbr_el2);
	isb();
}

void stage2_tlbi_ipa_local(const struct stage2 *s, uint64_t ipa)
{
	(void)s;
	/* This CPU only (NSH), the VM loaded here: as Linux's
	   __kvm_tlb_flush_vmid_ipa_nsh() after relaxing permissions. */
	dsb_ishst();
	__asm__ volatile("tlbi ipas2e1, %0" :: "r"((ipa >> 12) & S2_GENMASK(39, 0)) : "memory");
	__asm__ volatile("dsb nsh" ::: "memory");
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	__asm__ volatile("dsb nsh" ::: "memory");
	isb();
}
