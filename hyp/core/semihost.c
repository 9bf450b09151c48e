/* SPDX-License-Identifier: MIT */
/*
 * Semihosting for AArch64 (Arm "Semihosting for AArch32 and AArch64",
 * v2): operation in W0, parameter block address in X1, HLT #0xF000.
 */
#include <stdint.h>
#include "semihost.h"

#define SYS_GET_CMDLINE 0x15
#define SYS_EXIT        0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static uint64_t semihost_call(uint64_t op, uint64_t *block)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

void semihost_exit(int code)
{
	/* The AArch64 form takes {reason, exit code}; QEMU exits with the
	   code only for ADP_Stopped_ApplicationExit. */
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint64_t)(unsigned)code };

	for (;;)
		semihost_call(SYS_EXIT, block);
}

int semihost_cmdline(char *buf, size_t len)
{
	uint64_t block[2] = { (uint64_t)buf, len };

	return semihost_call(SYS_GET_CMDLINE, block) == 0 ? 0 : -1;
}
