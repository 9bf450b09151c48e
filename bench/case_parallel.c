/* SPDX-License-Identifier: MIT */
/*
 * Parallel faults: one-page maps into one VM from 1, 2 and 4 threads at
 * once, on disjoint ranges (2^18 pages each: 1 GiB of 4K pages) and
 * interleaved (thread t maps pages t, t + n, ... of one range), through
 * the shared path (s2_map_cached with S2_MAP_SHARED, caches filled
 * before the clock starts), and, for comparison, the exclusive s2_map()
 * under one mutex, which is what an embedder had to do without it.
 * Throughput in millions of faults per second over the wall time from
 * the first thread's start to the last one's end; the limit is the same
 * figure with one thread, and the target the scaling with two threads.
 * On a machine with fewer free cores than threads, the scaling shows the
 * machine, not the library: the row notes the CPUs online and how busy
 * the threads were (their CPU time over the wall time: 2.00 for two
 * threads that ran the whole time; less when other processes had the
 * cores).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "cases.h"
#include "limits.h"
#include "minimum.h"
#include "report.h"

enum pmode { P_SHARED, P_MUTEX, P_RAW };

struct pworker {
	struct bench_vm *vm;
	const struct bench_chase *chase;   /* P_RAW */
	enum pmode mode;
	pthread_barrier_t *go;
	pthread_mutex_t *lock;
	struct s2_page_cache cache;
	uint64_t first, n, stride;   /* page indices first + i * stride */
	uint64_t t0, t1, cpu;        /* wall clock; this thread's CPU time */
	unsigned long eagain;
	unsigned id;
};

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *pworker_main(void *arg)
{
	struct pworker *w = arg;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	/* One CPU each (round robin): left to the scheduler, a second thread
	   woken beside the first often shares its CPU for the few
	   milliseconds a run lasts. */
	CPU_ZERO(&set);
	CPU_SET((int)(w->id % (unsigned)(cpus > 0 ? cpus : 1)), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	const struct bench_cfg *cfg = w->vm->cfg;
	struct s2_pgtable *pgt = &w->vm->pgt;
	unsigned shift = w->vm->g.page_shift;

	pthread_barrier_wait(w->go);
	w->t0 = bench_now_ns();
	w->cpu = thread_cpu_ns();
	for (uint64_t i = 0; i < w->n; i++) {
		uint64_t off = (w->first + i * w->stride) << shift;
		s2_ipa_t ipa = s2_ipa(cfg->ipa_base + off);
		s2_pa_t pa = s2_pa(cfg->data_pa + off);
		int err;

		if (w->mode == P_RAW) {
			/* The physical limit: the walk and one compare-and-swap,
			   the same pages in the same order. */
			uint64_t *p = bench_chase_ptep(w->chase, ipa.v);
			uint64_t old = __atomic_load_n(p, __ATOMIC_RELAXED);
			__atomic_compare_exchange_n(p, &old, pa.v | 3, false, __ATOMIC_ACQ_REL,
						    __ATOMIC_ACQUIRE);
			err = 0;
		} else if (w->mode == P_MUTEX) {
			pthread_mutex_lock(w->lock);
			err = s2_map(pgt, ipa, 1ull << shift, pa, BENCH_PROT, 0, NULL);
			pthread_mutex_unlock(w->lock);
		} else {
			while ((err = s2_map_cached(pgt, ipa, 1ull << shift, pa, BENCH_PROT,
						    S2_MAP_SHARED, &w->cache, NULL)) == S2_EAGAIN)
				w->eagain++;
		}
		if (err) {
			fprintf(stderr, "s2bench: parallel fault failed: %s\n", s2_errname(err));
			exit(1);
		}
	}
	w->cpu = thread_cpu_ns() - w->cpu;
	w->t1 = bench_now_ns();
	return NULL;
}

static void never_unlinked(void *ctx, struct s2_pgtable *pgt, void *table, int level)
{
	(void)ctx; (void)pgt; (void)table; (void)level;
	fprintf(stderr, "s2bench: a page-only fault unlinked a table\n");
	exit(1);
}

/* Millions of faults per second for one run of @nthr threads; *@busy
   gets the threads' CPU time over the wall time (at most @nthr: less
   when other processes took the cores). */
static double prun(struct bench_vm *vm, const struct bench_chase *chase, enum pmode mode,
		   unsigned nthr, bool interleaved, uint64_t pages_per_thread, unsigned long *eagain,
		   double *busy)
{
	uint64_t cpu = 0;
	struct pworker w[4];
	pthread_t th[4];
	pthread_barrier_t go;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	uint64_t total = pages_per_thread * nthr, t0 = UINT64_MAX, t1 = 0;
	uint64_t tables = bench_min_table_bytes(&vm->g, 3, vm->cfg->ipa_base,
						vm->cfg->ipa_base + (total << vm->g.page_shift)) /
			  s2_page_size(&vm->g);

	pthread_barrier_init(&go, NULL, nthr);
	for (unsigned t = 0; t < nthr; t++) {
		w[t] = (struct pworker){ .vm = vm, .chase = chase, .mode = mode, .go = &go,
					 .lock = &lock, .n = pages_per_thread, .id = t };
		w[t].first = interleaved ? t : t * pages_per_thread;
		w[t].stride = interleaved ? nthr : 1;
		/* Interleaved threads may each build any table. */
		if (mode == P_SHARED &&
		    s2_cache_topup(&vm->pgt, &w[t].cache, interleaved ? tables : tables / nthr + 4,
				   NULL)) {
			fprintf(stderr, "s2bench: no memory for the page caches\n");
			exit(1);
		}
		if (pthread_create(&th[t], NULL, pworker_main, &w[t])) {
			fprintf(stderr, "s2bench: pthread_create failed\n");
			exit(1);
		}
	}
	for (unsigned t = 0; t < nthr; t++) {
		pthread_join(th[t], NULL);
		t0 = w[t].t0 < t0 ? w[t].t0 : t0;
		t1 = w[t].t1 > t1 ? w[t].t1 : t1;
		*eagain += w[t].eagain;
		cpu += w[t].cpu;
		s2_cache_free(&vm->pgt, &w[t].cache);
	}
	pthread_barrier_destroy(&go);
	if (mode != P_RAW)
		bench_unmap(vm, vm->cfg->ipa_base, total << vm->g.page_shift);
	*busy = (double)cpu / (double)(t1 - t0);
	return (double)total / ((double)(t1 - t0) / 1e9) / 1e6;
}

void bench_case_parallel(const struct bench_opts *o, const struct bench_cfg *cfg)
{
	static const char *const mname[] = { "shared", "mutex", "chase+cas" };
	struct s2_geometry g;
	char name[64];

	bench_cfg_geometry(cfg, &g);
	snprintf(name, sizeof(name), "parallel faults %s", cfg->name);
	if (!bench_selected(o, name))
		return;

	/* The same number of faults per thread for every granule (1 GiB of
	   4K pages), so that each run lasts milliseconds: thread start-up
	   must not weigh in the wall time. */
	uint64_t per = o->quick ? 4096 : 1u << 18;
	unsigned reps = o->quick ? 1 : 5;
	uint64_t minb = bench_min_table_bytes(&g, 3, cfg->ipa_base,
					      cfg->ipa_base + 4 * (per << g.page_shift));
	struct bench_vm vm;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	struct bench_chase chase;

	bench_vm_open(&vm, cfg, 8 * minb + 64 * MiB);
	vm.env.ops.free_unlinked = never_unlinked;
	/* The limit of the scaling: what two CPUs installing one entry each
	   per fault in the same tables can do at best. Interleaved, they
	   write alternate entries of the same 64-byte lines, and every
	   install waits for the line to come from the other core. */
	bench_chase_build(&chase, &g, 3, cfg->ipa_base, cfg->ipa_base + 4 * (per << g.page_shift),
			  0x9a11);
	for (int mode = P_SHARED; mode <= P_RAW; mode++)
		for (int il = 0; il <= 1; il++) {
			struct bench_samples one = { .n = 0 }, busy1 = { .n = 0 };
			unsigned long eagain = 0;
			char conf[48];
			double busy;

			/* Warm-up: fault the arena in. */
			prun(&vm, &chase, (enum pmode)mode, 1, false, 4 * per, &eagain, &busy);
			for (unsigned r = 0; r < reps; r++) {
				bench_add(&one, prun(&vm, &chase, (enum pmode)mode, 1, il, per, &eagain,
						     &busy));
				bench_add(&busy1, busy);
			}
			for (unsigned nthr = 1; nthr <= 4; nthr *= 2) {
				struct bench_samples s = { .n = 0 }, b = { .n = 0 };
				for (unsigned r = 0; r < reps; r++) {
					bench_add(&s, nthr == 1 ? one.v[r] :
						  prun(&vm, &chase, (enum pmode)mode, nthr, il, per, &eagain,
						       &busy));
					bench_add(&b, nthr == 1 ? busy1.v[r] : busy);
				}
				snprintf(conf, sizeof(conf), "%s %s %s %ut", cfg->name, mname[mode],
					 il ? "interl" : "disjoint", nthr);
				struct bench_row *row = bench_row_new(mode == P_RAW ?
								      "parallel walk+CAS (limit)" :
								      "parallel 1-page faults", conf,
								      per << g.page_shift, "Mfault/s");
				bench_row_samples(row, &s, 1);
				row->limit = bench_median(&one);
				row->limit_kind = "1 thread";
				/* The scaling asked of the shared path with two
				   threads; four share the machine's cores. */
				if (mode == P_SHARED && nthr == 2) {
					row->target = BT_RATIO_MIN;
					row->target_val = il ? 1.5 : 1.8;
				}
				snprintf(row->note, sizeof(row->note),
					 "%ld CPUs online, %.2f busy; %lu EAGAIN", cpus, bench_median(&b),
					 eagain);
			}
		}
	bench_vm_close(&vm);
}
