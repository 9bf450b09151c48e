/* SPDX-License-Identifier: MIT */
/* The guests: several VMs of different granules and IPA sizes at once. */
#ifndef HYP_SCENARIO_H
#define HYP_SCENARIO_H

/* Create the VMs (and refuse the invalid types), run them all to the
   end, check the outcome and print the table. */
void scenario_run(void);

#endif
