/* SPDX-License-Identifier: MIT */
/*
 * Random work for the oracle: mappings, mutations and the IPAs to ask
 * about. Everything goes through libs2's public API; the oracle never
 * writes a descriptor itself.
 */
#include <s2/err.h>
#include <s2/fault.h>
#include "at.h"
#include "check.h"
#include "oracle.h"
#include "printf.h"

/* Every R/W/X mix (S2AP and XN are independent), then device memory. */
#define N_NORMAL_PROTS 8
static const unsigned prots[] = {
	0, S2_PROT_R, S2_PROT_R | S2_PROT_W, S2_PROT_R | S2_PROT_X, S2_PROT_RWX,
	S2_PROT_W, S2_PROT_X, S2_PROT_W | S2_PROT_X,
	S2_PROT_DEVICE, S2_PROT_DEVICE | S2_PROT_R, S2_PROT_DEVICE | S2_PROT_R | S2_PROT_W,
	S2_PROT_DEVICE | S2_PROT_W,
};

static uint64_t ipa_space(const struct octx *o)
{
	return 1ULL << o->g->ipa_bits;
}

/* A block level (or 3 for pages) whose size leaves room for a few
   mappings in the IPA space. */
static int pick_level(struct octx *o)
{
	int cand[5], n = 0;

	for (int l = o->g->start_level; l < 3; l++)
		if (s2_level_has_block(o->g, l) && s2_level_size(o->g, l) <= ipa_space(o) / 8)
			cand[n++] = l;
	if (!n || rng_below(o->r, 2))
		return 3;
	return cand[rng_below(o->r, (uint64_t)n)];
}

/* A PA for @size bytes aligned to @align: half the time in the top
   sixteenth of the PA range (above 2^48 when PS is 52 bits). */
static uint64_t pick_pa(struct octx *o, uint64_t size, uint64_t align)
{
	uint64_t space = 1ULL << o->g->ps_bits;
	uint64_t lo = space / 16 >= size && rng_below(o->r, 2) ? space - space / 16 : 0;
	uint64_t slots = (space - lo - size) / align + 1;

	return lo + rng_below(o->r, slots) * align;
}

static void add_span(struct span *set, unsigned *n, struct span s)
{
	if (*n < ORACLE_MAX_SPANS)
		set[(*n)++] = s;
}

void oracle_populate(struct octx *o)
{
	const struct s2_geometry *g = o->g;
	uint64_t page = s2_page_size(g);
	unsigned n = 12 + (unsigned)rng_below(o->r, 12);
	struct s2_diag d;

	for (unsigned i = 0; i < n; i++) {
		int level = pick_level(o);
		uint64_t bs = s2_level_size(g, level);
		uint64_t k = 1 + rng_below(o->r, level == 3 ? 16 : 3);
		uint64_t size = bs * k;
		uint64_t ipa = rng_below(o->r, (ipa_space(o) - size) / bs + 1) * bs;
		/* A quarter of the page mappings get a PA that is not aligned
		   like the IPA, so no block can be used. */
		uint64_t pa = pick_pa(o, size, level == 3 && rng_below(o->r, 4) == 0 ? page : bs);
		unsigned prot = prots[rng_below(o->r, sizeof(prots) / sizeof(prots[0]))];
		unsigned flags = level == 3 && rng_below(o->r, 2) ? S2_MAP_PAGES : 0;
		int rc = s2_map(&o->s.pgt, s2_ipa(ipa), size, s2_pa(pa), prot, flags, &d);

		if (check(rc == 0, "s2_map(%#llx, %#llx, pa %#llx, prot %#x): %s %s",
			  (unsigned long long)ipa, (unsigned long long)size,
			  (unsigned long long)pa, prot, s2_errname(rc), rc ? d.msg : ""))
			add_span(o->maps, &o->nmaps, (struct span){ ipa, size, pa, prot, level });
	}

	/* One level-2-block-sized span mapped with pages, IPA and PA both
	   block aligned: s2_collapse() must turn it into a block. */
	uint64_t bs = s2_level_size(g, 2);
	if (s2_level_has_block(g, 2) && bs <= ipa_space(o) / 4) {
		uint64_t ipa = rng_below(o->r, ipa_space(o) / bs) * bs;
		uint64_t pa = pick_pa(o, bs, bs);
		int rc = s2_map(&o->s.pgt, s2_ipa(ipa), bs, s2_pa(pa), S2_PROT_R | S2_PROT_W,
				S2_MAP_PAGES, &d);
		o->collapsible = -1;
		if (check(rc == 0, "s2_map(pages, %#llx): %s %s", (unsigned long long)ipa,
			  s2_errname(rc), rc ? d.msg : "")) {
			o->collapsible = (int)o->nmaps;
			add_span(o->maps, &o->nmaps,
				 (struct span){ ipa, bs, pa, S2_PROT_R | S2_PROT_W, 3 });
		}
	}
}

