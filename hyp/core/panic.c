/* SPDX-License-Identifier: MIT */
/*
 * Fatal errors: an exception taken at EL2, or a software panic. Both
 * print the reason and the EL2 syndrome registers (ESR/FAR/ELR/SPSR/
 * HPFAR_EL2) so a failure in CI is diagnosable from the log alone, and
 * exit with a status distinct from "a check failed".
 */
#include <stdarg.h>
#include <s2/fault.h>
#include "frame.h"
#include "panic.h"
#include "printf.h"
#include "semihost.h"
#include "sysreg.h"
#include "uart.h"

static const char *const kind_names[] = {
	"EL2t sync", "EL2t IRQ", "EL2t FIQ", "EL2t SError",
	"EL2h sync", "EL2h IRQ", "EL2h FIQ", "EL2h SError",
	"EL1 (A64) sync", "EL1 (A64) IRQ", "EL1 (A64) FIQ", "EL1 (A64) SError",
	"EL1 (A32) sync", "EL1 (A32) IRQ", "EL1 (A32) FIQ", "EL1 (A32) SError",
};

static void print_syndrome(void)
{
	uint64_t esr = read_sysreg(esr_el2);
	struct s2_esr e;

	printf("  ESR_EL2=%#llx (EC=%#llx)  FAR_EL2=%#llx  HPFAR_EL2=%#llx\n",
	       (unsigned long long)esr, (unsigned long long)(esr >> 26) & 0x3f,
	       (unsigned long long)read_sysreg(far_el2),
	       (unsigned long long)read_sysreg(hpfar_el2));
	printf("  ELR_EL2=%#llx  SPSR_EL2=%#llx  on the CPU with MPIDR_EL1=%#llx\n",
	       (unsigned long long)read_sysreg(elr_el2),
	       (unsigned long long)read_sysreg(spsr_el2),
	       (unsigned long long)read_sysreg(mpidr_el1));
	if (s2_esr_decode(esr, &e, NULL) == 0)
		printf("  %s abort: %s fault, level %d, %s\n", e.is_data ? "data" : "instruction",
		       s2_fault_kind_name(e.kind), e.level, e.wnr ? "write" : "read");
}

void hyp_exception(struct hyp_frame *f, unsigned kind)
{
	printf("\nPANIC: unexpected exception at EL2: %s\n",
	       kind < 16 ? kind_names[kind] : "?");
	print_syndrome();
	for (unsigned i = 0; i < 31; i += 2) {
		if (i == 30)
			printf("  x30=%016llx\n", (unsigned long long)f->x[30]);
		else
			printf("  x%-2u=%016llx  x%-2u=%016llx\n", i,
			       (unsigned long long)f->x[i], i + 1,
			       (unsigned long long)f->x[i + 1]);
	}
	printf("  sp =%016llx\n", (unsigned long long)(uint64_t)(f + 1));
	semihost_exit(EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("\nPANIC: %s\n  (last EL2 exception registers follow)\n", msg);
	print_syndrome();
	semihost_exit(EXIT_PANIC);
}
