/* SPDX-License-Identifier: MIT */
/*
 * A stage-2 table on the host for `run` and `image`: the geometry from
 * the options, table pages from libs2's host environment at fake physical
 * addresses starting at --base-pa.
 */
#include <unistd.h>

#include "s2ctl.h"
#include "table.h"

#include <s2/vtcr.h>

/* Table memory by default: enough for 512 GiB mapped with 4K pages, and
   a bound on what a careless script can make the host touch. */
#define ARENA_BYTES (1ULL << 30)
/* QEMU virt's RAM base: a plausible home for the tables. */
#define DEFAULT_BASE 0x40000000ULL

/* The most table memory a run may use: what the machine has. */
static uint64_t machine_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);

	return pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : ARENA_BYTES;
}

void tableopt_init(struct tableopt *o)
{
	uint64_t mem = machine_memory();

	*o = (struct tableopt){ .base = DEFAULT_BASE, .vmid = 1,
				.arena = ARENA_BYTES < mem ? ARENA_BYTES : mem };
	geomopt_init(&o->g);
}

int tableopt_handle(void *ctx, const struct cmd *c, int ch, const char *arg, int *rc)
{
	struct tableopt *o = ctx;

	switch (ch) {
	case OPT_T_BASE:
		o->have_base = true;
		*rc = num_opt_size(c, "--base-pa", arg, &o->base);
		return 1;
	case OPT_T_VMID:
		*rc = num_opt_u64(c, "--vmid", arg, &o->vmid);
		if (!*rc && o->vmid > 0xffff)
			*rc = usage_error(c, "--vmid %s is larger than 16 bits (0..65535)", arg);
		return 1;
	case OPT_T_NOFWB:
		o->no_fwb = true;
		*rc = 0;
		return 1;
	case OPT_T_MEM:
		*rc = num_opt_size(c, "--table-memory", arg, &o->arena);
		if (!*rc && (o->arena < (1ULL << 16) || o->arena > machine_memory())) {
			char lo[32], hi[32];
			*rc = usage_error(c, "--table-memory %s is outside %s..%s (this machine's "
					  "physical memory)", arg, fmt_size(1ULL << 16, lo),
					  fmt_size(machine_memory(), hi));
		}
		return 1;
	case OPT_T_OUT:
		o->out = arg;
		*rc = 0;
		return 1;
	}
	return geomopt_handle(&o->g, c, ch, arg, rc);
}

int table_open(struct table *t, const struct cmd *c, struct tableopt *o)
{
	struct s2_diag d = { "" };
	uint64_t arena = o->arena, align;
	unsigned flags;
	int err;

	*t = (struct table){ 0 };
	if (!o->g.have_granule)
		o->g.req.granule = S2_GRANULE_4K;
	if (!o->g.have_ipa)
		o->g.req.ipa_bits = S2_IPA_DEFAULT;
	if ((err = geomopt_resolve(&o->g, c, &t->geom)))
		return err;
	/* Every allocation is naturally aligned within the arena, so the
	   base must be aligned to the largest: the root or one page. */
	align = t->geom.root_align > s2_page_size(&t->geom) ? t->geom.root_align :
		s2_page_size(&t->geom);
	if (o->base & (align - 1))
		return usage_error(c, "--base-pa %#llx is not aligned to %#llx (the root table "
				   "size or the page size, whichever is larger)",
				   (unsigned long long)o->base, (unsigned long long)align);
	/* Keep every table page inside the VM's PA size. */
	if (o->base <= t->geom.oa_max && t->geom.oa_max - o->base + 1 < arena)
		arena = t->geom.oa_max - o->base + 1;
	if (s2_host_env_init(&t->env, s2_pa(o->base), arena)) {
		snprintf(d.msg, sizeof(d.msg), "cannot reserve %llu bytes for tables",
			 (unsigned long long)arena);
		return lib_error(c, S2_ENOMEM, &d);
	}
	flags = (o->g.ha ? S2_PGT_HA : 0) | (o->g.hd ? S2_PGT_HD : 0) |
		(o->no_fwb ? S2_PGT_NO_FWB : 0);
	err = s2_pgtable_init(&t->pgt, &t->geom, &t->env.ops, &t->env,
			      (unsigned)o->vmid, flags, &d);
	if (err) {
		s2_host_env_fini(&t->env);
		return lib_error(c, err, &d);
	}
	t->open = true;
	return 0;
}

void table_close(struct table *t)
{
	if (!t->open)
		return;
	s2_pgtable_destroy(&t->pgt);
	s2_host_env_fini(&t->env);
	t->open = false;
}
