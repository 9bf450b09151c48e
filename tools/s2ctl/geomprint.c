/* SPDX-License-Identifier: MIT */
/* A geometry as JSON members or as a short text table. */
#include "s2ctl.h"

static unsigned index_bits(const struct s2_geometry *g, int level)
{
	return level == g->start_level ? g->root_bits : g->stride;
}

void geom_json(struct json *j, const struct s2_geometry *g)
{
	j_u64(j, "ipa_bits", g->ipa_bits);
	j_u64(j, "granule", s2_page_size(g));
	j_u64(j, "ps_bits", g->ps_bits);
	j_bool(j, "lpa2", g->ds);
	j_bool(j, "lpa", g->lpa);
	j_u64(j, "levels", g->levels);
	j_int(j, "start_level", g->start_level);
	j_u64(j, "concat_tables", g->concat);
	j_u64(j, "root_bits", g->root_bits);
	j_u64(j, "root_entries", g->root_entries);
	j_u64(j, "root_bytes", g->root_bytes);
	j_u64(j, "root_align", g->root_align);
	j_hex(j, "ipa_max", g->ipa_max);
	j_hex(j, "oa_max", g->oa_max);
	j_arr(j, "per_level");
	for (int l = g->start_level; l <= S2_LEVEL_MAX; l++) {
		j_obj(j, NULL);
		j_int(j, "level", l);
		j_u64(j, "entries", s2_level_entries(g, l));
		j_u64(j, "index_bits", index_bits(g, l));
		j_u64(j, "entry_maps", s2_level_size(g, l));
		j_str(j, "leaf", l == 3 ? "page" : s2_level_has_block(g, l) ? "block" : "none");
		j_close_obj(j);
	}
	j_close_arr(j);
	j_arr(j, "block_sizes");
	for (int l = g->start_level; l < S2_LEVEL_MAX; l++) {
		if (!s2_level_has_block(g, l))
			continue;
		j_obj(j, NULL);
		j_int(j, "level", l);
		j_u64(j, "bytes", s2_level_size(g, l));
		j_close_obj(j);
	}
	j_close_arr(j);
}

void geom_text(const struct s2_geometry *g)
{
	char a[32], b[32];

	printf("%s granule, %u-bit IPA, PS %u bits%s\n", s2_granule_name(g->granule),
	       g->ipa_bits, g->ps_bits,
	       g->ds ? ", LPA2 (DS=1)" : g->lpa ? ", LPA (52-bit 64K)" : "");
	printf("levels       %u, start level %d\n", g->levels, g->start_level);
	printf("root         %u table%s, %llu entries, %s, aligned to %s\n", g->concat,
	       g->concat > 1 ? "s concatenated" : "",
	       (unsigned long long)g->root_entries, fmt_size(g->root_bytes, a),
	       fmt_size(g->root_align, b));
	printf("largest IPA  %#llx\n", (unsigned long long)g->ipa_max);
	printf("largest OA   %#llx\n", (unsigned long long)g->oa_max);
	printf("level  entries  maps each  leaf\n");
	for (int l = g->start_level; l <= S2_LEVEL_MAX; l++)
		printf("%5d  %7llu  %9s  %s\n", l,
		       (unsigned long long)s2_level_entries(g, l),
		       fmt_size(s2_level_size(g, l), a),
		       l == 3 ? "page" : s2_level_has_block(g, l) ? "block" : "table only");
}
