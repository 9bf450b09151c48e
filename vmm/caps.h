/* SPDX-License-Identifier: MIT */
/* `s2vmm caps`: what this host's KVM lets a VM have. */
#ifndef VMM_CAPS_H
#define VMM_CAPS_H

int vmm_caps_main(int argc, char **argv);

#endif
