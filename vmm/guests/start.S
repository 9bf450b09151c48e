/* SPDX-License-Identifier: MIT */
/*
 * Entry of the bare-metal test guest: s2vmm enters it at its first byte
 * with x0 = DTB, at EL1 with the MMU off. Everything is PC-relative so
 * the same binary runs wherever the layout put RAM.
 */
	.section .text.start, "ax"
	.global _start
_start:
	adr	x1, _start
	adrp	x2, stack_top
	add	x2, x2, :lo12:stack_top
	mov	sp, x2
	bl	guest_main
	/* PSCI SYSTEM_OFF; if it returns, spin. */
	movz	w0, #0x0008
	movk	w0, #0x8400, lsl #16
	hvc	#0
1:	wfi
	b	1b

	.bss
	.balign 16
	.space	8192
stack_top:
