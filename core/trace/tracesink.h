#pragma once

#include "trace/trace.h"

namespace pollscope {

/// A trace hook: the runtime hands every event of a run to its sinks, in order, on the thread
/// that runs the tasks. Names, resources and spans an event refers to are already in `tables`.
class TraceSink
{
public:
    virtual ~TraceSink() = default;
    virtual void onEvent(const TraceEvent& event, const TraceTables& tables) = 0;
};

/// The sink that keeps a run: every event, in order, in one flat vector.
class TraceRecorder final : public TraceSink
{
public:
    void onEvent(const TraceEvent& event, const TraceTables&) override { m_events.push_back(event); }
    void reserve(std::size_t events) { m_events.reserve(events); }
    const std::vector<TraceEvent>& events() const { return m_events; }
    std::vector<TraceEvent> takeEvents() { return std::move(m_events); }

private:
    std::vector<TraceEvent> m_events;
};

} // namespace pollscope
