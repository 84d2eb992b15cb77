#include "timeline/timelineview.h"

#include "timeline/timelinezoom.h"

#include <QCursor>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

namespace pollscope {

namespace {

/// A press that moves less than this is a click.
constexpr int kClickSlop = 3;
/// Ctrl+wheel: one notch (120) zooms by this factor.
constexpr double kWheelZoom = 1.25;
/// Scroll-bar units across the whole run at most (QScrollBar takes int).
constexpr TimeNs kScrollUnits = 1'000'000;

} // namespace

TimelineView::TimelineView(QWidget* parent)
    : QAbstractScrollArea(parent)
    , m_zoom(new TimelineZoom(this))
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setCursor(Qt::OpenHandCursor);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    connect(m_zoom, &TimelineZoom::rangeChanged, this, [this] {
        updateScrollBars();
        contentsChanged();
    });
    connect(m_zoom, &TimelineZoom::selectionChanged, viewport(), qOverload<>(&QWidget::update));
    connect(m_zoom, &TimelineZoom::selectedTaskChanged, viewport(), qOverload<>(&QWidget::update));
    connect(
        horizontalScrollBar(), &QScrollBar::valueChanged, this, &TimelineView::horizontalScrolled);
    setModel(nullptr);
}

TimelineView::~TimelineView() = default;

void TimelineView::setModel(std::shared_ptr<const TimelineModel> model)
{
    ++m_models;
    m_renderer.setModel(std::move(model));
    m_eventLimit = kAllEvents;
    m_cursorTime = kNever;
    m_zoom->setSelection(-1);
    m_zoom->setSelectedTask(kNoTask); // another run's task of that id is another task
    m_zoom->setBounds(fitRange(m_renderer.model()->bounds()));
    m_zoom->zoomToFit();
    verticalScrollBar()->setValue(0);
    updateScrollBars();
    contentsChanged();
}

void TimelineView::updateModel(std::shared_ptr<const TimelineModel> model)
{
    const TimeRange range = m_zoom->range();
    ++m_models;
    m_renderer.setModel(std::move(model));
    m_zoom->setBounds(fitRange(m_renderer.model()->bounds()));
    if (m_following)
        m_zoom->zoomToFit();
    else
        m_zoom->setRange(range);
    updateScrollBars();
    contentsChanged();
}

void TimelineView::setMarkers(TimelineMarkers markers)
{
    m_markers = std::move(markers);
    contentsChanged();
}

void TimelineView::setFollowing(bool following)
{
    m_following = following;
}

void TimelineView::setTheme(const TimelineTheme& theme)
{
    m_renderer.setTheme(theme);
    viewport()->update();
}

void TimelineView::setTitle(const QString& title)
{
    m_title = title;
    updateScrollBars();
    contentsChanged();
}

void TimelineView::setLegendVisible(bool visible)
{
    m_legend = visible;
    updateScrollBars();
    contentsChanged();
}

void TimelineView::setDimAfterCursor(bool dim)
{
    m_dim = dim;
    contentsChanged();
}

void TimelineView::setPlaybackCursor(std::size_t eventLimit, TimeNs time)
{
    if (eventLimit == m_eventLimit && time == m_cursorTime)
        return;
    // Stepping, playing and seeking take the view along, a page at a time, as an editor
    // follows its caret. A cursor that stays put, or that moves because the run did (a live
    // run grows; a new run starts at its end), leaves the user's view alone.
    const bool stepped = time != m_cursorTime && m_cursorModels == m_models;
    m_cursorModels = m_models;
    m_eventLimit = eventLimit;
    m_cursorTime = time;
    if (stepped && time != kNever)
        m_zoom->ensureVisible(time);
    contentsChanged();
}

