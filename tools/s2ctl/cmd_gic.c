/* SPDX-License-Identifier: MIT */
/*
 * s2ctl decode its-baser|gits-cbaser|gicr-propbaser|gicr-pendbaser: the
 * address (through libs2's 52-bit formats) and the other fields (GICv3
 * architecture specification, ITS and redistributor register maps).
 */
#include <string.h>

#include "s2ctl.h"

#include <s2/gic.h>

static const char usage[] =
	"usage: s2ctl decode its-baser|gits-cbaser|gicr-propbaser|gicr-pendbaser HEX [--json]\n"
	"The physical address in a GIC ITS or redistributor base register (52-bit:\n"
	"GITS_BASER with 64K pages keeps PA[51:48] in bits [15:12]) and its fields.\n";

static const struct {
	const char *name;
	enum s2_gic_reg reg;
} regs[] = {
	{ "its-baser", S2_GITS_BASER },
	{ "gits-cbaser", S2_GITS_CBASER },
	{ "gicr-propbaser", S2_GICR_PROPBASER },
	{ "gicr-pendbaser", S2_GICR_PENDBASER },
};

static unsigned f(uint64_t v, unsigned hi, unsigned lo)
{
	return (unsigned)((v & S2_GENMASK(hi, lo)) >> lo);
}

static const char *baser_type(unsigned t)
{
	switch (t) {
	case 0: return "unimplemented";
	case 1: return "devices";
	case 2: return "vpes";
	case 4: return "collections";
	}
	return "reserved";
}

/* One register's fields: name, value, emitted in order for both formats. */
struct field { const char *key; uint64_t v; bool is_bool; };

static unsigned fields_of(enum s2_gic_reg reg, uint64_t v, struct field *fl,
			  const char **type)
{
	unsigned n = 0;
	unsigned ps = f(v, 9, 8);
	uint64_t page = ps == 0 ? 4096 : ps == 1 ? 16384 : 65536;

	*type = NULL;
	switch (reg) {
	case S2_GITS_BASER:
		fl[n++] = (struct field){ "valid", f(v, 63, 63), true };
		fl[n++] = (struct field){ "indirect", f(v, 62, 62), true };
		fl[n++] = (struct field){ "inner_cache", f(v, 61, 59), false };
		fl[n++] = (struct field){ "type", f(v, 58, 56), false };
		fl[n++] = (struct field){ "outer_cache", f(v, 55, 53), false };
		fl[n++] = (struct field){ "entry_bytes", f(v, 52, 48) + 1u, false };
		fl[n++] = (struct field){ "shareability", f(v, 11, 10), false };
		/* Page_Size 0b11 is reserved (GICv3 architecture, GITS_BASER<n>):
		   no page size and no table size. */
		fl[n++] = (struct field){ "page_size_reserved", ps == 3, true };
		fl[n++] = (struct field){ "page_size", ps == 3 ? 0 : page, false };
		fl[n++] = (struct field){ "size_bytes", ps == 3 ? 0 : (f(v, 7, 0) + 1ULL) * page, false };
		*type = baser_type(f(v, 58, 56));
		break;
	case S2_GITS_CBASER:
		fl[n++] = (struct field){ "valid", f(v, 63, 63), true };
		fl[n++] = (struct field){ "inner_cache", f(v, 61, 59), false };
		fl[n++] = (struct field){ "outer_cache", f(v, 55, 53), false };
		fl[n++] = (struct field){ "shareability", f(v, 11, 10), false };
		fl[n++] = (struct field){ "size_bytes", (f(v, 7, 0) + 1ULL) * 4096, false };
		break;
	case S2_GICR_PROPBASER:
		fl[n++] = (struct field){ "outer_cache", f(v, 58, 56), false };
		fl[n++] = (struct field){ "shareability", f(v, 11, 10), false };
		fl[n++] = (struct field){ "inner_cache", f(v, 9, 7), false };
		fl[n++] = (struct field){ "id_bits", f(v, 4, 0) + 1u, false };
		break;
	case S2_GICR_PENDBASER:
		fl[n++] = (struct field){ "ptz", f(v, 62, 62), true };
		fl[n++] = (struct field){ "outer_cache", f(v, 58, 56), false };
		fl[n++] = (struct field){ "shareability", f(v, 11, 10), false };
		fl[n++] = (struct field){ "inner_cache", f(v, 9, 7), false };
		break;
	}
	return n;
}

int cmd_decode_gic(const char *what, int argc, char **argv)
{
	static const struct option lo[] = { COMMON_LONGOPTS, { 0 } };
	struct cmd c = { "decode", usage, false };
	struct field fl[12];
	const char *type;
	char name[40];
	uint64_t v;
	unsigned n;
	int rc, k = -1;

	for (int i = 0; i < 4; i++)
		if (!strcmp(what, regs[i].name))
			k = i;
	if (k < 0)
		return usage_error(&c, "unknown register '%s': accepted par, hpfar, esr, "
				   "its-baser, gits-cbaser, gicr-propbaser, gicr-pendbaser", what);
	snprintf(name, sizeof(name), "decode %s", what);
	c.name = name;
	rc = parse_opts(&c, argc, argv, lo, NULL, NULL);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (argc - optind < 1)
		return usage_error(&c, "missing the register value (hex or decimal)");
	if ((rc = expect_args(&c, argc, argv, 1)) ||
	    (rc = num_opt_u64(&c, "register value", argv[optind], &v)))
		return rc;

	s2_pa_t pa = s2_gic_base_pa(regs[k].reg, v);
	n = fields_of(regs[k].reg, v, fl, &type);
	if (c.json) {
		struct json j;
		j_begin(&j, stdout);
		j_str(&j, "register", s2_gic_reg_name(regs[k].reg));
		j_hex(&j, "value", v);
		j_hex(&j, "pa", pa.v);
		j_bool(&j, "pa_above_48", pa.v >> 48 != 0);
		for (unsigned i = 0; i < n; i++) {
			if (fl[i].is_bool)
				j_bool(&j, fl[i].key, fl[i].v);
			else
				j_u64(&j, fl[i].key, fl[i].v);
		}
		if (type)
			j_str(&j, "type_name", type);
		j_end(&j);
		return 0;
	}
	printf("%-14s %#llx\n", s2_gic_reg_name(regs[k].reg), (unsigned long long)v);
	printf("%-14s %#llx\n", "pa", (unsigned long long)pa.v);
	for (unsigned i = 0; i < n; i++)
		printf("%-14s %llu%s%s\n", fl[i].key, (unsigned long long)fl[i].v,
		       type && !strcmp(fl[i].key, "type") ? " " : "",
		       type && !strcmp(fl[i].key, "type") ? type : "");
	if (regs[k].reg == S2_GITS_BASER && f(v, 9, 8) == 3)
		printf("%-14s Page_Size 0b11 is reserved: no page or table size\n", "note");
	return 0;
}
