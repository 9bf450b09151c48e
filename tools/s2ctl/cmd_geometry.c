/* SPDX-License-Identifier: MIT */
/* s2ctl geometry: the stage-2 table shape of a VM and its VTCR_EL2. */
#include "s2ctl.h"

#include <s2/vtcr.h>

static const char usage[] =
	"usage: s2ctl geometry --granule G --ipa-bits N [--pa-bits P] [--lpa2]\n"
	"                      [--start-level L] [--vmid-bits 8|16] [--ha] [--hd] [--json]\n"
	"The stage-2 geometry of a VM: levels, start level, concatenated root tables,\n"
	"root size and alignment, entries and block sizes per level, the largest\n"
	"output address, and the VTCR_EL2 value.\n\n"
	GEOM_USAGE;

int cmd_geometry(int argc, char **argv)
{
	static const struct option lo[] = { COMMON_LONGOPTS, GEOM_LONGOPTS, { 0 } };
	struct cmd c = { "geometry", usage, false };
	struct s2_geometry g;
	struct geomopt o;
	uint64_t vtcr;
	int rc;

	geomopt_init(&o);
	rc = parse_opts(&c, argc, argv, lo, geomopt_handle, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = expect_args(&c, argc, argv, 0)) || (rc = geomopt_finish(&o, &c)) ||
	    (rc = geomopt_resolve(&o, &c, &g)))
		return rc;

	vtcr = s2_vtcr_encode(&g, geomopt_vtcr_flags(&o));
	if (c.json) {
		struct json j;
		j_begin(&j, stdout);
		geom_json(&j, &g);
		j_hex(&j, "vtcr", vtcr);
		j_end(&j);
	} else {
		geom_text(&g);
		printf("VTCR_EL2     %#llx\n", (unsigned long long)vtcr);
	}
	return 0;
}
