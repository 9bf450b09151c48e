/* SPDX-License-Identifier: MIT */
/* s2ctl decode par|hpfar|esr: fault addresses and syndromes (the GIC base
   registers are in cmd_gic.c). */
#include <string.h>

#include "s2ctl.h"

#include <s2/fault.h>

static const char usage[] =
	"usage: s2ctl decode par HEX [--va HEX] [--json]\n"
	"       s2ctl decode hpfar HEX [--far HEX] [--json]\n"
	"       s2ctl decode esr HEX [--json]\n"
	"       s2ctl decode its-baser|gits-cbaser|gicr-propbaser|gicr-pendbaser HEX [--json]\n"
	"par:   PAR_EL1 after AT: the PA (with the page offset of --va), or the fault\n"
	"       kind, level and stage; for a PA, the HPFAR_EL2 value Linux's\n"
	"       PAR_TO_HPFAR() makes of it ((par & GENMASK(51,12)) >> 8).\n"
	"hpfar: the faulting IPA from HPFAR_EL2.FIPA and the page offset in --far.\n"
	"esr:   an ESR_EL2 instruction/data abort: EC, ISV, SAS, SRT, WnR, fault\n"
	"       kind and level (including the LPA2 level -1 codes).\n"
	"GIC:   the (52-bit) address and fields of an ITS or redistributor base.\n";

#define OPT_VA  1400
#define OPT_FAR 1401

struct dopts {
	bool have_va, have_far;
	uint64_t va, far;
};

static int handle(void *ctx, const struct cmd *c, int ch, const char *arg, int *rc)
{
	struct dopts *o = ctx;

	if (ch == OPT_VA) {
		o->have_va = true;
		*rc = num_opt_u64(c, "--va", arg, &o->va);
		return 1;
	}
	if (ch == OPT_FAR) {
		o->have_far = true;
		*rc = num_opt_u64(c, "--far", arg, &o->far);
		return 1;
	}
	return 0;
}

static void level_json(struct json *j, int level)
{
	if (level == S2_FSC_NO_LEVEL)
		j_null(j, "level");
	else
		j_int(j, "level", level);
}

static void level_text(int level)
{
	if (level != S2_FSC_NO_LEVEL)
		printf(" at level %d", level);
}

static int par(const struct cmd *c, uint64_t v, const struct dopts *o)
{
	struct s2_par p;
	struct json j;

	s2_par_decode(v, &p);
	if (c->json) {
		j_begin(&j, stdout);
		j_hex(&j, "par", v);
		j_bool(&j, "f", p.f);
		if (p.f) {
			j_hex(&j, "fst", p.fst);
			j_str(&j, "fault", s2_fault_kind_name(p.kind));
			level_json(&j, p.level);
			j_u64(&j, "stage", p.s2 ? 2 : 1);
			j_bool(&j, "ptw", p.ptw);
		} else {
			j_hex(&j, "pa", o->have_va ? s2_par_pa(v, o->va).v : p.pa.v);
			j_hex(&j, "attr", p.attr);
			j_u64(&j, "sh", p.sh);
			j_hex(&j, "hpfar", s2_par_to_hpfar(v));
		}
		j_end(&j);
		return 0;
	}
	printf("PAR_EL1  %#llx\n", (unsigned long long)v);
	if (p.f) {
		printf("F=1      %s fault", s2_fault_kind_name(p.kind));
		level_text(p.level);
		printf(", stage %d%s (FST %#x)\n", p.s2 ? 2 : 1,
		       p.ptw ? ", on the stage-1 walk" : "", p.fst);
		return 0;
	}
	printf("F=0      PA %#llx%s\n",
	       (unsigned long long)(o->have_va ? s2_par_pa(v, o->va).v : p.pa.v),
	       o->have_va ? "" : " (page; add --va for the offset)");
	printf("attr     %#x, SH %u\n", p.attr, p.sh);
	printf("HPFAR    %#llx\n", (unsigned long long)s2_par_to_hpfar(v));
	return 0;
}

static int hpfar(const struct cmd *c, uint64_t v, const struct dopts *o)
{
	s2_ipa_t ipa = s2_fault_ipa(v, o->far);
	struct json j;

	if (c->json) {
		j_begin(&j, stdout);
		j_hex(&j, "hpfar", v);
		j_hex(&j, "far", o->far);
		j_hex(&j, "ipa", ipa.v);
		j_end(&j);
	} else {
		printf("HPFAR_EL2  %#llx (FIPA %#llx)\n", (unsigned long long)v,
		       (unsigned long long)((v & S2_GENMASK(43, 4)) >> 4));
		printf("IPA        %#llx%s\n", (unsigned long long)ipa.v,
		       o->have_far ? "" : " (page; add --far for the offset)");
	}
	return 0;
}

