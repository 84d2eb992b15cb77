#pragma once

#include "analysis/runtimestate.h"

#include <QTreeWidget>

#include <memory>

namespace pollscope {

/// What the executor holds at the playback cursor: the run queue in order, deferred yield_now
/// wakes, pending timers and I/O with their deadlines, blocking-pool jobs, and the tasks
/// waiting on handles or channels. Follows the playback; derived by replaying the trace
/// (RuntimeReplay: a step replays the events stepped over, not the run from its start).
///
/// Costs nothing while hidden: showState() only notes the point, and the replay and the items
/// are brought up to date when the panel is shown or state() is asked for.
class RuntimeStatePanel : public QTreeWidget
{
    Q_OBJECT

public:
    explicit RuntimeStatePanel(QWidget* parent = nullptr);
    ~RuntimeStatePanel() override;

    /// The run to follow; the panel shows its end until showState() moves it.
    void setTrace(std::shared_ptr<const Trace> trace);
    /// Shows the state after the first `events` events.
    void showState(std::size_t events);
    /// The state shown, or to be shown once visible.
    const RuntimeState& state();

protected:
    void showEvent(QShowEvent* event) override;

private:
    QTreeWidgetItem* section(const QString& title, int count);
    void fill();

    std::shared_ptr<const Trace> m_trace;
    std::unique_ptr<RuntimeReplay> m_replay; ///< made when first needed
    std::size_t m_events = 0; ///< the point to show
    bool m_filled = false; ///< the items show the state at m_events
    RuntimeState m_empty;
};

} // namespace pollscope
