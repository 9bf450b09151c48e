/* SPDX-License-Identifier: MIT */
/*
 * The one walker. It is iterative (an explicit stack of at most five
 * levels) and always inlined, so each operation that calls it with its
 * own constant visitor gets a walk with the visitor inlined into the loop
 * over a table and the visit kinds folded away: one definition, no
 * indirect call per entry. The exported s2_walk() (walk.c) is the same
 * code for visitors outside the library.
 */
#ifndef S2_WALK_IMPL_H
#define S2_WALK_IMPL_H

#include <s2_arch.h>
#include <s2/desc.h>
#include <s2/walk.h>

static inline uint64_t *s2__table_va(const struct s2_pgtable *pgt, uint64_t desc)
{
	uint64_t pa = s2_desc_oa(&pgt->geom, desc);

	if (pgt->ops->linear)
		return (uint64_t *)(uintptr_t)(pa + (uint64_t)pgt->ops->linear_offset);
	return pgt->ops->phys_to_virt(pgt->ctx, s2_pa(pa));
}

/*
 * The TABLE_POST visit of the table descriptor *@ptep at @level, which
 * maps [addr, addr + size) and sits in the table whose descriptor is
 * @parent: the one place the walk issues it.
 */
static inline __attribute__((always_inline)) int
s2__visit_post(const struct s2_walker *w, struct s2_visit *v, uint64_t *ptep, int level,
	       uint64_t addr, uint64_t size, uint64_t *parent)
{
	v->ptep = ptep;
	v->old = s2_arch_read_pte(ptep);
	v->level = level;
	v->addr = addr;
	v->size = size;
	v->parent = parent;
	return w->cb(v, S2_VISIT_TABLE_POST);
}

/*
 * Walk [start, end) of @table, a table at @level whose own descriptor is
 * @parent (NULL for the root), with the walker @w. [wstart, wend) is what
 * visitors see as the operation's range.
 */
static inline __attribute__((always_inline)) int
s2__walk(struct s2_pgtable *pgt, const struct s2_walker *w,
	 uint64_t *table, int level, uint64_t *parent,
	 uint64_t start, uint64_t end, uint64_t wstart, uint64_t wend)
{
	/* Geometry in locals: descriptor stores may alias the struct. */
	const unsigned page_shift = pgt->geom.page_shift, stride = pgt->geom.stride;
	const int start_level = pgt->geom.start_level;
	const uint64_t root_entries = pgt->geom.root_entries;
	const unsigned kinds = w->kinds;
	struct { uint64_t *table, *parent, end; } st[S2_LEVEL_MAX - S2_LEVEL_MIN + 1];
	struct s2_visit v = { .pgt = pgt, .arg = w->arg, .start = wstart, .end = wend };
	uint64_t addr = start;
	int depth = 0, ret;

	st[0].table = table;
	st[0].parent = parent;
	st[0].end = end;
	for (;;) {
		const unsigned shift = page_shift + (unsigned)(S2_LEVEL_MAX - level) * stride;
		const uint64_t size = 1ULL << shift;
		const uint64_t mask = (level == start_level ? root_entries : 1ULL << stride) - 1;
		uint64_t *const tbl = st[depth].table;
		const uint64_t tend = st[depth].end;
		uint64_t *ptep = NULL, pte = 0;
		bool down = false;

		v.level = level;
		v.size = size;
		v.parent = st[depth].parent;
		for (uint64_t idx = (addr >> shift) & mask; addr < tend; idx++) {
			uint64_t base = addr & ~(size - 1);

			ptep = &tbl[idx];
			pte = s2_arch_read_pte(ptep);
			addr = base + size;
			v.ptep = ptep;
			v.addr = base;
			if ((kinds & S2_VISIT_TABLE_PRE) && s2_desc_is_table(pte, level)) {
				v.old = pte;
				ret = w->cb(&v, S2_VISIT_TABLE_PRE);
				if (ret < 0)
					return ret;
				if (ret == S2_WALK_SKIP)
					continue;
				pte = s2_arch_read_pte(ptep);
			}
			if (!s2_desc_is_table(pte, level)) {
				if (!(kinds & S2_VISIT_LEAF))
					continue;
				v.old = pte;
				ret = w->cb(&v, S2_VISIT_LEAF);
				if (ret < 0)
					return ret;
				/* A visitor that installed a complete table asks
				   not to descend into it. */
				if (ret == S2_WALK_SKIP)
					continue;
				pte = s2_arch_read_pte(ptep);
				if (!s2_desc_is_table(pte, level))
					continue;
			}
			/* A walk that visits only tables has nothing to find in
			   a last-level table: skip the scan, keep the POST. */
			if (level + 1 == S2_LEVEL_MAX && !(kinds & S2_VISIT_LEAF)) {
				if (kinds & S2_VISIT_TABLE_POST) {
					ret = s2__visit_post(w, &v, ptep, level, base, size,
							     st[depth].parent);
					if (ret < 0)
						return ret;
				}
				continue;
			}
			down = true;
			break;
		}
		if (down) {
			uint64_t next = addr;   /* already advanced past the entry */
			addr = v.addr > start ? v.addr : start;
			depth++;
			level++;
			s2_arch_check(depth < (int)(sizeof(st) / sizeof(st[0])));
			st[depth].table = s2__table_va(pgt, pte);
			st[depth].parent = ptep;
			st[depth].end = next < tend ? next : tend;
			continue;
		}
		/* Without POST visits there is nothing to do on the way up
		   once the walk's end is reached. */
		if (depth == 0 || (!(kinds & S2_VISIT_TABLE_POST) && addr >= end))
			return 0;
		/* Back up one level: the entry we descended from gets its POST
		   visit, and the walk resumes after it. */
		ptep = st[depth].parent;
		depth--;
		level--;
		if (kinds & S2_VISIT_TABLE_POST) {
			uint64_t psize = 1ULL << (page_shift + (unsigned)(S2_LEVEL_MAX - level) * stride);
			ret = s2__visit_post(w, &v, ptep, level, (addr - 1) & ~(psize - 1), psize,
					     st[depth].parent);
			if (ret < 0)
				return ret;
		}
	}
}

