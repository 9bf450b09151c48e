/* SPDX-License-Identifier: MIT */
/*
 * One thread per vCPU in KVM_RUN. PSCI is handled in the kernel (CPU_ON
 * starts a powered-off vCPU, whose thread is already waiting in
 * KVM_RUN); what comes back here is MMIO for the emulated devices and
 * the system events that end the VM.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>

#include "log.h"
#include "run.h"

static void kick(int sig)
{
	(void)sig;
}

static void system_event(struct vmm_vm *vm, struct vmm_vcpu *v)
{
	switch (v->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		pr_info("guest powered off (PSCI SYSTEM_OFF from vCPU %u)", v->id);
		vmm_request_stop(vm, 0);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		pr_info("guest asked for a reset (PSCI SYSTEM_RESET from vCPU %u); s2vmm stops instead",
			v->id);
		vmm_request_stop(vm, 1);
		break;
	case KVM_SYSTEM_EVENT_CRASH:
		pr_err("guest crashed (system event from vCPU %u)", v->id);
		vmm_request_stop(vm, 1);
		break;
	default:
		pr_err("unexpected system event %u from vCPU %u", v->run->system_event.type, v->id);
		vmm_request_stop(vm, 1);
	}
}

static void mmio(struct vmm_vm *vm, struct vmm_vcpu *v)
{
	struct kvm_run *r = v->run;

	if (vmm_mmio_dispatch(vm, r->mmio.phys_addr, r->mmio.data, r->mmio.len,
			      r->mmio.is_write))
		return;
	/* Writes are dropped and reads return 0, as in kvmtool. */
	switch (vmm_unhandled_note(&vm->unhandled, r->mmio.phys_addr)) {
	case VMM_UNHANDLED_REPORT:
		pr_warn("vCPU %u: %u-byte %s at %#" PRIx64 ", where there is no device%s",
			v->id, r->mmio.len, r->mmio.is_write ? "write" : "read",
			(uint64_t)r->mmio.phys_addr,
			vm->unhandled.debug ? "" : " (reported once per address; --debug-mmio shows every access)");
		break;
	case VMM_UNHANDLED_LAST:
		pr_warn("vCPU %u: %u-byte %s at %#" PRIx64 ", where there is no device: %u addresses reported, no more will be (--debug-mmio shows every access)",
			v->id, r->mmio.len, r->mmio.is_write ? "write" : "read",
			(uint64_t)r->mmio.phys_addr, VMM_UNHANDLED_MAX);
		break;
	case VMM_UNHANDLED_QUIET:
		break;
	}
	if (!r->mmio.is_write)
		memset(r->mmio.data, 0, sizeof(r->mmio.data));
}

static void report_pc(struct vmm_vcpu *v)
{
	uint64_t pc = 0;

	vmm_vcpu_get_core(v, offsetof(struct kvm_regs, regs.pc), &pc);
	pr_err("vCPU %u stopped at PC %#" PRIx64, v->id, pc);
}

static void *vcpu_thread(void *arg)
{
	struct vmm_vcpu *v = arg;
	struct vmm_vm *vm = v->owner;

	while (!atomic_load(&vm->stopping)) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			pr_err("KVM_RUN on vCPU %u: %s", v->id, strerror(errno));
			report_pc(v);
			vmm_request_stop(vm, 1);
			break;
		}
		switch (v->run->exit_reason) {
		case KVM_EXIT_MMIO:
			mmio(vm, v);
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			system_event(vm, v);
			break;
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_FAIL_ENTRY:
			pr_err("vCPU %u failed to enter the guest (reason %#llx)", v->id,
			       (unsigned long long)v->run->fail_entry.hardware_entry_failure_reason);
			report_pc(v);
			vmm_request_stop(vm, 1);
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			pr_err("KVM internal error on vCPU %u (suberror %u)", v->id,
			       v->run->internal.suberror);
			report_pc(v);
			vmm_request_stop(vm, 1);
			break;
		default:
			pr_err("vCPU %u: unhandled KVM exit reason %u", v->id, v->run->exit_reason);
			report_pc(v);
			vmm_request_stop(vm, 1);
		}
	}
	return NULL;
}

int vmm_run_vcpus(struct vmm_vm *vm)
{
	struct sigaction sa = { .sa_handler = kick };   /* no SA_RESTART */
	int rc;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		pthread_attr_t attr;

		pthread_attr_init(&attr);
		/* kvmtool's --vcpu-affinity: the thread starts on those CPUs. */
		if (vm->affinity)
			pthread_attr_setaffinity_np(&attr, sizeof(*vm->affinity), vm->affinity);
		rc = pthread_create(&vm->vcpu[i].thread, &attr, vcpu_thread, &vm->vcpu[i]);
		pthread_attr_destroy(&attr);
		if (rc) {
			pr_err("starting the thread of vCPU %u: %s", i, strerror(rc));
			vmm_request_stop(vm, 1);
			break;
		}
		vm->vcpu[i].started = true;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpu[i].started)
			pthread_join(vm->vcpu[i].thread, NULL);
	return atomic_load(&vm->exit_code);
}
