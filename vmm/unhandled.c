/* SPDX-License-Identifier: MIT */
/*
 * A short list searched linearly: it holds at most VMM_UNHANDLED_MAX
 * addresses and is only reached on exits no device claims, which are
 * the slow path already (a full exit to user space each).
 */
#include "unhandled.h"

void vmm_unhandled_init(struct vmm_unhandled *u, bool debug)
{
	pthread_mutex_init(&u->lock, NULL);
	u->debug = debug;
	u->nr = 0;
	u->full = false;
}

enum vmm_unhandled_report vmm_unhandled_note(struct vmm_unhandled *u, uint64_t addr)
{
	enum vmm_unhandled_report r = VMM_UNHANDLED_REPORT;

	if (u->debug)
		return VMM_UNHANDLED_REPORT;
	pthread_mutex_lock(&u->lock);
	for (unsigned i = 0; i < u->nr; i++)
		if (u->addr[i] == addr) {
			r = VMM_UNHANDLED_QUIET;
			goto out;
		}
	if (u->nr < VMM_UNHANDLED_MAX) {
		u->addr[u->nr++] = addr;
	} else {
		r = u->full ? VMM_UNHANDLED_QUIET : VMM_UNHANDLED_LAST;
		u->full = true;
	}
out:
	pthread_mutex_unlock(&u->lock);
	return r;
}
