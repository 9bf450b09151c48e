/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "report.h"

#define MAX_ROWS 512

static struct bench_row rows[MAX_ROWS];
static unsigned nrows;

static void size_str(char *buf, size_t n, uint64_t size)
{
	if (size >= (1ull << 30) && !(size & ((1ull << 30) - 1)))
		snprintf(buf, n, "%lluG", (unsigned long long)(size >> 30));
	else if (size >= (1ull << 20))
		snprintf(buf, n, "%lluM", (unsigned long long)(size >> 20));
	else
		snprintf(buf, n, "%lluK", (unsigned long long)(size >> 10));
}

struct bench_row *bench_row_new(const char *op, const char *config, uint64_t size,
				const char *unit)
{
	struct bench_row *r;

	if (nrows == MAX_ROWS) {
		fprintf(stderr, "s2bench: too many result rows\n");
		exit(1);
	}
	r = &rows[nrows++];
	*r = (struct bench_row){
		.unit = unit, .limit = NAN, .limit_kind = "",
		.tlbi_per_op = NAN, .ns_per_desc = NAN,
		.nsamples = NAN, .value = NAN, .vmin = NAN, .vmax = NAN, .p25 = NAN, .p75 = NAN,
	};
	snprintf(r->op, sizeof(r->op), "%s", op);
	snprintf(r->config, sizeof(r->config), "%s", config);
	size_str(r->size, sizeof(r->size), size);
	return r;
}

void bench_row_samples(struct bench_row *r, const struct bench_samples *s, double scale)
{
	r->value = bench_median(s) * scale;
	r->vmin = bench_min(s) * scale;
	r->nsamples = s->n;
	r->vmax = bench_max(s) * scale;
	r->p25 = bench_quantile(s, 0.25) * scale;
	r->p75 = bench_quantile(s, 0.75) * scale;
}

void bench_row_mem(const char *op, const char *config, uint64_t size, uint64_t bytes,
		   uint64_t env_bytes, uint64_t limit, const char *kind)
{
	struct bench_row *r = bench_row_new(op, config, size, "bytes");

	r->value = (double)bytes;
	r->limit = (double)limit;
	r->limit_kind = kind;
	r->target = BT_EQUAL;
	/* The environment's own count checks the library's bookkeeping. */
	if (env_bytes != bytes)
		snprintf(r->note, sizeof(r->note), "allocator holds %llu",
			 (unsigned long long)env_bytes);
}

void bench_row_paired(struct bench_row *r, const struct bench_samples *s,
		      const struct bench_samples *lim, double scale, const char *limit_kind)
{
	bench_row_samples(r, s, scale);
	r->limit = bench_median(lim) * scale;
	r->limit_kind = limit_kind;
	r->ratios.n = 0;
	for (unsigned i = 0; i < s->n && i < lim->n; i++)
		bench_add(&r->ratios, s->v[i] / lim->v[i]);
}

static double ratio(const struct bench_row *r)
{
	if (r->ratios.n)
		return bench_median(&r->ratios);
	return isnan(r->limit) || r->limit == 0 ? NAN : r->value / r->limit;
}

bool bench_row_met(const struct bench_row *r)
{
	switch (r->target) {
	case BT_NS_MAX:
		return r->value <= r->target_val;
	case BT_RATIO_MAX:
		return ratio(r) <= r->target_val;
	case BT_RATIO_MIN:
		return ratio(r) >= r->target_val;
	case BT_EQUAL:
		return r->value == r->limit;
	default:
		return true;
	}
}

/* The target: one TLB invalidation call per range operation. */
bool bench_row_tlbi_met(const struct bench_row *r)
{
	return isnan(r->tlbi_per_op) || r->tlbi_per_op <= 1.0;
}

static void target_str(char *buf, size_t n, const struct bench_row *r)
{
	switch (r->target) {
	case BT_NS_MAX:    snprintf(buf, n, "<=%g ns", r->target_val); break;
	case BT_RATIO_MAX: snprintf(buf, n, "<=%gx limit", r->target_val); break;
	case BT_RATIO_MIN: snprintf(buf, n, ">=%gx limit", r->target_val); break;
	case BT_EQUAL:     snprintf(buf, n, "= %s", r->limit_kind); break;
	default:           snprintf(buf, n, "-");
	}
}

