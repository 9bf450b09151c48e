/* SPDX-License-Identifier: MIT */
/*
 * Differential test: random operations on the library and on the
 * reference model (model.h) across every configuration of configs.c,
 * compared after each operation (return value, maintenance calls,
 * sampled translations) and in full every FULL_EVERY operations and at
 * the end of each episode (every leaf, table counts, memory). An episode
 * ends by unmapping everything (only the root may remain) and destroying
 * the table (all memory back to the environment).
 *
 *   test_diff [--ops N] [--seed S] [--config I] [--list] [-v]
 *   PGT_DIFF_OPS / PGT_DIFF_SEED set the defaults (1000000 / 1).
 * A failure prints the configuration index and seed that replay it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "configs.h"
#include "gen.h"

#define EPISODE 800
#define FULL_EVERY 128
#define MAX_CONFIGS 2048

static uint64_t opt_ops = 1000000, opt_seed = 1;
static long opt_config = -1;
static bool opt_verbose;

static struct eng_cfg cfgs[MAX_CONFIGS];
static size_t ncfg;
static struct eng_stats total;

static void add_stats(const struct eng_stats *s)
{
	total.ops += s->ops;
	for (int k = 0; k < OP__N; k++)
		total.by_kind[k] += s->by_kind[k];
	total.errors_expected += s->errors_expected;
	total.enomem += s->enomem;
	total.full_checks += s->full_checks;
	total.samples += s->samples;
	if (s->leaves_max > total.leaves_max)
		total.leaves_max = s->leaves_max;
	if (s->tables_max > total.tables_max)
		total.tables_max = s->tables_max;
}

/* Run @ops operations on configuration @ci. Returns false on a mismatch. */
static bool run_config(size_t ci, uint64_t ops)
{
	uint64_t seed = opt_seed * 1000003 + ci, done = 0;
	char cfg[160], ops_s[200];

	for (unsigned ep = 0; done < ops; ep++) {
		struct eng e;
		struct gen gn;
		struct op op = { 0 };
		int rc = eng_init(&e, &cfgs[ci], seed + ep);

		if (rc) {
			print_error("config %zu: %s\n", ci, rc > 0 ? "refused" : e.err);
			return false;
		}
		gen_init(&gn, &e, seed * 31 + ep);
		eng_describe_cfg(&e, cfg, sizeof(cfg));
		if (opt_verbose && ep == 0)
			printf("config %zu: %s\n", ci, cfg);
		uint64_t n = ops - done < EPISODE ? ops - done : EPISODE;
		for (uint64_t i = 0; i < n && rc == 0; i++) {
			gen_op(&gn, &e, &op);
			rc = eng_op(&e, &op);
			if (!rc && (i + 1) % FULL_EVERY == 0)
				rc = eng_full(&e);
		}
		if (rc == 0)
			rc = eng_full(&e);
		if (rc) {
			op_describe(&op, ops_s, sizeof(ops_s));
			print_error("FAIL config %zu (%s) seed %llu episode %u op #%llu: %s\n"
				    "  %s\n  replay: test_diff --config %zu --seed %llu\n",
				    ci, cfg, (unsigned long long)opt_seed, ep,
				    (unsigned long long)e.st.ops, ops_s, e.err, ci,
				    (unsigned long long)opt_seed);
			add_stats(&e.st);
			eng_abort(&e);
			return false;
		}
		add_stats(&e.st);
		if (eng_fini(&e)) {
			print_error("FAIL config %zu (%s) seed %llu episode %u at the end: %s\n",
				    ci, cfg, (unsigned long long)opt_seed, ep, e.err);
			return false;
		}
		done += n;
	}
	return true;
}

static void test_differential(void **state)
{
	size_t first = 0, last = ncfg, failed = 0;

	(void)state;
	if (opt_config >= 0) {
		first = (size_t)opt_config;
		last = first + 1;
	}
	uint64_t per = (opt_ops + (last - first) - 1) / (last - first);
	for (size_t ci = first; ci < last; ci++)
		if (!run_config(ci, per) && ++failed >= 20)
			break;
	printf("test_diff: %llu operations (seed %llu) over %zu configurations: "
	       "map %llu unmap %llu protect %llu wrprotect %llu mark_dirty %llu harvest %llu "
	       "mkold %llu mkyoung %llu split %llu collapse %llu flush %llu translate %llu; "
	       "%llu refused as malformed, %llu ENOMEM injected, %llu full checks, %llu sampled "
	       "translations; at most %llu leaves and %llu tables\n",
	       (unsigned long long)total.ops, (unsigned long long)opt_seed, last - first,
	       (unsigned long long)total.by_kind[OP_MAP], (unsigned long long)total.by_kind[OP_UNMAP],
	       (unsigned long long)total.by_kind[OP_PROTECT],
	       (unsigned long long)total.by_kind[OP_WRPROTECT],
	       (unsigned long long)total.by_kind[OP_MARK_DIRTY],
	       (unsigned long long)total.by_kind[OP_HARVEST], (unsigned long long)total.by_kind[OP_MKOLD],
	       (unsigned long long)total.by_kind[OP_MKYOUNG], (unsigned long long)total.by_kind[OP_SPLIT],
	       (unsigned long long)total.by_kind[OP_COLLAPSE], (unsigned long long)total.by_kind[OP_FLUSH],
	       (unsigned long long)total.by_kind[OP_TRANSLATE],
	       (unsigned long long)total.errors_expected, (unsigned long long)total.enomem,
	       (unsigned long long)total.full_checks, (unsigned long long)total.samples,
	       (unsigned long long)total.leaves_max, (unsigned long long)total.tables_max);
	if (failed)
		fail_msg("%zu configuration(s) failed", failed);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_differential) };

	if (getenv("PGT_DIFF_OPS"))
		opt_ops = strtoull(getenv("PGT_DIFF_OPS"), NULL, 0);
	if (getenv("PGT_DIFF_SEED"))
		opt_seed = strtoull(getenv("PGT_DIFF_SEED"), NULL, 0);
	ncfg = pgt_configs(cfgs, MAX_CONFIGS);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ops") && i + 1 < argc)
			opt_ops = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			opt_seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			opt_config = strtol(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-v"))
			opt_verbose = true;
		else if (!strcmp(argv[i], "--list")) {
			for (size_t c = 0; c < ncfg; c++)
				printf("%zu: %uK IPA %u PS %u%s start %d flags %#x\n", c,
				       1u << (cfgs[c].shift - 10), cfgs[c].ipa_bits, cfgs[c].ps_bits,
				       cfgs[c].lpa2 ? " LPA2" : "", cfgs[c].start_level, cfgs[c].flags);
			return 0;
		} else {
			fprintf(stderr, "usage: %s [--ops N] [--seed S] [--config I] [--list] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	if (opt_config >= (long)ncfg) {
		fprintf(stderr, "configuration %ld: there are %zu\n", opt_config, ncfg);
		return 2;
	}
	return cmocka_run_group_tests_name("pgtable differential", tests, NULL, NULL);
}
