// TimelineView offscreen: zoom, pan, hover and click, with exact signal counts and ranges.

#include "runtime/executor.h"
#include "runtime/futures.h"
#include "timeline/timelineview.h"
#include "timeline/timelinezoom.h"
#include "timelinetestsupport.h"

#include <QApplication>
#include <QCursor>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

#include <algorithm>

using namespace pollscope;
using namespace pollscope::testing;
using namespace std::chrono_literals;

namespace {

void sendWheel(QWidget* widget, QPoint position, QPoint angle,
    Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QWheelEvent event(position, widget->mapToGlobal(position), QPoint(), angle, Qt::NoButton,
        modifiers, Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &event);
}

} // namespace

class TestTimelineView : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_view = std::make_unique<TimelineView>();
        m_view->resize(1200, 260);
        m_view->setModel(twoPollModel());
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }
    void cleanup() { m_view.reset(); }

    void zoomSignalsOnlyChanges()
    {
        TimelineZoom zoom;
        QSignalSpy bounds(&zoom, &TimelineZoom::boundsChanged);
        QSignalSpy range(&zoom, &TimelineZoom::rangeChanged);
        QSignalSpy selection(&zoom, &TimelineZoom::selectionChanged);
        zoom.setBounds(TimeRange { 0, 100 * ms }); // nothing shown yet: shows it all
        QCOMPARE(bounds.count(), 1);
        QCOMPARE(range.count(), 1);
        QCOMPARE(zoom.range(), (TimeRange { 0, 100 * ms }));
        zoom.setBounds(TimeRange { 0, 100 * ms });
        zoom.zoomToFit();
        zoom.zoomOut(); // already all of it
        zoom.panBy(5 * ms); // nowhere to go
        QCOMPARE(bounds.count(), 1);
        QCOMPARE(range.count(), 1);
        zoom.zoomIn();
        QCOMPARE(range.count(), 2);
        QCOMPARE(zoom.range().duration(), std::llround(100.0 * ms / 1.5));
        zoom.setRange(TimeRange { 10 * ms, 20 * ms });
        zoom.setRange(TimeRange { 10 * ms, 20 * ms });
        QCOMPARE(range.count(), 3);
        zoom.ensureVisible(15 * ms); // in view: no move
        QCOMPARE(range.count(), 3);
        zoom.ensureVisible(50 * ms); // brought in with a tenth of the view to spare
        QCOMPARE(zoom.range(), (TimeRange { 41 * ms, 51 * ms }));
        QCOMPARE(range.count(), 4);
        // Shrinking bounds pull the range in.
        zoom.setBounds(TimeRange { 0, 30 * ms });
        QCOMPARE(zoom.range(), (TimeRange { 20 * ms, 30 * ms }));
        QCOMPARE(bounds.count(), 2);
        QCOMPARE(range.count(), 5);
        zoom.setSelection(3);
        zoom.setSelection(3);
        zoom.setSelection(-7); // any negative is "none"
        zoom.setSelection(-1);
        QCOMPARE(selection.count(), 2);
        QCOMPARE(zoom.selection(), -1);
        QSignalSpy task(&zoom, &TimelineZoom::selectedTaskChanged);
        QCOMPARE(zoom.selectedTask(), kNoTask);
        zoom.setSelectedTask(2);
        zoom.setSelectedTask(2);
        zoom.setSelectedTask(kNoTask);
        QCOMPARE(task.count(), 2);
        QCOMPARE(selection.count(), 2); // the poll's selection is the view's to keep in step
        // The deepest zoom is kMinimumDuration.
        for (int i = 0; i < 100; ++i)
            zoom.zoomIn();
        QCOMPARE(zoom.range().duration(), TimelineZoom::kMinimumDuration);
    }

    void startsFitted()
    {
        const TimeRange bounds = fitRange(m_view->model()->bounds());
        QCOMPARE(m_view->zoom()->bounds(), bounds);
        QCOMPARE(m_view->zoom()->range(), bounds);
        QCOMPARE(m_view->zoom()->selection(), -1);
        QCOMPARE(m_view->frame().size, m_view->viewport()->size());
    }

    void fitLeavesAMarginAfterTheRun()
    {
        // The run from its start at the time origin (no time before it) to its end, then a
        // margin: the last polls, and the cursor at the end of the run, are clear of the edge.
        const TimeRange run = m_view->model()->bounds();
        QCOMPARE(m_view->zoom()->range(), fitRange(run));
        QCOMPARE(m_view->zoom()->range().start, run.start);
        const TimelineLayout layout = layoutNow();
        const double end =
            timeToX(run.end, m_view->zoom()->range(), layout.axis.left, layout.axis.width);
        const double edge = layout.lanes.left() + layout.lanes.width();
        QVERIFY2(edge - end >= 0.04 * layout.axis.width,
            qPrintable(QStringLiteral("the run ends %1 px before the edge").arg(edge - end)));
        m_view->setPlaybackCursor(
            m_view->model()->eventLimit(2), m_view->model()->cursorTime(2)); // Go to End
        QVERIFY(xAt(run.end) + 2 < layout.lanes.right() - 20);
        // Zoom to Fit comes back to it.
        m_view->zoomIn();
        m_view->zoomToFit();
        QCOMPARE(m_view->zoom()->range(), fitRange(run));
    }

    void zoomKeepsTheCursorInPlace()
    {
        const auto model = m_view->model();
        m_view->setPlaybackCursor(model->eventLimit(1), model->cursorTime(1)); // at 30 ms
        QSignalSpy range(m_view->zoom(), &TimelineZoom::rangeChanged);
        const double x = cursorX();
        QTest::keyClick(m_view.get(), Qt::Key_Plus);
        QTest::keyClick(m_view.get(), Qt::Key_Plus);
        QCOMPARE(range.count(), 2);
        QCOMPARE(m_view->zoom()->range().duration(),
            std::llround(std::llround(double(fitRange(model->bounds()).duration()) / 1.5) / 1.5));
        QVERIFY2(qAbs(cursorX() - x) < 1, qPrintable(QString::number(cursorX() - x)));
        QTest::keyClick(m_view.get(), Qt::Key_Minus);
        QCOMPARE(range.count(), 3);
        QVERIFY2(qAbs(cursorX() - x) < 1, qPrintable(QString::number(cursorX() - x)));
        // With the cursor out of view, zooming keeps the middle where it is.
        m_view->zoom()->setRange(TimeRange { 0, 12 * ms });
        m_view->zoomIn();
        QCOMPARE(m_view->zoom()->range(),
            zoomRange(TimeRange { 0, 12 * ms }, 6 * ms, 1.5, m_view->zoom()->bounds(),
                TimelineZoom::kMinimumDuration));
    }

    void cursorMovingOutOfViewScrolls()
    {
        const auto model = m_view->model();
        m_view->setPlaybackCursor(model->eventLimit(0), model->cursorTime(0)); // at 0
        m_view->zoom()->setRange(TimeRange { 0, 10 * ms });
        QSignalSpy range(m_view->zoom(), &TimelineZoom::rangeChanged);
        // A step past poll 0, to its end at 20 ms: the view pages there, with a tenth to
        // spare, same zoom.
        m_view->setPlaybackCursor(model->eventLimit(1), model->cursorTime(1));
        QCOMPARE(range.count(), 1);
        QCOMPARE(m_view->zoom()->range(), (TimeRange { 11 * ms, 21 * ms }));
        // Go to End: the cursor at the end of the run, in view.
        m_view->setPlaybackCursor(model->eventLimit(2), model->cursorTime(2));
        QCOMPARE(range.count(), 2);
        QCOMPARE(m_view->zoom()->range(), (TimeRange { 41 * ms, 51 * ms }));
        QVERIFY(cursorX() >= layoutNow().lanes.left() && cursorX() < layoutNow().lanes.right());
        // Back to the start: the view goes back too.
        m_view->setPlaybackCursor(model->eventLimit(0), model->cursorTime(0));
        QCOMPARE(m_view->zoom()->range(), (TimeRange { 0, 10 * ms }));
        QCOMPARE(range.count(), 3);
        // A cursor that stays put leaves the user's view alone ...
        m_view->zoom()->setRange(TimeRange { 20 * ms, 30 * ms });
        m_view->setPlaybackCursor(model->eventLimit(0), model->cursorTime(0));
        QCOMPARE(m_view->zoom()->range(), (TimeRange { 20 * ms, 30 * ms }));
        // ... and so does one that moves because the run did (a live run grew).
        const auto grown = twoPollModel();
        m_view->updateModel(grown);
        m_view->setPlaybackCursor(grown->eventLimit(2), grown->cursorTime(2));
        QCOMPARE(m_view->zoom()->range(), (TimeRange { 20 * ms, 30 * ms }));
        QCOMPARE(range.count(), 4);
    }

    void ctrlWheelZoomsAtTheMouse()
    {
        QSignalSpy range(m_view->zoom(), &TimelineZoom::rangeChanged);
        const TimelineLayout layout = layoutNow();
        const QPoint at(layout.lanes.left() + 300, layout.laneCenter(1));
        const TimeRange before = m_view->zoom()->range();
        const TimeNs anchor = timeAt(at.x());
        sendWheel(m_view->viewport(), at, QPoint(0, 120), Qt::ControlModifier);
        QCOMPARE(range.count(), 1);
        const TimeRange after = m_view->zoom()->range();
        QCOMPARE(after.duration(), std::llround(double(before.duration()) / 1.25));
        // The time under the mouse stays under the mouse (to within a pixel).
        QVERIFY(qAbs(timeAt(at.x()) - anchor) <= after.duration() / layout.axis.width);
        sendWheel(m_view->viewport(), at, QPoint(0, -120), Qt::ControlModifier);
        QCOMPARE(range.count(), 2);
        QCOMPARE(m_view->zoom()->range().duration(), before.duration());
    }

    void keysZoom()
    {
        QSignalSpy range(m_view->zoom(), &TimelineZoom::rangeChanged);
        const TimeRange fit = m_view->zoom()->range();
        QTest::keyClick(m_view.get(), Qt::Key_Minus); // already everything: nothing changes
        QCOMPARE(range.count(), 0);
        QTest::keyClick(m_view.get(), Qt::Key_Plus);
        QCOMPARE(range.count(), 1);
        QCOMPARE(m_view->zoom()->range().duration(), std::llround(double(fit.duration()) / 1.5));
        QTest::keyClick(m_view.get(), Qt::Key_Equal);
        QCOMPARE(range.count(), 2);
        QTest::keyClick(m_view.get(), Qt::Key_0);
        QCOMPARE(range.count(), 3);
        QCOMPARE(m_view->zoom()->range(), fit);
        QTest::keyClick(m_view.get(), Qt::Key_0);
        QCOMPARE(range.count(), 3);
        // Playback keys are the window's.
        for (const int key :
            { Qt::Key_Left, Qt::Key_Right, Qt::Key_Space, Qt::Key_Home, Qt::Key_End }) {
            QKeyEvent event(QEvent::KeyPress, key, Qt::NoModifier);
            QApplication::sendEvent(m_view.get(), &event);
            QVERIFY(!event.isAccepted());
        }
    }

    void dragPans()
    {
        m_view->zoom()->setRange(TimeRange { 10 * ms, 30 * ms });
        QSignalSpy range(m_view->zoom(), &TimelineZoom::rangeChanged);
        QSignalSpy selected(m_view.get(), &TimelineView::pollSelected);
        const TimelineLayout layout = layoutNow();
        const QPoint from(layout.lanes.left() + 500, layout.laneCenter(1));
        QTest::mousePress(m_view->viewport(), Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(m_view->viewport(), from - QPoint(100, 0));
        QTest::mouseRelease(
            m_view->viewport(), Qt::LeftButton, Qt::NoModifier, from - QPoint(100, 0));
        // Dragged 100 px to the left: the view moved 100 px of time later.
        const TimeNs shift = std::llround(100.0 * double(20 * ms) / layout.axis.width);
        QCOMPARE(m_view->zoom()->range(), (TimeRange { 10 * ms + shift, 30 * ms + shift }));
        QCOMPARE(range.count(), 1);
        QCOMPARE(selected.count(), 0);
    }

    void wheelAndScrollBarPan()
    {
        m_view->zoom()->setRange(TimeRange { 10 * ms, 30 * ms });
        const TimelineLayout layout = layoutNow();
        // Two lanes fit: the vertical wheel pans in time, a notch a tenth of the view.
        sendWheel(m_view->viewport(), QPoint(layout.lanes.left() + 10, layout.laneCenter(1)),
            QPoint(0, -120));
        const TimeNs notch =
            std::llround(double(layout.axis.width / 10) * double(20 * ms) / layout.axis.width);
        QCOMPARE(m_view->zoom()->range().start, 10 * ms + notch);
        QScrollBar* bar = m_view->horizontalScrollBar();
        bar->setValue(bar->maximum());
        QCOMPARE(m_view->zoom()->range().end, m_view->zoom()->bounds().end);
        bar->setValue(0);
        QCOMPARE(m_view->zoom()->range().start, m_view->zoom()->bounds().start);
        QCOMPARE(m_view->zoom()->range().duration(), 20 * ms);
    }

    void clickSelectsAPoll()
    {
        QSignalSpy selected(m_view.get(), &TimelineView::pollSelected);
        QSignalSpy selection(m_view->zoom(), &TimelineZoom::selectionChanged);
        const TimelineLayout layout = layoutNow();
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::NoModifier,
            QPoint(xAt(40 * ms), layout.laneCenter(1)));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.takeFirst().at(0).toLongLong(), qint64(m_view->model()->poll(1).event));
        QCOMPARE(m_view->zoom()->selection(), 1);
        QCOMPARE(m_view->frame().selectedPoll, 1u);
        // The same poll on the worker lane.
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::NoModifier,
            QPoint(xAt(10 * ms), layout.laneCenter(0)));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.takeFirst().at(0).toLongLong(), qint64(m_view->model()->poll(0).event));
        // Nothing there: the selection goes, no poll is announced.
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::NoModifier,
            QPoint(xAt(90 * ms), layout.laneCenter(1)));
        QCOMPARE(selected.count(), 0);
        QCOMPARE(m_view->zoom()->selection(), -1);
        QCOMPARE(selection.count(), 3);
    }

    void clickOnATaskNameSelectsTheTask()
    {
        // Lane 0 is the worker, lane 1 main. A name selects its task (the worker is none) and
        // is highlighted; a click on a poll selects its task too.
        QSignalSpy task(m_view->zoom(), &TimelineZoom::selectedTaskChanged);
        const TimelineLayout layout = layoutNow();
        const QPoint mainName(layout.labels.left() + 30, layout.laneCenter(1));
        const QPoint highlight(layout.labels.left() + 1, layout.laneCenter(1));
        const QColor plain = m_view->viewport()->grab().toImage().pixelColor(highlight);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::NoModifier,
            QPoint(layout.labels.left() + 30, layout.laneCenter(0)));
        QCOMPARE(task.count(), 0);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::NoModifier, mainName);
        QCOMPARE(task.count(), 1);
        QCOMPARE(m_view->zoom()->selectedTask(), kMainTask);
        QCOMPARE(m_view->frame().selectedTask, kMainTask);
        QCOMPARE(m_view->zoom()->selection(), -1);
        const QColor shown = m_view->viewport()->grab().toImage().pixelColor(highlight);
        QCOMPARE(shown, m_view->theme().selection);
        QVERIFY(shown != plain);
        m_view->selectTask(kNoTask);
        QCOMPARE(task.count(), 2);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::NoModifier,
            QPoint(xAt(40 * ms), layout.laneCenter(1)));
        QCOMPARE(m_view->zoom()->selection(), 1);
        QCOMPARE(m_view->zoom()->selectedTask(), kMainTask);
        QCOMPARE(task.count(), 3);
        // A new model selects nothing.
        m_view->setModel(twoPollModel());
        QCOMPARE(m_view->zoom()->selectedTask(), kNoTask);
        QCOMPARE(task.count(), 4);
    }

    void rulerSeeksAndZooms()
    {
        QSignalSpy seek(m_view.get(), &TimelineView::seekRequested);
        QSignalSpy range(m_view->zoom(), &TimelineZoom::rangeChanged);
        const TimelineLayout layout = layoutNow();
        const int y = layout.ruler.center().y();
        const int x = layout.lanes.left() + 400;
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(x, y));
        QCOMPARE(seek.count(), 1);
        QCOMPARE(seek.takeFirst().at(0).toLongLong(), qint64(timeAt(x)));
        QCOMPARE(range.count(), 0);

        // Dragging a range on the ruler zooms to it.
        const TimeNs from = timeAt(x), to = timeAt(x + 200);
        QTest::mousePress(m_view->viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(x, y));
        QTest::mouseMove(m_view->viewport(), QPoint(x + 200, y));
        QCOMPARE(m_view->frame().rulerSelection, (TimeRange { from, to }));
        QTest::mouseRelease(m_view->viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(x + 200, y));
        QCOMPARE(m_view->zoom()->range(), (TimeRange { from, to }));
        QVERIFY(m_view->frame().rulerSelection.isEmpty());
        QCOMPARE(range.count(), 1);
        QCOMPARE(seek.count(), 0);

        // Left of the time origin, in the inset beside the lane names, the ruler picks the
        // start of the view, never a time before it.
        const TimelineLayout zoomed = layoutNow();
        QCOMPARE(zoomed.axis.left, zoomed.lanes.left() + kTimeOriginInset);
        QTest::mouseClick(
            m_view->viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(zoomed.lanes.left() + 1, y));
        QCOMPARE(seek.count(), 1);
        QCOMPARE(seek.takeFirst().at(0).toLongLong(), qint64(from));
        QCOMPARE(m_view->zoom()->range().start, from);
    }

    void denseBandTooltipGivesTheBusyShare()
    {
        // Eight tasks share the worker; each polls every 240 µs for 30 µs: at fit zoom (about
        // 60 µs a pixel) a task's band holds a poll every 4 px, the worker's poll after poll.
        const auto model = modelOf(spinners(8, 300), 10'000);
        m_view->resize(1200, 600); // every lane in view
        m_view->setModel(model);
        m_view->zoomToFit();
        const TimelineLayout layout = layoutNow();
        QCOMPARE(layout.lastLane, model->laneCount());
        const int x = xAt(model->bounds().end / 2);
        const QString task = m_view->toolTipAt(QPoint(x, layout.laneCenter(model->laneOfTask(8))));
        static const QRegularExpression share(
            u"^(\\d+) polls within these 8 px, busy (\\d+)% of the time\n"_qs);
        QRegularExpressionMatch m = share.match(task);
        QVERIFY2(m.hasMatch(), qPrintable(task));
        QVERIFY(m.captured(2).toInt() >= 8 && m.captured(2).toInt() <= 18); // 12.5% on average
        QVERIFY2(task.contains(u" \u00b7 poll #"_qs), qPrintable(task)); // then the poll itself
        m = share.match(
            m_view->toolTipAt(QPoint(x, layout.laneCenter(TimelineModel::workerLane()))));
        QVERIFY(m.hasMatch());
        QCOMPARE(m.captured(2), u"100"_qs);
        // Sparse polls say nothing of the kind.
        m_view->setModel(twoPollModel());
        m_view->zoomToFit();
        QVERIFY(!m_view->toolTipAt(QPoint(xAt(10 * ms), layoutNow().laneCenter(1)))
                     .contains(u"within"_qs));
    }

    void hoverTooltip()
    {
        const TimelineLayout layout = layoutNow();
        const QPoint poll(xAt(10 * ms), layout.laneCenter(1));
        const QString text = m_view->toolTipAt(poll);
        QVERIFY2(text.startsWith(
                     u"main \u00b7 poll #0 \u00b7 Pending\nstart 0 ms \u00b7 duration 20 ms"),
            qPrintable(text));
        QVERIFY2(text.contains(u"main started at 0 ms"), qPrintable(text));
        QVERIFY2(text.contains(u"waiting for a timer due at 30 ms"), qPrintable(text));
        QVERIFY(m_view->toolTipAt(QPoint(xAt(40 * ms), layout.laneCenter(1)))
                    .contains(u"poll #1 \u00b7 Ready"));
        QVERIFY(m_view->toolTipAt(QPoint(xAt(25 * ms), layout.laneCenter(1)))
                    .contains(u"idle for 10 ms"));
        QVERIFY(m_view->toolTipAt(QPoint(xAt(90 * ms), layout.laneCenter(1))).isEmpty());

        // The real thing: a tooltip event shows it.
        QHelpEvent help(QEvent::ToolTip, poll, m_view->viewport()->mapToGlobal(poll));
        QApplication::sendEvent(m_view->viewport(), &help);
        QCOMPARE(QToolTip::text(), text);
        QToolTip::hideText();
    }

    void tooltipKeepsToWhatLiesUnderTheMouse()
    {
        // The mouse rests while the view pans or the playback cursor steps: the tooltip on show
        // tells what now lies under it, and goes where nothing does.
        m_view->zoom()->setRange(TimeRange { 0, 20 * ms });
        const QPoint point(xAt(10 * ms), layoutNow().laneCenter(1));
        const QPoint global = m_view->viewport()->mapToGlobal(point);
        QCursor::setPos(global);
        QTRY_VERIFY(m_view->viewport()->underMouse());
        QHelpEvent help(QEvent::ToolTip, point, global);
        QApplication::sendEvent(m_view->viewport(), &help);
        QVERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(u"poll #0"_qs), qPrintable(QToolTip::text()));

        m_view->zoom()->setRange(TimeRange { 30 * ms, 50 * ms }); // poll #1 comes under it
        QVERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(u"poll #1"_qs), qPrintable(QToolTip::text()));
        QCOMPARE(QToolTip::text(), m_view->toolTipAt(point));

        const auto model = m_view->model();
        m_view->setPlaybackCursor(model->eventLimit(1), model->cursorTime(1)); // hides poll #1
        QVERIFY(m_view->toolTipAt(point).isEmpty());
        QTRY_VERIFY(!QToolTip::isVisible());
    }

    void markTooltipNamesEveryMark()
    {
        m_view->setModel(modelOf(coincidentMarks(), 10'000));
        const TimelineLayout layout = layoutNow();
        const int x = xAt(0);
        // Beside the poll that made them: both marks. Over it: both marks, then the poll.
        const QString marks = m_view->toolTipAt(QPoint(x + 5, layout.laneCenter(1)));
        QVERIFY2(marks.startsWith(u"mark \u201cfirst\u201d at 0 ms"_qs), qPrintable(marks));
        QCOMPARE(marks.count(u"mark \u201c"_qs), 2);
        QVERIFY2(marks.contains(u"\nmark \u201csecond\u201d at 0 ms"_qs), qPrintable(marks));
        const QString poll = m_view->toolTipAt(QPoint(x, layout.laneCenter(1)));
        QVERIFY2(poll.startsWith(marks + u"\nmain \u00b7 poll #0"_qs), qPrintable(poll));
        QVERIFY(
            !m_view->toolTipAt(QPoint(xAt(20 * ms), layout.laneCenter(1))).contains(u"mark"_qs));

        // A thousand marks at one instant, one tick: the first few, and how many more.
        m_view->setModel(modelOf(
            []() -> Task<> {
                for (int i = 0; i < 1000; ++i)
                    mark(u"many");
                co_return;
            }(),
            10'000));
        const QString many = m_view->toolTipAt(QPoint(xAt(0) + 1, layoutNow().laneCenter(1)));
        QCOMPARE(many.count(u"mark \u201cmany\u201d"_qs), 8);
        QVERIFY2(many.contains(u"\nand 992 more marks\n"_qs), qPrintable(many)); // then the poll
    }

    void droppedFutureTooltipSaysWhatWasDropped()
    {
        // At 100 ms main's select drops the request: a ring under main's poll #1, beside the
        // mark. Hovering it, or the poll over it, tells what was dropped and why, first.
        m_view->setModel(modelOf(selectTimeout(), 10'000));
        const auto model = m_view->model();
        const int main = model->laneOfTask(kMainTask);
        QCOMPARE(model->drops(main).size(), 1u);
        QVERIFY(model->cancels(main).empty()); // main was not cancelled: it finished
        const TimelineLayout layout = layoutNow();
        const int x = xAt(100 * ms);
        const QString dropped = u"select dropped the losing branch at 100 ms: I/O GET "
                                "slow.example, due at 300 ms, was cancelled"_qs;
        // The ring, on the bottom edge of the box row, beside the 3 px poll: itself.
        const QPoint ring(x + 6, layout.boxTop(main) + TimelineRenderer::kBoxHeight);
        const TimelineHit hit = m_view->hitAt(ring);
        QCOMPARE(hit.kind, TimelineHit::Kind::Drop);
        QCOMPARE(hit.index, 0u);
        const QString text = m_view->toolTipAt(ring);
        QVERIFY2(text.startsWith(dropped + u"\nmark \u201ctimed out\u201d"_qs), qPrintable(text));
        // Over the poll: the drop, the mark, then the poll.
        const QString poll = m_view->toolTipAt(QPoint(x + 1, layout.laneCenter(main)));
        QVERIFY2(poll.startsWith(
                     dropped + u"\nmark \u201ctimed out\u201d at 100 ms\nmain \u00b7 poll #1"_qs),
            qPrintable(poll));
        // Before the drop happened (the cursor after poll #0), nothing of it.
        m_view->setPlaybackCursor(model->eventLimit(1), model->cursorTime(1));
        QVERIFY(!m_view->toolTipAt(ring).contains(u"dropped"_qs));
    }

    void wakeArcTooltip()
    {
        // main#0 [0, 20 ms] registers a timer due at 30 ms, which wakes main#1: an arc over the
        // idle gap, from the top of poll #0 to a head above poll #1, its middle 2.5 px below
        // the lane's top.
        const auto model = m_view->model();
        QCOMPARE(model->wakes().size(), 1u);
        const TimelineLayout layout = layoutNow();
        const QPoint arc(xAt(25 * ms), layout.laneTop(1) + 2);
        const TimelineHit hit = m_view->hitAt(arc);
        QCOMPARE(hit.kind, TimelineHit::Kind::Wake);
        QCOMPARE(hit.index, 0u);
        QCOMPARE(hit.lane, 1);
        const QString woken = u"main \u00b7 wake\nmain was woken by its timer at 30 ms\n"_qs;
        QCOMPARE(m_view->toolTipAt(arc),
            woken + u"main polled at 30 ms (poll #1), 0 ms after the wake"_qs);
        // The head, above the box; the box is the poll's, and below the arc is idle time.
        QCOMPARE(m_view->hitAt(QPoint(xAt(30 * ms), layout.boxTop(1) - 4)).kind,
            TimelineHit::Kind::Wake);
        QCOMPARE(m_view->hitAt(QPoint(xAt(30 * ms) + 1, layout.boxTop(1) - 2)).kind,
            TimelineHit::Kind::Poll);
        QCOMPARE(
            m_view->hitAt(QPoint(xAt(25 * ms), layout.boxTop(1))).kind, TimelineHit::Kind::Idle);

        // A cursor before the wake hides the arrow, and its tooltip; one between the wake and
        // the poll shows it, and the poll as still to come.
        m_view->setPlaybackCursor(model->eventLimit(1), model->cursorTime(1)); // at 20 ms
        QCOMPARE(m_view->hitAt(arc).kind, TimelineHit::Kind::Lane);
        QVERIFY(m_view->toolTipAt(arc).isEmpty());
        m_view->setPlaybackCursor(model->eventLimit(1, 30 * ms), 30 * ms);
        QCOMPARE(m_view->hitAt(arc).kind, TimelineHit::Kind::Wake);
        QCOMPARE(m_view->toolTipAt(arc), woken + u"main not polled yet"_qs);
        // Dimmed rather than hidden, what comes after the cursor is there to hover.
        m_view->setPlaybackCursor(model->eventLimit(1), model->cursorTime(1));
        m_view->setDimAfterCursor(true);
        QCOMPARE(m_view->toolTipAt(arc),
            woken + u"main polled at 30 ms (poll #1), 0 ms after the wake"_qs);
    }

    void wakeArrowBetweenLanesTooltip()
    {
        // main awaits `child`, which sleeps 10 ms: the child's end wakes main, an arrow from the
        // child's lane up to main's next poll, across main's idle time (whose tooltip it showed).
        m_view->setModel(modelOf(
            []() -> Task<> {
                auto child = spawn([]() -> Task<> { co_await sleep(10ms); }(), u"child");
                co_await child;
            }(),
            1 * ms));
        const auto model = m_view->model();
        const int main = model->laneOfTask(kMainTask);
        const int child = model->laneOfTask(kMainTask + 1);
        QCOMPARE(child, main + 1);
        const auto wakes = model->wakes();
        const auto done = std::find_if(wakes.begin(), wakes.end(),
            [](const WakeArrow& arrow) { return arrow.cause == WakeCause::TaskDone; });
        QVERIFY(done != wakes.end());
        const TimelineLayout layout = layoutNow();
        // Below main's box row, and where the arrow crosses into the child's lane.
        const int x = xAt(done->woken);
        for (const int y :
            { layout.boxTop(main) + TimelineRenderer::kBoxHeight + 4, layout.laneTop(child) + 2 }) {
            const TimelineHit hit = m_view->hitAt(QPoint(x, y));
            QCOMPARE(hit.kind, TimelineHit::Kind::Wake);
            QCOMPARE(hit.index, std::size_t(done - wakes.begin()));
            QCOMPARE(m_view->toolTipAt(QPoint(x, y)),
                u"child \u2192 main \u00b7 wake\nmain was woken when child finished at 12 ms\n"
                "main polled at 12 ms (poll #1), 0 ms after the wake"_qs);
        }
        // The polls at either end are still polls.
        QCOMPARE(
            m_view->hitAt(QPoint(x + 1, layout.laneCenter(main))).kind, TimelineHit::Kind::Poll);
        QCOMPARE(
            m_view->hitAt(QPoint(x - 1, layout.laneCenter(child))).kind, TimelineHit::Kind::Poll);
        // The pointer says the arrow can be clicked, as over a poll; off it, the view pans.
        const QPoint onArrow(x, layout.boxTop(main) + TimelineRenderer::kBoxHeight + 4);
        QTest::mouseMove(m_view->viewport(), onArrow);
        QCOMPARE(m_view->viewport()->cursor().shape(), Qt::PointingHandCursor);
        QTest::mouseMove(m_view->viewport(), QPoint(x + 40, onArrow.y()));
        QCOMPARE(m_view->viewport()->cursor().shape(), Qt::OpenHandCursor);
        // A click on the arrow names its Wake event, for the event log; no poll is selected.
        QSignalSpy woke(m_view.get(), &TimelineView::wakeSelected);
        QSignalSpy polled(m_view.get(), &TimelineView::pollSelected);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, onArrow);
        QCOMPARE(woke.size(), 1);
        QCOMPARE(woke.front().front().toLongLong(), qint64(done->event));
        QCOMPARE(model->trace().events[done->event].kind, EventKind::Wake);
        QCOMPARE(polled.size(), 0);
    }

    void markersAreSharedNotCopied()
    {
        // A warning sign on main at 10 ms: every frame (one per paint, hover and click) shares
        // the view's markers rather than copying them.
        auto markers = std::make_shared<const std::vector<TimelineMarker>>(
            std::vector<TimelineMarker> { { 10 * ms, kMainTask, 0, u"a diagnostic"_qs } });
        m_view->setMarkers(markers);
        QCOMPARE(m_view->frame().markers.get(), markers.get());
        QCOMPARE(m_view->frame().markers.get(), markers.get());
        const TimelineLayout layout = layoutNow();
        const QPoint sign(xAt(10 * ms), layout.boxTop(1) - 3);
        QCOMPARE(m_view->hitAt(sign).kind, TimelineHit::Kind::Diagnostic);
        QCOMPARE(m_view->toolTipAt(sign), u"a diagnostic"_qs);
        m_view->setMarkers({});
        QVERIFY(!m_view->frame().markers);
        QCOMPARE(m_view->hitAt(sign).kind == TimelineHit::Kind::Diagnostic, false);
    }

    void playbackCursorHides()
    {
        const auto model = m_view->model();
        m_view->setPlaybackCursor(model->eventLimit(1), model->cursorTime(1));
        QCOMPARE(m_view->frame().eventLimit, model->eventLimit(1));
        QCOMPARE(m_view->frame().cursorTime, 20 * ms); // poll 0's end
        const TimelineLayout layout = layoutNow();
        QCOMPARE(m_view->hitAt(QPoint(xAt(40 * ms), layout.laneCenter(1))).kind,
            TimelineHit::Kind::Lane);
        QCOMPARE(m_view->hitAt(QPoint(xAt(10 * ms), layout.laneCenter(1))).kind,
            TimelineHit::Kind::Poll);
        // A new model clears the cursor.
        m_view->setModel(model);
        QCOMPARE(m_view->frame().eventLimit, kAllEvents);
        QCOMPARE(m_view->frame().cursorTime, kNever);
    }

    void selectPollBringsItIntoView()
    {
        m_view->zoom()->setRange(TimeRange { 0, 5 * ms });
        m_view->selectPoll(1);
        QCOMPARE(m_view->zoom()->selection(), 1);
        QVERIFY(m_view->zoom()->range().contains(30 * ms));
        QCOMPARE(m_view->zoom()->range().duration(), 5 * ms);
        m_view->selectPoll(99);
        QCOMPARE(m_view->zoom()->selection(), -1);
    }

    void paintsWithoutCrashing()
    {
        // The widget paints through the renderer: the grabbed frame has the Pending box.
        const QImage image = m_view->viewport()->grab().toImage();
        const TimelineLayout layout = layoutNow();
        QCOMPARE(QColor(image.pixel(xAt(10 * ms), layout.laneCenter(1))), m_view->theme().pending);
        QCOMPARE(QColor(image.pixel(xAt(40 * ms), layout.laneCenter(1))), m_view->theme().ready);
    }

private:
    TimelineLayout layoutNow() const { return m_view->renderer().layout(m_view->frame()); }
    TimeNs timeAt(int x) const
    {
        const TimelineLayout layout = layoutNow();
        return xToTime(x, m_view->zoom()->range(), layout.axis.left, layout.axis.width);
    }
    /// Where the playback cursor's line is.
    double cursorX() const
    {
        const TimelineLayout layout = layoutNow();
        return timeToX(m_view->frame().cursorTime, m_view->zoom()->range(), layout.axis.left,
            layout.axis.width);
    }
    /// A column well inside the item at `time`.
    int xAt(TimeNs time) const
    {
        const TimelineLayout layout = layoutNow();
        return timeToColumn(time, m_view->zoom()->range(), layout.axis.left, layout.axis.width);
    }

    std::unique_ptr<TimelineView> m_view;
};

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
