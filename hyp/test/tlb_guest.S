/* SPDX-License-Identifier: MIT */
/*
 * The TLB test's guest: load from the IPA in x0 into x1, exit with HVC,
 * repeat. Copied into a page of its own; position independent.
 */
	.section .rodata
	.balign	4
	.globl	tlb_guest, tlb_guest_end
tlb_guest:
	ldr	x1, [x0]
	hvc	#0
	b	tlb_guest
tlb_guest_end:
