/* SPDX-License-Identifier: MIT */
/*
 * The guest's state and its channel to the hypervisor (the test device).
 * No global variables: the image is position independent and has no
 * relocations, so the state lives on guest_main()'s stack and exception
 * handlers find it through TPIDR_EL1.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdint.h>
#include "gic.h"
#include "its.h"
#include "proto.h"

struct genv {
	uint64_t ram, ram_size, dev, ipa_bits, page, mode, id, gic_base;
	uint64_t seed, arena, npages;
	unsigned failures;
	struct gic gic;
	struct its_guest its;
};

/* Run test-device command @c with argument @arg; its RESULT. */
void cmd(const struct genv *g, uint64_t c, uint64_t arg);
uint64_t result(const struct genv *g);
void puts_dev(const struct genv *g, const char *s);
/* Count a failure with code @code unless @ok; the hypervisor is told. */
void expect(struct genv *g, int ok, uint64_t code);

/* MODE_SMP (smp.c): vCPU @idx of @n, SMP_F_* @flags; never returns. */
void smp_guest_main(uint64_t ram, uint64_t ram_size, uint64_t page, uint64_t idx, uint64_t n,
		    uint64_t flags) __attribute__((noreturn));

/* The UNDEFINED-exception test (undef.c). */
void undef_test(struct genv *g);

/* The LPI test (lpi.c), with the GIC up (gic_init()). */
void lpi_test(struct genv *g, struct gic *c, struct its_guest *its);

#endif
