/* SPDX-License-Identifier: MIT */
/*
 * KVM's vCPU PMU attributes (Documentation/virt/kvm/devices/vcpu.rst,
 * KVM_ARM_VCPU_PMU_V3_CTRL): the interrupt is a PPI number, the same on
 * every vCPU; SET_PMU (Linux 6.0 on) picks the host PMU; INIT needs an
 * initialised vGIC.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cpulist.h"
#include "log.h"
#include "pmu.h"

#define EVENT_SOURCES "/sys/bus/event_source/devices"

static int pmu_attr(struct vmm_vcpu *v, uint64_t attr, void *val)
{
	struct kvm_device_attr a = {
		.group = KVM_ARM_VCPU_PMU_V3_CTRL, .attr = attr, .addr = (uint64_t)(uintptr_t)val,
	};

	return ioctl(v->fd, KVM_SET_DEVICE_ATTR, &a) ? -errno : 0;
}

static int read_line(const char *dir, const char *name, const char *file, char *buf, size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, name, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/*
 * kvmtool's find_pmu(): the host PMU (perf event source with a "cpus"
 * list) whose CPUs include every CPU the vCPUs may run on, the
 * --vcpu-affinity set or else the CPU this thread runs on. A big.LITTLE
 * host has one PMU per cluster; KVM then counts with the chosen one.
 * Return: its perf type (> 5), or -1 when none covers them all.
 */
static int find_host_pmu(const cpu_set_t *affinity)
{
	cpu_set_t want, cpus, both;
	char buf[1024], err[160];
	struct dirent *d;
	DIR *dir;
	int type = -1;

	CPU_ZERO(&want);
	if (affinity)
		want = *affinity;
	else if (sched_getcpu() >= 0)
		CPU_SET(sched_getcpu(), &want);
	dir = opendir(EVENT_SOURCES);
	if (!dir)
		return -1;
	while (type < 0 && (d = readdir(dir))) {
		if (d->d_name[0] == '.' || read_line(EVENT_SOURCES, d->d_name, "cpus", buf, sizeof(buf)) ||
		    vmm_cpulist_parse(buf, &cpus, err, sizeof(err)))
			continue;
		CPU_AND(&both, &want, &cpus);
		if (!CPU_EQUAL(&both, &want) || read_line(EVENT_SOURCES, d->d_name, "type", buf, sizeof(buf)))
			continue;
		type = atoi(buf);
		pr_debug("--pmu: host PMU %s (perf type %d) covers the vCPUs' CPUs", d->d_name, type);
	}
	closedir(dir);
	return type > 5 ? type : -1;
}

static bool pmu_has_attr(struct vmm_vcpu *v, uint64_t attr)
{
	struct kvm_device_attr a = { .group = KVM_ARM_VCPU_PMU_V3_CTRL, .attr = attr };

	return ioctl(v->fd, KVM_HAS_DEVICE_ATTR, &a) == 0;
}

int vmm_pmu_init(struct vmm_vm *vm)
{
	int irq = VMM_PMU_PPI, type = -1;

	if (vm->nr_vcpus && pmu_has_attr(&vm->vcpu[0], KVM_ARM_VCPU_PMU_V3_SET_PMU)) {
		type = find_host_pmu(vm->affinity);
		if (type < 0)
			pr_debug("--pmu: no host PMU covers every CPU the vCPUs may run on; KVM picks one");
	}

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		int rc = pmu_attr(&vm->vcpu[i], KVM_ARM_VCPU_PMU_V3_IRQ, &irq);

		if (rc) {
			pr_err("--pmu: setting PPI %d as vCPU %u's PMU interrupt: %s", irq, i,
			       strerror(-rc));
			return rc;
		}
		rc = type > 0 ? pmu_attr(&vm->vcpu[i], KVM_ARM_VCPU_PMU_V3_SET_PMU, &type) : 0;
		if (rc) {
			pr_err("--pmu: KVM_ARM_VCPU_PMU_V3_SET_PMU (host PMU type %d) on vCPU %u: %s", type,
			       i, strerror(-rc));
			return rc;
		}
		rc = pmu_attr(&vm->vcpu[i], KVM_ARM_VCPU_PMU_V3_INIT, NULL);
		if (rc) {
			pr_err("--pmu: KVM_ARM_VCPU_PMU_V3_INIT on vCPU %u: %s", i, strerror(-rc));
			return rc;
		}
	}
	return 0;
}
