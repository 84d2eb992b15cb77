// libFuzzer target: any bytes as a scenario. Compiling must report errors, never crash or
// hang; what compiles is run under tight bounds, which must stop it.
//
//   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DPOLLSCOPE_BUILD_FUZZERS=ON -DPOLLSCOPE_BUILD_TESTS=OFF
//   cmake --build build-fuzz --target fuzz_scenario
//   build-fuzz/tests/fuzz/fuzz_scenario -max_total_time=600 corpus/ resources/scenarios/

#include "script/compiler.h"
#include "script/interpreter.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString source = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    const pollscope::CompileResult compiled = pollscope::compileScenario(source, QStringLiteral("fuzz.scn"));
    if (!compiled.ok()) {
        if (compiled.errorText().isEmpty())
            __builtin_trap(); // an invalid scenario must say why
        return 0;
    }
    pollscope::script::Program bounded = *compiled.program;
    bounded.info.settings.maxEvents = 20'000;
    bounded.info.settings.maxTime = 60'000'000'000LL;
    bounded.info.settings.maxStepsPerPoll = 100'000;
    bounded.info.settings.blockingThreads = std::min(bounded.info.settings.blockingThreads, 64);
    pollscope::runScenario(bounded);
    return 0;
}
