/* SPDX-License-Identifier: MIT */
/* Applying one `s2ctl run` operation to a table, and its JSON line. */
#include <stdlib.h>

#include "s2ctl.h"
#include "script.h"

#include <s2/fault.h>

/* A harvest bitmap of more pages than this is refused rather than
   allocated (1 GiB of 4K pages fits with room to spare). */
#define HARVEST_MAX_PAGES (1ULL << 26)
/* Dirty pages listed by IPA in a harvest line; the count is always given. */
#define HARVEST_LIST 64

static void translate_json(struct json *j, uint64_t ipa, const struct s2_xlate *x)
{
	char prot[24];
	int level;

	j_hex(j, "ipa", ipa);
	if (x->valid) {
		j_hex(j, "pa", x->pa.v);
		j_str(j, "prot", script_prot_string(x->prot, prot));
		j_int(j, "level", x->level);
		j_bool(j, "young", x->young);
		if (x->dirty_log)
			j_bool(j, "dirty_log", true);
	} else {
		enum s2_fault_kind k = s2_fsc_decode(x->fsc, &level);
		j_str(j, "fault", s2_fault_kind_name(k));
		j_int(j, "level", x->level);
	}
}

static void dump_line(void *arg, const char *line)
{
	j_str(arg, NULL, line);
}

static void stats_json(struct json *j, const struct s2_pgtable *pgt)
{
	const struct s2_pgt_stats *s = &pgt->stats;

	j_u64(j, "table_bytes", s->table_bytes);
	j_u64(j, "tables", s->tables);
	j_u64(j, "tlbi_ipa", s->tlbi_ipa);
	j_u64(j, "tlbi_range", s->tlbi_range);
	j_u64(j, "tlbi_vmid", s->tlbi_vmid);
	j_u64(j, "cmo", s->cmo);
	j_u64(j, "bbm", s->bbm);
}

/* s2_harvest_dirty() with a bitmap of its own (*@bm, to be freed). */
static int64_t harvest(struct s2_pgtable *pgt, const struct op *op, uint64_t **bm,
		       struct s2_diag *d)
{
	uint64_t pages = op->size >> pgt->geom.page_shift;

	if (pages > HARVEST_MAX_PAGES)
		return s2_diag_set(d, S2_EINVAL,
				   "harvest of %llu pages: s2ctl takes at most %llu per line",
				   (unsigned long long)pages, HARVEST_MAX_PAGES);
	*bm = calloc(pages / 64 + 1, sizeof(**bm));
	if (!*bm)
		return s2_diag_set(d, S2_ENOMEM, "no memory for a %llu-page bitmap",
				   (unsigned long long)pages);
	return s2_harvest_dirty(pgt, s2_ipa(op->ipa), op->size, *bm, pages / 64 + 1, d);
}

static void harvest_json(struct json *j, const struct s2_pgtable *pgt, const struct op *op,
			 const uint64_t *bm)
{
	uint64_t pages = op->size >> pgt->geom.page_shift;
	unsigned listed = 0;

	j_arr(j, "pages");
	for (uint64_t i = 0; i < pages && listed < HARVEST_LIST; i++)
		if (bm[i / 64] >> (i % 64) & 1) {
			j_hex(j, NULL, op->ipa + (i << pgt->geom.page_shift));
			listed++;
		}
	j_close_arr(j);
}

static int64_t apply(struct s2_pgtable *pgt, const struct op *op, struct s2_xlate *x,
		     uint64_t **bm, struct s2_diag *d)
{
	s2_ipa_t ipa = s2_ipa(op->ipa);
	int64_t rc = 0;

	switch (op->kind) {
	case OP_MAP:
		return s2_map(pgt, ipa, op->size, s2_pa(op->pa), op->prot, op->flags, d);
	case OP_UNMAP:
		return s2_unmap(pgt, ipa, op->size, d);
	case OP_PROTECT:
		return s2_protect(pgt, ipa, op->size, op->prot, d);
	case OP_WRPROTECT:
		return s2_wrprotect(pgt, ipa, op->size, d);
	case OP_SPLIT:
		return s2_split(pgt, ipa, op->size, d);
	case OP_COLLAPSE:
		return s2_collapse(pgt, ipa, op->size, d);
	case OP_MKOLD:
		return s2_mkold(pgt, ipa, op->size, d);
	case OP_FLUSH:
		return s2_flush(pgt, ipa, op->size, d);
	case OP_HARVEST:
		return harvest(pgt, op, bm, d);
	case OP_TRANSLATE:
		return s2_translate(pgt, ipa, x);
	case OP_MKYOUNG:
		rc = s2_mkyoung(pgt, ipa);
		break;
	case OP_MARK_DIRTY:
		rc = s2_mark_dirty(pgt, ipa);
		break;
	case OP_DUMP:
	case OP_STATS:
		return 0;
	}
	/* The single-entry fault paths take no diag: say what happened. */
	if (rc == S2_ENOENT)
		s2_diag_set(d, S2_ENOENT, "nothing is mapped at %#llx", (unsigned long long)op->ipa);
	else if (rc == S2_ERANGE)
		s2_diag_set(d, S2_ERANGE, "%#llx is beyond the %u-bit IPA space",
			    (unsigned long long)op->ipa, pgt->geom.ipa_bits);
	return rc;
}

int op_exec(struct s2_pgtable *pgt, const struct op *op, unsigned line, bool print,
	    struct s2_diag *d)
{
	struct s2_xlate x;
	uint64_t *bm = NULL;
	struct json j;
	int64_t rc;

	d->msg[0] = '\0';
	rc = apply(pgt, op, &x, &bm, d);
	if (rc < 0 && !d->msg[0])
		s2_diag_set(d, (int)rc, "%s failed", op->name);
	if (!print) {
		free(bm);
		return rc < 0 ? (int)rc : 0;
	}

	j_begin_compact(&j, stdout);
	j_str(&j, "op", op->name);
	if (rc < 0) {
		j_str(&j, "error", s2_errname((int)rc));
		j_str(&j, "message", d->msg);
		j_u64(&j, "line", line);
	} else {
		switch (op->kind) {
		case OP_TRANSLATE:
			translate_json(&j, op->ipa, &x);
			break;
		case OP_DUMP:
			j_arr(&j, "lines");
			s2_dump(pgt, dump_line, &j);
			j_close_arr(&j);
			break;
		case OP_STATS:
			stats_json(&j, pgt);
			break;
		default:
			j_int(&j, "rc", 0);
			break;
		}
		if (op->kind == OP_COLLAPSE)
			j_int(&j, "blocks", rc);
		else if (op->kind == OP_MKOLD)
			j_int(&j, "young", rc);
		else if (op->kind == OP_FLUSH)
			j_int(&j, "calls", rc);
		else if (op->kind == OP_MKYOUNG)
			j_bool(&j, "was_old", rc == 1);
		else if (op->kind == OP_MARK_DIRTY)
			j_bool(&j, "logging_fault", rc == 1);
		else if (op->kind == OP_HARVEST) {
			j_int(&j, "dirty", rc);
			harvest_json(&j, pgt, op, bm);
		}
	}
	j_end(&j);
	free(bm);
	return rc < 0 ? (int)rc : 0;
}
