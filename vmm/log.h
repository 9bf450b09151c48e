/* SPDX-License-Identifier: MIT */
/* Messages on stderr, filtered by --loglevel. Every line starts with
   "s2vmm:" so a console log mixing guest and VMM output stays readable. */
#ifndef VMM_LOG_H
#define VMM_LOG_H

enum vmm_loglevel { VMM_LOG_ERROR, VMM_LOG_WARNING, VMM_LOG_INFO, VMM_LOG_DEBUG };

extern enum vmm_loglevel vmm_loglevel;

int vmm_loglevel_parse(const char *s, enum vmm_loglevel *l);

void vmm_log(enum vmm_loglevel l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define pr_err(...)   vmm_log(VMM_LOG_ERROR, __VA_ARGS__)
#define pr_warn(...)  vmm_log(VMM_LOG_WARNING, __VA_ARGS__)
#define pr_info(...)  vmm_log(VMM_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) vmm_log(VMM_LOG_DEBUG, __VA_ARGS__)

#endif
