/* SPDX-License-Identifier: MIT */
/*
 * The VMs, created from KVM-style type values on the host this CPU makes
 * (limits from its ID registers), the types the host must refuse, and
 * the table `make demo` shows.
 *
 * Three 52-bit-class VMs have their RAM above 2^48: 4K with LPA2, 16K
 * with LPA2 at the largest IPA QEMU's walker handles (51 bits under QEMU
 * 7.2, see quirks.c), 64K with FEAT_LPA (and the hardware Access flag and
 * dirty state, where the CPU has them). Two smaller VMs run the same
 * image. Three more misbehave and must be stopped while the rest go on;
 * one more programs its ITS wrongly as well and must get command errors
 * while it and the others finish.
 */
#include <s2/err.h>
#include "alloc.h"
#include "check.h"
#include "host.h"
#include "printf.h"
#include "quirks.h"
#include "scenario.h"
#include "sched.h"
#include "tvm.h"

struct spec {
	enum s2_granule granule;
	bool no_lpa2;          /* a host that does not use LPA2 (like Linux 6.1) */
	uint64_t type;
	unsigned mode;
	unsigned flags;
};

#define NSPECS 10
#define NPROBES 8          /* probes in guest/main.c test_isolation() */

static struct tvm vms[NSPECS];

extern const char guest_image[], guest_image_end[];

static const char *const mode_names[] = {
	"", " (misbehaves: wild jump)", " (misbehaves: past IPA)", " (misbehaves: spins)",
	" (misbehaves: ITS commands)",
};

/* A VM running the guest image, booted as guest/proto.h says. */
static int tvm_create(struct tvm *t, unsigned id, const struct s2_host *h, uint64_t type,
		      unsigned mode, unsigned flags, struct s2_diag *d)
{
	struct vm *vm = &t->vm;
	int rc;

	*t = (struct tvm){ .mode = mode, .seed = 0x9000 + id * 0x1111 };
	rc = vm_create(vm, id, h, type, flags, guest_image,
		       (size_t)(guest_image_end - guest_image), d);
	if (rc)
		return rc;
	t->dev_ipa = vm->ram_ipa - TVM_DEV_GAP;
	vm->regs.x[0] = vm->ram_ipa;
	vm->regs.x[1] = vm->ram_size;
	vm->regs.x[2] = t->dev_ipa;
	vm->regs.x[3] = vm->s2.pgt.geom.ipa_bits;
	vm->regs.x[4] = vm_page(vm);
	vm->regs.x[5] = mode;
	vm->regs.x[6] = id;
	vm->regs.x[7] = vm->vgic.base;
	vm->el1.sp = vm->ram_ipa + GUEST_STACK_TOP;
	return 0;
}

/* Types a host must refuse, with the library's message. */
static void refuse_types(void)
{
	static const struct { enum s2_granule g; uint64_t type; unsigned cpu_pa; } bad[] = {
		{ S2_GRANULE_4K, 53, 0 },      /* above the limit */
		{ S2_GRANULE_16K, 31, 0 },     /* below 32 */
		{ S2_GRANULE_64K, 0x134, 0 },  /* bit 8 set */
		{ S2_GRANULE_4K, 0, 36 },      /* "40 bits" on a 36-bit CPU */
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct s2_host_config cfg = { bad[i].g, !bad[i].cpu_pa, 0, S2_POLICY_INDEPENDENT, 0 };
		struct s2_host_caps caps = host_caps;
		struct s2_id_regs r;
		struct s2_host h;
		struct s2_diag d;
		struct tvm t;
		char type[8];
		int rc;

		if ((bad[i].cpu_pa && (s2_id_regs_synth(bad[i].cpu_pa, &r, &d) ||
				       s2_host_caps_decode(&r, &caps, &d))) ||
		    s2_host_init(&h, &caps, &cfg, &d)) {
			check(false, "host for %s: %s", s2_granule_name(bad[i].g), d.msg);
			continue;
		}
		rc = tvm_create(&t, 99, &h, bad[i].type, MODE_NORMAL, 0, &d);
		if (!check(rc == S2_EINVAL, "VM type %#llx on a %u-bit %s host: got %s, want EINVAL",
			   (unsigned long long)bad[i].type, h.ipa_limit, s2_granule_name(bad[i].g),
			   s2_errname(rc)))
			continue;
		snprintf(type, sizeof(type), "%#llx", (unsigned long long)bad[i].type);
		printf("%-5s %-6s %-4s %-4s %-5s %-6s %-3s %-6s %-12s %-37s %-7s %-5s %-16s "
		       "refused by a %u-bit host: %s\n", "-", type, "-", s2_granule_name(bad[i].g),
		       "-", "-", "-", "-", "-", "-", "-", "-", "-", h.ipa_limit, d.msg);
	}
}

