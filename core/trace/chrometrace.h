#pragma once

#include "trace/trace.h"

class QIODevice;

namespace pollscope {

/// Writes a run in the Chrome Trace Event format (JSON), which Perfetto and chrome://tracing
/// open: a track per task with each poll a complete slice named by its outcome (blocking
/// sections nested inside, scheduled stretches before), a worker track with every poll, a
/// reactor track where timers, I/O and deferred yields fire, a track per blocking-pool lane,
/// marks as instants, and a flow arrow from each wake's cause into the poll it led to.
/// Returns false if the device fails.
bool writeChromeTrace(const Trace& trace, const QString& title, QIODevice& device);

} // namespace pollscope
