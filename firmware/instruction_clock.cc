#include "instruction_clock.h"

namespace {

volatile uint32_t* const kSysTickControl = reinterpret_cast<volatile uint32_t*>(0xE000E010u);
volatile uint32_t* const kSysTickReload = reinterpret_cast<volatile uint32_t*>(0xE000E014u);
volatile uint32_t* const kSysTickValue = reinterpret_cast<volatile uint32_t*>(0xE000E018u);
constexpr uint32_t kReload = 0xFFFFFFu;  // SysTick counts down 24 bits
volatile uint32_t wraps = 0;
constexpr uint64_t kCalibrationInstructions = 2u << 20;  // subs and bne, 2^20 times
uint64_t calibration_ticks = 0;

uint64_t Ticks() {
  uint32_t before, value, after;
  do {  // a wrap between the two reads is seen and the read repeated
    before = wraps;
    value = *kSysTickValue;
    after = wraps;
  } while (before != after);
  return (static_cast<uint64_t>(after) << 24) + (kReload - value);
}

}  // namespace

extern "C" void SysTick_Handler() { wraps = wraps + 1; }

namespace firmware {

void StartInstructionClock() {
  *kSysTickReload = kReload;
  *kSysTickValue = 0;
  *kSysTickControl = 7;  // processor clock, interrupt on wrap, enabled
  // VAL reads 0 until the first reload, which Ticks() would take for a
  // full count.
  while (*kSysTickValue == 0) {
  }
  const uint64_t start = Ticks();
  uint32_t count = kCalibrationInstructions / 2;
  __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(count) : : "cc");
  calibration_ticks = Ticks() - start;
}

// The clock period need not be whole nanoseconds (mps3-an547: 32 MHz).
uint64_t InstructionsNow() {
  return calibration_ticks == 0 ? 0 : Ticks() * kCalibrationInstructions / calibration_ticks;
}

}  // namespace firmware
