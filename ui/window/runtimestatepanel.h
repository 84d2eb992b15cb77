#pragma once

#include "analysis/runtimestate.h"

#include <QTreeWidget>

#include <memory>

namespace pollscope {

/// What the executor holds at the playback cursor: the run queue in order, deferred yield_now
/// wakes, pending timers and I/O with their deadlines, blocking-pool jobs, and the tasks
/// waiting on handles or channels. Follows the playback; derived by replaying the trace.
class RuntimeStatePanel : public QTreeWidget
{
    Q_OBJECT

public:
    explicit RuntimeStatePanel(QWidget* parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    /// Shows the state after the first `events` events.
    void showState(std::size_t events);
    const RuntimeState& state() const { return m_state; }

private:
    QTreeWidgetItem* section(const QString& title, int count);

    std::shared_ptr<const Trace> m_trace;
    RuntimeState m_state;
};

} // namespace pollscope
