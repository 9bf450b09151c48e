/* SPDX-License-Identifier: MIT */
/*
 * Order matters: everything that can be refused for bad input (layout,
 * files) is checked before KVM_CREATE_VM, so a refusal leaves nothing
 * behind; then the GIC is created before the vCPUs and initialised after
 * them, as KVM requires.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <libfdt.h>

#include "cpulist.h"

#include "devtree.h"
#include "gic.h"
#include "loader.h"
#include "log.h"
#include "machine.h"
#include "pmu.h"
#include "pvtime.h"
#include "run.h"
#include "uart.h"
#include "virtio.h"

static struct vmm_vm vm0;

static void bootargs(const struct vmm_config *c, char *buf, size_t len)
{
	const char *def = "";

	if (!c->nodefaults)
		def = c->console == VMM_CONSOLE_VIRTIO ? "console=hvc0" : "console=ttyS0 earlycon";
	snprintf(buf, len, "%s%s%s", def, *def && c->params ? " " : "", c->params ? c->params : "");
}

static int write_dtb(const char *path, const void *fdt)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t n = fdt_totalsize(fdt);

	if (fd < 0 || write(fd, fdt, n) != (ssize_t)n) {
		pr_err("--dump-dtb '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int compute_layout(const struct vmm_config *c, unsigned limit, bool has_cap,
			  struct vmm_layout *l)
{
	struct vmm_layout_req r = { 0 };
	struct s2_diag d;

	memcpy(r.ram, c->ram, sizeof(c->ram));
	r.nr_ram = c->nr_ram;
	r.cpus = c->cpus;
	r.policy = c->layout;
	r.ipa_bits = c->ipa_bits;
	r.ipa_limit = limit;
	r.its = c->irqchip == VMM_IRQCHIP_GICV3_ITS;
	r.pvtime = !c->no_pvtime;
	r.nr_virtio = c->console == VMM_CONSOLE_VIRTIO ? 1 : 0;
	r.virtio_legacy = c->virtio_legacy;
	if (!has_cap) {
		/* Type 0 is the only VM there is: 40 bits, whatever fits. */
		if (c->ipa_bits && c->ipa_bits != limit) {
			pr_err("--ipa-bits %u: this KVM has no KVM_CAP_ARM_VM_IPA_SIZE, so every VM has a %u-bit IPA",
			       c->ipa_bits, limit);
			return -1;
		}
		r.ipa_bits = limit;
	}
	if (vmm_layout_compute(&r, l, &d)) {
		pr_err("%s", d.msg);
		return -1;
	}
	return 0;
}

