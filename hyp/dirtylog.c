/* SPDX-License-Identifier: MIT */
/*
 * Dirty logging and access-flag aging while the guest runs, checked
 * against what the guest did. The pages the guest writes or reads in each
 * round follow from the VM's seed (guest/proto.h), so the hypervisor
 * knows them without asking the guest, and reads the written values back
 * from the guest's RAM itself.
 *
 * Logging follows KVM: blocks are split eagerly (s2_split) so dirty state
 * is per page, the arena is write-protected (s2_wrprotect), the first
 * write to each page faults and is let through (s2_mark_dirty), or with
 * VTCR_EL2.HD the hardware makes the page writable itself (DBM), and each
 * harvest (s2_harvest_dirty) collects and re-protects. Aging: s2_mkold
 * clears the Access flag; a touched page faults (s2_mkyoung) or, with
 * VTCR_EL2.HA, has its flag set by the hardware.
 */
#include "check.h"
#include "printf.h"
#include "sysreg.h"
#include "vm.h"

#define MAX_PAGES 1024

static uint64_t arena(const struct vm *vm)
{
	return vm->ram_ipa + GUEST_ARENA;
}

static uint64_t arena_size(const struct vm *vm)
{
	return vm->ram_size - GUEST_ARENA;
}

/* The set of pages round @round touches, as a bitmap. */
static void expected_set(const struct vm *vm, unsigned round, uint64_t *bm)
{
	unsigned n = vm_arena_pages(vm);

	for (unsigned i = 0; i < (n + 63) / 64; i++)
		bm[i] = 0;
	for (unsigned i = 0; i < proto_picks(n); i++) {
		unsigned p = proto_page(vm->seed, round, i, n);
		bm[p / 64] |= 1ULL << (p % 64);
	}
}

static unsigned popcount(const uint64_t *bm, unsigned n)
{
	unsigned c = 0;

	for (unsigned i = 0; i < n; i++)
		if (bm[i / 64] >> (i % 64) & 1)
			c++;
	return c;
}

/* Read guest memory as the guest left it: it wrote with its caches off,
   so drop any stale line the hypervisor's cacheable alias may hold. */
static uint64_t guest_read(const struct vm *vm, uint64_t ipa)
{
	uint64_t pa = ipa - vm->ram_ipa + vm->ram_pa;

	__asm__ volatile("dc civac, %0" :: "r"(pa) : "memory");
	dsb_ish();
	return *(volatile uint64_t *)pa;
}

uint64_t vm_dirty_start(struct vm *vm)
{
	struct s2_diag d;
	uint64_t before = vm->s2.pgt.stats.tables;
	int rc = s2_split(&vm->s2.pgt, s2_ipa(vm->ram_ipa), vm->ram_size, &d);

	if (!check(rc == 0, "vm%u: s2_split: %s", vm->id, d.msg))
		return 0;
	rc = s2_wrprotect(&vm->s2.pgt, s2_ipa(arena(vm)), arena_size(vm), &d);
	if (!check(rc == 0, "vm%u: s2_wrprotect: %s", vm->id, d.msg))
		return 0;
	vm->logging = true;
	printf("vm%u: dirty logging on: split RAM to pages (+%llu tables), arena of %u pages write-protected%s\n",
	       vm->id, (unsigned long long)(vm->s2.pgt.stats.tables - before), vm_arena_pages(vm),
	       vm->s2.pgt.flags & S2_PGT_HD ? " (hardware dirty state, DBM)" : "");
	return 1;
}

uint64_t vm_dirty_round(struct vm *vm, unsigned round)
{
	uint64_t got[MAX_PAGES / 64] = { 0 }, want[MAX_PAGES / 64];
	unsigned n = vm_arena_pages(vm), wrong = 0, bad_data = 0;
	struct s2_diag d;
	int64_t k;

	if (n > MAX_PAGES)
		return 0;
	expected_set(vm, round, want);
	k = s2_harvest_dirty(&vm->s2.pgt, s2_ipa(arena(vm)), arena_size(vm), got, &d);
	if (!check(k >= 0, "vm%u: s2_harvest_dirty: %s", vm->id, d.msg))
		return 0;
	for (unsigned i = 0; i < (n + 63) / 64; i++)
		wrong += (unsigned)__builtin_popcountll(got[i] ^ want[i]);
	for (unsigned p = 0; p < n; p++)
		if ((want[p / 64] >> (p % 64) & 1) &&
		    guest_read(vm, arena(vm) + p * vm_page(vm) + 8) !=
		    proto_dirty_value(vm->seed, round, p))
			bad_data++;
	bool ok = check(wrong == 0 && bad_data == 0 && (unsigned)k == popcount(want, n),
			"vm%u: dirty round %u: harvested %lld pages, the guest wrote %u; %u differ, %u with wrong contents",
			vm->id, round, (long long)k, popcount(want, n), wrong, bad_data);
	printf("vm%u: dirty round %u: harvested %lld dirty pages, the guest wrote %u: %s\n",
	       vm->id, round, (long long)k, popcount(want, n),
	       ok ? "same pages, contents as written" : "MISMATCH");
	vm->dirty_ok += ok;
	return ok;
}

