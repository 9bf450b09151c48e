/* SPDX-License-Identifier: MIT */
/*
 * Entry from QEMU's ELF loader. With virtualization=on the CPU starts at
 * EL2 with the MMU off, so every access is Device memory until mmu_init()
 * runs: the BSS is cleared with aligned 8-byte stores only.
 */
	.section .text.boot, "ax"
	.globl _start
_start:
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	1f
	ldr	x0, =__stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
0:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	0b
2:	ldr	x0, =el2_vectors
	msr	vbar_el2, x0
	isb
	bl	hyp_main
	bl	semihost_exit
	/* Not entered at EL2 (virtualization=off): nothing to host guests
	   with. Exit status 3 through semihosting, which works at EL1 too. */
1:	mov	x0, #3
	bl	semihost_exit

	/* A secondary CPU turned on by PSCI CPU_ON (smp.c): at EL2, MMU
	   off, x0 = its struct cpu, whose first word is its stack top. */
	.globl	secondary_entry
secondary_entry:
	ldr	x1, [x0]
	mov	sp, x1
	ldr	x1, =el2_vectors
	msr	vbar_el2, x1
	isb
	bl	secondary_main
	b	.
	.ltorg