static int build_vm(struct vmm_vm *vm, const struct vmm_config *c, const struct vmm_boot *b,
		    const void *fdt)
{
	int rc;

	rc = vmm_kvm_create_vm(&vm->kvm, vm->layout.ipa_bits);
	if (rc) {
		pr_err("KVM_CREATE_VM with a %u-bit IPA (type %#x): %s", vm->layout.ipa_bits,
		       vm->layout.ipa_bits, strerror(-rc));
		return -1;
	}
	pr_info("VM created: %u-bit IPA (KVM_CREATE_VM type %#x), %u vCPU%s",
		vm->kvm.vm_ipa_bits, vm->kvm.has_ipa_cap ? vm->layout.ipa_bits : 0,
		c->cpus, c->cpus == 1 ? "" : "s");
	if (vmm_features_enable_vm(&vm->kvm, &vm->feat) || vmm_vm_setup_ram(vm))
		return -1;
	if (vm->layout.has_pvtime && vmm_pvtime_setup(vm, VMM_MAX_BANKS))
		return -1;
	if (vmm_gic_create(vm))
		return -1;
	for (unsigned i = 0; i < c->cpus; i++) {
		struct vmm_vcpu *v = &vm->vcpu[i];

		rc = vmm_vcpu_create(&vm->kvm, i, v);
		if (!rc)
			rc = vmm_vcpu_init(&vm->kvm, v, i != 0, vmm_features_init_bits(&vm->feat));
		if (rc) {
			pr_err("creating vCPU %u: %s", i, strerror(-rc));
			return -1;
		}
		v->owner = vm;
		vm->nr_vcpus = i + 1;
		if (vmm_features_finalize_vcpu(v, &vm->feat))
			return -1;
		if (vm->layout.has_pvtime && vmm_pvtime_vcpu(vm, v))
			return -1;
	}
	/* KVM_ARM_VCPU_PMU_V3_INIT needs the initialised vGIC. */
	if (vmm_gic_init(vm) || (vm->feat.pmu && vmm_pmu_init(vm)) || vmm_uart_setup(vm))
		return -1;
	if (c->console == VMM_CONSOLE_VIRTIO &&
	    vmm_virtio_console_setup(vm, &vm->layout.virtio[0], VMM_VIRTIO_SPI0, c->virtio_legacy))
		return -1;
	if (vmm_boot_load(vm, b, fdt, fdt_totalsize(fdt)))
		return -1;
	/* The boot protocol: x0 = DTB, x1..x3 = 0, EL1h with DAIF masked. */
	rc = vmm_vcpu_set_core(&vm->vcpu[0], offsetof(struct kvm_regs, regs.pc), b->entry);
	if (!rc)
		rc = vmm_vcpu_set_core(&vm->vcpu[0], offsetof(struct kvm_regs, regs.regs[0]), b->dtb);
	if (!rc)
		rc = vmm_vcpu_set_core(&vm->vcpu[0], offsetof(struct kvm_regs, regs.pstate), 0x3c5);
	if (rc) {
		pr_err("setting the boot registers: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

/*
 * kvmtool's defaults that depend on the host: as many vCPUs as online
 * CPUs (kvmtool limits that to KVM's maximum with a warning; an explicit
 * -c above it is refused), gicv3-its when KVM can create an ITS.
 */
static int resolve_host_defaults(struct vmm_kvm *k, struct vmm_config *c)
{
	int kvm_max = vmm_kvm_cap(k, KVM_CAP_MAX_VCPUS);
	unsigned max = VMM_MAX_CPUS;
	bool has_its = vmm_kvm_has_device(k, KVM_DEV_TYPE_ARM_VGIC_ITS);

	if (kvm_max > 0 && (unsigned)kvm_max < max)
		max = (unsigned)kvm_max;
	if (!c->cpus) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);

		c->cpus = online > 0 ? (unsigned)online : 1;
		if (c->cpus > max) {
			pr_warn("%u host CPUs online; limiting the vCPUs to %u", c->cpus, max);
			c->cpus = max;
		}
	} else if (c->cpus > max) {
		pr_err("-c %u: this KVM allows at most %u vCPUs (KVM_CAP_MAX_VCPUS)", c->cpus, max);
		return -1;
	}
	if (c->irqchip == VMM_IRQCHIP_AUTO)
		c->irqchip = has_its ? VMM_IRQCHIP_GICV3_ITS : VMM_IRQCHIP_GICV3;
	else if (c->irqchip == VMM_IRQCHIP_GICV3_ITS && !has_its) {
		pr_err("--irqchip gicv3-its: this KVM cannot create an ITS (KVM_DEV_TYPE_ARM_VGIC_ITS); use --irqchip gicv3");
		return -1;
	}
	return 0;
}

/* Every CPU of --vcpu-affinity must be one this process may run on. */
static int check_affinity(const struct vmm_config *c)
{
	cpu_set_t allowed, bad;
	char a[256], b[256], m[256];

	if (!c->has_affinity)
		return 0;
	if (sched_getaffinity(0, sizeof(allowed), &allowed)) {
		pr_err("--vcpu-affinity: sched_getaffinity: %s", strerror(errno));
		return -1;
	}
	CPU_XOR(&bad, &c->affinity, &allowed);
	CPU_AND(&bad, &bad, &c->affinity);
	if (CPU_COUNT(&bad)) {
		pr_err("--vcpu-affinity %s: CPU %s not available to s2vmm (it may run on %s)",
		       vmm_cpulist_fmt(&c->affinity, a, sizeof(a)), vmm_cpulist_fmt(&bad, b, sizeof(b)),
		       vmm_cpulist_fmt(&allowed, m, sizeof(m)));
		return -1;
	}
	return 0;
}

int vmm_machine_run(const struct vmm_config *config)
{
	struct vmm_config cfg = *config, *c = &cfg;
	static uint8_t fdt[VMM_FDT_MAX];
	struct vmm_vm *vm = &vm0;
	struct vmm_fdt_info fi = { 0 };
	struct vmm_boot boot = { 0 };
	char args[2048], err[512];
	bool its_auto;
	int rc;

	vmm_loglevel = c->loglevel;
	rc = vmm_kvm_open(&vm->kvm);
	if (rc) {
		pr_err("cannot open /dev/kvm: %s", strerror(-rc));
		return 1;
	}
	its_auto = c->irqchip == VMM_IRQCHIP_AUTO;
	if (resolve_host_defaults(&vm->kvm, c) || check_affinity(c))
		return 2;
	if (vmm_features_resolve(&vm->kvm, c, &vm->feat, err, sizeof(err))) {
		pr_err("%s", err);
		return 2;
	}
	if (!vm->feat.pvtime)
		c->no_pvtime = true;
	vm->affinity = c->has_affinity ? &c->affinity : NULL;
	if (compute_layout(c, vm->kvm.ipa_limit, vm->kvm.has_ipa_cap, &vm->layout))
		return 2;
	/*
	 * GITS_BASER holds addresses above 2^48 only in its 64K-page form,
	 * which 4K-page Linux guests do not write: the default irqchip leaves
	 * the ITS out when RAM reaches that high (an explicit gicv3-its keeps
	 * it, with a warning from the GIC setup).
	 */
	if (its_auto && vm->layout.has_its && vm->layout.ram_end > VMM_SPLIT_HIGH_BASE) {
		pr_info("no ITS by default: RAM reaches above 2^48, where 4K-page guests cannot place ITS tables (--irqchip gicv3-its to have one)");
		c->irqchip = VMM_IRQCHIP_GICV3;
		if (compute_layout(c, vm->kvm.ipa_limit, vm->kvm.has_ipa_cap, &vm->layout))
			return 2;
	}
	if (c->print_layout)
		vmm_layout_print(&vm->layout, stdout);
	if (!c->kernel && !c->print_layout && !c->dtb_out) {
		pr_err("no kernel given (-k FILE); see s2vmm run --help");
		return 2;
	}
	if (c->kernel && vmm_boot_prepare(c->kernel, c->initrd, &vm->layout, &boot, err, sizeof(err))) {
		pr_err("%s", err);
		return 2;
	}
	bootargs(c, args, sizeof(args));
	fi.bootargs = args;
	fi.initrd_start = boot.initrd_start;
	fi.initrd_end = boot.initrd_end;
	fi.virtio_console = c->console == VMM_CONSOLE_VIRTIO;
	fi.pmu = vm->feat.pmu;
	fi.kaslr_seed = c->kaslr_seed;
	rc = vmm_fdt_build(&vm->layout, &fi, fdt);
	if (rc) {
		pr_err("building the device tree: %s", fdt_strerror(rc));
		return 1;
	}
	if (c->dtb_out && write_dtb(c->dtb_out, fdt))
		return 1;
	fflush(stdout);
	if (!c->kernel)
		return 0;
	pr_info("kernel %s (%s) at %#" PRIx64 ", DTB at %#" PRIx64 "%s", c->kernel,
		boot.linux_image ? "arm64 Image" : "raw binary", boot.kernel_addr, boot.dtb,
		boot.initrd.size ? ", initrd below it" : "");
	pr_info("%s", vmm_features_describe(&vm->feat, err, sizeof(err)));
	if (build_vm(vm, c, &boot, fdt))
		return 1;
	rc = vmm_run_vcpus(vm);
	vmm_kvm_close(&vm->kvm);
	return rc;
}
