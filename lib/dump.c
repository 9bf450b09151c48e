/* SPDX-License-Identifier: MIT */
/* s2_dump(): the tree as text, one line per valid entry, indented by level. */
#include "pgt.h"

struct dump_ctx {
	void (*out)(void *arg, const char *line);
	void *arg;
};

static const char *size_name(uint64_t size, char *buf)
{
	static const char units[] = "KMGTP";
	unsigned u = 0;

	size >>= 10;
	while (size >= 1024 && !(size & 1023) && u < 4) {
		size >>= 10;
		u++;
	}
	s2_snprintf(buf, 16, "%llu%c", (unsigned long long)size, units[u]);
	return buf;
}

static int dump_visitor(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct dump_ctx *c = v->arg;
	const struct s2_geometry *g = &v->pgt->geom;
	uint64_t size = v->size;
	unsigned indent = (unsigned)(v->level - g->start_level) * 2;
	char line[200], sz[16], prot[16];

	if (!s2_desc_valid(v->old))
		return 0;
	if (kind == S2_VISIT_TABLE_PRE)
		s2_snprintf(line, sizeof(line), "%*sL%d %#llx-%#llx table @%#llx (%u valid)",
			    indent, "", v->level, (unsigned long long)v->addr,
			    (unsigned long long)(v->addr + size - 1),
			    (unsigned long long)s2_desc_oa(g, v->old),
			    s2_table_count(v->pgt, NULL, v->ptep));
	else
		s2_snprintf(line, sizeof(line), "%*sL%d %#llx-%#llx %s %s -> %#llx %s%s%s",
			    indent, "", v->level, (unsigned long long)v->addr,
			    (unsigned long long)(v->addr + size - 1),
			    v->level == 3 ? "page" : "block", size_name(size, sz),
			    (unsigned long long)s2_desc_oa(g, v->old),
			    s2_prot_string(s2_desc_prot(v->old), prot, sizeof(prot)),
			    v->old & S2_DESC_AF ? "" : " old",
			    v->old & S2_DESC_SW_LOGGED ? " logged" : "");
	c->out(c->arg, line);
	return 0;
}

void s2_dump(const struct s2_pgtable *pgt, void (*out)(void *arg, const char *line),
	     void *arg)
{
	struct dump_ctx c = { out, arg };
	char line[160];

	s2_snprintf(line, sizeof(line),
		    "stage-2 %s IPA %u bits, PA %u bits%s, start level %d, %u concatenated, root @%#llx",
		    s2_granule_name(pgt->geom.granule), pgt->geom.ipa_bits, pgt->geom.ps_bits,
		    pgt->geom.ds ? " (LPA2)" : pgt->geom.lpa ? " (LPA)" : "",
		    pgt->geom.start_level, pgt->geom.concat, (unsigned long long)pgt->root_pa.v);
	out(arg, line);
	s2__walk_range((struct s2_pgtable *)pgt, 0, pgt->geom.ipa_max + 1,
		       &(const struct s2_walker){ dump_visitor, S2_VISIT_LEAF | S2_VISIT_TABLE_PRE, &c });
}
