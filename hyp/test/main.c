/* SPDX-License-Identifier: MIT */
/*
 * s2hyp: a bare-metal EL2 hypervisor over libs2. The semihosting command
 * line picks what runs:
 *   check       every test (default): oracle, TLB isolation, guests,
 *               one VM on several CPUs, the deferred free under load
 *   oracle      the hardware oracle only
 *   demo        the guests, the summary table, the several-CPU runs and
 *               the deferred free under load
 *   smp         the several-CPU runs and the deferred free under load
 *   panic-test  take a deliberate EL2 fault (tests the panic path)
 * The exit status is 0 only if every check passed.
 */
#include <s2/err.h>
#include "alloc.h"
#include "check.h"
#include "host.h"
#include "irq.h"
#include "mmu.h"
#include "oracle.h"
#include "printf.h"
#include "quirks.h"
#include "scenario.h"
#include "permtest.h"
#include "tlbtest.h"
#include "vgic.h"
#include "vtimer.h"
#include "semihost.h"
#include "smp.h"
#include "smptest.h"
#include "defertest.h"
#include "sysreg.h"

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* The last word of the command line (QEMU passes arg=... words joined by
   spaces, the first being the program name). */
static const char *mode_word(char *cmd)
{
	const char *w = cmd;

	for (char *p = cmd; *p; p++)
		if (*p == ' ' && p[1])
			w = p + 1;
	return w;
}

int hyp_main(void)
{
	char cmd[128] = "";
	const char *mode;

	mmu_init();
	smp_init();
	if (semihost_cmdline(cmd, sizeof(cmd)) != 0)
		cmd[0] = 0;
	mode = mode_word(cmd);
	if (!*mode)
		mode = "check";
	printf("s2hyp: EL%llu, mode '%s', SCTLR_EL2=%#llx (MMU and caches on)\n",
	       (unsigned long long)(read_sysreg(CurrentEL) >> 2), mode,
	       (unsigned long long)read_sysreg(sctlr_el2));

	if (streq(mode, "panic-test")) {
		/* An access to an unmapped EL2 VA: must end in the panic
		   report and exit status 2. */
		printf("panic-test: loading from unmapped VA 0xdead0000\n");
		(void)*(volatile uint64_t *)0xdead0000ULL;
		printf("panic-test: the load did not fault\n");
		return 1;
	}

	alloc_init();
	irq_init();
	vgic_probe();
	vtimer_cpu_init();
	if (host_init() != 0)
		return 1;
	if (streq(mode, "check") || streq(mode, "oracle"))
		oracle_run();
	else
		quirks_probe();
	if (streq(mode, "check")) {
		tlbtest_run();
		permtest_run();
	}
	if (streq(mode, "check") || streq(mode, "demo"))
		scenario_run();
	if (streq(mode, "check") || streq(mode, "demo") || streq(mode, "smp")) {
		smptest_run();
		defertest_run();
	}

	printf("s2hyp: %llu checks, %llu failed\n", (unsigned long long)checks_run,
	       (unsigned long long)checks_failed);
	return checks_failed ? 1 : 0;
}