static void table_header(void)
{
	printf("\n%-5s %-6s %-4s %-4s %-5s %-6s %-3s %-6s %-12s %-37s %-7s %-5s %-16s %s\n",
	       "VM", "type", "IPA", "gran", "52bit", "levels", "SL", "concat", "VTCR_EL2",
	       "RAM (IPA range)", "faults", "lpis", "its_tables", "result");
}

static void table_row(const struct tvm *t)
{
	const struct vm *vm = &t->vm;
	const struct s2_geometry *g = &vm->s2.pgt.geom;
	char name[8], type[8], ram[40], vtcr[16], its[20] = "-", errs[48] = "";
	uint64_t faults = vm->st.s2_aborts, lowest;

	snprintf(name, sizeof(name), "vm%u", vm->id);
	snprintf(type, sizeof(type), "%#llx", (unsigned long long)vm->type);
	snprintf(ram, sizeof(ram), "%#llx-%#llx", (unsigned long long)vm->ram_ipa,
		 (unsigned long long)(vm->ram_ipa + vm->ram_size - 1));
	snprintf(vtcr, sizeof(vtcr), "%#llx", (unsigned long long)vm->s2.vtcr);
	if (vits_lowest_table_ipa(&vm->vgic.its, &lowest) == 0)
		snprintf(its, sizeof(its), "%#llx", (unsigned long long)lowest);
	if (vm->vgic.its.stats.cmd_errors)
		snprintf(errs, sizeof(errs), "; %llu ITS command errors%s",
			 (unsigned long long)vm->vgic.its.stats.cmd_errors,
			 t->mode == MODE_BAD_ITS ? ", as intended" : "");
	printf("%-5s %-6s %-4u %-4s %-5s %-6u %-3d %-6u %-12s %-37s %-7llu %-5llu %-16s %s%s%s\n",
	       name, type, g->ipa_bits, s2_granule_name(g->granule),
	       g->ds ? "LPA2" : g->lpa ? "LPA" : "-", g->levels, g->start_level, g->concat, vtcr,
	       ram, (unsigned long long)faults, (unsigned long long)vm->vgic.st.lpis, its,
	       vm->state == VM_DONE ? "" : t->mode != MODE_NORMAL ? "stopped, as intended: " :
	       "stopped: ", vm->result, errs);
}

