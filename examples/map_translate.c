/* SPDX-License-Identifier: MIT */
/*
 * An out-of-tree libs2 program, built only with
 *     cc map_translate.c $(pkg-config --cflags --libs libs2)
 * A 40-bit IPA space with 4K pages over the host environment (table pages
 * from an mmap arena with made-up physical addresses): map 2 MiB as one
 * block and a page beside it, translate both, unmap, and show that every
 * table page came back. Exits non-zero if anything differs.
 */
#include <stdio.h>
#include <s2/geometry.h>
#include <s2/host_env.h>
#include <s2/pgtable.h>

static int fail(const char *what, int err, const struct s2_diag *d)
{
	fprintf(stderr, "map_translate: %s: %s (%s)\n", what, s2_errname(err), d->msg);
	return 1;
}

int main(void)
{
	struct s2_geom_req req = { .granule = S2_GRANULE_4K, .ipa_bits = 40,
				   .start_level = S2_START_AUTO };
	struct s2_geometry g;
	struct s2_host_env env;
	struct s2_pgtable pgt;
	struct s2_xlate x;
	struct s2_diag d = { "" };
	const uint64_t block = 2ull << 20, ipa = 1ull << 30, pa = 0x80000000ull;
	int err;

	if ((err = s2_geometry_init(&g, &req, &d)))
		return fail("geometry", err, &d);
	if ((err = s2_host_env_init(&env, s2_pa(1ull << 32), 64ull << 20)))
		return fail("host environment", err, &d);
	if ((err = s2_pgtable_init(&pgt, &g, &env.ops, &env, 1, 0, &d)))
		return fail("init", err, &d);
	printf("%u-bit IPA, %s granule, start level %d, %u levels\n", g.ipa_bits,
	       s2_granule_name(g.granule), g.start_level, g.levels);

	if ((err = s2_map(&pgt, s2_ipa(ipa), block, s2_pa(pa), S2_PROT_RWX, 0, &d)) ||
	    (err = s2_map(&pgt, s2_ipa(ipa + block), 4096, s2_pa(pa + block),
			  S2_PROT_R, 0, &d)))
		return fail("map", err, &d);

	const uint64_t probe[] = { ipa + 0x1234, ipa + block + 0x10, ipa + 2 * block };
	const uint64_t want_pa[] = { pa + 0x1234, pa + block + 0x10, 0 };
	const int want_level[] = { 2, 3, 2 };
	for (unsigned i = 0; i < 3; i++) {
		char prot[16];
		s2_translate(&pgt, s2_ipa(probe[i]), &x);
		if (x.valid)
			printf("IPA %#llx -> PA %#llx, level %d, %s\n", (unsigned long long)probe[i],
			       (unsigned long long)x.pa.v, x.level, s2_prot_string(x.prot, prot, sizeof(prot)));
		else
			printf("IPA %#llx: translation fault at level %d (FSC %#x)\n",
			       (unsigned long long)probe[i], x.level, x.fsc);
		if (x.valid != (want_pa[i] != 0) || (x.valid && x.pa.v != want_pa[i]) ||
		    x.level != want_level[i]) {
			fprintf(stderr, "map_translate: IPA %#llx translated wrongly\n",
				(unsigned long long)probe[i]);
			return 1;
		}
	}

	if ((err = s2_unmap(&pgt, s2_ipa(ipa), 2 * block, &d)))
		return fail("unmap", err, &d);
	s2_translate(&pgt, s2_ipa(ipa), &x);
	printf("after unmap: IPA %#llx %s; %llu table page(s) held (the root)\n",
	       (unsigned long long)ipa, x.valid ? "still mapped" : "unmapped",
	       (unsigned long long)pgt.stats.tables);
	if (x.valid || pgt.stats.tables != 1)
		return 1;
	s2_pgtable_destroy(&pgt);
	s2_host_env_fini(&env);
	return 0;
}
