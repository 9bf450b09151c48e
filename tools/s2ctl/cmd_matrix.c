/* SPDX-License-Identifier: MIT */
/*
 * s2ctl matrix: which IPA sizes each host (VA size, page size) allows,
 * under either level policy, as a grid 55 columns wide.
 */
#include "s2ctl.h"

static const char usage[] =
	"usage: s2ctl matrix [--policy capped|independent] [--json]\n"
	"For each host (stage-1 VA size and page size) and IPA size: y if a VM of that\n"
	"size may run, n if not, n/a if the policy has no 52-bit support for the\n"
	"granule. capped: stage 2 may not use more levels than the host's stage 1,\n"
	"and 52 bits need 64K pages. independent (default): Linux 6.12, where levels follow\n"
	"the IPA alone and 52 bits need 64K pages (FEAT_LPA) or, with 4K and 16K,\n"
	"LPA2, which only a 52-bit-VA host kernel has (ARM64_PA_BITS_52 depends on\n"
	"ARM64_VA_BITS_52 unless pages are 64K). The CPU is assumed to have every\n"
	"feature; `s2ctl limits` answers for a given CPU.\n";

/* Six hosts of 36..48-bit VAs, then the 52-bit-VA hosts. */
static const struct { unsigned va; enum s2_granule g; } hosts[] = {
	{ 39, S2_GRANULE_4K }, { 48, S2_GRANULE_4K }, { 36, S2_GRANULE_16K },
	{ 47, S2_GRANULE_16K }, { 42, S2_GRANULE_64K }, { 48, S2_GRANULE_64K },
	{ 52, S2_GRANULE_4K }, { 52, S2_GRANULE_16K }, { 52, S2_GRANULE_64K },
};
static const unsigned ipas[] = { 40, 42, 44, 48, 52 };
#define N_HOSTS (sizeof(hosts) / sizeof(hosts[0]))
#define N_IPAS  (sizeof(ipas) / sizeof(ipas[0]))

static int handle(void *ctx, const struct cmd *c, int ch, const char *arg, int *rc)
{
	struct s2_diag d;

	if (ch != 'p')
		return 0;
	*rc = s2_policy_parse(arg, ctx, &d) ? usage_error(c, "--policy: %s", d.msg) : 0;
	return 1;
}

static const char *cell(int r)
{
	return r == 1 ? "y" : r == 0 ? "n" : r == S2_ENOTSUP ? "n/a" : "?";
}

static void rule(char end)
{
	putchar(end);
	for (int i = 0; i < 53; i++)
		putchar('-');
	printf("%c\n", end);
}

int cmd_matrix(int argc, char **argv)
{
	static const struct option lo[] = {
		COMMON_LONGOPTS, { "policy", required_argument, NULL, 'p' }, { 0 }
	};
	struct cmd c = { "matrix", usage, false };
	enum s2_policy pol = S2_POLICY_INDEPENDENT;
	int res[N_HOSTS][N_IPAS];
	char name[16];
	struct json j;
	int rc;

	rc = parse_opts(&c, argc, argv, lo, handle, &pol);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = expect_args(&c, argc, argv, 0)))
		return rc;
	for (unsigned h = 0; h < N_HOSTS; h++)
		for (unsigned i = 0; i < N_IPAS; i++) {
			res[h][i] = s2_policy_allows(pol, hosts[h].g, hosts[h].va, ipas[i]);
			/* Every cell is a valid question: anything else is a bug. */
			if (res[h][i] != 1 && res[h][i] != 0 && res[h][i] != S2_ENOTSUP) {
				struct s2_diag d;
				snprintf(d.msg, sizeof(d.msg),
					 "s2_policy_allows(%s, %s, %u, %u) returned %d",
					 s2_policy_name(pol), s2_granule_name(hosts[h].g),
					 hosts[h].va, ipas[i], res[h][i]);
				return lib_error(&c, res[h][i], &d);
			}
		}

	if (c.json) {
		j_begin(&j, stdout);
		j_str(&j, "policy", s2_policy_name(pol));
		j_arr(&j, "columns");
		for (unsigned i = 0; i < N_IPAS; i++)
			j_u64(&j, NULL, ipas[i]);
		j_close_arr(&j);
		j_arr(&j, "rows");
	} else {
		printf("policy: %s\n", s2_policy_name(pol));
		rule('x');
		printf("| %-11s |", "host\\ipa");
		for (unsigned i = 0; i < N_IPAS; i++)
			printf(" %ubit |", ipas[i]);
		printf("\n");
		rule('-');
	}
	for (unsigned h = 0; h < N_HOSTS; h++) {
		snprintf(name, sizeof(name), "%ubit-%s", hosts[h].va, s2_granule_name(hosts[h].g));
		if (c.json) {
			j_obj(&j, NULL);
			j_str(&j, "host", name);
			j_u64(&j, "va_bits", hosts[h].va);
			j_u64(&j, "granule", 1ULL << hosts[h].g);
			j_obj(&j, "cells");
			for (unsigned i = 0; i < N_IPAS; i++) {
				char key[8];
				snprintf(key, sizeof(key), "%u", ipas[i]);
				j_str(&j, key, cell(res[h][i]));
			}
			j_close_obj(&j);
			j_close_obj(&j);
			continue;
		}
		printf("| %-11s |", name);
		for (unsigned i = 0; i < N_IPAS; i++)
			printf(res[h][i] == S2_ENOTSUP ? "  %s  |" : "   %s   |",
			       cell(res[h][i]));
		printf("\n");
		rule(h + 1 == N_HOSTS ? 'x' : '-');
	}
	if (c.json) {
		j_close_arr(&j);
		j_end(&j);
	}
	return 0;
}
