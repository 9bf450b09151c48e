/* SPDX-License-Identifier: MIT */
/*
 * s2ctl image: build a VM's stage-2 tables from a script and write them as
 * a binary image to be loaded at --base-pa (firmware and static
 * partitioning hypervisors that build stage 2 ahead of time).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "s2ctl.h"
#include "script.h"
#include "table.h"

#include <s2/desc.h>
#include <s2/vtcr.h>
#include <s2/walk.h>

static const char usage[] =
	"usage: s2ctl image --base-pa PA --out FILE [table options] SCRIPT|-\n"
	"Apply SCRIPT (as `s2ctl run`, silently; the first failing operation stops\n"
	"it) and write the tables as an image whose first byte belongs at PA. Only\n"
	"live tables are written; the rest of the image is zero. Prints the VTCR,\n"
	"VTTBR and root PA as JSON.\n\n"
	TABLE_USAGE
	"  --out FILE           where to write the image (required)\n\n"
	SCRIPT_SYNTAX;

struct image {
	uint8_t *buf;
	uint64_t base, cap, end;
	unsigned tables;
	const struct s2_host_env *env;
};

static void put(struct image *im, uint64_t pa, const void *src, uint64_t bytes)
{
	uint64_t off = pa - im->base;

	/* Table pages all come from the arena below env->bump. */
	if (pa < im->base || off + bytes > im->cap)
		return;
	memcpy(im->buf + off, src, bytes);
	if (off + bytes > im->end)
		im->end = off + bytes;
	im->tables++;
}

static int copy_table(const struct s2_visit *v, enum s2_visit_kind kind)
{
	struct image *im = v->arg;
	const struct s2_geometry *g = &v->pgt->geom;
	uint64_t pa = s2_desc_oa(g, v->old);

	(void)kind;
	put(im, pa, s2_host_env_ops.phys_to_virt((void *)im->env, s2_pa(pa)), s2_page_size(g));
	return 0;
}

static int write_image(const struct cmd *c, struct table *t, const char *out, struct image *im)
{
	struct s2_diag d = { "" };
	int err;

	im->base = t->env.pa_base;
	im->cap = t->env.bump;
	im->env = &t->env;
	im->buf = calloc(1, im->cap ? im->cap : 1);
	if (!im->buf) {
		snprintf(d.msg, sizeof(d.msg), "no memory for a %llu-byte image",
			 (unsigned long long)im->cap);
		return lib_error(c, S2_ENOMEM, &d);
	}
	put(im, t->pgt.root_pa.v, t->pgt.root, t->geom.root_bytes);
	err = s2_walk(&t->pgt, s2_ipa(0), t->geom.ipa_max + 1,
		      &(const struct s2_walker){ copy_table, S2_VISIT_TABLE_PRE, im });
	if (err) {
		snprintf(d.msg, sizeof(d.msg), "walking the tables failed");
		return lib_error(c, err, &d);
	}
	err = out_write(out, im->buf, im->end);
	return err ? io_error(c, out, err) : 0;
}

int cmd_image(int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS, TABLE_LONGOPTS,
		{ "out", required_argument, NULL, OPT_T_OUT },
		{ 0 }
	};
	struct cmd c = { "image", usage, true };
	struct s2_diag d = { "" };
	struct image im = { 0 };
	struct tableopt o;
	struct table t;
	uint64_t vtcr, vttbr;
	int rc, err = 0;

	tableopt_init(&o);
	rc = parse_opts(&c, argc, argv, lo, tableopt_handle, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	c.json = true;
	if (!o.have_base)
		return usage_error(&c, "missing --base-pa PA (where the image will be loaded)");
	if (!o.out)
		return usage_error(&c, "missing --out FILE");
	if (argc - optind < 1)
		return usage_error(&c, "missing SCRIPT (a file, or - for stdin)");
	if ((rc = expect_args(&c, argc, argv, 1)) || (rc = table_open(&t, &c, &o)))
		return rc;

	/* The registers first: a VMID the VMID size cannot hold must fail
	   before the script runs and the image is written. */
	vtcr = s2_vtcr_encode(&t.geom, geomopt_vtcr_flags(&o.g));
	if ((rc = s2_vttbr_encode(&t.geom, t.pgt.root_pa, (unsigned)o.vmid, o.g.vmid_bits,
				  &vttbr, &d)))
		rc = lib_error(&c, rc, &d);
	if (!rc) {
		rc = script_run(&c, argv[optind], &t.pgt, false, &d, &err);
		if (rc == EXIT_LIB)
			rc = lib_error(&c, err, &d);
	}
	if (!rc)
		rc = write_image(&c, &t, o.out, &im);
	if (!rc) {
		struct json j;

		j_begin(&j, stdout);
		j_str(&j, "out", o.out);
		j_hex(&j, "base_pa", im.base);
		j_u64(&j, "bytes", im.end);
		j_u64(&j, "tables", im.tables);
		j_hex(&j, "root", t.pgt.root_pa.v);
		j_u64(&j, "root_bytes", t.geom.root_bytes);
		j_hex(&j, "vtcr", vtcr);
		j_hex(&j, "vttbr", vttbr);
		j_u64(&j, "vmid", o.vmid);
		j_end(&j);
	}
	free(im.buf);
	table_close(&t);
	return rc;
}
