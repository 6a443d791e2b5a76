// Counts instructions executed on the boards under QEMU. With `-icount
// shift=0` QEMU's virtual clock advances one nanosecond per instruction, and
// SysTick (on the processor clock) counts that clock; SysTick's 24 bits are
// extended by counting its wraps in its interrupt. Instructions per tick
// (the board's clock period in ns) are measured against a loop of known
// length rather than taken from the board's documentation. Without -icount
// the counts follow QEMU's host-time clock and mean nothing.
#ifndef TINYENC_FIRMWARE_INSTRUCTION_CLOCK_H_
#define TINYENC_FIRMWARE_INSTRUCTION_CLOCK_H_

#include <cstdint>

namespace firmware {

// Starts SysTick and calibrates; call once.
void StartInstructionClock();
// Instructions executed since StartInstructionClock (under -icount shift=0).
uint64_t InstructionsNow();

}  // namespace firmware

#endif  // TINYENC_FIRMWARE_INSTRUCTION_CLOCK_H_
