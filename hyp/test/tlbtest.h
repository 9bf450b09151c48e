/* SPDX-License-Identifier: MIT */
#ifndef HYP_TLBTEST_H
#define HYP_TLBTEST_H

/* TLB maintenance tests: a missing invalidation is visible to a guest,
   the environment's invalidation is not missing, and invalidating on
   behalf of one VM leaves another VM's translations intact. */
void tlbtest_run(void);

#endif
