/* SPDX-License-Identifier: MIT */
/* The guest image (hyp/guest/, built position independent), embedded. */
	.section .rodata
	.balign	4096
	.globl	guest_image, guest_image_end
guest_image:
	.incbin	GUEST_BIN
guest_image_end:
