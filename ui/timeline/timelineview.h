#pragma once

#include "timeline/timelinerenderer.h"

#include <QAbstractScrollArea>

#include <memory>

namespace pollscope {

class TimelineZoom;

/// The timeline widget: TimelineRenderer on a scroll area, driven by a TimelineZoom.
///
/// Zoom: Ctrl+wheel (at the mouse), + and - (at the playback cursor when it is in view), 0 to
/// fit, or drag a range on the ruler. Pan: drag the lanes, the wheel (vertical when lanes
/// overflow, else horizontal; Shift+wheel is always horizontal), or the scroll bars; a moving
/// playback cursor takes the view along. Hovering shows what lies under the mouse, in a tooltip
/// that keeps to it as the cursor or the view moves; a click on a poll selects it and its task
/// (pollSelected), a click on a wake arrow tells which wake it is (wakeSelected), a click on a
/// task's name selects the task; a click on the ruler asks to seek there (seekRequested). The
/// selection lives in zoom(). Left and Right are left to the window (playback steps).
class TimelineView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    /// Shows a model: zooms to fit, clears the selection and the playback cursor.
    void setModel(std::shared_ptr<const TimelineModel> model);
    /// Shows a newer model of the same run (a live run grows): keeps the user's view, or, while
    /// following, keeps the whole run so far in sight.
    void updateModel(std::shared_ptr<const TimelineModel> model);
    /// Diagnostics to show as warning signs (with their text as tooltip).
    void setMarkers(TimelineMarkers markers);
    /// Live follow mode: on until the user zooms or pans away; zoom to fit turns it back on.
    void setFollowing(bool following);
    const std::shared_ptr<const TimelineModel>& model() const { return m_renderer.model(); }
    TimelineZoom* zoom() const { return m_zoom; }
    const TimelineRenderer& renderer() const { return m_renderer; }

    void setTheme(const TimelineTheme& theme);
    const TimelineTheme& theme() const { return m_renderer.theme(); }
    void setTitle(const QString& title);
    void setLegendVisible(bool visible);
    /// Dim, rather than hide, what lies after the playback cursor.
    void setDimAfterCursor(bool dim);

    /// The playback cursor: events from `eventLimit` on are hidden (or dimmed); the cursor
    /// line stands at `time`. kAllEvents / kNever: no cursor. A cursor that moves out of view
    /// within a model (not with a new one) scrolls the view to it.
    void setPlaybackCursor(std::size_t eventLimit, TimeNs time);

    /// What the next paint draws (size, range, scroll, cursor, selection).
    TimelineViewport frame() const;
    /// What lies under a point of the viewport widget.
    TimelineHit hitAt(QPoint position) const;
    /// The tooltip for a point of the viewport widget; empty where there is nothing to say.
    QString toolTipAt(QPoint position) const;

public slots:
    /// Zoom by a step around the playback cursor while it is in view, else the middle.
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    /// Selects poll `sequence` and its task, and brings it into view; -1 (or no such poll)
    /// selects no poll and keeps the task.
    void selectPoll(qint64 sequence);
    /// Selects `task` (kNoTask: none) and brings its lane into view; a selected poll of
    /// another task is no longer selected.
    void selectTask(pollscope::TaskId task);

signals:
    /// A click selected a poll; `eventIndex` is its PollStart event (the event log's row).
    void pollSelected(qint64 eventIndex);
    /// A click on a wake arrow; `eventIndex` is its Wake event (the event log's row).
    void wakeSelected(qint64 eventIndex);
    /// A click on the ruler: the user wants the playback cursor at `time`.
    void seekRequested(qint64 time);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    enum class Drag { None, Pan, RulerRange, LaneName };

    /// Over dense polls: "N polls within these 8 px, busy X% of the time" and a newline, for
    /// the tooltip; empty where the polls of `lane` near `position` are few.
    QString densityAt(QPoint position, int lane) const;
    /// Repaints after the model, the playback cursor or the view changed, and makes a tooltip on
    /// show tell what now lies under the mouse (toolTipAt), or hides it where nothing does: a
    /// step or Home must not leave up the tooltip of a glyph that is hidden or moved away.
    void contentsChanged();
    /// Shows the tooltip for what lies at `global` (screen coordinates) or hides the one on
    /// show; returns whether something is shown.
    bool showToolTipAt(QPoint global);
    void updateScrollBars();
    void ensureLaneVisible(int lane);
    /// The task whose name a lane shows, or kNoTask.
    TaskId taskOfLane(int lane) const;
    void horizontalScrolled(int value);
    TimeNs timeAt(int x) const;
    /// The time a click or drag at `x` on the ruler picks: none before the time origin (the
    /// inset left of it) or after the lanes' end.
    TimeNs rulerTimeAt(int x) const;
    /// What zoomIn() and zoomOut() keep in place.
    TimeNs zoomAnchor() const;
    /// Nanoseconds per horizontal scroll-bar unit: the bar's range must fit in an int.
    TimeNs scrollUnit() const;

    TimelineRenderer m_renderer;
    TimelineZoom* m_zoom;
    QString m_title;
    bool m_legend = true;
    bool m_dim = false;
    std::size_t m_eventLimit = kAllEvents;
    TimeNs m_cursorTime = kNever;
    int m_models = 0; ///< models shown so far
    int m_cursorModels = 0; ///< ... when the cursor was last set

    Drag m_drag = Drag::None;
    QPoint m_pressPosition;
    TimeRange m_pressRange;
    int m_pressScroll = 0;
    bool m_moved = false;
    TimeRange m_rulerSelection;
    bool m_updatingScrollBars = false;
    bool m_following = false;
    TimelineMarkers m_markers; ///< shared with each frame(), not copied per paint
};

} // namespace pollscope
