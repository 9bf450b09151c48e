/* SPDX-License-Identifier: MIT */
/*
 * One VM: its KVM handles, layout, guest RAM, MMIO devices and
 * interrupt lines, and the stop request every vCPU thread watches.
 */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "kvm.h"
#include "layout.h"
#include "vcpu_features.h"
#include "unhandled.h"

#define VMM_MAX_MMIO 16

typedef void (*vmm_mmio_fn)(void *opaque, uint64_t off, uint8_t *data, unsigned len,
			    bool write);

struct vmm_mmio_dev {
	uint64_t base, size;
	vmm_mmio_fn fn;
	void *opaque;
};

struct vmm_ram {
	uint64_t gpa, size;
	uint8_t *host;
};

struct vmm_vm {
	struct vmm_kvm kvm;
	struct vmm_layout layout;
	struct vmm_ram ram[VMM_MAX_BANKS];
	unsigned nr_ram;
	struct vmm_vcpu vcpu[VMM_MAX_CPUS];
	unsigned nr_vcpus;
	struct vmm_mmio_dev mmio[VMM_MAX_MMIO];
	unsigned nr_mmio;
	struct vmm_unhandled unhandled;     /* accesses no device claimed */
	int gic_fd, its_fd;
	struct vmm_features feat;
	const cpu_set_t *affinity;   /* every vCPU thread's host CPUs, or NULL */
	atomic_bool stopping;
	atomic_int exit_code;
};

/* Map every RAM bank of the layout into the VM. Return 0 or -errno
   (message printed, naming the bank). */
int vmm_vm_setup_ram(struct vmm_vm *vm);
/* Host pointer for [gpa, gpa+len) if it lies inside one RAM bank. */
void *vmm_gpa(struct vmm_vm *vm, uint64_t gpa, uint64_t len);
int vmm_mmio_register(struct vmm_vm *vm, uint64_t base, uint64_t size, vmm_mmio_fn fn,
		      void *opaque);
/* Return false if no device claims the address. */
bool vmm_mmio_dispatch(struct vmm_vm *vm, uint64_t addr, uint8_t *data, unsigned len,
		       bool write);
/* Drive a level-sensitive SPI. */
int vmm_irq_set(struct vmm_vm *vm, unsigned spi, int level);
/*
 * vmm_msi_send() - an MSI write of @data to @addr from the PCI function
 * with requester ID @devid, through the in-kernel ITS (KVM_SIGNAL_MSI
 * with KVM_MSI_VALID_DEVID). Return 1 delivered, 0 blocked by the guest
 * (e.g. its ITS not mapping the event), or -errno.
 */
int vmm_msi_send(struct vmm_vm *vm, uint64_t addr, uint32_t data, uint32_t devid);
/* Ask every vCPU to leave KVM_RUN; the first request sets the exit code. */
void vmm_request_stop(struct vmm_vm *vm, int code);

#endif
