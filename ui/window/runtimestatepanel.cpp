#include "window/runtimestatepanel.h"

#include "analysis/summary.h"
#include "trace/jsonlines.h"

#include <QHeaderView>

namespace pollscope {

RuntimeStatePanel::RuntimeStatePanel(QWidget* parent)
    : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({ tr("What"), tr("Details") });
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    setRootIsDecorated(true);
    setUniformRowHeights(true);
}

RuntimeStatePanel::~RuntimeStatePanel() = default;

void RuntimeStatePanel::setTrace(std::shared_ptr<const Trace> trace)
{
    m_trace = std::move(trace);
    m_replay.reset();
    m_filled = false;
    showState(m_trace ? m_trace->events.size() : 0);
}

const RuntimeState& RuntimeStatePanel::state()
{
    if (!m_trace)
        return m_empty;
    if (!m_replay)
        m_replay = std::make_unique<RuntimeReplay>(m_trace);
    return m_replay->stateAt(m_events);
}

void RuntimeStatePanel::showState(std::size_t events)
{
    if (m_filled && events == m_events)
        return;
    m_events = events;
    m_filled = false;
    if (isVisible())
        fill();
}

void RuntimeStatePanel::showEvent(QShowEvent* event)
{
    QTreeWidget::showEvent(event);
    if (!m_filled)
        fill();
}

QTreeWidgetItem* RuntimeStatePanel::section(const QString& title, int count)
{
    auto* item = new QTreeWidgetItem(this, { QStringLiteral("%1 (%2)").arg(title).arg(count) });
    QFont bold = item->font(0);
    bold.setBold(true);
    item->setFont(0, bold);
    item->setExpanded(true);
    return item;
}

void RuntimeStatePanel::fill()
{
    clear();
    m_filled = true;
    if (!m_trace)
        return;
    const Trace& trace = *m_trace;
    const RuntimeState& s = state();
    auto add = [](QTreeWidgetItem* parent, const QString& what, const QString& details) {
        new QTreeWidgetItem(parent, { what, details });
    };
    // Exact times, as the status bar and the event log give them (605.1 ms, not 605 ms).
    auto exact = [&trace](TimeNs time) { return formatExactTime(time, trace.timeResolution()); };

    auto* now = new QTreeWidgetItem(this, { tr("Clock"), exact(s.time) });
    if (s.polling != kNoTask)
        now->setText(1, tr("%1 — polling %2").arg(exact(s.time), trace.taskName(s.polling)));

    QTreeWidgetItem* queue = section(tr("Run queue"), int(s.runQueue.size()) + (s.mainWoken ? 1 : 0));
    if (s.mainWoken)
        add(queue, tr("main"), tr("woken: polled at the start of the next tick"));
    for (std::size_t i = 0; i < s.runQueue.size(); ++i)
        add(queue, trace.taskName(s.runQueue[i]), i == 0 ? tr("next") : tr("#%1").arg(i + 1));

    QTreeWidgetItem* deferred = section(tr("Deferred yield_now wakes"), int(s.deferredYields.size()));
    for (TaskId task : s.deferredYields)
        add(deferred, trace.taskName(task), tr("woken after the reactor runs"));

    auto pending = [&](const QString& title, const std::vector<RuntimeState::Pending>& list) {
        QTreeWidgetItem* item = section(title, int(list.size()));
        for (const RuntimeState::Pending& p : list) {
            const QString label = trace.string(trace.tables.resources[p.resource].label);
            const QString due = p.deadline <= s.time ? tr("due since %1").arg(exact(p.deadline)) : tr("due at %1").arg(exact(p.deadline));
            add(item, trace.taskName(p.task), label.isEmpty() ? due : label + u" — " + due);
        }
    };
    pending(tr("Timers"), s.timers);
    pending(tr("I/O"), s.io);

    QTreeWidgetItem* jobs = section(tr("Blocking pool"), int(s.jobs.size()));
    for (const RuntimeState::Job& job : s.jobs) {
        const QString label = trace.string(trace.tables.resources[job.resource].label);
        const QString when = job.start > s.time ? tr("queued, starts %1").arg(exact(job.start))
                                                : tr("lane %1, ends %2").arg(job.lane).arg(exact(job.end));
        add(jobs, label, tr("for %1 — %2").arg(trace.taskName(job.task), when));
    }

    QTreeWidgetItem* waiting = section(tr("Waiting"), int(s.waiting.size()));
    for (const RuntimeState::Waiter& w : s.waiting) {
        QString on;
        switch (w.target) {
        case WaitTarget::Task:
            on = tr("the handle of %1").arg(trace.taskName(w.on));
            break;
        case WaitTarget::Job:
            on = tr("blocking job %1").arg(trace.string(trace.tables.resources[w.on].label));
            break;
        case WaitTarget::ChannelSend:
            on = tr("room on channel %1").arg(trace.string(trace.tables.resources[w.on].label));
            break;
        case WaitTarget::ChannelRecv:
            on = tr("a value on channel %1").arg(trace.string(trace.tables.resources[w.on].label));
            break;
        default:
            on = waitTargetName(w.target);
            break;
        }
        add(waiting, trace.taskName(w.task), on);
    }
}

} // namespace pollscope
