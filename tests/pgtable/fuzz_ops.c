/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the input is a table configuration (first bytes)
 * and a sequence of operations (every choice of gen.c taken from the
 * following bytes), applied to the library and to the reference model
 * by the differential engine. Any mismatch, structural error, leak or
 * sanitizer report aborts with the configuration and the operation.
 */
#include <stdio.h>
#include <stdlib.h>
#include "configs.h"
#include "gen.h"

#define MAX_CONFIGS 2048
#define MAX_OPS 128

static struct eng_cfg cfgs[MAX_CONFIGS];
static size_t ncfg;

static void die(struct eng *e, const struct op *op, const char *when)
{
	char cfg[160], ops[200];

	eng_describe_cfg(e, cfg, sizeof(cfg));
	op_describe(op, ops, sizeof(ops));
	fprintf(stderr, "fuzz_ops: %s (%s) %s: %s\n", cfg, when, ops, e->err);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct eng e;
	struct gen gn;
	struct op op = { 0 };

	if (!ncfg)
		ncfg = pgt_configs(cfgs, MAX_CONFIGS);
	if (len < 3)
		return 0;
	if (eng_init(&e, &cfgs[(data[0] << 8 | data[1]) % ncfg], data[2]) != 0)
		return 0;
	gen_init(&gn, &e, 1);
	gen_from_bytes(&gn, data + 3, len - 3);
	for (int i = 0; i < MAX_OPS && !gen_exhausted(&gn); i++) {
		gen_op(&gn, &e, &op);
		if (eng_op(&e, &op))
			die(&e, &op, "operation");
		if (i % 16 == 15 && eng_full(&e))
			die(&e, &op, "full check");
	}
	if (eng_full(&e))
		die(&e, &op, "final check");
	if (eng_fini(&e))
		die(&e, &op, "unmap all / destroy");
	return 0;
}
