#pragma once

#include "trace/trace.h"
#include "trace/tracesink.h"

#include <vector>

namespace pollscope {

/// Where a runtime puts its events: the side tables, the flat event log (when recording), and
/// the sinks that get each batch. Counts every event, recorded or not, for the runaway bound.
class TraceRecorder {
public:
    /// Keeps every event; adding a sink implies it.
    void enable() { m_enabled = true; }
    bool isEnabled() const { return m_enabled; }
    void addSink(TraceSink* sink);

    void record(const TraceEvent& event)
    {
        if (m_enabled)
            keep(event);
        else
            skip(1);
    }
    /// record() for a caller that knows the recorder is enabled.
    void keep(const TraceEvent& event) { m_log.push_back(event); }
    /// record() for a caller that knows it is not: counts `events` without building them.
    void skip(std::uint64_t events) { m_skipped += events; }
    /// Events of the run so far, kept or not (until take()).
    std::uint64_t count() const { return m_log.size() + m_skipped; }

    TraceTables& tables() { return m_tables; }
    const TraceTables& tables() const { return m_tables; }

    /// Hands the events recorded since the last flush to the sinks.
    void flush();
    /// The recorded run; the recorder is empty afterwards.
    Trace take(const RunReport& report, const RuntimeSettings& settings, bool virtualClock);

private:
    TraceTables m_tables;
    EventLog m_log;
    std::vector<TraceSink*> m_sinks;
    std::size_t m_flushed = 0;
    std::uint64_t m_skipped = 0;
    bool m_enabled = false;
};

} // namespace pollscope
