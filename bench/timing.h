/* SPDX-License-Identifier: MIT */
/*
 * Timing and repetition statistics. Every figure the benchmark reports is
 * the median of several repetitions, with the minimum and maximum kept so
 * the report can show how noisy the (shared, 2-core) machine was.
 */
#ifndef BENCH_TIMING_H
#define BENCH_TIMING_H

#include <stdint.h>
#include <time.h>

#define BENCH_MAX_REPS 32
/* Room for per-batch samples: the lookup and fault-path loops time short
   batches, so that a preemption (the machine is shared) spoils only the
   few batches it lands in, which the median then ignores. */
#define BENCH_MAX_SAMPLES 1024

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Keeps the compiler from dropping work whose result is otherwise unused. */
static inline void bench_use(const void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

struct bench_samples {
	double v[BENCH_MAX_SAMPLES];
	unsigned n;
};

static inline void bench_add(struct bench_samples *s, double v)
{
	if (s->n < BENCH_MAX_SAMPLES)
		s->v[s->n++] = v;
}

/* The q-quantile (0..1, linear interpolation); the median is q = 0.5. */
double bench_quantile(const struct bench_samples *s, double q);
double bench_median(const struct bench_samples *s);
double bench_min(const struct bench_samples *s);
double bench_max(const struct bench_samples *s);

#endif
