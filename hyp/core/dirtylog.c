/* SPDX-License-Identifier: MIT */
/*
 * Dirty logging and access-flag aging of a VM's RAM, as KVM does them.
 *
 * Logging: blocks are split eagerly (s2_split) so dirty state is per
 * page, the range is write-protected (s2_wrprotect), the first write to
 * each page faults and is let through (s2_mark_dirty, abort.c), or with
 * VTCR_EL2.HD the hardware makes the page writable itself (DBM), and each
 * harvest (s2_harvest_dirty) collects and re-protects. While logging,
 * faults map single pages. Aging: s2_mkold clears the Access flag; a
 * touched page faults (s2_mkyoung) or, with VTCR_EL2.HA, has its flag
 * set by the hardware.
 */
#include "vm.h"

int vm_log_start(struct vm *vm, uint64_t ipa, uint64_t size, struct s2_diag *d)
{
	int rc = s2_split(&vm->s2.pgt, s2_ipa(ipa), size, d);

	if (rc)
		return rc;
	rc = s2_wrprotect(&vm->s2.pgt, s2_ipa(ipa), size, d);
	if (rc)
		return rc;
	vm->logging = true;
	return 0;
}

int64_t vm_log_harvest(struct vm *vm, uint64_t ipa, uint64_t size, uint64_t *bitmap,
		       struct s2_diag *d)
{
	/* The caller's bitmap holds a bit per page of the range. */
	size_t words = (size_t)(((size >> vm->s2.pgt.geom.page_shift) + 63) / 64);

	return s2_harvest_dirty(&vm->s2.pgt, s2_ipa(ipa), size, bitmap, words, d);
}

int vm_log_stop(struct vm *vm, uint64_t ipa, uint64_t size, struct s2_diag *d)
{
	vm->logging = false;
	return s2_protect(&vm->s2.pgt, s2_ipa(ipa), size, S2_PROT_RWX, d);
}

int64_t vm_age(struct vm *vm, uint64_t ipa, uint64_t size, struct s2_diag *d)
{
	return s2_mkold(&vm->s2.pgt, s2_ipa(ipa), size, d);
}

/*
 * Logging and aging over: rebuild blocks. s2_collapse() merges a table
 * only when all its entries have identical attributes, the Access flag
 * included, so the pages aging left old are made young first (they are
 * in use: a hypervisor that collapses has no use for their age).
 */
int64_t vm_collapse(struct vm *vm, uint64_t ipa, uint64_t size, struct s2_diag *d)
{
	for (uint64_t a = ipa; a < ipa + size; a += vm_page(vm))
		s2_mkyoung(&vm->s2.pgt, s2_ipa(a));
	return s2_collapse(&vm->s2.pgt, s2_ipa(ipa), size, d);
}