static void num_str(char *buf, size_t n, double v, const char *unit)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else if (!strcmp(unit, "bytes"))
		snprintf(buf, n, v >= 1 << 20 ? "%.2fMi" : "%.1fKi",
			 v / (v >= 1 << 20 ? 1 << 20 : 1 << 10));
	else
		snprintf(buf, n, v < 10 ? "%.3f" : v < 1000 ? "%.1f" : "%.0f", v);
}

void bench_report_print(void)
{
	printf("%-28s %-16s %5s %-9s %9s %9s %-7s %8s %6s %-11s %-4s %s\n",
	       "operation", "configuration", "size", "unit", "value", "limit", "(limit)",
	       "ratio", "iqr", "target", "met", "tlbi/op");
	for (unsigned i = 0; i < nrows; i++) {
		const struct bench_row *r = &rows[i];
		char v[24], l[24], t[24], rt[16], sp[16], tl[16];

		num_str(v, sizeof(v), r->value, r->unit);
		num_str(l, sizeof(l), r->limit, r->unit);
		target_str(t, sizeof(t), r);
		snprintf(rt, sizeof(rt), isnan(ratio(r)) ? "-" : "%.2f", ratio(r));
		snprintf(sp, sizeof(sp), isnan(r->p25) || r->value == 0 ? "-" : "%.0f%%",
			 100 * (r->p75 - r->p25) / r->value);
		if (isnan(r->tlbi_per_op))
			snprintf(tl, sizeof(tl), "-");
		else
			snprintf(tl, sizeof(tl), "%.2f%s", r->tlbi_per_op,
				 bench_row_tlbi_met(r) ? "" : " MISS");
		printf("%-28s %-16s %5s %-9s %9s %9s %-7s %8s %6s %-11s %-4s %s%s%s\n",
		       r->op, r->config, r->size, r->unit, v, l, r->limit_kind, rt, sp, t,
		       r->target == BT_NONE ? "-" : bench_row_met(r) ? "yes" : "NO", tl,
		       r->note[0] ? "  " : "", r->note);
	}
}

static void json_num(FILE *f, const char *key, double v, bool comma)
{
	if (isnan(v))
		fprintf(f, "\"%s\":null%s", key, comma ? "," : "");
	else
		fprintf(f, "\"%s\":%.6g%s", key, v, comma ? "," : "");
}

int bench_report_json(const char *path, bool quick, unsigned reps)
{
	FILE *f = fopen(path, "w");
	struct utsname u;
	char t[24];

	if (!f) {
		perror(path);
		return -1;
	}
	uname(&u);
	fprintf(f, "{\"machine\":\"%s %s\",\"quick\":%s,\"reps\":%u,\"rows\":[\n",
		u.machine, u.release, quick ? "true" : "false", reps);
	for (unsigned i = 0; i < nrows; i++) {
		const struct bench_row *r = &rows[i];

		target_str(t, sizeof(t), r);
		fprintf(f, " {\"op\":\"%s\",\"config\":\"%s\",\"size\":\"%s\",\"unit\":\"%s\",",
			r->op, r->config, r->size, r->unit);
		json_num(f, "value", r->value, true);
		json_num(f, "min", r->vmin, true);
		json_num(f, "max", r->vmax, true);
		json_num(f, "p25", r->p25, true);
		json_num(f, "p75", r->p75, true);
		json_num(f, "samples", r->nsamples, true);
		fprintf(f, "\"limit_kind\":\"%s\",", r->limit_kind);
		json_num(f, "limit", r->limit, true);
		json_num(f, "ratio", ratio(r), true);
		fprintf(f, "\"target\":\"%s\",\"met\":%s,", t,
			r->target == BT_NONE ? "null" : bench_row_met(r) ? "true" : "false");
		json_num(f, "tlbi_per_op", r->tlbi_per_op, true);
		fprintf(f, "\"tlbi_met\":%s,", isnan(r->tlbi_per_op) ? "null" :
			bench_row_tlbi_met(r) ? "true" : "false");
		json_num(f, "ns_per_desc", r->ns_per_desc, true);
		fprintf(f, "\"note\":\"%s\"}%s\n", r->note, i + 1 < nrows ? "," : "");
	}
	fprintf(f, "]}\n");
	return fclose(f);
}
