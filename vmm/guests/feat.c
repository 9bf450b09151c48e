/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal guest that checks the vCPU features s2vmm gives it. The
 * kernel command line (-p) names the checks to run:
 *   ids     what the ID registers show: SVE, pointer authentication, MTE,
 *           PMUv3
 *   pmu     the cycle counter and an event counter count; a software
 *           increment past 2^32 raises the overflow interrupt, which the
 *           device tree's PMU node names
 *   sve     the vector length, and z0-z31, p0-p15 and FFR unchanged across
 *           thousands of exits to s2vmm (each saves and restores them)
 *   smp     PSCI CPU_ON starts vCPU 1 with its context id, CPU_OFF stops it
 *   its     an LPI through the in-kernel ITS, programmed by the guest
 *   pvtime  the stolen-time structure the PV_TIME_ST hypercall names
 *   pci     a modern virtio-pci device: BARs, capabilities, the PCI
 *           configuration window, MSI-X masking through the ITS, rings
 *           outside RAM refused (vpci.c)
 *   pci-legacy  a legacy one: queue PFNs beyond RAM refused, then used
 * Every check prints "s2vmm-guest: <what> ok" or "... FAIL"; the host
 * side (tests/vmm/check-kvm.sh) judges the lines.
 */
#include <stdint.h>

#include "gicv3.h"
#include "gio.h"
#include "vpci.h"

#define PMU_PPI 23

static uint32_t field(uint64_t reg, unsigned shift)
{
	return (uint32_t)(reg >> shift & 0xf);
}

static void ids(const void *fdt)
{
	uint32_t len = 0;
	const uint8_t *seed = dt_prop(fdt, "chosen", "kaslr-seed", &len);

	uint64_t pfr0 = SYSREG_READ("id_aa64pfr0_el1"), pfr1 = SYSREG_READ("id_aa64pfr1_el1");
	uint64_t isar1 = SYSREG_READ("id_aa64isar1_el1"), isar2 = SYSREG_READ("S3_0_C0_C6_2");
	uint64_t dfr0 = SYSREG_READ("id_aa64dfr0_el1");
	/* APA, API, GPA, GPI in ISAR1; APA3, GPA3 (QARMA3) in ISAR2. */
	bool pauth = field(isar1, 4) || field(isar1, 8) || field(isar2, 12);
	bool pauth_gen = field(isar1, 24) || field(isar1, 28) || field(isar2, 8);
	uint32_t pmuver = field(dfr0, 8);

	puts_("s2vmm-guest: ids SVE=");
	putdec(field(pfr0, 32));
	puts_(" PAuth=");
	puts_(pauth && pauth_gen ? "address+generic" : pauth ? "address" : "none");
	puts_(" MTE=");
	putdec(field(pfr1, 8));
	puts_(" PMUv3=");
	puts_(pmuver && pmuver != 0xf ? "yes" : "no");
	puts_(" kaslr-seed=");
	if (seed && len == 8)
		puthex(be64(seed));
	else
		puts_("none");
	puts_(" pmu-nodes=");
	putdec(dt_count(fdt, "pmu"));
	putln("");
}

/* A loop the compiler keeps. */
static void spin(unsigned n)
{
	for (volatile unsigned i = 0; i < n; i++)
		;
}