TimelineViewport TimelineView::frame() const
{
    TimelineViewport v;
    v.size = viewport()->size();
    v.range = m_zoom->range();
    v.scrollY = verticalScrollBar()->value();
    v.eventLimit = m_eventLimit;
    v.cursorTime = m_cursorTime;
    v.dimAfterCursor = m_dim;
    v.selectedPoll = m_zoom->selection() >= 0 ? std::uint32_t(m_zoom->selection()) : kNoItem;
    v.selectedTask = m_zoom->selectedTask();
    v.rulerSelection = m_rulerSelection;
    v.title = m_title;
    v.showLegend = m_legend;
    v.markers = m_markers;
    return v;
}

TimelineHit TimelineView::hitAt(QPoint position) const
{
    return m_renderer.hitTest(frame(), position);
}

QString TimelineView::densityAt(QPoint position, int lane) const
{
    // A few columns around the pointer; three polls in them are more than boxes can show.
    const TimelineViewport& viewport = frame();
    const TimelineLayout layout = m_renderer.layout(viewport);
    const auto timeAt = [&](int x) {
        return xToTime(x, viewport.range, layout.axis.left, layout.axis.width);
    };
    const TimeRange around { timeAt(position.x() - 4), timeAt(position.x() + 4) };
    const std::size_t limit = viewport.dimAfterCursor ? kAllEvents : viewport.eventLimit;
    const auto [polls, busy] = m_renderer.model()->pollsWithin(lane, around, limit);
    if (polls < 3 || around.duration() <= 0)
        return QString();
    return QStringLiteral("%1 polls within these 8 px, busy %2% of the time\n")
        .arg(polls)
        .arg(qRound(100.0 * double(busy) / double(around.duration())));
}

QString TimelineView::toolTipAt(QPoint position) const
{
    const TimelineHit hit = hitAt(position);
    const TimelineModel& model = *m_renderer.model();
    // Every mark under the point, over a poll too; a tick of a dense lane stands for thousands.
    constexpr std::size_t kMaxMarks = 8;
    QStringList marks;
    const auto [firstMark, lastMark] = hit.marks;
    for (std::size_t i = firstMark; i < std::min(lastMark, firstMark + kMaxMarks); ++i)
        marks << model.describePoint(hit.lane, model.marks(hit.lane)[i]);
    if (lastMark - firstMark > kMaxMarks)
        marks << QStringLiteral("and %1 more marks").arg(lastMark - firstMark - kMaxMarks);
    // And every dropped future under the point, first: what its ring stands for, over a poll
    // too (a select drops its losers in the poll where it completes).
    const auto [firstDrop, lastDrop] = hit.drops;
    if (lastDrop > firstDrop) {
        marks.prepend(
            model.describeDrops(hit.lane, firstDrop, std::min(lastDrop, firstDrop + kMaxMarks)));
        if (lastDrop - firstDrop > kMaxMarks)
            marks.insert(1,
                QStringLiteral("and %1 more dropped futures")
                    .arg(lastDrop - firstDrop - kMaxMarks));
    }
    switch (hit.kind) {
    case TimelineHit::Kind::Poll:
        marks << densityAt(position, hit.lane) + model.describePoll(hit.index);
        return marks.join(u'\n');
    case TimelineHit::Kind::Scheduled:
        return model.describeSpan(hit.lane, model.scheduled(hit.lane)[hit.index], true);
    case TimelineHit::Kind::Late:
        return model.describeLate(hit.lane, model.late(hit.lane)[hit.index]);
    case TimelineHit::Kind::Idle:
        return model.describeSpan(hit.lane, model.idle(hit.lane)[hit.index], false);
    case TimelineHit::Kind::Job:
        return model.describeJob(model.jobs(hit.lane)[hit.index]);
    case TimelineHit::Kind::Mark:
    case TimelineHit::Kind::Drop:
        return marks.join(u'\n');
    case TimelineHit::Kind::Cancel:
        return model.describePoint(hit.lane, model.cancels(hit.lane)[hit.index]);
    case TimelineHit::Kind::Ghost:
        return model.describePoint(hit.lane, model.ghosts(hit.lane)[hit.index]);
    case TimelineHit::Kind::Wake: {
        const TimelineViewport viewport = frame();
        return model.describeWake(
            hit.index, viewport.dimAfterCursor ? kAllEvents : viewport.eventLimit);
    }
    case TimelineHit::Kind::Diagnostic:
        return (*m_markers)[hit.index].text;
    case TimelineHit::Kind::LaneName: {
        const QString detail = model.laneDetail(hit.lane);
        return detail.isEmpty() ? model.laneName(hit.lane)
                                : model.laneName(hit.lane) + u"  " + detail;
    }
    case TimelineHit::Kind::Ruler:
        return QStringLiteral("%1 \u2014 click to move the cursor here, drag to zoom")
            .arg(model.exactTime(hit.time));
    case TimelineHit::Kind::None:
    case TimelineHit::Kind::Header:
    case TimelineHit::Kind::Lane:
        break;
    }
    return QString();
}

