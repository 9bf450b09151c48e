/* SPDX-License-Identifier: MIT */
/*
 * One VM, one vCPU per physical CPU, all faulting its stage 2 at once
 * (core/vcpu.h); then, on the boot CPU with the others parked, the
 * tables, the guest's data and the hardware's walks are checked.
 */
#ifndef HYP_TEST_SMPTEST_H
#define HYP_TEST_SMPTEST_H

void smptest_run(void);

#endif
