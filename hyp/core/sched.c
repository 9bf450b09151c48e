/* SPDX-License-Identifier: MIT */
/*
 * Round-robin over the runnable VMs, one exit at a time, so they all run
 * interleaved on the one CPU: every entry loads that VM's EL1 registers,
 * VTCR_EL2, VTTBR_EL2 and HCR_EL2. An exit the hypervisor cannot handle
 * goes to the VMM's handler before the VM is put. A VM that stops
 * (misbehaved) or finishes drops out; the others go on.
 */
#include "sched.h"
#include "sysreg.h"

void sched_run(struct vm **vms, unsigned n, vm_exit_fn handle)
{
	bool any = true;

	while (any) {
		any = false;
		for (unsigned i = 0; i < n; i++) {
			struct vm *vm = vms[i];
			if (vm->state != VM_RUNNABLE)
				continue;
			any = true;
			vm_load(vm);
			struct vm_exit *x = vm_run_once(vm);
			if (x && vm->state == VM_RUNNABLE)
				handle(vm, x);
			vm_put(vm);
		}
	}
	/* Back to the hypervisor alone: no stage 2, EL1 AArch64. */
	write_sysreg(HCR_RW, hcr_el2);
	isb();
}
