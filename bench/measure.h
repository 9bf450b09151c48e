/* SPDX-License-Identifier: MIT */
/* Timing one range operation and counting the TLBI calls it makes. */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include "timing.h"
#include "vm.h"

struct op_meas {
	struct bench_samples ns;
	uint64_t tlbis;          /* over all samples */
};

#define MEASURE(m, vm, call) do {                                  \
		uint64_t tl_ = bench_tlbis(vm), t0_ = bench_now_ns(); \
		call;                                                  \
		bench_add(&(m)->ns, (double)(bench_now_ns() - t0_));   \
		(m)->tlbis += bench_tlbis(vm) - tl_;                   \
	} while (0)

#endif
