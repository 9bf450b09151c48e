/* SPDX-License-Identifier: MIT */
/*
 * Known defects of the emulated CPU's stage-2 walker, detected at run
 * time by probing, so that the suite skips (and says so) exactly the
 * configurations a given QEMU cannot walk, and runs them on one that can.
 */
#ifndef HYP_QUIRKS_H
#define HYP_QUIRKS_H

#include <stdbool.h>
#include <s2/geometry.h>

/* Probe every known defect; prints one line per probe. */
void quirks_probe(void);

/* If the walker is known to reject @g, the name of the defect; else NULL. */
const char *quirk_for(const struct s2_geometry *g);

/* The largest IPA size a 16K LPA2 VM can use on this walker. */
unsigned quirk_16k_max_ipa(void);

#endif
