#include "runtime/runtimesettings.h"

#include <algorithm>

namespace pollscope {

namespace {

// The largest bounds the scenario language accepts (script/compiler.cpp's runtime header).
constexpr std::uint64_t kLargestMaxEvents = 1'000'000'000;
constexpr TimeNs kLargestMaxTime = 1'000'000'000'000'000LL;

/// A duration as the scenario language writes it, in the largest unit that keeps it whole.
QString scriptDuration(TimeNs ns)
{
    if (ns % 1'000'000'000 == 0)
        return QStringLiteral("%1s").arg(ns / 1'000'000'000);
    if (ns % 1'000'000 == 0)
        return QStringLiteral("%1ms").arg(ns / 1'000'000);
    if (ns % 1'000 == 0)
        return QStringLiteral("%1us").arg(ns / 1'000);
    return QStringLiteral("%1ns").arg(ns);
}

} // namespace

QString eventLimitMessage(const RuntimeSettings& settings)
{
    return QStringLiteral(
        "the run stopped after %1 event%2 (max_events); raise the bound in the runtime header, "
        "e.g. runtime current_thread(max_events: %3)")
        .arg(settings.maxEvents)
        .arg(settings.maxEvents == 1 ? QString() : u"s"_qs)
        .arg(std::min(settings.maxEvents * 2, kLargestMaxEvents));
}

QString timeLimitMessage(const RuntimeSettings& settings, bool realTime)
{
    return QStringLiteral("the run stopped at %1 of %2 time (max_time); raise the bound in the runtime header, "
                          "e.g. runtime current_thread(max_time: %3)")
        .arg(scriptDuration(settings.maxTime), realTime ? u"real" : u"virtual",
             scriptDuration(std::min(settings.maxTime * 2, kLargestMaxTime)));
}

} // namespace pollscope
