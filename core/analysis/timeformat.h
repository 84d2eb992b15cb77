#pragma once

#include "runtime/runtimetypes.h"

#include <QString>

namespace pollscope {

/// A time or duration for tables and headlines: three significant digits in the largest unit
/// that fits — "120 ms", "1.5 s", "35.2 µs", "0 ms"; kNever is "-".
QString formatTime(TimeNs ns);

/// A time or duration for narration and logs, exact to the nanosecond — "0 ms", "750 ns",
/// "12.5 µs", "80.01 ms", "2 s" — or to `resolution`: Trace::timeResolution() gives 1 µs for
/// wall-clock traces, whose finer digits are noise ("2.789128 s", not "2.78912845 s").
QString formatExactTime(TimeNs ns, TimeNs resolution = 1);

} // namespace pollscope
