/* SPDX-License-Identifier: MIT */
/* An 8250/16550A UART (ttyS0): output to stdout, input from a tty. */
#ifndef VMM_UART_H
#define VMM_UART_H

#include "vm.h"

int vmm_uart_setup(struct vmm_vm *vm);

#endif
