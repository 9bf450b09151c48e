/* SPDX-License-Identifier: MIT */
/*
 * A VM as KVM creates one: a type value decides its IPA size (checked
 * against the host limit by libs2), the host's granule and PA size decide
 * the rest of its stage-2 geometry, and it gets its own VMID, VTCR_EL2
 * and VTTBR_EL2. One vCPU, running the guest image at EL1.
 *
 * IPA layout, at the top of whatever IPA size the VM has:
 *
 *   dev_ipa               test device (DEV_SIZE, never mapped: MMIO)
 *   ...                   gap
 *   ram_ipa               RAM (VM_RAM_SIZE), demand-mapped
 *   ram_ipa + RAM size    gap up to the top, last page included
 *   2^ipa_bits            end of the IPA space
 */
#ifndef HYP_VM_H
#define HYP_VM_H

#include <s2/fault.h>
#include <s2/host.h>
#include "frame.h"
#include "guest/proto.h"
#include "stage2.h"

#define VM_RAM_SIZE   0x400000ULL       /* 4 MiB */
#define VM_DEV_GAP    0x4000000ULL      /* device 64 MiB below RAM */
#define VM_MAX_EXITS  100000
/* Guests are preempted by the EL2 timer; one that goes this many slices
   in a row without exiting by itself is stopped. */
#define VM_SLICE_US   1000
#define VM_MAX_IDLE_SLICES 200

enum vm_state { VM_RUNNABLE, VM_DONE, VM_STOPPED };

/* EL1 system registers that belong to the guest. */
struct vm_el1 {
	uint64_t sctlr, vbar, sp, elr, spsr, esr, far, tpidr;
};

struct vm_stats {
	uint64_t exits, s2_aborts, mapped_pages, mapped_blocks, mmio, af_faults,
		 dirty_faults, probes, hpfar_checked, spurious, preempted;
};

struct vm {
	unsigned id;
	uint64_t type;
	unsigned mode;                   /* enum guest_mode */
	const struct s2_host *host;
	struct stage2 s2;
	uint64_t hcr;
	/* Layout. */
	uint64_t ram_ipa, ram_size, ram_pa, dev_ipa;
	uint64_t seed;
	/* vCPU. */
	struct gregs regs;
	struct vm_el1 el1;
	enum vm_state state;
	unsigned idle_slices;
	char result[200];
	/* Test device. */
	uint64_t dev_scratch, dev_arg, dev_arg2, dev_result;
	uint64_t probe_ipa;
	bool probe_armed;
	char line[120];
	unsigned line_len;
	/* Dirty logging and aging. */
	bool logging;
	uint64_t af_at_age_start;
	unsigned dirty_ok, age_ok;
	int64_t collapsed;
	unsigned guest_failures;
	struct vm_stats st;
};

/* Flags for vm_create(). */
#define VM_F_HW_AF_DBM  (1u << 0)   /* VTCR.HA/HD: hardware Access flag and
				       dirty state instead of faults */

/**
 * vm_create() - a VM from a KVM_CREATE_VM type value.
 * Return: 0; the library's error for a type the host refuses (the message
 * in @d is libs2's); S2_ENOMEM without memory.
 */
int vm_create(struct vm *vm, unsigned id, const struct s2_host *host, uint64_t type,
	      unsigned mode, unsigned flags, struct s2_diag *d);

/* Switch to @vm: its EL1 registers, VTCR/VTTBR and HCR; then back. */
void vm_load(struct vm *vm);
void vm_put(struct vm *vm);

/* Stop a misbehaving VM with a one-line report. */
void vm_stop(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Run @vm until its next exit to EL2 and handle that exit. */
void vm_run_once(struct vm *vm);

/* Stage-2 aborts (abort.c) and the test device (device.c). */
void vm_abort(struct vm *vm, uint64_t esr, uint64_t far, uint64_t hpfar);
void vm_mmio(struct vm *vm, const struct s2_esr *e, uint64_t ipa);

/* Dirty logging and aging commands (dirtylog.c). */
uint64_t vm_dirty_start(struct vm *vm);
uint64_t vm_dirty_round(struct vm *vm, unsigned round);
uint64_t vm_dirty_stop(struct vm *vm);
uint64_t vm_age_start(struct vm *vm, unsigned round);
uint64_t vm_age_check(struct vm *vm, unsigned round);
uint64_t vm_collapse(struct vm *vm);

/* Where an IPA lies relative to the VM's regions ("below its device"). */
const char *vm_where(const struct vm *vm, uint64_t ipa);

static inline uint64_t vm_page(const struct vm *vm)
{
	return s2_page_size(&vm->s2.pgt.geom);
}

static inline unsigned vm_arena_pages(const struct vm *vm)
{
	return (unsigned)((vm->ram_size - GUEST_ARENA) / vm_page(vm));
}

#endif
