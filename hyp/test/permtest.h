/* SPDX-License-Identifier: MIT */
#ifndef HYP_PERMTEST_H
#define HYP_PERMTEST_H

/* Stage-2 permissions as the hardware applies them: write-only data and
   execute-only code, each against libs2's encoding of it. */
void permtest_run(void);

#endif
