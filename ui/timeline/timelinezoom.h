#pragma once

#include "timeline/timelinecoordinates.h"

#include <QObject>

namespace pollscope {

/// What part of a timeline is shown and what is selected: the state that views, rulers and the
/// playback share. Every setter keeps the range inside the bounds and at least
/// kMinimumDuration long, and signals only real changes.
///
/// The selected task is the one place that says which task the user picked last, by its poll,
/// its lane name, or a row naming it; TimelineView keeps a selected poll's task selected.
class TimelineZoom : public QObject
{
    Q_OBJECT

public:
    /// The deepest zoom: this much time across the whole view.
    static constexpr TimeNs kMinimumDuration = 100;
    /// One step of zoomIn() and zoomOut().
    static constexpr double kStep = 1.5;

    explicit TimelineZoom(QObject* parent = nullptr);

    TimeRange bounds() const { return m_bounds; }
    TimeRange range() const { return m_range; }
    /// The selected poll's sequence number, or -1.
    qint64 selection() const { return m_selection; }
    /// The selected task, or kNoTask.
    TaskId selectedTask() const { return m_selectedTask; }

public slots:
    /// Sets what can be shown (usually the run, padded). The range is clamped into it; an
    /// empty range (nothing shown yet) becomes the whole of it.
    void setBounds(const pollscope::TimeRange& bounds);
    void setRange(const pollscope::TimeRange& range);
    void zoomToFit();
    /// Zooms by `factor` (> 1: in) keeping `anchor` where it is on screen.
    void zoomBy(double factor, pollscope::TimeNs anchor);
    void zoomIn() { zoomBy(kStep, m_range.start + m_range.duration() / 2); }
    void zoomOut() { zoomBy(1.0 / kStep, m_range.start + m_range.duration() / 2); }
    /// Moves the range by `delta` (later when positive), stopping at the bounds.
    void panBy(pollscope::TimeNs delta);
    /// Moves the range, if needed, so that `time` is in view, [start, end), keeping the zoom.
    /// (range.end is the pixel just past the view.)
    void ensureVisible(pollscope::TimeNs time);
    void setSelection(qint64 sequence);
    void setSelectedTask(pollscope::TaskId task);

signals:
    void boundsChanged(const pollscope::TimeRange& bounds);
    void rangeChanged(const pollscope::TimeRange& range);
    void selectionChanged(qint64 sequence);
    void selectedTaskChanged(pollscope::TaskId task);

private:
    TimeRange m_bounds;
    TimeRange m_range;
    qint64 m_selection = -1;
    TaskId m_selectedTask = kNoTask;
};

} // namespace pollscope
