/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "timing.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_quantile(const struct bench_samples *s, double q)
{
	double v[BENCH_MAX_SAMPLES], pos;
	unsigned i;

	if (!s->n)
		return NAN;
	memcpy(v, s->v, s->n * sizeof(v[0]));
	qsort(v, s->n, sizeof(v[0]), cmp_double);
	pos = q * (s->n - 1);
	i = (unsigned)pos;
	return i + 1 < s->n ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
}

double bench_median(const struct bench_samples *s)
{
	return bench_quantile(s, 0.5);
}

double bench_min(const struct bench_samples *s)
{
	double m = s->n ? s->v[0] : NAN;

	for (unsigned i = 1; i < s->n; i++)
		m = s->v[i] < m ? s->v[i] : m;
	return m;
}

double bench_max(const struct bench_samples *s)
{
	double m = s->n ? s->v[0] : NAN;

	for (unsigned i = 1; i < s->n; i++)
		m = s->v[i] > m ? s->v[i] : m;
	return m;
}
