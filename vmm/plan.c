/* SPDX-License-Identifier: MIT */
/*
 * The plan is made twice when a VM runs: once before /dev/kvm is opened,
 * against the largest IPA limit there is (or --ipa-limit), so input that
 * is wrong on every host is refused on every host; then against the
 * limit KVM reports, which can only refuse what this host cannot hold.
 * The files are read once, in the first pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libfdt.h>

#include "cpulist.h"
#include "log.h"
#include "plan.h"
#include "virtio_blk.h"

static int bootargs(const struct vmm_config *c, char *buf, size_t len)
{
	const char *def = "";
	int n;

	if (!c->nodefaults)
		def = c->console == VMM_CONSOLE_VIRTIO ? "console=hvc0" : "console=ttyS0 earlycon";
	n = snprintf(buf, len, "%s%s%s", def, *def && c->params ? " " : "",
		     c->params ? c->params : "");
	if (n < 0 || (size_t)n >= len) {
		pr_err("-p: the kernel command line would be %d bytes (%zu of -p%s%s%s); arm64 Linux takes at most %zu (COMMAND_LINE_SIZE)",
		       n, c->params ? strlen(c->params) : 0, *def ? " after \"" : "", def,
		       *def ? "\"" : "", len - 1);
		buf[0] = 0;
		return -1;
	}
	return 0;
}

static int compute_layout(const struct vmm_config *c, unsigned limit, bool has_cap, bool pmu,
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
	r.pmu = pmu;
	r.virtio_console = c->console == VMM_CONSOLE_VIRTIO;
	r.virtio_legacy = c->virtio_legacy;
	r.virtio_pci = !c->virtio_mmio;
	r.nr_disks = c->nr_disks;
	r.rng = c->rng;
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

int vmm_plan_layout(const struct vmm_config *c, unsigned limit, bool has_cap,
		    struct vmm_plan *p)
{
	struct vmm_fdt_info fi = { 0 };
	char err[512];
	int rc;

	if (compute_layout(c, limit, has_cap, p->pmu, &p->layout))
		return 2;
	if (c->kernel && vmm_boot_place(&p->boot, &p->layout, err, sizeof(err))) {
		pr_err("%s", err);
		return 2;
	}
	fi.bootargs = p->bootargs;
	fi.initrd_start = p->boot.initrd_start;
	fi.initrd_end = p->boot.initrd_end;
	fi.virtio_console = c->console == VMM_CONSOLE_VIRTIO;
	fi.kaslr_seed = c->kaslr_seed;
	rc = vmm_fdt_build(&p->layout, &fi, p->fdt);
	if (rc) {
		pr_err("building the device tree (%d bytes at most): %s", VMM_FDT_MAX,
		       fdt_strerror(rc));
		return 1;
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

/* Writing the device tree over the kernel, the initrd or a disk would
   destroy it: an existing --dtb-out that is one of them, by device and
   inode whatever the path, is refused before anything is read. */
static int dtb_out_is_input(const struct vmm_config *c)
{
	struct stat out, in;
	const char *what[2 + VMM_MAX_DISKS], *name[2 + VMM_MAX_DISKS];
	unsigned n = 0;

	if (stat(c->dtb_out, &out))
		return 0;           /* not there yet: it is nothing else */
	if (c->kernel)
		what[n] = "-k", name[n++] = c->kernel;
	if (c->initrd)
		what[n] = "-i", name[n++] = c->initrd;
	for (unsigned i = 0; i < c->nr_disks; i++)
		what[n] = "--disk", name[n++] = c->disks[i].path;
	for (unsigned i = 0; i < n; i++)
		if (!stat(name[i], &in) && in.st_dev == out.st_dev && in.st_ino == out.st_ino &&
		    (S_ISREG(out.st_mode) || S_ISBLK(out.st_mode))) {
			pr_err("--dtb-out '%s' is %s '%s': writing the device tree would overwrite it",
			       c->dtb_out, what[i], name[i]);
			return -1;
		}
	return 0;
}

