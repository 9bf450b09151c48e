/* SPDX-License-Identifier: MIT */
/* Arm semihosting (HLT #0xF000 in A64): exit status and command line. */
#ifndef HYP_SEMIHOST_H
#define HYP_SEMIHOST_H

#include <stddef.h>

/* Ends the QEMU run with @code as its exit status. */
void semihost_exit(int code) __attribute__((noreturn));

/* The -semihosting-config arg=... words joined by spaces; 0 on success. */
int semihost_cmdline(char *buf, size_t len);

#endif
