/* SPDX-License-Identifier: MIT */
/*
 * UNDEFINED exceptions for a guest (inject.h). An AArch64 exception taken
 * to EL1 (Arm ARM D1 "Exception entry", and the pseudocode
 * AArch64.TakeException()) saves PSTATE in SPSR_EL1 and the preferred
 * return address in ELR_EL1 (for an UNDEFINED instruction, the
 * instruction itself), and sets PSTATE as Linux's enter_exception64()
 * does for KVM:
 *   - N, Z, C, V, DIT unchanged;
 *   - PAN unchanged, but set when SCTLR_EL1.SPAN is 0 (SPAN is RES1
 *     without FEAT_PAN, so nothing changes there);
 *   - SSBS from SCTLR_EL1.DSSBS (RES0 without FEAT_SSBS);
 *   - UAO, SS, IL and BTYPE zero (they are not copied);
 *   - D, A, I, F set; mode EL1h (SP_EL1).
 * Linux also sets TCO for a VM with MTE; these guests have none
 * (HCR_EL2.ATA is 0). The vector is VBAR_EL1 plus 0x200 from EL1 with
 * SP_EL1, 0x000 from EL1 with SP_EL0, 0x400 from AArch64 EL0 and 0x600
 * from AArch32 EL0, plus 0 for a synchronous exception. ESR_EL1 holds EC
 * 0 ("unknown reason") with IL set for a 32-bit instruction, as
 * inject_undef64() builds it from the trap's ESR_EL2.IL.
 */
#include "inject.h"
#include "sysreg.h"

#define PSR_MODE_MASK  0xfULL
#define PSR_MODE32     (1ULL << 4)
#define PSR_MODE_EL1T  0x4ULL
#define PSR_MODE_EL1H  0x5ULL
#define PSR_DAIF       (0xfULL << 6)
#define PSR_SSBS       (1ULL << 12)
#define PSR_PAN        (1ULL << 22)
#define PSR_DIT        (1ULL << 24)
#define PSR_NZCV       (0xfULL << 28)
#define SCTLR_SPAN     (1ULL << 23)
#define SCTLR_DSSBS    (1ULL << 44)
#define ESR_IL         (1ULL << 25)

/* The offset of the vector group for an exception taken to EL1h from
   @spsr's mode. */
static uint64_t vector_group(uint64_t spsr)
{
	uint64_t mode = spsr & (PSR_MODE_MASK | PSR_MODE32);

	if (mode == PSR_MODE_EL1H)
		return 0x200;
	if (mode == PSR_MODE_EL1T)
		return 0x000;
	if (!(mode & PSR_MODE32))
		return 0x400;
	return 0x600;
}

void inject_undef(struct gregs *g, uint64_t esr_el2)
{
	uint64_t sctlr = read_sysreg(sctlr_el1), old = g->spsr, new;

	new = old & (PSR_NZCV | PSR_DIT | PSR_PAN);
	if (!(sctlr & SCTLR_SPAN))
		new |= PSR_PAN;
	if (sctlr & SCTLR_DSSBS)
		new |= PSR_SSBS;
	new |= PSR_DAIF | PSR_MODE_EL1H;

	write_sysreg(esr_el2 & ESR_IL, esr_el1);
	write_sysreg(g->elr, elr_el1);
	write_sysreg(old, spsr_el1);
	g->elr = read_sysreg(vbar_el1) + vector_group(old);
	g->spsr = new;
}
