/* SPDX-License-Identifier: MIT */
/*
 * The deferred free under load: two CPUs, each inside its read-side
 * section, unlink many more tables than the queue once held (core/defer.h).
 */
#ifndef HYP_TEST_DEFERTEST_H
#define HYP_TEST_DEFERTEST_H

void defertest_run(void);

#endif