static void details(const struct tvm *t)
{
	const struct vm *vm = &t->vm;
	const struct vm_stats *s = &vm->st;

	printf("vm%u: %llu exits, %llu stage-2 aborts: %llu pages + %llu blocks demand-mapped, "
	       "%llu emulated MMIO, %llu to the VMM, %llu access-flag, %llu dirty-log, %llu probes, "
	       "%llu spurious; %llu preemptions; "
	       "HPFAR cross-checked %llu times; %llu TLBI calls (%llu on behalf while not loaded)\n",
	       vm->id, (unsigned long long)s->exits, (unsigned long long)s->s2_aborts,
	       (unsigned long long)s->mapped_pages, (unsigned long long)s->mapped_blocks,
	       (unsigned long long)s->mmio, (unsigned long long)s->user_exits,
	       (unsigned long long)s->af_faults,
	       (unsigned long long)s->dirty_faults, (unsigned long long)t->probes,
	       (unsigned long long)s->spurious, (unsigned long long)s->preempted,
	       (unsigned long long)t->hpfar_checked,
	       (unsigned long long)vm->s2.tlbi_ops, (unsigned long long)vm->s2.tlbi_loads);
	printf("vm%u: %llu WFI, %llu trapped system register accesses (%llu UNDEFINED for the "
	       "guest); virtual GIC: %llu SGIs, %llu timer, %llu SPIs, "
	       "%llu LPIs taken, %llu maintenance interrupts (%llu underflow, %llu EOI), %llu entries "
	       "with more pending than list registers, %llu LPIs dropped, %llu bad accesses\n",
	       vm->id, (unsigned long long)s->wfi, (unsigned long long)s->sysregs,
	       (unsigned long long)s->undefs,
	       (unsigned long long)vm->vgic.st.sgis, (unsigned long long)vm->vgic.st.vtimer,
	       (unsigned long long)vm->vgic.st.spis, (unsigned long long)vm->vgic.st.lpis,
	       (unsigned long long)vm->vgic.st.maint, (unsigned long long)vm->vgic.st.underflows,
	       (unsigned long long)vm->vgic.st.eois, (unsigned long long)vm->vgic.st.overflows,
	       (unsigned long long)vm->vgic.st.lpi_dropped, (unsigned long long)vm->vgic.st.bad_mmio);
}

static bool contains(const char *s, const char *w)
{
	for (; *s; s++) {
		unsigned i = 0;
		while (w[i] && s[i] == w[i])
			i++;
		if (!w[i])
			return true;
	}
	return false;
}

/* What each VM must have done by the end. */
static void verify(const struct tvm *t)
{
	const struct vm *vm = &t->vm;

	if (t->mode == MODE_NORMAL || t->mode == MODE_BAD_ITS) {
		uint64_t lowest = 0;
		check(vm->state == VM_DONE && t->guest_failures == 0,
		      "vm%u did not pass: %s", vm->id, vm->result);
		check(t->dirty_ok == DIRTY_ROUNDS && t->age_ok == AGE_ROUNDS,
		      "vm%u: %u/%u dirty rounds and %u/%u aging rounds matched", vm->id,
		      t->dirty_ok, DIRTY_ROUNDS, t->age_ok, AGE_ROUNDS);
		check(t->probes == NPROBES, "vm%u: %llu of %u isolation probes reported",
		      vm->id, (unsigned long long)t->probes, NPROBES);
		check(vm->st.user_exits > 0 && vm->st.mapped_pages + vm->st.mapped_blocks > 0,
		      "vm%u: no MMIO or no demand faults", vm->id);
		check(t->gic_checked, "vm%u: the guest never reported its interrupts", vm->id);
		check(vm->st.undefs == PROTO_UNDEFS,
		      "vm%u: %llu trapped accesses made UNDEFINED for the guest, %u expected",
		      vm->id, (unsigned long long)vm->st.undefs, PROTO_UNDEFS);
		/* Where the IPA size allows, the ITS's tables are above 2^48. */
		check(vits_lowest_table_ipa(&vm->vgic.its, &lowest) == 0 && vm->vgic.st.lpis > 0 &&
		      (vm->s2.pgt.geom.ipa_bits < 52 || lowest >= 1ULL << 48),
		      "vm%u: %llu LPIs, lowest ITS table at %#llx", vm->id,
		      (unsigned long long)vm->vgic.st.lpis, (unsigned long long)lowest);
	} else {
		static const char *const why[] = { "", "instruction fetch", "beyond its IPA size",
						   "spinning" };
		check(vm->state == VM_STOPPED && contains(vm->result, why[t->mode % 4]),
		      "vm%u misbehaved (%s) but was not stopped for it: %s", vm->id,
		      mode_names[t->mode % 4], vm->result);
	}
}

