/* SPDX-License-Identifier: MIT */
/*
 * The KVM half of s2vmm for a host build: a machine without /dev/kvm.
 * With it, vmm/main.c and the planning code (options, layout, loader,
 * device tree) run on the build host under ASan and UBSan, exactly as
 * the aarch64 binary runs them before it opens /dev/kvm.
 */
#include <stdio.h>

#include "caps.h"
#include "log.h"
#include "machine.h"

int vmm_machine_run(const struct vmm_config *c, struct vmm_plan *p)
{
	(void)c;
	(void)p;
	pr_err("cannot open /dev/kvm: this is a host build of s2vmm without KVM");
	return 1;
}

int vmm_caps_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pr_err("cannot open /dev/kvm: this is a host build of s2vmm without KVM");
	return 1;
}
