/* SPDX-License-Identifier: MIT */
/*
 * Guest accesses where there is no device. A guest that probes or polls
 * an empty address (kvm-unit-tests' micro-bench reads one 65536 times)
 * must not flood the log: each address is reported once, at warning
 * level, up to VMM_UNHANDLED_MAX addresses; then one line says the rest
 * go unreported. With --debug-mmio (kvmtool's name) every access is.
 */
#ifndef VMM_UNHANDLED_H
#define VMM_UNHANDLED_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define VMM_UNHANDLED_MAX 64

struct vmm_unhandled {
	pthread_mutex_t lock;
	bool debug;                     /* --debug-mmio: report every access */
	unsigned nr;
	bool full;                      /* the "not reported" line was printed */
	uint64_t addr[VMM_UNHANDLED_MAX];
};

enum vmm_unhandled_report {
	VMM_UNHANDLED_QUIET,            /* reported before: say nothing */
	VMM_UNHANDLED_REPORT,           /* report this access */
	VMM_UNHANDLED_LAST,             /* too many addresses: say the rest go unreported */
};

/* vmm_unhandled_init() - nothing reported yet; @debug: --debug-mmio. */
void vmm_unhandled_init(struct vmm_unhandled *u, bool debug);

/*
 * vmm_unhandled_note() - an access to @addr that no device claimed.
 * Safe from any vCPU thread.
 * Return: what to say about it (enum vmm_unhandled_report).
 */
enum vmm_unhandled_report vmm_unhandled_note(struct vmm_unhandled *u, uint64_t addr);

#endif