void TimelineView::contentsChanged()
{
    viewport()->update();
    // Over the viewport, a tooltip on show is the view's own (another widget's goes as the
    // mouse leaves it). Qt replaces it only when the mouse moves.
    if (QToolTip::isVisible() && viewport()->underMouse())
        showToolTipAt(QCursor::pos());
}

bool TimelineView::showToolTipAt(QPoint global)
{
    const QString text = toolTipAt(viewport()->mapFromGlobal(global));
    QToolTip::showText(global, text, viewport()); // an empty text hides it; the same one stays put
    return !text.isEmpty();
}

void TimelineView::zoomIn()
{
    setFollowing(false);
    m_zoom->zoomBy(TimelineZoom::kStep, zoomAnchor());
}

void TimelineView::zoomOut()
{
    setFollowing(false);
    m_zoom->zoomBy(1.0 / TimelineZoom::kStep, zoomAnchor());
}

TimeNs TimelineView::zoomAnchor() const
{
    const TimeRange range = m_zoom->range();
    if (m_cursorTime != kNever && m_cursorTime >= range.start && m_cursorTime < range.end)
        return m_cursorTime;
    return range.start + range.duration() / 2;
}

void TimelineView::zoomToFit()
{
    setFollowing(true);
    m_zoom->zoomToFit();
}

void TimelineView::selectPoll(qint64 sequence)
{
    const TimelineModel& model = *m_renderer.model();
    if (sequence < 0 || std::size_t(sequence) >= model.pollCount()) {
        m_zoom->setSelection(-1);
        return;
    }
    const PollItem& poll = model.poll(std::size_t(sequence));
    m_zoom->setSelectedTask(poll.task);
    m_zoom->setSelection(sequence);
    m_zoom->ensureVisible(poll.start);
    ensureLaneVisible(model.laneOfTask(poll.task));
}

void TimelineView::selectTask(TaskId task)
{
    const TimelineModel& model = *m_renderer.model();
    const int lane = model.laneOfTask(task);
    if (lane < 0)
        task = kNoTask;
    if (const qint64 poll = m_zoom->selection();
        poll >= 0 && model.poll(std::size_t(poll)).task != task)
        m_zoom->setSelection(-1);
    m_zoom->setSelectedTask(task);
    ensureLaneVisible(lane);
}

void TimelineView::ensureLaneVisible(int lane)
{
    if (lane < 0)
        return;
    const TimelineLayout layout = m_renderer.layout(frame());
    const int top = lane * TimelineRenderer::kLaneHeight;
    QScrollBar* bar = verticalScrollBar();
    if (top < bar->value())
        bar->setValue(top);
    else if (top + TimelineRenderer::kLaneHeight > bar->value() + layout.lanes.height())
        bar->setValue(top + TimelineRenderer::kLaneHeight - layout.lanes.height());
}

TaskId TimelineView::taskOfLane(int lane) const
{
    // The worker, blocking pool and ghost lanes name no task of their own to select.
    const TimelineModel& model = *m_renderer.model();
    if (lane < 0 || lane >= model.laneCount() || model.lane(lane).kind != LaneKind::Task)
        return kNoTask;
    return model.lane(lane).task;
}

