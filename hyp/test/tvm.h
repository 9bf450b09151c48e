/* SPDX-License-Identifier: MIT */
/*
 * A VM as the test harness runs it: the hypervisor's struct vm plus what
 * the harness, acting as the VMM, keeps about it: the guest's boot
 * protocol (mode, seed), its test device (guest/proto.h), the isolation
 * probe it announced and the results of the checks made on its behalf.
 *
 * IPA layout below the hypervisor's (core/vm.h): the test device sits
 * TVM_DEV_GAP below RAM and is never mapped.
 */
#ifndef HYP_TEST_TVM_H
#define HYP_TEST_TVM_H

#include "guest/proto.h"
#include "vm.h"

#define TVM_DEV_GAP 0x4000000ULL      /* device 64 MiB below RAM */

struct tvm {
	struct vm vm;
	unsigned mode;                   /* enum guest_mode */
	uint64_t seed, dev_ipa;
	/* Test device. */
	uint64_t dev_scratch, dev_arg, dev_arg2, dev_result;
	char line[120];
	unsigned line_len;
	/* The isolation probe the guest announced. */
	uint64_t probe_ipa;
	bool probe_armed;
	/* Dirty logging and aging rounds. */
	uint64_t af_at_age_start;
	unsigned dirty_ok, age_ok;
	int64_t collapsed;
	unsigned guest_failures;
	uint64_t probes, hpfar_checked;
	/* The interrupt report was read and checked. */
	bool gic_checked;
};

static inline struct tvm *tvm_of(struct vm *vm)
{
	return (struct tvm *)((char *)vm - __builtin_offsetof(struct tvm, vm));
}

/* The VMM's exit handler (device.c): the test device, probes, the rest. */
void tvm_exit(struct vm *vm, struct vm_exit *x);

/* Where @ipa lies, the test device included. */
const char *tvm_where(const struct tvm *t, uint64_t ipa);

static inline unsigned tvm_arena_pages(const struct tvm *t)
{
	return (unsigned)((t->vm.ram_size - GUEST_ARENA) / vm_page(&t->vm));
}

/* The guest's interrupt report at @ipa against what the hypervisor
   delivered (irqcheck.c). Return: 1 if everything matched. */
uint64_t tvm_gic_report(struct tvm *t, uint64_t ipa);

/* Dirty logging and aging commands, checked (dirty.c). */
uint64_t tvm_dirty_start(struct tvm *t);
uint64_t tvm_dirty_round(struct tvm *t, unsigned round);
uint64_t tvm_dirty_stop(struct tvm *t);
uint64_t tvm_age_start(struct tvm *t, unsigned round);
uint64_t tvm_age_check(struct tvm *t, unsigned round);
uint64_t tvm_collapse(struct tvm *t);

#endif
