/* SPDX-License-Identifier: MIT */
/*
 * Emulated MMIO: a data abort on an IPA that is not RAM is an access to
 * a device. The abort syndrome (ESR_EL2.ISV=1, Arm ARM, "ISS encoding for
 * an exception from a Data Abort") says which register, how wide, whether
 * to sign-extend and to what width, as KVM's io_mem_abort() uses it.
 * Frames the hypervisor emulates itself register here; every other
 * access leaves to the VMM as a VM_EXIT_MMIO exit.
 */
#ifndef HYP_MMIO_H
#define HYP_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include <s2/fault.h>

struct vm;
struct vm_exit;

#define VM_MAX_REGIONS 4

struct mmio_region {
	uint64_t base, size;
	const char *name;
	void *ctx;
	/**
	 * access() - one access of @len bytes (1, 2, 4 or 8) at @off from
	 * @base; @val holds the value to store or receives the value loaded.
	 * Return: 0, or a negative errno value: the VM is stopped with a
	 * report naming the frame and the offset.
	 */
	int (*access)(struct vm *vm, void *ctx, uint64_t off, bool write, uint64_t *val,
		      unsigned len);
};

/**
 * vm_mmio_register() - emulate @r (copied) inside the hypervisor.
 * Return: 0; S2_EINVAL if it overlaps RAM or another region (the message
 * names both); S2_ENOMEM with VM_MAX_REGIONS registered already.
 */
int vm_mmio_register(struct vm *vm, const struct mmio_region *r, struct s2_diag *d);

/* The region holding @ipa, or NULL. */
const struct mmio_region *vm_mmio_find(const struct vm *vm, uint64_t ipa);

/*
 * A data abort at @ipa outside RAM (abort.c): emulated here when a
 * region holds it, else returned as the VMM's VM_EXIT_MMIO exit.
 */
struct vm_exit *vm_mmio(struct vm *vm, const struct s2_esr *e, uint64_t ipa,
			uint64_t esr, uint64_t far, uint64_t hpfar);

#endif