TimeNs TimelineView::timeAt(int x) const
{
    const TimelineLayout layout = m_renderer.layout(frame());
    return xToTime(x, m_zoom->range(), layout.axis.left, layout.axis.width);
}

TimeNs TimelineView::rulerTimeAt(int x) const
{
    const TimelineLayout layout = m_renderer.layout(frame());
    return timeAt(std::clamp(x, layout.axis.left, layout.lanes.right() + 1));
}

TimeNs TimelineView::scrollUnit() const
{
    return std::max<TimeNs>(1, m_zoom->bounds().duration() / kScrollUnits);
}

void TimelineView::updateScrollBars()
{
    m_updatingScrollBars = true;
    const TimeNs unit = scrollUnit();
    const TimeRange bounds = m_zoom->bounds();
    const TimeRange range = m_zoom->range();
    QScrollBar* h = horizontalScrollBar();
    const int page = int(range.duration() / unit);
    h->setRange(0, int((bounds.duration() - range.duration()) / unit));
    h->setPageStep(std::max(1, page));
    h->setSingleStep(std::max(1, page / 20));
    h->setValue(int((range.start - bounds.start) / unit));

    const TimelineViewport v = frame();
    const TimelineLayout layout = m_renderer.layout(v);
    QScrollBar* vertical = verticalScrollBar();
    const int lanesHeight = m_renderer.model()->laneCount() * TimelineRenderer::kLaneHeight;
    vertical->setRange(0, std::max(0, lanesHeight - layout.lanes.height()));
    vertical->setPageStep(std::max(1, layout.lanes.height()));
    vertical->setSingleStep(TimelineRenderer::kLaneHeight);
    m_updatingScrollBars = false;
}

void TimelineView::horizontalScrolled(int value)
{
    if (m_updatingScrollBars)
        return;
    setFollowing(false);
    const TimeRange range = m_zoom->range();
    const TimeRange bounds = m_zoom->bounds();
    // Units are coarse for long runs: the last one reaches the very end.
    const TimeNs start = value == horizontalScrollBar()->maximum()
        ? bounds.end - range.duration()
        : bounds.start + TimeNs(value) * scrollUnit();
    m_zoom->setRange(TimeRange { start, start + range.duration() });
}

void TimelineView::scrollContentsBy(int, int)
{
    contentsChanged();
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    m_renderer.paint(painter, frame());
}