/* The OA of table descriptor @d in format @fmt (S2_OA_*), whose bits
   held in place are @oa_lo. */
static inline __attribute__((always_inline)) uint64_t
s2__table_oa(uint64_t d, uint64_t oa_lo, const unsigned fmt)
{
	uint64_t oa = d & oa_lo;

	if (fmt == S2_OA_LPA)
		oa |= (d << 36) & S2_GENMASK(51, 48);
	else if (fmt == S2_OA_DS)
		oa |= (d << 42) & S2_GENMASK(51, 50);
	return oa;
}

/*
 * One level of the linear lookup for page shift @ps and format @fmt:
 * read the entry *@p, at level @next - 1, into *@d and note that level
 * in *@level; if it is a table descriptor, it becomes the parent
 * (*@up, *@ud) and *@p points at @ipa's entry in its table, at level
 * @next (a constant: so is its shift). False for anything else.
 */
static inline __attribute__((always_inline)) bool
s2__lin_step(const struct s2_pgt_fast *f, uint64_t **p, uint64_t *d, uint64_t **up, uint64_t *ud,
	     int *level, uint64_t ipa, uint64_t off, const unsigned ps, const unsigned fmt,
	     const int next)
{
	const unsigned stride = ps - 3;
	const uint64_t lo = S2_GENMASK(fmt == S2_OA_DS ? 49 : 47, ps);
	const uint64_t hi = fmt == S2_OA_LPA ? S2_GENMASK(15, 12) : S2_GENMASK(9, 8);
	uint64_t idx;

	*level = next - 1;
	*d = s2_arch_read_pte(*p);
	if ((*d & 3) != 3)
		return false;
	*up = *p;
	*ud = *d;
	/* The next entry's address is the table's OA plus (the linear
	   offset plus the index): the bracket does not depend on the
	   descriptor just read, so one mask and one addition follow each
	   load. The OA's split-off top bits (LPA, DS) are as good as
	   constant (tables come from the memory the root came from): they
	   join the bracket when they are the root's, a branch the CPU
	   predicts, so the load need not wait for their decoding. */
	idx = (ipa >> (ps + (unsigned)(S2_LEVEL_MAX - next) * stride)) & ((1ULL << stride) - 1);
	if (fmt == S2_OA_PLAIN || __builtin_expect((*d & hi) == f->hi_desc, 1))
		*p = (uint64_t *)(uintptr_t)((*d & lo) + (off + f->hi_pa + idx * 8));
	else
		*p = (uint64_t *)(uintptr_t)((*d & lo) + (off + idx * 8) + s2__table_oa(*d, 0, fmt));
	return true;
}

/*
 * s2__lookup() for a linear environment (offset @off), page shift @ps
 * and descriptor format @fmt, both constants: one s2__lin_step() per
 * level, unrolled and entered at the start level (pgt->fast.levels), so
 * that every shift and mask below the root is a constant and nothing is
 * called.
 */
