/* SPDX-License-Identifier: MIT */
/*
 * undef_take() (undef.h): take one UNDEFINED exception at EL1 through a
 * vector table of its own and record what the exception entry did. The
 * handler uses x9-x12 only (the caller, called from C, keeps nothing
 * there) and no stack; it resumes after the instruction.
 */
#define REC_PC     0
#define REC_VEC    8
#define REC_ESR    16
#define REC_ELR    24
#define REC_SPSR   32
#define REC_IN     40
#define REC_BEFORE 48
#define REC_FLAGS  56

	/* \dst = NZCV | DAIF | CurrentEL | SPSel, with PAN and SSBS when
	   \flags bits 0 and 1 say they exist: PSTATE in SPSR's layout. */
	.macro	pstate dst, tmp, flags
	mrs	\dst, nzcv
	mrs	\tmp, daif
	orr	\dst, \dst, \tmp
	mrs	\tmp, CurrentEL
	orr	\dst, \dst, \tmp
	mrs	\tmp, spsel
	orr	\dst, \dst, \tmp
	tbz	\flags, #0, 101f
	mrs	\tmp, S3_0_C4_C2_3        /* PAN, bit 22 */
	orr	\dst, \dst, \tmp
101:	tbz	\flags, #1, 102f
	mrs	\tmp, S3_3_C4_C2_6        /* SSBS, bit 12 */
	orr	\dst, \dst, \tmp
102:
	.endm

	.text
	.balign	2048
undef_vectors:
	.irp	off, 0x000, 0x080, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x400, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
	.balign	128
	mov	x9, #\off
	b	undef_record
	.endr

undef_record:
	mrs	x10, tpidr_el1
	str	x9, [x10, #REC_VEC]
	ldr	x12, [x10, #REC_FLAGS]
	pstate	x11, x9, x12
	str	x11, [x10, #REC_IN]
	mrs	x11, esr_el1
	str	x11, [x10, #REC_ESR]
	mrs	x11, spsr_el1
	str	x11, [x10, #REC_SPSR]
	mrs	x11, elr_el1
	str	x11, [x10, #REC_ELR]
	add	x11, x11, #4
	msr	elr_el1, x11
	eret

/* void undef_take(struct undef_rec *r, uint64_t how) */
	.globl	undef_take
undef_take:
	mrs	x2, vbar_el1
	mrs	x3, tpidr_el1
	mrs	x4, daif
	adr	x5, undef_vectors
	msr	vbar_el1, x5
	msr	tpidr_el1, x0
	isb
	ldr	x6, [x0, #REC_FLAGS]
	/* IRQs and FIQs stay masked, debug and SError are not: the
	   exception must mask them. N and V set, Z and C clear. */
	msr	daifset, #3
	msr	daifclr, #0xc
	mov	x5, #0x90000000
	msr	nzcv, x5
	tbz	x1, #1, 1f
	msr	spsel, #0
1:	pstate	x5, x7, x6
	str	x5, [x0, #REC_BEFORE]
	tbnz	x1, #0, 2f
	adr	x5, 3f
	str	x5, [x0, #REC_PC]
3:	mrs	x5, S3_3_C9_C12_0          /* PMCR_EL0: traps to EL2 (MDCR_EL2.TPM) */
	b	4f
2:	adr	x5, 5f
	str	x5, [x0, #REC_PC]
5:	udf	#0                         /* UNDEFINED here, taken by EL1 itself */
4:	msr	spsel, #1
	msr	daif, x4
	msr	vbar_el1, x2
	msr	tpidr_el1, x3
	isb
	ret