/* A page-aligned sub-range of span @m. */
static struct span sub_range(struct octx *o, const struct span *m)
{
	uint64_t page = s2_page_size(o->g);
	uint64_t pages = m->size / page;
	uint64_t first = rng_below(o->r, pages);
	uint64_t count = 1 + rng_below(o->r, pages - first);
	/* Large spans: keep the range small enough to split cheaply. */
	if (count > 64 && rng_below(o->r, 2))
		count = 1 + rng_below(o->r, 64);
	return (struct span){ m->ipa + first * page, count * page, 0, 0, 3 };
}

static bool overlaps(const struct span *a, const struct span *b)
{
	return a->ipa < b->ipa + b->size && b->ipa < a->ipa + a->size;
}

/*
 * For split: one level-2-block-sized window of the span, aligned, so a
 * block of any level in it is cut down to pages with a handful of tables
 * (a whole 4 TiB 64K block split to pages would need 8193 64K tables).
 */
static struct span split_range(struct octx *o, const struct span *m)
{
	uint64_t w = s2_level_size(o->g, 2);

	if (m->size <= w || (m->ipa & (w - 1)))
		return *m;
	return (struct span){ m->ipa + rng_below(o->r, m->size / w) * w, w, 0, 0, 3 };
}

enum mut { M_UNMAP, M_PROTECT, M_SPLIT, M_WRPROTECT, M_MKOLD, M_COUNT };
static const char *const mut_names[M_COUNT] = { "unmap", "protect", "split", "wrprotect", "mkold" };

void oracle_mutate(struct octx *o)
{
	struct s2_diag d;
	static const enum mut plan[] = { M_UNMAP, M_UNMAP, M_UNMAP, M_PROTECT, M_PROTECT, M_PROTECT,
			    M_SPLIT, M_SPLIT, M_WRPROTECT, M_MKOLD };
	bool hit_collapsible = false;

	for (unsigned i = 0; i < sizeof(plan) / sizeof(plan[0]) && o->nmaps > 1; i++) {
		unsigned idx;
		do
			idx = (unsigned)rng_below(o->r, o->nmaps);
		while ((int)idx == o->collapsible);
		const struct span *m = &o->maps[idx];
		struct span t = plan[i] == M_SPLIT ? split_range(o, m) : sub_range(o, m);
		s2_ipa_t ipa = s2_ipa(t.ipa);
		int64_t rc = 0;

		switch (plan[i]) {
		case M_UNMAP:
			rc = s2_unmap(&o->s.pgt, ipa, t.size, &d);
			break;
		case M_PROTECT:
			rc = s2_protect(&o->s.pgt, ipa, t.size,
					prots[rng_below(o->r, N_NORMAL_PROTS)], &d);
			break;
		case M_SPLIT:
			rc = s2_split(&o->s.pgt, ipa, t.size, &d);
			break;
		case M_WRPROTECT:
			rc = s2_wrprotect(&o->s.pgt, ipa, t.size, &d);
			/* The write-fault path for one page of it (which an
			   earlier unmap may have removed). */
			if (rc == 0) {
				int md = s2_mark_dirty(&o->s.pgt, ipa);
				check(md >= 0 || md == S2_ENOENT, "s2_mark_dirty(%#llx): %s",
				      (unsigned long long)t.ipa, s2_errname(md));
			}
			break;
		case M_COUNT:
			break;
		case M_MKOLD:
			rc = s2_mkold(&o->s.pgt, ipa, t.size, &d);
			/* The access-flag fault path for one page of it. */
			if (rc >= 0) {
				int my = s2_mkyoung(&o->s.pgt, ipa);
				check(my >= 0 || my == S2_ENOENT, "s2_mkyoung(%#llx): %s",
				      (unsigned long long)t.ipa, s2_errname(my));
			}
			break;
		}
		check(rc >= 0, "%s(%#llx, %#llx): %s %s", mut_names[plan[i] % M_COUNT],
		      (unsigned long long)t.ipa, (unsigned long long)t.size,
		      s2_errname((int)rc), rc < 0 ? d.msg : "");
		o->mutations++;
		if (o->collapsible >= 0 && overlaps(&t, &o->maps[o->collapsible]))
			hit_collapsible = true;
		add_span(o->touched, &o->ntouched, t);
	}

	if (o->collapsible < 0)
		return;
	const struct span *c = &o->maps[o->collapsible];
	int64_t made = s2_collapse(&o->s.pgt, s2_ipa(c->ipa), c->size, &d);
	int level = S2_LEVEL_NONE;
	s2_lookup(&o->s.pgt, s2_ipa(c->ipa), &level);
	o->mutations++;
	check(made >= 0, "collapse(%#llx, %#llx): %s %s", (unsigned long long)c->ipa,
	      (unsigned long long)c->size, s2_errname((int)made), made < 0 ? d.msg : "");
	/* Untouched by the other mutations, the span is uniform and
	   contiguous: it must now be one level-2 block. */
	if (!hit_collapsible)
		check(made == 1 && level == 2,
		      "collapse of a page-mapped %#llx-byte span at %#llx made %lld blocks, leaf level %d (want 1 block at level 2)",
		      (unsigned long long)c->size, (unsigned long long)c->ipa, (long long)made, level);
	add_span(o->touched, &o->ntouched, *c);
}

