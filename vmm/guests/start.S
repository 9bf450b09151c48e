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

/*
 * A vCPU started by PSCI CPU_ON enters here at EL1 with the MMU off and
 * x0 = the context id, which the guest sets to the top of the stack it
 * gives that vCPU. After secondary_main, PSCI CPU_OFF.
 */
	.global secondary_start
	.weak	secondary_main
secondary_start:
	mov	sp, x0
	bl	secondary_main
	movz	w0, #0x0002
	movk	w0, #0x8400, lsl #16
	hvc	#0
2:	wfi
	b	2b

	.bss
	.balign 16
	.space	8192
stack_top:
