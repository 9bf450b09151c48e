/* SPDX-License-Identifier: MIT */
#include "configs.h"

static bool accepted(const struct eng_cfg *c)
{
	struct s2_geom_req req = { (enum s2_granule)c->shift, c->ipa_bits, c->ps_bits,
				   c->lpa2, c->start_level };
	struct s2_geometry g;

	return s2_geometry_init(&g, &req, NULL) == 0;
}

static bool same_geom(const struct eng_cfg *a, const struct eng_cfg *b)
{
	struct s2_geom_req ra = { (enum s2_granule)a->shift, a->ipa_bits, a->ps_bits, a->lpa2,
				  a->start_level };
	struct s2_geom_req rb = { (enum s2_granule)b->shift, b->ipa_bits, b->ps_bits, b->lpa2,
				  b->start_level };
	struct s2_geometry ga, gb;

	s2_geometry_init(&ga, &ra, NULL);
	s2_geometry_init(&gb, &rb, NULL);
	return ga.ps_bits == gb.ps_bits && ga.start_level == gb.start_level &&
	       a->shift == b->shift && a->ipa_bits == b->ipa_bits && a->lpa2 == b->lpa2;
}

size_t pgt_configs(struct eng_cfg *out, size_t max)
{
	static const unsigned shifts[] = { 12, 14, 16 };
	static const unsigned pss[] = { 0, 48, 52 };
	static const unsigned flags[] = { 0, S2_PGT_HD, S2_PGT_NO_FWB, S2_PGT_HD | S2_PGT_NO_FWB };
	struct eng_cfg prev[8];
	size_t n = 0;

	for (unsigned s = 0; s < 3; s++)
	for (unsigned lpa2 = 0; lpa2 <= (shifts[s] != 16); lpa2++)
	for (unsigned ipa = 32; ipa <= 52; ipa++)
	for (int sl = -2; sl <= 3; sl++) {
		size_t nprev = 0;
		for (unsigned p = 0; p < 3; p++) {
			struct eng_cfg c = { shifts[s], ipa, pss[p], lpa2, sl < -1 ? S2_START_AUTO : sl,
					     flags[n % 4], 0 };
			bool dup = !accepted(&c);
			for (size_t i = 0; !dup && i < nprev; i++)
				dup = same_geom(&prev[i], &c);
			/* An explicit start level equal to Linux's adds nothing. */
			if (!dup && sl >= -1) {
				struct eng_cfg a = c;
				a.start_level = S2_START_AUTO;
				dup = accepted(&a) && same_geom(&a, &c);
			}
			if (dup)
				continue;
			prev[nprev++] = c;
			if (out && n < max)
				out[n] = c;
			n++;
		}
	}
	return n;
}
