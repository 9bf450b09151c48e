/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors and the world switch.
 *
 * Exceptions from EL2 itself are hypervisor bugs: they push the general
 * registers and go to hyp_exception(), which prints them and stops.
 * Exceptions from EL1 (a guest) save the guest's registers in the gregs
 * pointed to by TPIDR_EL2 and return from guest_run() with the vector
 * kind, like KVM's __guest_enter/__guest_exit pair: the hypervisor's
 * callee-saved registers stay on its stack while the guest runs, and
 * SP_EL2 is not touched by the guest.
 */
#define GREGS_ELR 248

	.macro	cur_entry kind
	.balign	128
	sub	sp, sp, #256
	stp	x0, x1, [sp]
	mov	x0, #\kind
	b	cur_common
	.endm

	.macro	low_entry kind
	.balign	128
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	low_common
	.endm

	.text
	.balign	2048
	.globl	el2_vectors
el2_vectors:
	cur_entry 0
	cur_entry 1
	cur_entry 2
	cur_entry 3
	cur_entry 4
	cur_entry 5
	cur_entry 6
	cur_entry 7
	low_entry 8
	low_entry 9
	low_entry 10
	low_entry 11
	low_entry 12
	low_entry 13
	low_entry 14
	low_entry 15

cur_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x1, x0
	mov	x0, sp
	bl	hyp_exception
	b	.

low_common:
	mrs	x0, tpidr_el2
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #GREGS_ELR]
	mov	x0, x1
	ldp	x19, x20, [sp], #16
	ldp	x21, x22, [sp], #16
	ldp	x23, x24, [sp], #16
	ldp	x25, x26, [sp], #16
	ldp	x27, x28, [sp], #16
	ldp	x29, x30, [sp], #16
	ret

	.globl	guest_run
guest_run:
	stp	x29, x30, [sp, #-16]!
	stp	x27, x28, [sp, #-16]!
	stp	x25, x26, [sp, #-16]!
	stp	x23, x24, [sp, #-16]!
	stp	x21, x22, [sp, #-16]!
	stp	x19, x20, [sp, #-16]!
	msr	tpidr_el2, x0
	ldp	x1, x2, [x0, #GREGS_ELR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
	eret
	/* Speculation barrier after ERET (Arm ARM: SB or DSB+ISB). */
	dsb	nsh
	isb
