/* SPDX-License-Identifier: MIT */
/*
 * A VM as KVM creates one: a type value decides its IPA size (checked
 * against the host limit by libs2), the host's granule and PA size decide
 * the rest of its stage-2 geometry, and it gets its own VMID, VTCR_EL2
 * and VTTBR_EL2. Its own vCPU runs a guest image at EL1 (vm_run_once(),
 * on the boot CPU); more vCPUs of it can run on other CPUs at once
 * (vcpu.h), sharing its stage 2 and RAM.
 *
 * IPA layout, at the top of whatever IPA size the VM has:
 *
 *   ram_ipa               RAM (VM_RAM_SIZE), demand-mapped
 *   ram_ipa + RAM size    gap
 *   top - VM_GIC_TOP      the virtual GIC's frames (vgic.h), never mapped
 *   ...                   gap up to the top, last page included
 *   2^ipa_bits            end of the IPA space
 *
 * Everything else is the VMM's (here, the test harness's): a data abort
 * on an IPA that is neither RAM nor an emulated frame leaves vm_run_once()
 * as a VM_EXIT_MMIO exit, as KVM_RUN returns KVM_EXIT_MMIO.
 */
#ifndef HYP_VM_H
#define HYP_VM_H

#include <s2/fault.h>
#include <s2/host.h>
#include "atomic.h"
#include "frame.h"
#include "mmio.h"
#include "stage2.h"
#include "vgic.h"
#include "vtimer.h"

/* -EFAULT: an access to guest memory outside its RAM. */
#define VM_EFAULT     (-14)
#define VM_RAM_SIZE   0x400000ULL       /* 4 MiB */
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
		 dirty_faults, spurious, preempted, user_exits, wfi, sysregs;
	uint64_t undefs;     /* trapped instructions made UNDEFINED for the guest */
};

enum vm_exit_kind {
	VM_EXIT_NONE,        /* handled inside the hypervisor */
	VM_EXIT_MMIO,        /* a data abort on an IPA nobody in here emulates */
};

/*
 * An exit the VMM must handle. For VM_EXIT_MMIO, complete it with
 * vm_mmio_complete() (the load's value, or 0 for a store), or stop the VM.
 */
struct vm_exit {
	enum vm_exit_kind kind;
	uint64_t ipa;
	uint64_t esr, far, hpfar;  /* raw syndrome registers of the abort */
	struct s2_esr e;           /* ESR_EL2 decoded */
	bool write;
	unsigned len;              /* access size in bytes; 0 without ISV */
	uint64_t data;             /* the stored value, for a write with ISV */
};

struct vm {
	unsigned id;
	uint64_t type;
	const struct s2_host *host;
	struct stage2 s2;
	/* Shared stage-2 calls (the vCPUs' faults, vcpu.h) hold it for
	   reading; anything exclusive on the tables of a VM whose vCPUs run
	   on other CPUs holds it for writing. */
	struct rwlock mmu_lock;
	uint64_t hcr, mdcr;
	/* Layout. */
	uint64_t ram_ipa, ram_size, ram_pa;
	/* vCPU. */
	struct gregs regs;
	struct vm_el1 el1;
	enum vm_state state;
	unsigned idle_slices;
	char result[200];
	struct vm_exit exit;
	/* Frames emulated here (mmio.h). */
	struct mmio_region regions[VM_MAX_REGIONS];
	unsigned nr_regions;
	struct vgic vgic;
	struct vtimer vtimer;
	/* Dirty logging: RAM is mapped page by page while it is on. */
	bool logging;
	struct vm_stats st;
};

/* Flags for vm_create(). */
#define VM_F_HW_AF_DBM  (1u << 0)   /* VTCR.HA/HD: hardware Access flag and
				       dirty state instead of faults */

/**
 * vm_create() - a VM from a KVM_CREATE_VM type value.
 * @vm:    the VM to fill in
 * @id:    its number (VMID @id + 1; VMID 0 is left to tables of no VM)
 * @host:  the host limits (granule, IPA limit, PA size, LPA2)
 * @type:  KVM_CREATE_VM's type value (IPA size in bits [7:0])
 * @flags: VM_F_*
 * @image, @image_size: copied to the start of RAM, where the vCPU starts
 *         at EL1 with its MMU off and all interrupts masked
 * @d:     the reason on failure
 *
 * The caller sets the vCPU's general registers and SP_EL1 (its boot
 * protocol). No TLB maintenance: the VMID's tables are new.
 * Return: 0; the library's error for a type the host refuses (the message
 * in @d is libs2's); S2_ENOMEM without memory; S2_EINVAL for an image
 * larger than RAM. Nothing is left allocated on failure.
 */
int vm_create(struct vm *vm, unsigned id, const struct s2_host *host, uint64_t type,
	      unsigned flags, const void *image, size_t image_size, struct s2_diag *d);

/**
 * vm_destroy() - free the VM's tables and RAM.
 * Return: the bytes of tables that were not given back (0 unless leaked).
 */
uint64_t vm_destroy(struct vm *vm);

/* SCTLR_EL1 with its RES1 bits (11, 20, 22, 23, 28, 29) and the MMU,
   caches and alignment checks off: the guest runs untranslated. */
#define SCTLR_EL1_GUEST 0x30d00800ULL
/* SPSR for entry: EL1h (SP_EL1), DAIF masked. */
#define SPSR_EL1H_MASKED 0x3c5ULL

/* Load a guest's EL1 system registers into this CPU, or save them. */
void vm_el1_load(const struct vm_el1 *e);
void vm_el1_save(struct vm_el1 *e);

/* Switch to @vm: its EL1 registers, VTCR/VTTBR and HCR; then back. */
void vm_load(struct vm *vm);
void vm_put(struct vm *vm);

/* Stop a misbehaving VM with a one-line report. */
void vm_stop(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The guest finished: it will not run again; @fmt says how it ended. */
void vm_done(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * vm_run_once() - run @vm (loaded) until its next exit to EL2 and handle it.
 * Return: NULL when the hypervisor handled the exit itself, else @vm's
 * exit record for the VMM (valid until the next call).
 */
struct vm_exit *vm_run_once(struct vm *vm);

/* Stage-2 aborts (abort.c). */
struct vm_exit *vm_abort(struct vm *vm, uint64_t esr, uint64_t far, uint64_t hpfar);

/**
 * vm_mmio_complete() - finish the access of a VM_EXIT_MMIO exit: a load
 * gets @value (sign-extended and sized as the syndrome says), a store
 * ignores it; the vCPU resumes after the instruction.
 */
void vm_mmio_complete(struct vm *vm, uint64_t value);

/**
 * vm_ram_leaf() - the mapping a fault at @ipa (in RAM) gets: the largest
 * block that lies wholly in RAM, aligned alike in IPA and PA (not while
 * logging dirty pages), else the page; its IPA in @base, size in @size.
 */
void vm_ram_leaf(const struct vm *vm, uint64_t ipa, uint64_t *base, uint64_t *size);

/**
 * vm_map_ram() - map the RAM page (or the largest block of RAM, unless
 * dirty logging is on) holding @ipa, as a translation fault would.
 * Return: 0, S2_ERANGE if @ipa is not RAM, or libs2's error (in @d).
 */
int vm_map_ram(struct vm *vm, uint64_t ipa, struct s2_diag *d);

/**
 * vm_read() / vm_write() - copy guest memory through the VM's stage 2
 * (s2_translate), never by a host address the caller computed. Pages of
 * RAM not yet mapped are mapped as a fault would; caches are maintained
 * for a guest that runs with its caches off.
 * Return: 0, or VM_EFAULT if any byte is outside the VM's RAM (then
 * nothing is copied).
 */
int vm_read(struct vm *vm, uint64_t ipa, void *buf, size_t len);
int vm_write(struct vm *vm, uint64_t ipa, const void *buf, size_t len);

/* Dirty logging and aging (dirtylog.c); each returns libs2's result. */
int vm_log_start(struct vm *vm, uint64_t ipa, uint64_t size, struct s2_diag *d);
int64_t vm_log_harvest(struct vm *vm, uint64_t ipa, uint64_t size, uint64_t *bitmap,
		       struct s2_diag *d);
int vm_log_stop(struct vm *vm, uint64_t ipa, uint64_t size, struct s2_diag *d);
int64_t vm_age(struct vm *vm, uint64_t ipa, uint64_t size, struct s2_diag *d);
int64_t vm_collapse(struct vm *vm, uint64_t ipa, uint64_t size, struct s2_diag *d);

/* Where an IPA lies relative to the VM's regions ("in its RAM"). */
const char *vm_where(const struct vm *vm, uint64_t ipa);

static inline uint64_t vm_page(const struct vm *vm)
{
	return s2_page_size(&vm->s2.pgt.geom);
}

static inline uint64_t vm_ipa_top(const struct vm *vm)
{
	return 1ULL << vm->s2.pgt.geom.ipa_bits;
}

#endif
