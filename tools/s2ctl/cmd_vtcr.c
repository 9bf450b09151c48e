/* SPDX-License-Identifier: MIT */
/* s2ctl vtcr decode|encode: VTCR_EL2 to fields and geometry, and back. */
#include <string.h>

#include "s2ctl.h"

#include <s2/vtcr.h>

static const char usage[] =
	"usage: s2ctl vtcr decode HEX [--json]\n"
	"       s2ctl vtcr encode --granule G --ipa-bits N [--pa-bits P] [--lpa2]\n"
	"                         [--start-level L] [--vmid-bits 8|16] [--ha] [--hd] [--json]\n"
	"decode: the fields of a VTCR_EL2 value and the stage-2 geometry it selects;\n"
	"combinations the architecture forbids exit 1 with the reason.\n"
	"encode: the VTCR_EL2 value for a VM (as `s2ctl geometry`).\n\n"
	GEOM_USAGE;

static const char *tg0_name(unsigned tg0)
{
	return tg0 == S2_VTCR_TG0_4K ? "4K" : tg0 == S2_VTCR_TG0_16K ? "16K" :
	       tg0 == S2_VTCR_TG0_64K ? "64K" : "reserved";
}

/* T0SZ is bounded by the CPU's PA size, not by PS: say what that means. */
static const char *ps_note(const struct s2_vtcr *v, char *buf, size_t len)
{
	snprintf(buf, len, "the %u-bit IPA is wider than PS (%u bits): valid on a CPU whose "
		 "PA size holds the IPA; output addresses beyond %u bits fault",
		 64 - v->t0sz, v->geom.ps_bits, v->geom.ps_bits);
	return buf;
}

static void print_json(uint64_t raw, const struct s2_vtcr *v)
{
	char note[160];
	struct json j;

	j_begin(&j, stdout);
	j_hex(&j, "vtcr", raw);
	j_u64(&j, "t0sz", v->t0sz);
	j_u64(&j, "sl0", v->sl0);
	j_u64(&j, "sl2", v->sl2);
	j_u64(&j, "irgn0", v->irgn0);
	j_u64(&j, "orgn0", v->orgn0);
	j_u64(&j, "sh0", v->sh0);
	j_u64(&j, "tg0", v->tg0);
	j_u64(&j, "ps", v->ps);
	j_bool(&j, "vs", v->vs);
	j_bool(&j, "ha", v->ha);
	j_bool(&j, "hd", v->hd);
	j_bool(&j, "ds", v->ds);
	j_bool(&j, "res1", v->res1);
	j_u64(&j, "vmid_bits", v->vs ? 16 : 8);
	j_bool(&j, "ipa_above_ps", v->ipa_above_ps);
	if (v->ipa_above_ps)
		j_str(&j, "note", ps_note(v, note, sizeof(note)));
	geom_json(&j, &v->geom);
	j_end(&j);
}

static void print_text(uint64_t raw, const struct s2_vtcr *v)
{
	static const char *const rgn[] = { "non-cacheable", "WB write-allocate",
					   "write-through", "WB no write-allocate" };
	static const char *const sh[] = { "non-shareable", "reserved", "outer", "inner" };
	char note[160];

	printf("VTCR_EL2     %#llx\n", (unsigned long long)raw);
	printf("T0SZ         %u (%u-bit IPA)\n", v->t0sz, 64 - v->t0sz);
	printf("SL0, SL2     %u, %u (start level %d)\n", v->sl0, v->sl2, v->geom.start_level);
	printf("IRGN0/ORGN0  %s / %s\n", rgn[v->irgn0], rgn[v->orgn0]);
	printf("SH0          %s\n", sh[v->sh0]);
	printf("TG0          %u (%s)\n", v->tg0, tg0_name(v->tg0));
	printf("PS           %u (%d bits)\n", v->ps, s2_parange_bits(v->ps));
	printf("VS HA HD DS  %u %u %u %u (VMID %u bits)\n", v->vs, v->ha, v->hd, v->ds,
	       v->vs ? 16 : 8);
	if (!v->res1)
		printf("note         bit 31 is RES1 but clear\n");
	if (v->ipa_above_ps)
		printf("note         %s\n", ps_note(v, note, sizeof(note)));
	geom_text(&v->geom);
}

static int decode(struct cmd *c, int argc, char **argv)
{
	struct s2_diag d = { "" };
	struct s2_vtcr v;
	uint64_t raw;
	int rc;

	rc = parse_opts(c, argc, argv, (const struct option[]){ COMMON_LONGOPTS, { 0 } },
			NULL, NULL);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (argc - optind < 1)
		return usage_error(c, "missing the VTCR_EL2 value (e.g. 0x80023558)");
	if ((rc = expect_args(c, argc, argv, 1)) ||
	    (rc = num_opt_u64(c, "VTCR value", argv[optind], &raw)))
		return rc;
	rc = s2_vtcr_decode(raw, &v, &d);
	if (rc)
		return lib_error(c, rc, &d);
	(c->json ? print_json : print_text)(raw, &v);
	return 0;
}

static int encode(struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = { COMMON_LONGOPTS, GEOM_LONGOPTS, { 0 } };
	struct s2_diag d = { "" };
	struct s2_geometry g;
	struct geomopt o;
	struct s2_vtcr v;
	uint64_t raw;
	int rc;

	geomopt_init(&o);
	rc = parse_opts(c, argc, argv, lo, geomopt_handle, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = expect_args(c, argc, argv, 0)) || (rc = geomopt_finish(&o, c)) ||
	    (rc = geomopt_resolve(&o, c, &g)))
		return rc;
	raw = s2_vtcr_encode(&g, geomopt_vtcr_flags(&o));
	/* Decoding our own value back is also a consistency check. */
	rc = s2_vtcr_decode(raw, &v, &d);
	if (rc)
		return lib_error(c, rc, &d);
	(c->json ? print_json : print_text)(raw, &v);
	return 0;
}

int cmd_vtcr(int argc, char **argv)
{
	struct cmd c = { "vtcr", usage, false };

	if (argc < 2)
		return usage_error(&c, "missing action: decode HEX or encode OPTIONS");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return show_help(&c);
	if (!strcmp(argv[1], "decode")) {
		c.name = "vtcr decode";
		return decode(&c, argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "encode")) {
		c.name = "vtcr encode";
		return encode(&c, argc - 1, argv + 1);
	}
	return usage_error(&c, "unknown action '%s': accepted decode, encode", argv[1]);
}
