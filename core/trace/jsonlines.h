#pragma once

#include "trace/jsonwriter.h" // formatMicros
#include "trace/trace.h"

class QIODevice;

namespace pollscope {

/// Writes a run as JSON lines, one object per event in the order they happened: `spawn`,
/// `poll` (one line per poll, at its start, with its end and outcome), `wake`, `block`,
/// `blocking_job`, `wait` (what a Pending task registered with), `mark`, `unpolled`, `cancel`,
/// `complete`, and last `done`.
/// `seq` counts the lines; times are µs (`*_us`); `line` is the source line when known.
/// Returns false if the device fails.
bool writeJsonLines(const Trace& trace, QIODevice& device);

QString wakeCauseName(WakeCause cause);
QString cancelTargetName(CancelTarget target);
QString waitTargetName(WaitTarget target);

} // namespace pollscope