static void pmu(const void *fdt)
{
	static const uint8_t want_irq[12] = { 0, 0, 0, 1, 0, 0, 0, PMU_PPI - 16, 0, 0, 0, 4 };
	uint32_t len = 0;
	const char *compat = dt_prop(fdt, "pmu", "compatible", 0);
	const uint8_t *irq = dt_prop(fdt, "pmu", "interrupts", &len);
	bool irq_ok = irq && len == 12;
	uint64_t pmcr, c0, c1, ovs;
	struct gic g;
	unsigned id, n;

	for (unsigned i = 0; irq_ok && i < 12; i++)
		irq_ok = irq[i] == want_irq[i];
	check(compat && word_in(compat, "arm,armv8-pmuv3") && irq_ok,
	      "pmu: device tree node arm,armv8-pmuv3 with PPI 23 (interrupts <1 7 4>)");
	check(field(SYSREG_READ("id_aa64dfr0_el1"), 8) != 0, "pmu: ID_AA64DFR0_EL1.PMUVer is set");
	pmcr = SYSREG_READ("pmcr_el0");
	n = (unsigned)(pmcr >> 11 & 0x1f);
	puts_("s2vmm-guest: pmu: PMCR_EL0 ");
	puthex(pmcr);
	puts_(", ");
	putdec(n);
	putln(" event counters");
	check(n >= 2, "pmu: at least two event counters");
	/* E, P and C reset, LC: a 64-bit cycle counter. */
	SYSREG_WRITE("pmcr_el0", (1u << 0) | (1u << 1) | (1u << 2) | (1u << 6));
	SYSREG_WRITE("pmccfiltr_el0", 0);
	SYSREG_WRITE("pmovsclr_el0", 0xffffffffULL);
	SYSREG_WRITE("pmcntenset_el0", 1ULL << 31);
	ISB();
	c0 = SYSREG_READ("pmccntr_el0");
	spin(200000);
	c1 = SYSREG_READ("pmccntr_el0");
	check(c1 > c0, "pmu: cycle counter counts");
	SYSREG_WRITE("pmevtyper1_el0", 0x11);          /* CPU_CYCLES */
	SYSREG_WRITE("pmevcntr1_el0", 0);
	SYSREG_WRITE("pmcntenset_el0", 1u << 1);
	ISB();
	spin(200000);
	c1 = SYSREG_READ("pmevcntr1_el0");
	check(c1 > 0, "pmu: event counter 1 counts CPU_CYCLES");
	SYSREG_WRITE("pmcntenclr_el0", 1u << 1);

	/* SW_INCR on counter 0, two increments short of 2^32. */
	gic_find(fdt, &g);
	gic_init_cpu(&g, 0);
	gic_enable_ppi(&g, 0, PMU_PPI);
	SYSREG_WRITE("pmevtyper0_el0", 0x00);
	SYSREG_WRITE("pmevcntr0_el0", 0xfffffffeULL);
	SYSREG_WRITE("pmintenset_el1", 1u << 0);
	SYSREG_WRITE("pmcntenset_el0", 1u << 0);
	ISB();
	SYSREG_WRITE("pmswinc_el0", 1u << 0);
	ISB();
	c0 = SYSREG_READ("pmevcntr0_el0");
	ovs = SYSREG_READ("pmovsset_el0");
	id = gic_ack(50);
	check(c0 == 0xffffffffULL && !(ovs & 1) && id == INTID_SPURIOUS,
	      "pmu: SW_INCR to 0xffffffff, no overflow yet");
	SYSREG_WRITE("pmswinc_el0", 1u << 0);
	ISB();
	c0 = SYSREG_READ("pmevcntr0_el0");
	ovs = SYSREG_READ("pmovsset_el0");
	id = gic_ack(2000);
	puts_("s2vmm-guest: pmu: after the overflow counter ");
	puthex(c0);
	puts_(" PMOVSSET ");
	puthex(ovs);
	puts_(" interrupt ");
	putdec(id);
	putln("");
	/* PMCR_EL0.LP is 0: the overflow is at 32 bits, even where PMUv3p5
	   makes the counter 64 bits wide (the count goes on in bit 32). */
	check((uint32_t)c0 == 0 && (ovs & 1) && id == PMU_PPI, "pmu: SW_INCR overflow raises PPI 23");
	SYSREG_WRITE("pmovsclr_el0", 1u << 0);
	SYSREG_WRITE("pmcntenclr_el0", 1u << 0);
	ISB();

	/* CPU_CYCLES counted by the host's PMU through KVM's perf event. */
	SYSREG_WRITE("pmevtyper1_el0", 0x11);
	SYSREG_WRITE("pmevcntr1_el0", 0xffffffffULL - 20000);
	SYSREG_WRITE("pmintenset_el1", 1u << 1);
	SYSREG_WRITE("pmcntenset_el0", 1u << 1);
	ISB();
	id = gic_ack(5000);
	ovs = SYSREG_READ("pmovsset_el0");
	check(id == PMU_PPI && (ovs & 2), "pmu: CPU_CYCLES overflow raises PPI 23");
	SYSREG_WRITE("pmcntenclr_el0", 0xffffffffULL);
	SYSREG_WRITE("pmovsclr_el0", 0xffffffffULL);
}

void sve_load(const void *buf);
void sve_store(void *buf);
unsigned sve_vl_bytes(void);

