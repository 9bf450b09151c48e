/* SPDX-License-Identifier: MIT */
/* IPA -> PA: s2_translate() over the walker, s2_lookup() without it. */
#include "pgt.h"

uint64_t *s2_lookup_ptep_parent(const struct s2_pgtable *pgt, uint64_t ipa, int *level,
				uint64_t **parent)
{
	uint64_t pdesc;

	return s2__lookup(pgt, ipa, level, parent, &pdesc);
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
	pte = s2_arch_read_pte(s2__lookup(pgt, ipa.v, &l, &parent, &pdesc));
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

static int xlate_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct xlate_ctx *c = v->arg;
	struct s2_xlate *x = c->x;
	const struct s2_geometry *g = &v->pgt->geom;
	uint64_t d = v->old;

	(void)kind;
	x->level = v->level;
	if (!s2_desc_valid(d) || !s2_desc_is_leaf(d, v->level)) {
		x->fsc = translation_fsc(v->level);
		return 0;
	}
	x->valid = true;
	x->desc = d;
	x->pa = s2_pa(s2_desc_oa(g, d) + (c->ipa & (v->size - 1)));
	x->prot = s2_desc_prot(d);
	x->young = d & S2_DESC_AF;
	x->dirty_log = (d & S2_DESC_SW_LOGGED) && !(d & S2_DESC_S2AP_W);
	return 0;
}

int s2_translate(const struct s2_pgtable *pgt, s2_ipa_t ipa, struct s2_xlate *x)
{
	struct xlate_ctx c = { ipa.v, x };

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
	/* The walk does not modify the table; the cast only serves the
	   walker's signature, which visitors that do modify share. */
	return s2__walk_range((struct s2_pgtable *)pgt, ipa.v, ipa.v + 1,
		       &(const struct s2_walker){ xlate_visitor, S2_VISIT_LEAF, &c });
}