void TimelineView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    const QPoint angle = event->angleDelta();
    const QPoint pixels = event->pixelDelta();
    const TimelineLayout layout = m_renderer.layout(frame());
    setFollowing(false);
    if (event->modifiers() & Qt::ControlModifier) {
        const double notches = angle.y() / 120.0;
        if (notches != 0) {
            const int x =
                std::clamp(int(event->position().x()), layout.lanes.left(), layout.lanes.right());
            m_zoom->zoomBy(std::pow(kWheelZoom, notches), timeAt(x));
        }
        event->accept();
        return;
    }
    // A notch (120) pans a tenth of the view, or scrolls three lanes.
    const bool inPixels = !pixels.isNull();
    const int width = layout.axis.width;
    int dx = inPixels ? -pixels.x() : -angle.x() * width / 1200;
    int dy = inPixels ? -pixels.y() : -angle.y() * TimelineRenderer::kLaneHeight * 3 / 120;
    if ((event->modifiers() & Qt::ShiftModifier) || verticalScrollBar()->maximum() == 0) {
        // Nothing to scroll vertically (or Shift): the vertical wheel pans in time.
        dx += inPixels ? -pixels.y() : -angle.y() * width / 1200;
        dy = 0;
    }
    if (dx != 0) {
        const TimeRange range = m_zoom->range();
        m_zoom->panBy(TimeNs(std::llround(double(dx) * double(range.duration()) / width)));
    }
    if (dy != 0)
        verticalScrollBar()->setValue(verticalScrollBar()->value() + dy);
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const QPoint p = event->position().toPoint();
    m_pressPosition = p;
    m_pressRange = m_zoom->range();
    m_pressScroll = verticalScrollBar()->value();
    m_moved = false;
    const TimelineHit hit = hitAt(p);
    if (hit.kind == TimelineHit::Kind::Ruler) {
        m_drag = Drag::RulerRange;
    } else if (hit.kind == TimelineHit::Kind::LaneName) {
        m_drag = Drag::LaneName;
    } else if (hit.lane >= 0 && p.x() >= m_renderer.layout(frame()).lanes.left()) {
        setFollowing(false);
        m_drag = Drag::Pan;
        viewport()->setCursor(Qt::ClosedHandCursor);
    } else {
        m_drag = Drag::None;
    }
    event->accept();
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint p = event->position().toPoint();
    if (m_drag == Drag::None) {
        const TimelineHit hit = hitAt(p);
        const bool selectable = hit.kind == TimelineHit::Kind::Poll ||
            hit.kind == TimelineHit::Kind::Wake ||
            (hit.kind == TimelineHit::Kind::LaneName && taskOfLane(hit.lane) != kNoTask);
        viewport()->setCursor(hit.kind == TimelineHit::Kind::Ruler ? Qt::IBeamCursor
                : selectable                                       ? Qt::PointingHandCursor
                                                                   : Qt::OpenHandCursor);
        return;
    }
    const QPoint delta = p - m_pressPosition;
    if (delta.manhattanLength() > kClickSlop)
        m_moved = true;
    if (!m_moved)
        return;
    const TimelineLayout layout = m_renderer.layout(frame());
    if (m_drag == Drag::Pan) {
        const TimeNs dt = TimeNs(
            std::llround(double(-delta.x()) * double(m_pressRange.duration()) / layout.axis.width));
        m_zoom->setRange(TimeRange { m_pressRange.start + dt, m_pressRange.end + dt });
        verticalScrollBar()->setValue(m_pressScroll - delta.y());
    } else if (m_drag == Drag::RulerRange) {
        const TimeNs a = rulerTimeAt(m_pressPosition.x());
        const TimeNs b = rulerTimeAt(p.x());
        m_rulerSelection = TimeRange { std::min(a, b), std::max(a, b) };
        viewport()->update();
    }
    event->accept();
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || m_drag == Drag::None) {
        QAbstractScrollArea::mouseReleaseEvent(event);
        return;
    }
    const Drag drag = std::exchange(m_drag, Drag::None);
    viewport()->setCursor(Qt::OpenHandCursor);
    const QPoint p = event->position().toPoint();
    if (drag == Drag::RulerRange) {
        const TimeRange selection = std::exchange(m_rulerSelection, TimeRange {});
        if (m_moved && !selection.isEmpty())
            m_zoom->setRange(selection);
        else
            emit seekRequested(qint64(rulerTimeAt(p.x())));
        viewport()->update();
    } else if (!m_moved && drag == Drag::LaneName) {
        if (const TimelineHit hit = hitAt(p); hit.kind == TimelineHit::Kind::LaneName)
            if (const TaskId task = taskOfLane(hit.lane); task != kNoTask)
                selectTask(task);
    } else if (!m_moved) {
        const TimelineHit hit = hitAt(p);
        if (hit.kind == TimelineHit::Kind::Poll) {
            m_zoom->setSelectedTask(m_renderer.model()->poll(hit.index).task);
            m_zoom->setSelection(qint64(hit.index));
            emit pollSelected(qint64(m_renderer.model()->poll(hit.index).event));
        } else {
            m_zoom->setSelection(-1);
            if (hit.kind == TimelineHit::Kind::Wake)
                emit wakeSelected(qint64(m_renderer.model()->wakes()[hit.index].event));
        }
    }
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
        zoomToFit();
        return;
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Space:
    case Qt::Key_Home:
    case Qt::Key_End:
        event->ignore(); // playback keys belong to the window
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

bool TimelineView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        if (!showToolTipAt(static_cast<QHelpEvent*>(event)->globalPos()))
            event->ignore();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace pollscope