int vmm_plan_inputs(const struct vmm_config *config, struct vmm_plan *p)
{
	unsigned limit = config->ipa_limit ? config->ipa_limit : VMM_PLAN_IPA_LIMIT;
	struct vmm_config cfg = *config, *c = &cfg;
	char err[512];
	int rc;

	memset(&p->boot, 0, sizeof(p->boot));
	p->pmu = c->pmu;
	/* KVM's say comes later; until then, what holds on any host. */
	if (!c->cpus) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);

		c->cpus = online < 1 ? 1 : online > VMM_MAX_CPUS ? VMM_MAX_CPUS : (unsigned)online;
	}
	if (c->irqchip == VMM_IRQCHIP_AUTO)
		c->irqchip = VMM_IRQCHIP_GICV3;
	if (check_affinity(c))
		return 2;
	if (!c->kernel && !c->print_layout && !c->dtb_out) {
		pr_err("no kernel given (-k FILE); see s2vmm run --help");
		return 2;
	}
	if (c->initrd && !c->kernel) {
		pr_err("-i '%s': an initrd without a kernel (-k FILE) would be left out", c->initrd);
		return 2;
	}
	if (c->dtb_out && dtb_out_is_input(c))
		return 2;
	if (bootargs(c, p->bootargs, sizeof(p->bootargs)))
		return 2;
	if (compute_layout(c, limit, true, p->pmu, &p->layout))
		return 2;
	/* Disks are opened and locked now: one that cannot be is refused
	   before KVM is touched. */
	if (vmm_blk_open_all(c->disks, c->nr_disks, err, sizeof(err))) {
		pr_err("%s", err);
		return 2;
	}
	rc = c->kernel ? vmm_boot_read(c->kernel, c->initrd, vmm_boot_window(&p->layout), &p->boot,
				       err, sizeof(err)) : 0;
	if (rc) {
		pr_err("%s", err);
		vmm_blk_close_all();
		return rc == -EINVAL ? 2 : 1;
	}
	rc = vmm_plan_layout(c, limit, true, p);
	if (rc)
		vmm_plan_free(p);
	return rc;
}

/*
 * The device tree goes to a regular file through a temporary one beside
 * it, renamed over it once whole: a write that fails (a full disk)
 * leaves the file as it was, never a truncated DTB. Anything else (a
 * terminal, /dev/stdout, a FIFO) is written in place; a FIFO is opened
 * without waiting, so one nobody reads is an error rather than a hang.
 */
static int write_all(int fd, const void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(fd, (const char *)buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!w)
				errno = EIO;
			return -1;
		}
		done += (size_t)w;
	}
	return 0;
}

static int write_dtb(const char *path, const void *fdt)
{
	struct stat st;
	/* The name itself (lstat): /dev/stdout, a link, is written through. */
	int missing = lstat(path, &st) ? errno : 0;
	bool regular = missing == ENOENT || (!missing && S_ISREG(st.st_mode));
	char *tmp = NULL;
	int fd = -1, e;

	if (regular) {
		mode_t mask = umask(0);

		umask(mask);
		tmp = malloc(strlen(path) + 8);
		if (!tmp)
			goto fail;
		sprintf(tmp, "%s.XXXXXX", path);
		fd = mkstemp(tmp);
		if (fd < 0) {
			free(tmp);
			tmp = NULL;
			goto fail;
		}
		if (fchmod(fd, !missing ? st.st_mode & 07777 : 0644 & ~mask))
			goto fail;
	} else {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0644);
		if (fd < 0 && errno == ENXIO) {
			pr_err("--dtb-out '%s': a FIFO no process reads; start its reader first", path);
			return -1;
		}
		if (fd < 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK))
			goto fail;
	}
	if (write_all(fd, fdt, fdt_totalsize(fdt)))
		goto fail;
	e = close(fd);
	fd = -1;
	if (e || (tmp && rename(tmp, path)))
		goto fail;
	free(tmp);
	return 0;
fail:
	e = errno;
	pr_err("--dtb-out '%s': cannot write: %s", path, strerror(e));
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	return -1;
}

int vmm_plan_output(const struct vmm_config *c, const struct vmm_plan *p)
{
	if (c->print_layout) {
		vmm_layout_print(&p->layout, stdout);
		if (fflush(stdout)) {
			pr_err("--print-layout: cannot write to stdout: %s", strerror(errno));
			return 1;
		}
	}
	if (c->dtb_out && write_dtb(c->dtb_out, p->fdt))
		return 1;
	return 0;
}

void vmm_plan_free(struct vmm_plan *p)
{
	vmm_boot_free(&p->boot);
	vmm_blk_close_all();
}
