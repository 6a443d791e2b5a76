// A statistical profiler standing in for instruction_clock.cc in the
// profile builds (tinyenc-listen-*-profile, `ninja profile-i8`): between
// the two InstructionsNow calls around the measured Listen, SysTick
// interrupts every kPeriod processor clocks and records the interrupted
// instruction's address; at exit the addresses are printed ("pc 0x...")
// for firmware/profile.py to attribute to functions. Under QEMU's -icount
// shift=0 the samples are evenly spaced in instructions executed.
#include <cstdio>
#include <cstdlib>

#include "instruction_clock.h"

namespace {

volatile uint32_t* const kSysTickControl = reinterpret_cast<volatile uint32_t*>(0xE000E010u);
volatile uint32_t* const kSysTickReload = reinterpret_cast<volatile uint32_t*>(0xE000E014u);
constexpr uint32_t kPeriod = 1500;  // clocks: 60,000 instructions on mps2-an386
constexpr size_t kMaxSamples = 32768;  // 128 KB: 1.5 G instructions at 47,000 a sample
uint32_t samples[kMaxSamples];
volatile size_t sample_count = 0;

void PrintSamples() {
  for (size_t i = 0; i < sample_count; ++i) {
    std::printf("pc 0x%08lx\n", static_cast<unsigned long>(samples[i]));
  }
}

}  // namespace

extern "C" void RecordSample(uint32_t pc) {
  if (sample_count < kMaxSamples) samples[sample_count++] = pc;
}

// The stacked return address is at offset 24 of the exception frame, on the
// main stack (the firmware never switches to the process stack).
extern "C" __attribute__((naked)) void SysTick_Handler() {
  __asm__ volatile("mrs r0, msp\n\tldr r0, [r0, #24]\n\tb RecordSample");
}

namespace firmware {

void StartInstructionClock() {
  std::atexit(PrintSamples);  // newlib keeps the first 32 handlers statically
  *kSysTickReload = kPeriod - 1;
}

// Starts sampling, and stops it the next time. The profile build counts
// samples, not instructions.
uint64_t InstructionsNow() {
  // Processor clock, interrupt, enabled; or off. (The M55 reads CLKSOURCE
  // as 1 even when off.)
  *kSysTickControl = (*kSysTickControl & 1) == 0 ? 7 : 0;
  return 0;
}

}  // namespace firmware
