#include "timeline/timelinezoom.h"

namespace pollscope {

TimelineZoom::TimelineZoom(QObject* parent)
    : QObject(parent)
{
}

void TimelineZoom::setBounds(const TimeRange& bounds)
{
    if (bounds == m_bounds)
        return;
    m_bounds = bounds;
    emit boundsChanged(m_bounds);
    setRange(m_range.isEmpty() ? m_bounds : m_range);
}

void TimelineZoom::setRange(const TimeRange& range)
{
    const TimeRange clamped = clampRange(range, m_bounds, kMinimumDuration);
    if (clamped == m_range)
        return;
    m_range = clamped;
    emit rangeChanged(m_range);
}

void TimelineZoom::zoomToFit()
{
    setRange(m_bounds);
}

void TimelineZoom::zoomBy(double factor, TimeNs anchor)
{
    setRange(zoomRange(m_range, anchor, factor, m_bounds, kMinimumDuration));
}

void TimelineZoom::panBy(TimeNs delta)
{
    setRange(panRange(m_range, delta, m_bounds, kMinimumDuration));
}

void TimelineZoom::ensureVisible(TimeNs time)
{
    if (time >= m_range.start && time < m_range.end)
        return;
    // Bring it in with a tenth of the view as margin, as an editor scrolls to a line.
    const TimeNs margin = m_range.duration() / 10;
    panBy(time < m_range.start ? time - margin - m_range.start : time + margin - m_range.end);
}

void TimelineZoom::setSelection(qint64 sequence)
{
    if (sequence < -1)
        sequence = -1;
    if (sequence == m_selection)
        return;
    m_selection = sequence;
    emit selectionChanged(m_selection);
}

void TimelineZoom::setSelectedTask(TaskId task)
{
    if (task == m_selectedTask)
        return;
    m_selectedTask = task;
    emit selectedTaskChanged(m_selectedTask);
}

} // namespace pollscope
