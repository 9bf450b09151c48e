/* SPDX-License-Identifier: MIT */
/*
 * A benchmarked VM: one configuration (granule, IPA size, where the guest
 * range and its backing PAs lie) over the host environment (mmap arena,
 * fake table PAs).
 */
#ifndef BENCH_VM_H
#define BENCH_VM_H

#include <s2/host_env.h>
#include <s2/pgtable.h>

struct bench_cfg {
	const char *name;        /* "4K/40", ... */
	enum s2_granule granule;
	unsigned ipa_bits, ps_bits;
	uint64_t ipa_base;       /* first IPA of the benchmarked ranges */
	uint64_t data_pa;        /* PA backing ipa_base (block-aligned) */
	uint64_t table_pa;       /* fake PA of the table arena */
	int block_level;         /* the block size the "blocks" cases use */
	const char *block_name;  /* "2M", "512M" */
};

extern const struct bench_cfg bench_cfgs[];
extern const unsigned bench_ncfgs;

struct bench_vm {
	const struct bench_cfg *cfg;
	struct s2_geometry g;
	struct s2_host_env env;
	struct s2_pgtable pgt;
};

/* The configuration's geometry (exits on error). */
void bench_cfg_geometry(const struct bench_cfg *cfg, struct s2_geometry *g);

/* Geometry, arena of @arena_bytes (address space only) and table. Exits
   with a message on failure: a benchmark cannot continue without it. */
void bench_vm_open(struct bench_vm *vm, const struct bench_cfg *cfg, uint64_t arena_bytes);
void bench_vm_close(struct bench_vm *vm);

/* The PA the "blocks" cases map ipa_base to: block-aligned but not aligned
   to the next larger block, so the library must use exactly block_level. */
uint64_t bench_block_pa(const struct bench_cfg *cfg, const struct s2_geometry *g);

/* Map/unmap/wrprotect that exit on error: a failed call would make every
   figure after it meaningless. */
void bench_map(struct bench_vm *vm, uint64_t ipa, uint64_t size, uint64_t pa, unsigned flags);
void bench_unmap(struct bench_vm *vm, uint64_t ipa, uint64_t size);
void bench_wrprotect(struct bench_vm *vm, uint64_t ipa, uint64_t size);

/* TLB invalidation calls of any kind made so far (from pgt->stats). */
static inline uint64_t bench_tlbis(const struct bench_vm *vm)
{
	const struct s2_pgt_stats *s = &vm->pgt.stats;
	return s->tlbi_ipa + s->tlbi_range + s->tlbi_vmid;
}

#define BENCH_PROT (S2_PROT_R | S2_PROT_W)

#endif
