/* Reset and fault handlers for the QEMU Cortex-M boards. QEMU's -kernel loads
 * the ELF and the core takes its initial stack pointer and reset address from
 * the vector table at 0. I/O and the exit code go through semihosting
 * (librdimon). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

extern uint32_t __data_load__, __data_start__, __data_end__;
extern uint32_t __bss_start__, __bss_end__, __stack_top__;
extern int main(int argc, char** argv);
extern void __libc_init_array(void);
extern void initialise_monitor_handles(void);
extern void exit(int) __attribute__((noreturn));
extern void _exit(int) __attribute__((noreturn));

void Reset_Handler(void) __attribute__((noreturn));

/* Semihosting cannot run at fault priority, so a fault stops the core on
 * purpose: QEMU reports the lockup with the registers and exits non-zero,
 * which fails the test or CI step instead of hanging it. */
static void Fault_Handler(void) { __asm__ volatile("udf #0"); }
/* A program that starts SysTick defines its own handler. */
void SysTick_Handler(void) __attribute__((weak, alias("Fault_Handler")));

static int Semihost(int operation, void* argument) {
  register int r0 __asm__("r0") = operation;
  register void* r1 __asm__("r1") = argument;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

/* The test programs find their golden files (which semihosting opens on the
 * host) through TINYENC_SOURCE_ROOT and take doctest options. QEMU hands
 * `-append` text over as the semihosting command line: its NAME=VALUE words
 * become the environment, its --options the arguments. */
extern char** environ;
enum { kMaxWords = 8 };
static char program_name[] = "firmware";
static char* arguments[kMaxWords + 1] = {program_name};
static int argument_count = 1;

static void ReadCommandLine(void) {
  static char command_line[1024];
  static char* environment[kMaxWords + 1];
  struct { char* buffer; int size; } block = {command_line, sizeof(command_line) - 1};
  if (Semihost(0x15 /* SYS_GET_CMDLINE */, &block) != 0) return;
  size_t variables = 0;
  for (char* word = strtok(command_line, " "); word != NULL; word = strtok(NULL, " ")) {
    if (word[0] == '-' && argument_count < kMaxWords) {
      arguments[argument_count++] = word;
    } else if (strchr(word, '=') != NULL && variables < kMaxWords) {
      environment[variables++] = word;
    }
  }
  environ = environment;
}

__attribute__((section(".isr_vector"), used))
void (*const vector_table[16])(void) = {
    (void (*)(void))(&__stack_top__),
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    0, 0, 0, 0,
    Fault_Handler, /* SVC */
    Fault_Handler, /* DebugMon */
    0,
    Fault_Handler, /* PendSV */
    SysTick_Handler,
};

void Reset_Handler(void) {
#if defined(__ARM_FP)
  /* Grant CP10/CP11 (the FPU) before the first floating-point instruction. */
  *(volatile uint32_t*)0xE000ED88u |= (0xFu << 20);
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  uint32_t* source = &__data_load__;
  for (uint32_t* word = &__data_start__; word < &__data_end__;) *word++ = *source++;
  for (uint32_t* word = &__bss_start__; word < &__bss_end__;) *word++ = 0;
  initialise_monitor_handles();
  ReadCommandLine();
  __libc_init_array(); /* C++ static constructors */
  exit(main(argument_count, arguments)); /* semihosting SYS_EXIT with main's code */
}

/* -nostartfiles drops crti.o/crtn.o, whose _init/_fini __libc_init_array
 * calls, and crtbegin.o, whose __dso_handle __cxa_atexit needs. */
void _init(void) {}
void _fini(void) {}
void* __dso_handle = 0;
