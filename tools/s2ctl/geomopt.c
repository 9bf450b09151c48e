/* SPDX-License-Identifier: MIT */
/* The VM geometry options of `geometry`, `vtcr encode` and `vttbr`. */
#include "s2ctl.h"

#include <s2/vtcr.h>

void geomopt_init(struct geomopt *o)
{
	*o = (struct geomopt){ 0 };
	o->req.start_level = S2_START_AUTO;
	/* VS=0 (8-bit VMIDs), as in the VTCR values QEMU 7.2 translated with. */
	o->vmid_bits = 8;
}

int geomopt_handle(void *ctx, const struct cmd *c, int ch, const char *arg, int *rc)
{
	struct geomopt *o = ctx;
	long l = 0;

	switch (ch) {
	case OPT_G_GRANULE:
		o->have_granule = true;
		*rc = num_opt_granule(c, arg, &o->req.granule);
		return 1;
	case OPT_G_IPA:
		o->have_ipa = true;
		*rc = num_opt_ipa_bits(c, "--ipa-bits", arg, &o->req.ipa_bits);
		return 1;
	case OPT_G_PA:
		*rc = num_opt_pa_bits(c, "--pa-bits", arg, &o->req.ps_bits);
		return 1;
	case OPT_G_LPA2:
		o->req.lpa2 = true;
		*rc = 0;
		return 1;
	case OPT_G_START:
		*rc = num_opt_range(c, "--start-level", arg, S2_LEVEL_MIN, S2_LEVEL_MAX, &l);
		o->req.start_level = (int)l;
		return 1;
	case OPT_G_VMIDB:
		*rc = num_opt_range(c, "--vmid-bits", arg, 8, 16, &l);
		if (!*rc && l != 8 && l != 16)
			*rc = usage_error(c, "--vmid-bits %s is not 8 or 16", arg);
		o->vmid_bits = (unsigned)l;
		return 1;
	case OPT_G_HA:
		o->ha = true;
		*rc = 0;
		return 1;
	case OPT_G_HD:
		o->hd = true;
		*rc = 0;
		return 1;
	}
	return 0;
}

int geomopt_finish(struct geomopt *o, const struct cmd *c)
{
	if (!o->have_granule)
		return usage_error(c, "missing --granule (4k, 16k or 64k)");
	if (!o->have_ipa)
		return usage_error(c, "missing --ipa-bits N (32..52)");
	return 0;
}

int geomopt_resolve(const struct geomopt *o, const struct cmd *c, struct s2_geometry *g)
{
	struct s2_diag d = { "" };
	int err = s2_geometry_init(g, &o->req, &d);

	return err ? lib_error(c, err, &d) : 0;
}

unsigned geomopt_vtcr_flags(const struct geomopt *o)
{
	return (o->vmid_bits == 16 ? S2_VTCR_F_VMID16 : 0) |
	       (o->ha ? S2_VTCR_F_HA : 0) | (o->hd ? S2_VTCR_F_HD : 0);
}