void scenario_run(void)
{
	const bool hw = host_caps.ha && host_caps.hd;
	const struct spec specs[NSPECS] = {
		{ S2_GRANULE_4K, false, 52, MODE_NORMAL, 0 },
		{ S2_GRANULE_16K, false, quirk_16k_max_ipa(), MODE_NORMAL, 0 },
		{ S2_GRANULE_64K, false, 52, MODE_NORMAL, hw ? VM_F_HW_AF_DBM : 0 },
		{ S2_GRANULE_4K, true, 0, MODE_NORMAL, 0 },
		{ S2_GRANULE_4K, true, 48, MODE_NORMAL, 0 },
		{ S2_GRANULE_16K, false, 36, MODE_NORMAL, 0 },
		{ S2_GRANULE_64K, false, 42, MODE_WILD_JUMP, 0 },
		{ S2_GRANULE_4K, false, 32, MODE_PAST_IPA, 0 },
		{ S2_GRANULE_16K, false, 40, MODE_SPIN, 0 },
		{ S2_GRANULE_16K, false, 44, MODE_BAD_ITS, 0 },
	};
	static struct s2_host no_lpa2_host;
	struct s2_host_config no_lpa2_cfg = { S2_GRANULE_4K, false, 0, S2_POLICY_INDEPENDENT, 0 };
	struct s2_diag hd;
	bool have_no_lpa2 = s2_host_init(&no_lpa2_host, &host_caps, &no_lpa2_cfg, &hd) == 0;
	struct vm *run[NSPECS];
	unsigned n = 0;
	uint64_t live = alloc_stats()->live_bytes;

	printf("\nguests: %u VMs from KVM-style types, run interleaved\n", NSPECS);
	for (unsigned i = 0; i < NSPECS; i++) {
		const struct s2_host *h = specs[i].no_lpa2 ? (have_no_lpa2 ? &no_lpa2_host : NULL) :
					  host_for(specs[i].granule);
		struct s2_diag d;
		int rc;

		if (!h) {
			printf("vm%u: %s granule not usable at stage 2 on this CPU: skipped\n", i,
			       s2_granule_name(specs[i].granule));
			continue;
		}
		rc = tvm_create(&vms[i], i, h, specs[i].type, specs[i].mode, specs[i].flags, &d);
		if (!check(rc == 0, "vm%u: type %#llx: %s", i, (unsigned long long)specs[i].type, d.msg))
			continue;
		printf("vm%u: on %s host (IPA limit %u), type %#llx -> %u-bit IPA, %s granule%s, VTCR_EL2=%#llx VTTBR_EL2=%#llx, "
		       "RAM at IPA %#llx (host PA %#llx), device at %#llx%s%s\n", i,
		       h->ds ? "an LPA2" : "a non-LPA2", h->ipa_limit, (unsigned long long)specs[i].type, vms[i].vm.s2.pgt.geom.ipa_bits,
		       s2_granule_name(specs[i].granule),
		       vms[i].vm.s2.pgt.geom.ds ? " LPA2" : vms[i].vm.s2.pgt.geom.lpa ? " LPA" : "",
		       (unsigned long long)vms[i].vm.s2.vtcr, (unsigned long long)vms[i].vm.s2.vttbr,
		       (unsigned long long)vms[i].vm.ram_ipa, (unsigned long long)vms[i].vm.ram_pa,
		       (unsigned long long)vms[i].dev_ipa,
		       specs[i].flags & VM_F_HW_AF_DBM ? ", hardware AF/DBM" : "",
		       mode_names[specs[i].mode]);
		run[n++] = &vms[i].vm;
	}

	sched_run(run, n, tvm_exit);

	for (unsigned i = 0; i < n; i++) {
		details(tvm_of(run[i]));
		verify(tvm_of(run[i]));
	}
	table_header();
	for (unsigned i = 0; i < n; i++)
		table_row(tvm_of(run[i]));
	refuse_types();

	for (unsigned i = 0; i < n; i++) {
		uint64_t leaked = vm_destroy(run[i]);
		check(leaked == 0, "vm%u: %llu bytes of tables not freed", run[i]->id,
		      (unsigned long long)leaked);
	}
	check(alloc_stats()->live_bytes == live, "guests: %lld bytes not returned to the allocator",
	      (long long)(alloc_stats()->live_bytes - live));
}