static int esr(const struct cmd *c, uint64_t v)
{
	struct s2_diag d = { "" };
	struct s2_esr e;
	struct json j;
	int rc = s2_esr_decode(v, &e, &d);

	if (rc)
		return lib_error(c, rc, &d);
	if (c->json) {
		j_begin(&j, stdout);
		j_hex(&j, "esr", v);
		j_hex(&j, "ec", e.ec);
		j_str(&j, "type", e.is_data ? "data-abort" : "instruction-abort");
		j_bool(&j, "lower_el", e.lower_el);
		j_bool(&j, "il", e.il);
		j_bool(&j, "isv", e.isv);
		j_u64(&j, "sas", e.sas);
		/* No access size without ISV: 1 << SAS would claim one byte. */
		if (e.isv)
			j_u64(&j, "access_bytes", 1u << e.sas);
		else
			j_null(&j, "access_bytes");
		j_bool(&j, "sse", e.sse);
		j_u64(&j, "srt", e.srt);
		j_bool(&j, "sf", e.sf);
		j_bool(&j, "ar", e.ar);
		j_bool(&j, "fnv", e.fnv);
		j_bool(&j, "ea", e.ea);
		j_bool(&j, "cm", e.cm);
		j_bool(&j, "s1ptw", e.s1ptw);
		j_bool(&j, "wnr", e.wnr);
		j_hex(&j, "fsc", e.fsc);
		j_str(&j, "fault", s2_fault_kind_name(e.kind));
		level_json(&j, e.level);
		j_end(&j);
		return 0;
	}
	printf("ESR_EL2  %#llx\n", (unsigned long long)v);
	printf("EC       %#x: %s abort from %s EL\n", e.ec, e.is_data ? "data" : "instruction",
	       e.lower_el ? "a lower" : "the same");
	printf("fault    %s", s2_fault_kind_name(e.kind));
	level_text(e.level);
	printf(" (FSC %#x)%s%s%s\n", e.fsc, e.s1ptw ? ", on the stage-1 walk" : "",
	       e.fnv ? ", FAR not valid" : "", e.ea ? ", external abort" : "");
	if (e.is_data && e.isv)
		printf("access   %s of %u bytes, register %s%u%s%s\n", e.wnr ? "write" : "read",
		       1u << e.sas, e.srt == 31 ? "xzr/" : "", e.srt,
		       e.sf ? " (64-bit)" : " (32-bit)", e.sse ? ", sign-extended" : "");
	else if (e.is_data)
		printf("access   %s, ISV=0: no syndrome for emulation%s\n",
		       e.wnr ? "write" : "read", e.cm ? " (cache maintenance)" : "");
	return 0;
}

int cmd_decode(int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS,
		{ "va", required_argument, NULL, OPT_VA },
		{ "far", required_argument, NULL, OPT_FAR },
		{ 0 }
	};
	static const char *const what[] = { "par", "hpfar", "esr" };
	struct cmd c = { "decode", usage, false };
	struct dopts o = { 0 };
	char name[32];
	uint64_t v;
	int rc, k = -1;

	if (argc < 2)
		return usage_error(&c, "missing register: par, hpfar, esr, its-baser, "
				   "gits-cbaser, gicr-propbaser or gicr-pendbaser");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return show_help(&c);
	for (int i = 0; i < 3; i++)
		if (!strcmp(argv[1], what[i]))
			k = i;
	if (k < 0)
		return cmd_decode_gic(argv[1], argc - 1, argv + 1);

	snprintf(name, sizeof(name), "decode %s", argv[1]);
	c.name = name;
	rc = parse_opts(&c, argc - 1, argv + 1, lo, handle, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	argc--;
	argv++;
	if (argc - optind < 1)
		return usage_error(&c, "missing the register value (hex or decimal)");
	if ((rc = expect_args(&c, argc, argv, 1)) ||
	    (rc = num_opt_u64(&c, "register value", argv[optind], &v)))
		return rc;
	if (o.have_va && k != 0)
		return usage_error(&c, "--va only applies to decode par");
	if (o.have_far && k != 1)
		return usage_error(&c, "--far only applies to decode hpfar");
	return k == 0 ? par(&c, v, &o) : k == 1 ? hpfar(&c, v, &o) : esr(&c, v);
}
