/* SPDX-License-Identifier: MIT */
/*
 * Register frames shared between vectors.S and C. Offsets are fixed:
 * the assembly uses them as immediates.
 */
#ifndef HYP_FRAME_H
#define HYP_FRAME_H

#include <stdint.h>

/* Kinds of EL2 exception entries, in vector table order (Arm ARM,
   "Exception vectors"): base + 0x200 * group + 0x80 * type. */
enum vec_kind {
	VEC_CUR_SP0_SYNC, VEC_CUR_SP0_IRQ, VEC_CUR_SP0_FIQ, VEC_CUR_SP0_SERR,
	VEC_CUR_SPX_SYNC, VEC_CUR_SPX_IRQ, VEC_CUR_SPX_FIQ, VEC_CUR_SPX_SERR,
	VEC_LOW64_SYNC, VEC_LOW64_IRQ, VEC_LOW64_FIQ, VEC_LOW64_SERR,
	VEC_LOW32_SYNC, VEC_LOW32_IRQ, VEC_LOW32_FIQ, VEC_LOW32_SERR,
};

/* A guest's general registers and return state (x at 0, elr at 248,
   spsr at 256). */
struct gregs {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
};

/* An exception taken from EL2 itself (x0..x30 pushed on the stack). */
struct hyp_frame {
	uint64_t x[31];
	uint64_t pad;
};

/* Enter the guest described by @g; returns the vec_kind of the exception
   that brought the CPU back to EL2, with @g updated. */
unsigned guest_run(struct gregs *g);

/* The vector table (2K aligned, VBAR_EL2). */
extern char el2_vectors[];

/* Report an exception taken at EL2 and stop. */
void hyp_exception(struct hyp_frame *f, unsigned kind) __attribute__((noreturn));

#endif
