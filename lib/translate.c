/* SPDX-License-Identifier: MIT */
/* IPA -> PA: s2_translate() (a visitor on the entry the lookup walk ends
   at) and s2_lookup(). */
#include "pgt.h"

uint64_t *s2_lookup_ptep_parent(const struct s2_pgtable *pgt, uint64_t ipa, int *level,
				uint64_t **parent)
{
	uint64_t pte, pdesc;

	return s2__lookup(pgt, ipa, level, &pte, parent, &pdesc);
}

uint64_t *s2_lookup_ptep(const struct s2_pgtable *pgt, uint64_t ipa, int *level)
{
	uint64_t *parent;

	return s2_lookup_ptep_parent(pgt, ipa, level, &parent);
}

uint64_t s2_lookup(const struct s2_pgtable *pgt, s2_ipa_t ipa, int *level)
{
	int l;
	uint64_t pte, *parent, pdesc;

	if (ipa.v > pgt->geom.ipa_max) {
		if (level)
			*level = 0;
		return 0;
	}
	s2__lookup(pgt, ipa.v, &l, &pte, &parent, &pdesc);
	if (level)
		*level = l;
	return s2_desc_valid(pte) ? pte : 0;
}

struct xlate_ctx {
	uint64_t ipa;
	struct s2_xlate *x;
};

/* Fault status codes as the hardware reports them (Arm ARM, ESR_ELx
   DFSC): translation fault level 0..3 = 0x04 + level, level -1 = 0x2b. */
static unsigned translation_fsc(int level)
{
	return level < 0 ? 0x2b : 0x04 + (unsigned)level;
}

/*
 * The PA that leaf @d maps at @offset into it: the OA's bits in place
 * plus the offset, plus its split-off top bits (LPA, DS), taken as the
 * root's when they are (as s2__lin_step() does): a short dependency
 * chain after the walk's last load.
 */
static inline uint64_t leaf_pa(const struct s2_pgtable *pgt, uint64_t d, uint64_t offset)
{
	const struct s2_pgt_fast *f = &pgt->fast;
	const uint64_t hi = f->fmt == S2_OA_LPA ? S2_GENMASK(15, 12) :
			    f->fmt == S2_OA_DS ? S2_GENMASK(9, 8) : 0;

	if (__builtin_expect(!f->levels, 0))   /* not from s2_pgtable_init() */
		return s2_desc_oa(&pgt->geom, d) + offset;
	if (__builtin_expect((d & hi) == f->hi_desc, 1))
		return (d & f->oa_lo) + (offset + f->hi_pa);
	return (d & f->oa_lo) + offset + s2__table_oa(d, 0, f->fmt == S2_OA_LPA ? S2_OA_LPA : S2_OA_DS);
}

static int xlate_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct xlate_ctx *c = v->arg;
	struct s2_xlate *x = c->x;
	uint64_t d = v->old;

	(void)kind;
	x->level = v->level;
	if (!s2_desc_valid(d) || !s2_desc_is_leaf(d, v->level)) {
		x->fsc = translation_fsc(v->level);
		return 0;
	}
	x->valid = true;
	x->desc = d;
	x->pa = s2_pa(leaf_pa(v->pgt, d, c->ipa & (v->size - 1)));
	x->prot = s2_desc_prot(d);
	x->young = d & S2_DESC_AF;
	x->dirty_log = (d & S2_DESC_SW_LOGGED) && !(d & S2_DESC_S2AP_W);
	return 0;
}

int s2_translate(const struct s2_pgtable *pgt, s2_ipa_t ipa, struct s2_xlate *x)
{
	struct xlate_ctx c = { ipa.v, x };
	struct s2_visit v = { .pgt = (struct s2_pgtable *)pgt, .start = ipa.v,
			      .end = ipa.v + 1, .arg = &c };
	uint64_t pdesc;

	if (!pgt || !x)
		return S2_EINVAL;
	*x = (struct s2_xlate){ 0 };
	if (ipa.v > pgt->geom.ipa_max) {
		/* Beyond T0SZ: a translation fault reported at level 0 (Arm
		   ARM AArch64.S2Translate, IPA out of range). */
		x->level = 0;
		x->fsc = translation_fsc(0);
		return 0;
	}
	/* One IPA: the walk is the lookup's (a range walk's set-up would
	   cost more than the descent), and the visitor reads what it
	   found, as the range walk's leaf visit would give it. (The cast
	   only serves the visit's type, which visitors that do modify
	   share; nothing here writes.) */
	v.ptep = s2__lookup(pgt, ipa.v, &v.level, &v.old, &v.parent, &pdesc);
	v.size = s2_level_size(&pgt->geom, v.level);
	v.addr = ipa.v & ~(v.size - 1);
	return xlate_visitor(&v, S2_VISIT_LEAF);
}
