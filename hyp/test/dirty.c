/* SPDX-License-Identifier: MIT */
/*
 * Dirty logging and access-flag aging while the guest runs (the
 * hypervisor's, core/dirtylog.c), checked against what the guest did. The
 * pages the guest writes or reads in each round follow from the VM's seed
 * (guest/proto.h), so the harness knows them without asking the guest,
 * and reads the written values back from the guest's RAM itself.
 */
#include "check.h"
#include "printf.h"
#include "tvm.h"

#define MAX_PAGES 1024

static uint64_t arena(const struct tvm *t)
{
	return t->vm.ram_ipa + GUEST_ARENA;
}

static uint64_t arena_size(const struct tvm *t)
{
	return t->vm.ram_size - GUEST_ARENA;
}

/* The set of pages round @round touches, as a bitmap. */
static void expected_set(const struct tvm *t, unsigned round, uint64_t *bm)
{
	unsigned n = tvm_arena_pages(t);

	for (unsigned i = 0; i < (n + 63) / 64; i++)
		bm[i] = 0;
	for (unsigned i = 0; i < proto_picks(n); i++) {
		unsigned p = proto_page(t->seed, round, i, n);
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

/* A word of guest memory as the guest left it, through its stage 2. */
static uint64_t guest_read(struct tvm *t, uint64_t ipa)
{
	uint64_t v = 0;

	check(vm_read(&t->vm, ipa, &v, sizeof(v)) == 0, "vm%u: vm_read(%#llx) failed",
	      t->vm.id, (unsigned long long)ipa);
	return v;
}

uint64_t tvm_dirty_start(struct tvm *t)
{
	struct vm *vm = &t->vm;
	struct s2_diag d;
	uint64_t before = vm->s2.pgt.stats.tables;
	int rc = vm_log_start(vm, arena(t), arena_size(t), &d);

	if (!check(rc == 0, "vm%u: vm_log_start: %s", vm->id, d.msg))
		return 0;
	printf("vm%u: dirty logging on: split the arena to pages (+%llu tables), %u pages write-protected%s\n",
	       vm->id, (unsigned long long)(vm->s2.pgt.stats.tables - before), tvm_arena_pages(t),
	       vm->s2.pgt.flags & S2_PGT_HD ? " (hardware dirty state, DBM)" : "");
	return 1;
}

uint64_t tvm_dirty_round(struct tvm *t, unsigned round)
{
	struct vm *vm = &t->vm;
	uint64_t got[MAX_PAGES / 64] = { 0 }, want[MAX_PAGES / 64];
	unsigned n = tvm_arena_pages(t), wrong = 0, bad_data = 0;
	struct s2_diag d;
	int64_t k;

	if (n > MAX_PAGES)
		return 0;
	expected_set(t, round, want);
	k = vm_log_harvest(vm, arena(t), arena_size(t), got, &d);
	if (!check(k >= 0, "vm%u: vm_log_harvest: %s", vm->id, d.msg))
		return 0;
	for (unsigned i = 0; i < (n + 63) / 64; i++)
		wrong += (unsigned)__builtin_popcountll(got[i] ^ want[i]);
	for (unsigned p = 0; p < n; p++)
		if ((want[p / 64] >> (p % 64) & 1) &&
		    guest_read(t, arena(t) + p * vm_page(vm) + 8) !=
		    proto_dirty_value(t->seed, round, p))
			bad_data++;
	bool ok = check(wrong == 0 && bad_data == 0 && (unsigned)k == popcount(want, n),
			"vm%u: dirty round %u: harvested %lld pages, the guest wrote %u; %u differ, %u with wrong contents",
			vm->id, round, (long long)k, popcount(want, n), wrong, bad_data);
	printf("vm%u: dirty round %u: harvested %lld dirty pages, the guest wrote %u: %s\n",
	       vm->id, round, (long long)k, popcount(want, n),
	       ok ? "same pages, contents as written" : "MISMATCH");
	t->dirty_ok += ok;
	return ok;
}

uint64_t tvm_dirty_stop(struct tvm *t)
{
	struct s2_diag d;
	int rc = vm_log_stop(&t->vm, arena(t), arena_size(t), &d);

	return check(rc == 0, "vm%u: vm_log_stop: %s", t->vm.id, d.msg);
}

uint64_t tvm_age_start(struct tvm *t, unsigned round)
{
	struct s2_diag d;
	int64_t young = vm_age(&t->vm, arena(t), arena_size(t), &d);

	(void)round;
	t->af_at_age_start = t->vm.st.af_faults;
	return check(young >= 0, "vm%u: vm_age: %s", t->vm.id, d.msg);
}

uint64_t tvm_age_check(struct tvm *t, unsigned round)
{
	struct vm *vm = &t->vm;
	uint64_t want[MAX_PAGES / 64];
	unsigned n = tvm_arena_pages(t), wrong = 0, young = 0;
	uint64_t af = vm->st.af_faults - t->af_at_age_start;
	bool hw = vm->s2.pgt.flags & S2_PGT_HA;

	expected_set(t, 0x100 + round, want);
	for (unsigned p = 0; p < n; p++) {
		struct s2_xlate x;
		s2_translate(&vm->s2.pgt, s2_ipa(arena(t) + p * vm_page(vm)), &x);
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
	t->age_ok += ok;
	return ok;
}

/* Logging and aging over: the hypervisor rebuilds blocks. */
uint64_t tvm_collapse(struct tvm *t)
{
	struct vm *vm = &t->vm;
	const struct s2_geometry *g = &vm->s2.pgt.geom;
	uint64_t before = vm->s2.pgt.stats.tables, expect = 0;
	struct s2_diag d;

	t->collapsed = vm_collapse(vm, vm->ram_ipa, vm->ram_size, &d);
	/* What must come back: every level-2 block that lies in RAM (all
	   its pages were touched, and the RAM is block aligned in IPA and
	   PA). With 16K and 64K pages no block fits in 4 MiB. */
	if (s2_level_has_block(g, 2) && s2_level_size(g, 2) <= vm->ram_size)
		expect = vm->ram_size / s2_level_size(g, 2);
	bool ok = check(t->collapsed == (int64_t)expect,
			"vm%u: vm_collapse made %lld blocks, expected %llu (%s)", vm->id,
			(long long)t->collapsed, (unsigned long long)expect,
			t->collapsed < 0 ? d.msg : "");
	printf("vm%u: collapse after logging: %lld blocks rebuilt, %llu tables freed\n", vm->id,
	       (long long)t->collapsed, (unsigned long long)(before - vm->s2.pgt.stats.tables));
	return ok;
}
