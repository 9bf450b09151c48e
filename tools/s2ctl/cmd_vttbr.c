/* SPDX-License-Identifier: MIT */
/* s2ctl vttbr: VTTBR_EL2 from a root table PA and a VMID. */
#include "s2ctl.h"

#include <s2/vtcr.h>

static const char usage[] =
	"usage: s2ctl vttbr --granule G --ipa-bits N [--pa-bits P] [--lpa2]\n"
	"                   [--start-level L] --root PA --vmid N [--vmid-bits 8|16] [--json]\n"
	"VTTBR_EL2 for a VM's root table: the root must be aligned to the whole\n"
	"(concatenated) root and below the PA size; with a 52-bit PA size,\n"
	"BADDR[51:48] go in bits [5:2].\n\n"
	GEOM_USAGE
	"  --root PA            physical address of the root table (required)\n"
	"  --vmid N             the VM's VMID (required)\n";

#define OPT_ROOT 1300
#define OPT_VMID 1301

struct vttbr_opts {
	struct geomopt g;
	bool have_root, have_vmid;
	uint64_t root, vmid;
};

static int handle(void *ctx, const struct cmd *c, int ch, const char *arg, int *rc)
{
	struct vttbr_opts *o = ctx;

	switch (ch) {
	case OPT_ROOT:
		o->have_root = true;
		*rc = num_opt_size(c, "--root", arg, &o->root);
		return 1;
	case OPT_VMID:
		o->have_vmid = true;
		*rc = num_opt_u64(c, "--vmid", arg, &o->vmid);
		if (!*rc && o->vmid > 0xffff)
			*rc = usage_error(c, "--vmid %s is larger than 16 bits (0..65535)", arg);
		return 1;
	}
	return geomopt_handle(&o->g, c, ch, arg, rc);
}

int cmd_vttbr(int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS, GEOM_LONGOPTS,
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "vmid", required_argument, NULL, OPT_VMID },
		{ 0 }
	};
	struct cmd c = { "vttbr", usage, false };
	struct s2_diag d = { "" };
	struct vttbr_opts o = { 0 };
	struct s2_geometry g;
	uint64_t vttbr;
	int rc;

	geomopt_init(&o.g);
	rc = parse_opts(&c, argc, argv, lo, handle, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = expect_args(&c, argc, argv, 0)) || (rc = geomopt_finish(&o.g, &c)))
		return rc;
	if (!o.have_root)
		return usage_error(&c, "missing --root PA (the root table's physical address)");
	if (!o.have_vmid)
		return usage_error(&c, "missing --vmid N");
	if ((rc = geomopt_resolve(&o.g, &c, &g)))
		return rc;

	rc = s2_vttbr_encode(&g, s2_pa(o.root), (unsigned)o.vmid, o.g.vmid_bits, &vttbr, &d);
	if (rc)
		return lib_error(&c, rc, &d);
	if (c.json) {
		struct json j;
		j_begin(&j, stdout);
		j_hex(&j, "vttbr", vttbr);
		j_hex(&j, "root", o.root);
		j_u64(&j, "vmid", o.vmid);
		j_u64(&j, "vmid_bits", o.g.vmid_bits);
		j_u64(&j, "root_bytes", g.root_bytes);
		j_u64(&j, "root_align", g.root_align);
		j_u64(&j, "ps_bits", g.ps_bits);
		j_bool(&j, "baddr_51_48_in_5_2", g.ps_bits == 52);
		j_end(&j);
	} else {
		printf("VTTBR_EL2  %#llx\n", (unsigned long long)vttbr);
		printf("root       %#llx (%llu bytes, aligned to %llu)%s\n",
		       (unsigned long long)o.root, (unsigned long long)g.root_bytes,
		       (unsigned long long)g.root_align,
		       g.ps_bits == 52 ? ", BADDR[51:48] in bits [5:2]" : "");
		printf("VMID       %llu (%u bits)\n", (unsigned long long)o.vmid, o.g.vmid_bits);
	}
	return 0;
}
