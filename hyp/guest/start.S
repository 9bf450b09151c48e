/* SPDX-License-Identifier: MIT */
/*
 * Guest entry at EL1 with the MMU off. The hypervisor sets SP and passes
 * the layout in x0-x7 (see proto.h), which go straight to guest_main().
 * Synchronous exceptions taken at EL1 (a probe beyond a 52-bit IPA space
 * faults at stage 1: with stage 1 off, an address beyond the PA size is a
 * level-0 address size fault) go to guest_el1_sync(), which
 * reports them and returns the address to resume at. IRQs taken at EL1
 * go to guest_el1_irq().
 */
	/* The caller-saved registers (x0-x18, x30) around a C handler. */
	.macro	save_caller
	sub	sp, sp, #176
	stp	x0, x1, [sp]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	.endm

	.macro	restore_caller
	ldp	x0, x1, [sp]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #176
	.endm

	.section .text.start, "ax"
	.globl	_start
_start:
	adr	x9, el1_vectors
	msr	vbar_el1, x9
	isb
	bl	guest_main
1:	wfi
	b	1b

	.text
	.balign	2048
el1_vectors:
	.rept	4                 /* current EL with SP_EL0: unused */
	.balign	128
	b	el1_unexpected
	.endr
	.balign	128                /* current EL with SP_ELx: synchronous */
	b	el1_sync
	.balign	128                /* current EL with SP_ELx: IRQ */
	b	el1_irq
	.rept	10
	.balign	128
	b	el1_unexpected
	.endr

	/* ELR/SPSR stay put: the handler runs with IRQs masked. */
el1_irq:
	save_caller
	bl	guest_el1_irq
	restore_caller
	eret

el1_sync:
	save_caller
	mrs	x0, esr_el1
	mrs	x1, far_el1
	mrs	x2, elr_el1
	bl	guest_el1_sync
	msr	elr_el1, x0
	restore_caller
	eret

	/* Anything else: report through the same path, never resume. */
el1_unexpected:
	mrs	x0, esr_el1
	mrs	x1, far_el1
	mrs	x2, elr_el1
	bl	guest_el1_sync
2:	wfi
	b	2b