#define SVE_MAX_VL_BYTES 256
#define SVE_STATE (32 * SVE_MAX_VL_BYTES + 17 * SVE_MAX_VL_BYTES / 8)
static uint8_t sve_in[SVE_STATE], sve_out[SVE_STATE];

static void sve(void)
{
	unsigned vl, size, bad = 0;

	if (!field(SYSREG_READ("id_aa64pfr0_el1"), 32)) {
		check(false, "sve: ID_AA64PFR0_EL1.SVE is set");
		return;
	}
	/* CPACR_EL1.FPEN and ZEN: no traps at EL1; ZCR_EL1.LEN: the
	   largest length, which KVM limits to the VM's maximum. */
	SYSREG_WRITE("cpacr_el1", SYSREG_READ("cpacr_el1") | 3u << 20 | 3u << 16);
	ISB();
	SYSREG_WRITE("S3_0_C1_C2_0", 0xf);
	ISB();
	vl = sve_vl_bytes();
	puts_("s2vmm-guest: sve: vector length ");
	putdec(vl * 8);
	putln(" bits");
	if (vl > SVE_MAX_VL_BYTES || vl % 16) {
		check(false, "sve: vector length is a multiple of 128 up to 2048 bits");
		return;
	}
	size = 32 * vl + 17 * vl / 8;
	for (unsigned i = 0; i < size; i++)
		sve_in[i] = (uint8_t)(i * 7 + (i >> 8) * 13 + 0x5a);
	sve_load(sve_in);
	/* Each read of the UART's line status is an exit to s2vmm, and
	   every return to the host saves the guest's SVE state (KVM's
	   vcpu_put) and brings back s2vmm's own. */
	for (unsigned i = 0; i < 3000; i++)
		(void)*(volatile uint8_t *)(uintptr_t)(uart_base() + 5);
	sve_store(sve_out);
	for (unsigned i = 0; i < size; i++)
		bad += sve_in[i] != sve_out[i];
	puts_("s2vmm-guest: sve: ");
	putdec(size);
	puts_(" bytes of register state, ");
	putdec(bad);
	putln(" changed");
	check(bad == 0, "sve: z0-z31, p0-p15 and FFR survive 3000 exits to the VMM");
}

static uint8_t stack1[4096] __attribute__((aligned(16)));
static volatile uint64_t seen_ctx, seen_mpidr;
extern char secondary_start[];
void secondary_main(uint64_t ctx);

void secondary_main(uint64_t ctx)
{
	seen_mpidr = SYSREG_READ("mpidr_el1");
	seen_ctx = ctx;
	DSB();
}

static bool wait_for(volatile uint64_t *v, unsigned ms)
{
	uint64_t t0 = now(), limit = ticks_per_sec() / 1000 * ms;

	while (!*v && now() - t0 < limit)
		;
	return *v != 0;
}

static void smp(const void *fdt)
{
	const uint8_t *reg = dt_prop(fdt, "cpu@1", "reg", 0);
	uint64_t top = (uint64_t)(uintptr_t)(stack1 + sizeof(stack1));
	uint64_t mpidr1 = reg ? be32(reg) : 0, self = SYSREG_READ("mpidr_el1") & 0xff00ffffffULL;
	uint64_t t0;
	int64_t v = psci(PSCI_VERSION, 0, 0, 0), r;

	puts_("s2vmm-guest: psci: version ");
	putdec((uint64_t)v >> 16);
	putc_('.');
	putdec((uint64_t)v & 0xffff);
	puts_(", ");
	putdec(dt_count(fdt, "cpu@"));
	putln(" CPUs in the device tree");
	check(v >= 0x10000, "psci: version 1.0 or later");
	if (!reg) {
		check(false, "smp: the device tree has a cpu@1");
		return;
	}
	r = psci(PSCI_AFFINITY_INFO, mpidr1, 0, 0);
	check(r == 1, "psci: vCPU 1 starts OFF (AFFINITY_INFO 1)");
	r = psci(PSCI_CPU_ON, mpidr1, (uint64_t)(uintptr_t)secondary_start, top);
	check(r == 0, "psci: CPU_ON vCPU 1 returns SUCCESS");
	wait_for(&seen_ctx, 5000);
	puts_("s2vmm-guest: smp: vCPU 1 ran with context ");
	puthex(seen_ctx);
	puts_(" MPIDR ");
	puthex(seen_mpidr);
	putln("");
	check(seen_ctx == top && (seen_mpidr & 0xff00ffffffULL) == mpidr1,
	      "smp: vCPU 1 entered with its context id and MPIDR");
	t0 = now();
	while ((r = psci(PSCI_AFFINITY_INFO, mpidr1, 0, 0)) != 1 && now() - t0 < 5 * ticks_per_sec())
		;
	check(r == 1, "psci: vCPU 1 OFF again after its CPU_OFF");
	check(psci(PSCI_CPU_ON, self, (uint64_t)(uintptr_t)secondary_start, top) == -4,
	      "psci: CPU_ON of the running vCPU is ALREADY_ON");
	check(psci(PSCI_CPU_ON, 0xfe, (uint64_t)(uintptr_t)secondary_start, top) == -2,
	      "psci: CPU_ON of a vCPU that does not exist is INVALID_PARAMETERS");
}

static void its(const void *fdt)
{
	struct gic g;
	unsigned id;

	if (!gic_find(fdt, &g) || !g.its) {
		check(false, "its: the device tree has an ITS (msic@ node)");
		return;
	}
	gic_init_cpu(&g, 0);
	check(its_setup(&g, 0), "its: LPIs and ITS tables enabled");
	check(its_map(&g, 0, 1, 3, LPI_BASE + 5), "its: MAPD, MAPC, MAPTI, SYNC consumed");
	check(gic_ack(20) == INTID_SPURIOUS, "its: nothing pending before INT");
	/* What a device's MSI would write. KVM's ITS has no GITS_TRANSLATER
	   for the guest (only the VMM's KVM_SIGNAL_MSI raises MSIs), so this
	   is shown, not judged. */
	w32(g.its + 0x10040, 3);
	puts_("s2vmm-guest: its: after a guest write of event 3 to GITS_TRANSLATER, INTID ");
	putdec(gic_ack(200));
	putln(" (1023: none)");
	check(its_int(&g, 1, 3), "its: INT consumed");
	id = gic_ack(2000);
	puts_("s2vmm-guest: its: acknowledged INTID ");
	putdec(id);
	putln("");
	check(id == LPI_BASE + 5, "its: LPI 8197 (device 1, event 3) arrives");
}

#define SMCCC_ARCH_FEATURES 0x80000001ULL
#define PV_TIME_FEATURES    0xc5000020ULL
#define PV_TIME_ST          0xc5000021ULL

static void pvtime(void)
{
	int64_t f = psci(SMCCC_ARCH_FEATURES, PV_TIME_FEATURES, 0, 0);
	int64_t st = f ? f : psci(PV_TIME_FEATURES, PV_TIME_ST, 0, 0);
	int64_t ipa = st ? st : psci(PV_TIME_ST, 0, 0, 0);

	if (f || st) {
		putln("s2vmm-guest: pvtime: PV_TIME_ST not offered");
		return;
	}
	puts_("s2vmm-guest: pvtime: structure at ");
	puthex((uint64_t)ipa);
	puts_(" revision ");
	putdec(r32((uint64_t)ipa));
	puts_(" stolen ");
	putdec(w64_read((uint64_t)ipa + 8));
	putln(" ns");
}

void guest_main(const uint8_t *dtb, uint64_t entry);

void guest_main(const uint8_t *dtb, uint64_t entry)
{
	const char *args;

	(void)entry;
	if (be32(dtb) != 0xd00dfeed || !gio_init(dtb))
		return;
	args = dt_prop(dtb, "chosen", "bootargs", 0);
	puts_("s2vmm-guest: feature checks: ");
	putln(args ? args : "");
	if (word_in(args, "ids"))
		ids(dtb);
	if (word_in(args, "pmu"))
		pmu(dtb);
	if (word_in(args, "sve"))
		sve();
	if (word_in(args, "smp"))
		smp(dtb);
	if (word_in(args, "its"))
		its(dtb);
	if (word_in(args, "pvtime"))
		pvtime();
	if (word_in(args, "pci"))
		vpci_modern(dtb);
	if (word_in(args, "pci-legacy"))
		vpci_legacy(dtb);
	puts_("s2vmm-guest: feature checks done, ");
	putdec(gio_failures);
	putln(" failed");
}
