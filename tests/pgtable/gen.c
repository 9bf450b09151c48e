/* SPDX-License-Identifier: MIT */
#include "gen.h"

#define LEAF_CAP 4096

uint64_t gen_rand(struct gen *gn)
{
	if (gn->data) {
		/* Four input bytes per choice, spread over 64 bits
		   (splitmix64), so every choice depends on its own bytes. */
		uint64_t x = 0;
		for (int i = 0; i < 4 && gn->pos < gn->len; i++)
			x = x << 8 | gn->data[gn->pos++];
		x += 0x9e3779b97f4a7c15ULL;
		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
		x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
		return x ^ (x >> 31);
	}
	gn->s ^= gn->s >> 12;
	gn->s ^= gn->s << 25;
	gn->s ^= gn->s >> 27;
	return gn->s * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(struct gen *gn, uint64_t n) { return n ? gen_rand(gn) % n : 0; }
static bool chance(struct gen *gn, unsigned pct) { return below(gn, 100) < pct; }

static int biggest_level(const struct ageom *g)
{
	for (int l = g->start; l <= 3; l++)
		if (a_block_ok(g, l))
			return l;
	return 3;
}

void gen_init(struct gen *gn, const struct eng *e, uint64_t seed)
{
	const struct ageom *g = &e->g;
	uint64_t end = a_ipa_end(g), big = a_lsize(g, biggest_level(g));

	gn->s = seed * 0x9e3779b97f4a7c15ULL | 1;
	gn->span = 4 * big < end / 4 ? 4 * big : end / 4;
	gn->win[0] = 0;
	gn->win[1] = end / 2 - gn->span / 2;
	gn->win[2] = end - gn->span;
}

void gen_from_bytes(struct gen *gn, const uint8_t *data, size_t len)
{
	gn->data = data;
	gn->len = len;
	gn->pos = 0;
}

/* A level whose entries fit in the window, at random. */
static int rand_level(struct gen *gn, const struct ageom *g)
{
	int lo = g->start;

	while (a_lsize(g, lo) > gn->span)
		lo++;
	return lo + (int)below(gn, (uint64_t)(3 - lo + 1));
}

static uint64_t rand_addr(struct gen *gn, const struct eng *e)
{
	const struct ageom *g = &e->g;
	uint64_t page = a_page(g);

	if (e->m.n && chance(gn, 45)) {
		const struct mrun *r = &e->m.r[below(gn, e->m.n)];
		return r->ipa + (below(gn, r->size) & ~(page - 1));
	}
	uint64_t w = gn->win[below(gn, 3)];
	uint64_t a = w + below(gn, gn->span);
	return a & ~(a_lsize(g, rand_level(gn, g)) - 1);
}

static uint64_t rand_size(struct gen *gn, const struct ageom *g, uint64_t max_pages)
{
	uint64_t page = a_page(g);
	uint64_t s = (1 + below(gn, 3)) * a_lsize(g, rand_level(gn, g));

	if (chance(gn, 35)) {
		uint64_t d = (1 + below(gn, 1ULL << g->stride)) * page;
		s = chance(gn, 50) || s <= d ? s + d : s - d;
	}
	if (max_pages && s > max_pages * page)
		s = (1 + below(gn, max_pages)) * page;
	return s;
}

static unsigned rand_prot(struct gen *gn)
{
	static const unsigned ok[] = {
		0, S2_PROT_R, S2_PROT_R | S2_PROT_W, S2_PROT_R | S2_PROT_X, S2_PROT_RWX,
		S2_PROT_W, S2_PROT_X, S2_PROT_W | S2_PROT_X,
		S2_PROT_R | S2_PROT_DEVICE, S2_PROT_R | S2_PROT_W | S2_PROT_DEVICE,
		S2_PROT_W | S2_PROT_DEVICE,
	};
	static const unsigned bad[] = { S2_PROT_X | S2_PROT_DEVICE, S2_PROT_RWX | S2_PROT_DEVICE, 0x10 };

	if (chance(gn, 2))
		return bad[below(gn, sizeof(bad) / sizeof(bad[0]))];
	return ok[below(gn, sizeof(ok) / sizeof(ok[0]))];
}

static void gen_map(struct gen *gn, const struct eng *e, struct op *op)
{
	const struct ageom *g = &e->g;
	uint64_t page = a_page(g), oa_end = a_oa_max(g) + 1;
	uint64_t big = a_lsize(g, biggest_level(g));
	bool pages = chance(gn, 12);

	op->size = rand_size(gn, g, pages ? 2048 : 0);
	op->prot = rand_prot(gn);
	op->flags = pages ? S2_MAP_PAGES : 0;
	if (op->size >= oa_end)
		op->size = oa_end / 2;
	/* PA: congruent with the IPA modulo the biggest block (blocks are
	   legal wherever the IPA allows), or any page. Often near the top of
	   the PA space, where OA[51:48] are used. */
	uint64_t room = oa_end - op->size;
	uint64_t pa = chance(gn, 50) ? room - below(gn, room < 64 * big ? room : 64 * big)
				     : below(gn, room);
	if (chance(gn, 60)) {
		pa = (pa & ~(big - 1)) | (op->ipa & (big - 1));
		if (pa > room)
			pa = pa >= big ? pa - big : below(gn, room + 1);
	}
	op->pa = pa & ~(page - 1);
	if (model_map_leaves(g, op->ipa, op->ipa + op->size, op->pa, pages, LEAF_CAP) >= LEAF_CAP)
		op->size = (1 + below(gn, LEAF_CAP / 2)) * page;
	if (chance(gn, 1))
		op->pa = chance(gn, 50) ? oa_end - page : op->pa | 0x800;   /* ERANGE / EINVAL */
	if (chance(gn, 1))
		op->flags = 0x80;
}

void gen_op(struct gen *gn, const struct eng *e, struct op *op)
{
	static const enum op_kind mix[] = {
		OP_MAP, OP_MAP, OP_MAP, OP_MAP, OP_MAP, OP_UNMAP, OP_UNMAP, OP_PROTECT,
		OP_PROTECT, OP_WRPROTECT, OP_WRPROTECT, OP_MARK_DIRTY, OP_MARK_DIRTY,
		OP_HARVEST, OP_MKOLD, OP_MKYOUNG, OP_SPLIT, OP_COLLAPSE, OP_FLUSH, OP_TRANSLATE,
	};
	const struct ageom *g = &e->g;
	uint64_t page = a_page(g), end = a_ipa_end(g);

	*op = (struct op){ .k = mix[below(gn, sizeof(mix) / sizeof(mix[0]))] };
	op->ipa = rand_addr(gn, e);
	switch (op->k) {
	case OP_MAP:
		gen_map(gn, e, op);
		break;
	case OP_SPLIT:
		op->size = rand_size(gn, g, 1ULL << g->stride);
		break;
	case OP_HARVEST:
		op->size = rand_size(gn, g, 1ULL << 16);
		break;
	case OP_PROTECT:
		op->size = rand_size(gn, g, 0);
		op->prot = rand_prot(gn) & ~S2_PROT_DEVICE;
		if (chance(gn, 1))
			op->prot |= S2_PROT_DEVICE;
		break;
	case OP_MARK_DIRTY:
	case OP_MKYOUNG:
	case OP_TRANSLATE:
		op->ipa += below(gn, page);
		if (chance(gn, 2))
			op->ipa = end + below(gn, end);
		return;
	default:
		op->size = rand_size(gn, g, 0);
		break;
	}
	/* Keep inside the IPA space, but now and then cross its end or
	   misalign. */
	if (op->ipa + op->size > end && !chance(gn, 10))
		op->size = end - op->ipa;
	if (!op->size)
		op->size = page;
	if (chance(gn, 1))
		op->ipa |= 0x200;
	if (chance(gn, 1))
		op->size = chance(gn, 50) ? 0 : ~0ULL & ~(page - 1);
	if (op->k == OP_HARVEST && op->size > (page << 16))
		op->size = page << 16;   /* the bitmap the test allocates */
	if ((op->k == OP_MAP || op->k == OP_UNMAP || op->k == OP_PROTECT ||
	     op->k == OP_WRPROTECT || op->k == OP_SPLIT) && chance(gn, 4))
		op->fail_at = 1 + (int64_t)below(gn, 4);
}