uint64_t vm_dirty_stop(struct vm *vm)
{
	struct s2_diag d;
	int rc = s2_protect(&vm->s2.pgt, s2_ipa(arena(vm)), arena_size(vm), S2_PROT_RWX, &d);

	vm->logging = false;
	return check(rc == 0, "vm%u: s2_protect to end logging: %s", vm->id, d.msg);
}

uint64_t vm_age_start(struct vm *vm, unsigned round)
{
	struct s2_diag d;
	int64_t young = s2_mkold(&vm->s2.pgt, s2_ipa(arena(vm)), arena_size(vm), &d);

	(void)round;
	vm->af_at_age_start = vm->st.af_faults;
	return check(young >= 0, "vm%u: s2_mkold: %s", vm->id, d.msg);
}

uint64_t vm_age_check(struct vm *vm, unsigned round)
{
	uint64_t want[MAX_PAGES / 64];
	unsigned n = vm_arena_pages(vm), wrong = 0, young = 0;
	uint64_t af = vm->st.af_faults - vm->af_at_age_start;
	bool hw = vm->s2.pgt.flags & S2_PGT_HA;

	expected_set(vm, 0x100 + round, want);
	for (unsigned p = 0; p < n; p++) {
		struct s2_xlate x;
		s2_translate(&vm->s2.pgt, s2_ipa(arena(vm) + p * vm_page(vm)), &x);
		bool touched = want[p / 64] >> (p % 64) & 1;
		young += x.valid && x.young;
		wrong += !x.valid || x.young != touched;
	}
	/* Without HA every first touch of an old page is one fault. */
	bool ok = check(wrong == 0 && (hw ? af == 0 : af == popcount(want, n)),
			"vm%u: aging round %u: %u young pages, the guest read %u; %u differ; %llu access flag faults",
			vm->id, round, young, popcount(want, n), wrong, (unsigned long long)af);
	printf("vm%u: aging round %u: %u young pages after s2_mkold, the guest read %u; %llu access flag faults%s: %s\n",
	       vm->id, round, young, popcount(want, n), (unsigned long long)af,
	       hw ? " (hardware Access flag, VTCR.HA)" : "", ok ? "same pages" : "MISMATCH");
	vm->age_ok += ok;
	return ok;
}

/*
 * Logging and aging over: rebuild blocks. s2_collapse() merges a table
 * only when all its entries have identical attributes, the Access flag
 * included, so the pages aging left old are made young first (they are
 * in use: a hypervisor that collapses has no use for their age).
 */
uint64_t vm_collapse(struct vm *vm)
{
	const struct s2_geometry *g = &vm->s2.pgt.geom;
	uint64_t before = vm->s2.pgt.stats.tables, expect = 0;
	struct s2_diag d;

	for (uint64_t a = vm->ram_ipa; a < vm->ram_ipa + vm->ram_size; a += vm_page(vm))
		s2_mkyoung(&vm->s2.pgt, s2_ipa(a));
	vm->collapsed = s2_collapse(&vm->s2.pgt, s2_ipa(vm->ram_ipa), vm->ram_size, &d);
	/* What must come back: every level-2 block that lies in RAM (all
	   its pages were touched, and the RAM is block aligned in IPA and
	   PA). With 16K and 64K pages no block fits in 4 MiB. */
	if (s2_level_has_block(g, 2) && s2_level_size(g, 2) <= vm->ram_size)
		expect = vm->ram_size / s2_level_size(g, 2);
	bool ok = check(vm->collapsed == (int64_t)expect,
			"vm%u: s2_collapse made %lld blocks, expected %llu (%s)", vm->id,
			(long long)vm->collapsed, (unsigned long long)expect,
			vm->collapsed < 0 ? d.msg : "");
	printf("vm%u: collapse after logging: %lld blocks rebuilt, %llu tables freed\n", vm->id,
	       (long long)vm->collapsed, (unsigned long long)(before - vm->s2.pgt.stats.tables));
	return ok;
}
