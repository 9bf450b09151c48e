/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <s2/desc.h>   /* s2_tbl_count(): the library's own count field */
#include "twalk.h"

static uint64_t tbl_entries(const struct ageom *g, int level)
{
	return a_entries(g, level);
}

/* The next-level table a table descriptor points to, or NULL. */
static const uint64_t *child(const struct tw *t, uint64_t d, int level)
{
	uint64_t pa = a_dec_oa(t->g, d);
	uint64_t bytes = tbl_entries(t->g, level + 1) * 8;

	if (pa & (a_page(t->g) - 1))
		return NULL;
	return renv_va(t->r, pa, bytes);
}

bool tw_lookup(const struct tw *t, uint64_t ipa, uint64_t *desc, int *level)
{
	const uint64_t *table = t->root;

	for (int l = t->g->start; l <= 3; l++) {
		uint64_t d = table[a_index(t->g, l, ipa)];

		*level = l;
		if (!(d & A_VALID)) {
			*desc = 0;
			return true;
		}
		if (!a_is_table(d, l)) {
			*desc = d;
			return true;
		}
		table = child(t, d, l);
		if (!table)
			return false;
	}
	return false;   /* not reached: level 3 has no tables */
}

struct ck {
	const struct tw *t;
	tw_leaf_fn fn;
	void *arg;
	struct tw_report *rep;
};

__attribute__((format(printf, 3, 4)))
static void err(struct ck *c, unsigned kind, const char *fmt, ...)
{
	struct tw_report *r = c->rep;
	size_t len = strlen(r->msg);
	va_list ap;

	if (r->errs & kind)
		return;
	r->errs |= kind;
	va_start(ap, fmt);
	if (len < sizeof(r->msg) - 2)
		vsnprintf(r->msg + len, sizeof(r->msg) - len, fmt, ap);
	va_end(ap);
	len = strlen(r->msg);
	if (len < sizeof(r->msg) - 2)
		strcat(r->msg, "; ");
}

static unsigned walk_table(struct ck *c, const uint64_t *table, int level, uint64_t base)
{
	const struct ageom *g = c->t->g;
	uint64_t n = tbl_entries(g, level), size = a_lsize(g, level);
	unsigned valid = 0;

	c->rep->tables++;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t d = table[i], ipa = base + i * size;

		if (!(d & A_VALID)) {
			if (d)
				err(c, TWE_JUNK, "invalid entry %#llx at L%d IPA %#llx",
				    (unsigned long long)d, level, (unsigned long long)ipa);
			continue;
		}
		valid++;
		if (a_is_table(d, level)) {
			uint64_t stray = d & ~(a_oa_field(g) | 3 | a_tbl_ignored(g));
			const uint64_t *t = child(c->t, d, level);

			if (stray)
				err(c, TWE_TBL_RES0,
				    "table descriptor %#llx at L%d IPA %#llx sets RES0 bits %#llx",
				    (unsigned long long)d, level, (unsigned long long)ipa,
				    (unsigned long long)stray);
			if (!t) {
				err(c, TWE_ADDR, "table descriptor %#llx at L%d IPA %#llx: bad address",
				    (unsigned long long)d, level, (unsigned long long)ipa);
				continue;
			}
			unsigned got = walk_table(c, t, level + 1, ipa);
			if (got == 0)
				err(c, TWE_EMPTY, "empty L%d table under IPA %#llx",
				    level + 1, (unsigned long long)ipa);
			if (s2_tbl_count(d) != got &&
			    !(c->t->counts_unknown_ok && s2_tbl_count(d) == S2_TBL_COUNT_UNKNOWN))
				err(c, TWE_COUNT, "L%d table at IPA %#llx: count %u, %u valid entries",
				    level + 1, (unsigned long long)ipa, s2_tbl_count(d), got);
			continue;
		}
		if (!a_is_leaf(d, level) || !a_block_ok(g, level)) {
			err(c, TWE_TYPE, "descriptor %#llx at L%d IPA %#llx: no such leaf there",
			    (unsigned long long)d, level, (unsigned long long)ipa);
			continue;
		}
		uint64_t known = a_oa_field(g) | A_MASK(10, 0) | A_DBM | A_XN | A_MASK(58, 55);
		if ((d & ~known) || (a_dec_oa(g, d) & (size - 1)))
			err(c, TWE_LEAF_RES0, "leaf %#llx at L%d IPA %#llx has stray bits",
			    (unsigned long long)d, level, (unsigned long long)ipa);
		c->rep->leaves++;
		if (c->fn)
			c->fn(c->arg, ipa, level, d);
	}
	return valid;
}

bool tw_check(const struct tw *t, tw_leaf_fn fn, void *arg, struct tw_report *rep)
{
	struct ck c = { t, fn, arg, rep };

	memset(rep, 0, sizeof(*rep));
	walk_table(&c, t->root, t->g->start, 0);
	return rep->errs == 0;
}

static void snap_add(struct snap *s, uint64_t pa, int level, uint64_t ipa,
		     const uint64_t *table, size_t entries)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->t = realloc(s->t, s->cap * sizeof(*s->t));
		if (!s->t)
			abort();
	}
	struct snap_table *e = &s->t[s->n++];
	*e = (struct snap_table){ pa, level, ipa, malloc(entries * 8), entries };
	if (!e->data)
		abort();
	memcpy(e->data, table, entries * 8);
}

static void snap_walk(const struct tw *t, struct snap *s, const uint64_t *table,
		      uint64_t pa, int level, uint64_t base)
{
	const struct ageom *g = t->g;
	uint64_t n = tbl_entries(g, level);

	snap_add(s, pa, level, base, table, n);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t d = table[i];
		const uint64_t *c;

		if (!(d & A_VALID) || !a_is_table(d, level) || !(c = child(t, d, level)))
			continue;
		snap_walk(t, s, c, a_dec_oa(g, d), level + 1, base + i * a_lsize(g, level));
	}
}

void tw_snapshot(const struct tw *t, struct snap *s)
{
	*s = (struct snap){ 0 };
	snap_walk(t, s, t->root, 0, t->g->start, 0);
}

bool snap_equal(const struct snap *a, const struct snap *b, char *why, size_t len)
{
	if (a->n != b->n) {
		snprintf(why, len, "%zu tables, expected %zu", b->n, a->n);
		return false;
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct snap_table *x = &a->t[i], *y = &b->t[i];

		if (x->pa != y->pa || x->level != y->level || x->ipa != y->ipa) {
			snprintf(why, len, "table %zu: L%d IPA %#llx PA %#llx, expected L%d IPA %#llx PA %#llx",
				 i, y->level, (unsigned long long)y->ipa, (unsigned long long)y->pa,
				 x->level, (unsigned long long)x->ipa, (unsigned long long)x->pa);
			return false;
		}
		for (size_t j = 0; j < x->entries; j++)
			if (x->data[j] != y->data[j]) {
				snprintf(why, len, "L%d table for IPA %#llx entry %zu: %#llx, expected %#llx",
					 x->level, (unsigned long long)x->ipa, j,
					 (unsigned long long)y->data[j], (unsigned long long)x->data[j]);
				return false;
			}
	}
	return true;
}

void snap_free(struct snap *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->t[i].data);
	free(s->t);
	*s = (struct snap){ 0 };
}