static inline __attribute__((always_inline)) uint64_t *
s2__lookup_lin(const struct s2_pgtable *pgt, uint64_t ipa, uint64_t off, const unsigned ps,
	       const unsigned fmt, int *level, uint64_t *pte, uint64_t **parent, uint64_t *pdesc)
{
	const struct s2_pgt_fast *f = &pgt->fast;
	uint64_t *p = &pgt->root[(ipa >> f->root_shift) & f->root_mask], d = 0;
	uint64_t *up = NULL, ud = 0;
	int l;

	switch (f->levels) {
	case 4:
		if (!s2__lin_step(f, &p, &d, &up, &ud, &l, ipa, off, ps, fmt, 0))
			break;
		/* fallthrough */
	case 3:
		if (!s2__lin_step(f, &p, &d, &up, &ud, &l, ipa, off, ps, fmt, 1))
			break;
		/* fallthrough */
	case 2:
		if (!s2__lin_step(f, &p, &d, &up, &ud, &l, ipa, off, ps, fmt, 2))
			break;
		/* fallthrough */
	default:
		if (!s2__lin_step(f, &p, &d, &up, &ud, &l, ipa, off, ps, fmt, 3))
			break;
		l = S2_LEVEL_MAX;
		d = s2_arch_read_pte(p);
	}
	*level = l;
	*pte = d;
	*parent = up;
	*pdesc = ud;
	return p;
}

/* s2__lookup() through ops->phys_to_virt(), a loop over the levels. */
static inline __attribute__((always_inline)) uint64_t *
s2__lookup_virt(const struct s2_pgtable *pgt, uint64_t ipa, int *level, uint64_t *pte_out,
		uint64_t **parent, uint64_t *pdesc)
{
	const struct s2_geometry *g = &pgt->geom;
	const unsigned stride = g->stride;
	unsigned shift = g->page_shift + (unsigned)(S2_LEVEL_MAX - g->start_level) * stride;
	uint64_t mask = g->root_entries - 1, *table = pgt->root, *up = NULL, updesc = 0;
	int l = g->start_level;

	for (;;) {
		uint64_t *ptep = &table[(ipa >> shift) & mask];
		uint64_t pte = s2_arch_read_pte(ptep);

		if (!s2_desc_is_table(pte, l)) {
			*level = l;
			*pte_out = pte;
			*parent = up;
			*pdesc = updesc;
			return ptep;
		}
		up = ptep;
		updesc = pte;
		table = s2__table_va(pgt, pte);
		shift -= stride;
		mask = (1ULL << stride) - 1;
		l++;
	}
}

/*
 * s2__lookup() in a linear environment whose pgt->fast is set: the
 * unrolled lookup for its granule and format.
 */
static inline __attribute__((always_inline)) uint64_t *
s2__lookup_linear(const struct s2_pgtable *pgt, uint64_t ipa, int *level, uint64_t *pte,
		  uint64_t **parent, uint64_t *pdesc)
{
	const uint64_t off = (uint64_t)pgt->ops->linear_offset;
	const unsigned ps = pgt->fast.page_shift;

	if (pgt->fast.fmt == S2_OA_LPA)
		return s2__lookup_lin(pgt, ipa, off, 16, S2_OA_LPA, level, pte, parent, pdesc);
	if (pgt->fast.fmt == S2_OA_DS)
		return ps == 12 ? s2__lookup_lin(pgt, ipa, off, 12, S2_OA_DS, level, pte, parent, pdesc)
				: s2__lookup_lin(pgt, ipa, off, 14, S2_OA_DS, level, pte, parent, pdesc);
	return ps == 12 ? s2__lookup_lin(pgt, ipa, off, 12, S2_OA_PLAIN, level, pte, parent, pdesc) :
	       ps == 14 ? s2__lookup_lin(pgt, ipa, off, 14, S2_OA_PLAIN, level, pte, parent, pdesc) :
			  s2__lookup_lin(pgt, ipa, off, 16, S2_OA_PLAIN, level, pte, parent, pdesc);
}

/*
 * The entry that maps @ipa (in range): a leaf, or the entry where the walk
 * stops, at *@level, with the value read there in *@pte; *@parent is the
 * table descriptor of its table (NULL in the root) and *@pdesc that
 * descriptor's value as read on the way down. The walk of the fault
 * paths and of translation: one dependent load per level, each entry
 * read once; with a linear map, unrolled for the granule and format.
 */
static inline __attribute__((always_inline)) uint64_t *
s2__lookup(const struct s2_pgtable *pgt, uint64_t ipa, int *level, uint64_t *pte,
	   uint64_t **parent, uint64_t *pdesc)
{
	if (__builtin_expect(pgt->ops->linear && pgt->fast.levels, 1))
		return s2__lookup_linear(pgt, ipa, level, pte, parent, pdesc);
	return s2__lookup_virt(pgt, ipa, level, pte, parent, pdesc);
}

/* Walk [start, end), which the caller has checked lies in the IPA space. */
static inline __attribute__((always_inline)) int
s2__walk_range(struct s2_pgtable *pgt, uint64_t start, uint64_t end, const struct s2_walker *w)
{
	return s2__walk(pgt, w, pgt->root, pgt->geom.start_level, NULL, start, end, start, end);
}

#endif
