/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target over `s2ctl run` scripts: the input's first byte picks
 * a geometry, the rest is script text, parsed and applied line by line by
 * the tool's own parser and executor (JSON output discarded). Afterwards
 * unmapping the whole IPA space must leave only the root, and destroying
 * the table must return every byte to the allocator: a leak, a crash or
 * undefined behaviour anywhere on the way fails the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <s2/host_env.h>
#include "script.h"

static const struct s2_geom_req geoms[] = {
	{ S2_GRANULE_4K, 40, 0, false, S2_START_AUTO },
	{ S2_GRANULE_4K, 48, 0, false, S2_START_AUTO },
	{ S2_GRANULE_4K, 52, 52, true, S2_START_AUTO },
	{ S2_GRANULE_4K, 52, 52, true, -1 },
	{ S2_GRANULE_4K, 32, 0, false, S2_START_AUTO },
	{ S2_GRANULE_16K, 51, 52, true, S2_START_AUTO },
	{ S2_GRANULE_16K, 36, 0, false, S2_START_AUTO },
	{ S2_GRANULE_64K, 52, 52, false, S2_START_AUTO },
	{ S2_GRANULE_64K, 42, 0, false, S2_START_AUTO },
};

#define MAX_LINES 64

static void fail(const char *what, unsigned long long v)
{
	fprintf(stderr, "fuzz_run: %s (%llu)\n", what, v);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static bool ready;
	struct s2_host_env env;
	struct s2_geometry g;
	struct s2_pgtable pgt;
	struct s2_diag d;
	char *text, *line, *save = NULL;
	unsigned lineno = 0;

	if (!ready) {
		if (!freopen("/dev/null", "w", stdout))
			fail("setup", 0);
		ready = true;
	}
	if (n < 1)
		return 0;
	/* A small arena per input: scripts that map terabytes with pages
	   must meet ENOMEM (atomically) rather than exhaust the machine. */
	if (s2_host_env_init(&env, s2_pa(1ULL << 30), 64ULL << 20))
		fail("arena", 0);
	if (s2_geometry_init(&g, &geoms[data[0] % (sizeof(geoms) / sizeof(geoms[0]))], &d))
		fail("geometry", data[0]);
	if (s2_pgtable_init(&pgt, &g, data[0] & 0x40 ? &env.ops : &s2_host_env_ops, &env, 1, data[0] & 0x80 ? S2_PGT_HD : 0, &d))
		fail("init", 0);

	text = malloc(n);
	memcpy(text, data + 1, n - 1);
	text[n - 1] = '\0';
	for (line = strtok_r(text, "\n", &save); line && lineno < MAX_LINES;
	     line = strtok_r(NULL, "\n", &save)) {
		struct op op;
		char err[S2_DIAG_LEN];

		lineno++;
		if (script_parse_line(line, &op, err, sizeof(err)) == 1)
			op_exec(&pgt, &op, lineno, true, &d);
	}
	free(text);
	fflush(stdout);

	if (s2_unmap(&pgt, s2_ipa(0), g.ipa_max + 1, &d))
		fail("unmap of the whole space failed", 0);
	if (pgt.stats.tables != 1)
		fail("tables left after unmapping everything", pgt.stats.tables);
	s2_pgtable_destroy(&pgt);
	if (env.live_bytes)
		fail("bytes not returned after destroy", env.live_bytes);
	s2_host_env_fini(&env);
	return 0;
}
