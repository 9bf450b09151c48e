/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include "cases.h"
#include "vm.h"

/*
 * Guest ranges start in the upper half of each IPA space, so the upper
 * table indices are exercised; the 52-bit configuration puts both the
 * guest memory and the tables above 2^48 (FEAT_LPA output addresses).
 */
const struct bench_cfg bench_cfgs[] = {
	{ "4K/40", S2_GRANULE_4K, 40, 40, 512 * GiB, 256 * GiB, 768 * GiB, 2, "2M" },
	{ "4K/48", S2_GRANULE_4K, 48, 48, 1ull << 47, 1ull << 46, 3ull << 46, 2, "2M" },
	{ "16K/48", S2_GRANULE_16K, 48, 48, 1ull << 47, 1ull << 46, 3ull << 46, 2, "32M" },
	{ "64K/52", S2_GRANULE_64K, 52, 52, 1ull << 51, 9ull << 48, 10ull << 48, 2, "512M" },
};
const unsigned bench_ncfgs = sizeof(bench_cfgs) / sizeof(bench_cfgs[0]);

static void die(const char *what, const struct s2_diag *d, int err)
{
	fprintf(stderr, "s2bench: %s failed: %s (%s)\n", what, d->msg, s2_errname(err));
	exit(1);
}

void bench_cfg_geometry(const struct bench_cfg *cfg, struct s2_geometry *g)
{
	struct s2_geom_req req = {
		.granule = cfg->granule, .ipa_bits = cfg->ipa_bits,
		.ps_bits = cfg->ps_bits, .start_level = S2_START_AUTO,
	};
	struct s2_diag d = { "" };
	int err = s2_geometry_init(g, &req, &d);

	if (err)
		die("geometry", &d, err);
}

void bench_vm_open(struct bench_vm *vm, const struct bench_cfg *cfg, uint64_t arena_bytes)
{
	struct s2_diag d = { "" };
	int err;

	vm->cfg = cfg;
	bench_cfg_geometry(cfg, &vm->g);
	if (s2_host_env_init(&vm->env, s2_pa(cfg->table_pa), arena_bytes))
		die("arena mmap", &d, S2_ENOMEM);
	err = s2_pgtable_init(&vm->pgt, &vm->g, &vm->env.ops, &vm->env, 1, 0, &d);
	if (err)
		die("pgtable init", &d, err);
}

void bench_vm_close(struct bench_vm *vm)
{
	s2_pgtable_destroy(&vm->pgt);
	s2_host_env_fini(&vm->env);
}

uint64_t bench_block_pa(const struct bench_cfg *cfg, const struct s2_geometry *g)
{
	return cfg->data_pa + s2_level_size(g, cfg->block_level);
}

void bench_map(struct bench_vm *vm, uint64_t ipa, uint64_t size, uint64_t pa, unsigned flags)
{
	struct s2_diag d = { "" };
	int err = s2_map(&vm->pgt, s2_ipa(ipa), size, s2_pa(pa), BENCH_PROT, flags, &d);

	if (err)
		die("s2_map", &d, err);
}

void bench_unmap(struct bench_vm *vm, uint64_t ipa, uint64_t size)
{
	struct s2_diag d = { "" };
	int err = s2_unmap(&vm->pgt, s2_ipa(ipa), size, &d);

	if (err)
		die("s2_unmap", &d, err);
}

void bench_wrprotect(struct bench_vm *vm, uint64_t ipa, uint64_t size)
{
	struct s2_diag d = { "" };
	int err = s2_wrprotect(&vm->pgt, s2_ipa(ipa), size, &d);

	if (err)
		die("s2_wrprotect", &d, err);
}