/*
 * IPAs at or above 2^52 cannot even leave stage 1 here: with stage 1
 * disabled the VA is the output address, and one beyond the implemented
 * PA size (PARange, 52 bits) is a stage-1 Address size fault at level 0
 * (Arm ARM, "The effects of disabling an address translation
 * stage"). libs2 is not involved; the architecture rule is checked
 * on its own.
 */
static void compare_or_beyond(struct octx *o, uint64_t ipa)
{
	if (ipa < (1ULL << 52)) {
		oracle_compare(o, ipa);
		return;
	}
	for (int w = 0; w < 2; w++) {
		struct s2_par p;
		uint64_t par = w ? at_s12e1w(ipa) : at_s12e1r(ipa);
		s2_par_decode(par, &p);
		o->beyond_pa++;
		check(p.f && !p.s2 && p.kind == S2_FAULT_ADDR_SIZE && p.level == 0,
		      "AT S12E1%c %#llx (beyond the 52-bit PA space): PAR_EL1=%#llx, want a stage-1 address size fault at level 0",
		      w ? 'W' : 'R', (unsigned long long)ipa, (unsigned long long)par);
	}
}

void oracle_points(struct octx *o, const struct span *spans, unsigned n, unsigned budget)
{
	const struct s2_geometry *g = o->g;
	uint64_t page = s2_page_size(g), top = ipa_space(o);
	uint64_t start = o->ipas;

	/* The edges of the IPA space and just past it. */
	compare_or_beyond(o, rng_below(o->r, page));
	compare_or_beyond(o, top - page + rng_below(o->r, page));
	compare_or_beyond(o, top - 1);
	compare_or_beyond(o, top);
	compare_or_beyond(o, top + rng_below(o->r, page));
	compare_or_beyond(o, top + page * (1 + rng_below(o->r, 1024)));

	for (unsigned i = 0; i < n; i++) {
		const struct span *s = &spans[i];
		compare_or_beyond(o, s->ipa + rng_below(o->r, page));
		compare_or_beyond(o, s->ipa + s->size - page + rng_below(o->r, page));
		compare_or_beyond(o, s->ipa + rng_below(o->r, s->size));
		if (s->ipa >= page)
			compare_or_beyond(o, s->ipa - page + rng_below(o->r, page));
		compare_or_beyond(o, s->ipa + s->size + rng_below(o->r, page));
	}
	while (o->ipas - start < budget) {
		uint64_t ipa;
		if (!n || rng_below(o->r, 3) == 0) {
			ipa = rng_next(o->r) & (top - 1);
		} else {
			/* Near a span: within four times its size either side,
			   so walks end at every level. */
			const struct span *s = &spans[rng_below(o->r, n)];
			uint64_t reach = s->size * 4 < top ? s->size * 4 : top / 2;
			uint64_t off = rng_below(o->r, 2 * reach);
			ipa = s->ipa + off >= reach ? s->ipa + off - reach : rng_below(o->r, page);
			ipa &= top - 1;
		}
		compare_or_beyond(o, ipa);
	}
}
