/* SPDX-License-Identifier: MIT */
/* Host CPU lists as Linux writes them ("0-3,8,10-11"): --vcpu-affinity. */
#ifndef VMM_CPULIST_H
#define VMM_CPULIST_H

#include <sched.h>
#include <stddef.h>

/*
 * vmm_cpulist_parse() - parse @s into @set (cleared first): comma
 * separated CPU numbers and inclusive ranges, each below CPU_SETSIZE.
 * Return: 0, or -1 with a message in @err naming the bad part.
 */
int vmm_cpulist_parse(const char *s, cpu_set_t *set, char *err, size_t errlen);

/* Format @set as a CPU list into @buf; returns @buf ("" when empty). */
const char *vmm_cpulist_fmt(const cpu_set_t *set, char *buf, size_t len);

#endif
