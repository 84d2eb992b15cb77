// TimelineRenderer: pixels where a trace's times put them, at a fixed size, ratio 1 and font.
//
// Set POLLSCOPE_TEST_OUTPUT to a directory to keep the rendered images.

#include "runtime/executor.h"
#include "runtime/futures.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "script/scenariolibrary.h"
#include "timeline/timelinerenderer.h"
#include "timelinetestsupport.h"

#include <QDir>
#include <QFontInfo>
#include <QGuiApplication>
#include <QPainter>
#include <QTest>

#include <algorithm>
#include <set>

using namespace pollscope;
using namespace pollscope::testing;
using namespace std::chrono_literals;

namespace {

constexpr TimeNs us = 1'000;
/// Where time starts on screen: the lanes begin at kLabelWidth, their time origin a little right.
constexpr int kLeft = TimelineRenderer::kLabelWidth + kTimeOriginInset;

Task<> yieldLoop(int yields)
{
    for (int i = 0; i < yields; ++i)
        co_await yieldNow();
}

/// 1000 px of time for [0, 100 ms]: one pixel per 100 µs.
TimelineViewport viewportFor(TimeRange range = { 0, 100 * ms })
{
    TimelineViewport viewport;
    viewport.size = QSize(kLeft + 1000, 180);
    viewport.range = range;
    viewport.title = u"Two polls"_qs;
    return viewport;
}

int column(TimeNs time)
{
    return kLeft + int(time / (100 * us));
}

QColor pixel(const QImage& image, int x, int y)
{
    return QColor(image.pixel(x, y));
}

/// The timeline of a built-in scenario; null if it does not compile.
std::shared_ptr<const TimelineModel> builtinModel(const QString& name)
{
    const ScenarioEntry* entry = ScenarioLibrary::find(name);
    if (!entry)
        return nullptr;
    const CompileResult compiled = compileScenario(entry->source, entry->path);
    if (!compiled.ok())
        return nullptr;
    return std::make_shared<const TimelineModel>(
        std::make_shared<const Trace>(runScenario(*compiled.program)));
}

/// The timeline of a script's run; null if it does not compile.
std::shared_ptr<const TimelineModel> scriptModel(const QString& source)
{
    const CompileResult compiled = compileScenario(source, u"test.scn"_qs);
    if (!compiled.ok())
        return nullptr;
    return std::make_shared<const TimelineModel>(
        std::make_shared<const Trace>(runScenario(*compiled.program)));
}

/// A run with every symbol of the legend: a spawned task, a blocking section, the timer it
/// delays (a late wake), a mark, a future dropped unpolled, a blocking-pool job, a select's
/// loser dropped while it waited, and the spawned task still asleep when main returns
/// (cancelled).
std::shared_ptr<const TimelineModel> everySymbolModel()
{
    return scriptModel(u"runtime current_thread(poll_cost: 10us)\n"
                       "async fn ticker() { sleep(20ms).await; mark(\"tick\"); sleep(1s).await; }\n"
                       "async fn save() { io(\"INSERT\", 30ms).await; }\n"
                       "async fn main() {\n"
                       "    spawn ticker();\n"
                       "    sleep(1ms).await;\n"
                       "    save();\n"
                       "    block(\"std::fs::read\", 50ms);\n"
                       "    spawn_blocking(\"std::fs::read\", 20ms).await;\n"
                       "    select(io(\"GET slow\", 100ms), sleep(5ms)).await;\n"
                       "}\n"_qs);
}

/// The labels of a frame's legend.
QStringList legendLabels(const TimelineRenderer& renderer, const TimelineViewport& viewport)
{
    QStringList labels;
    for (const TimelineTheme::LegendEntry& entry : renderer.legendEntries(viewport))
        labels << entry.label;
    return labels;
}

/// Whether any pixel within `area` is `color`.
bool hasColor(const QImage& image, const QRect& area, const QColor& color)
{
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x) {
            if (pixel(image, x, y) == color)
                return true;
        }
    }
    return false;
}

/// Whether the 9 × 9 px square centred on `center` is all `color`: a stop's glyph (a cross's
/// strokes are thinner, and leave its corners' neighbours blank).
bool solidSquare(const QImage& image, QPoint center, const QColor& color)
{
    for (int y = center.y() - 4; y <= center.y() + 4; ++y) {
        for (int x = center.x() - 4; x <= center.x() + 4; ++x) {
            if (pixel(image, x, y) != color)
                return false;
        }
    }
    return true;
}

/// Whether some 9 × 9 px square within `area` is all `color`.
bool hasSolidSquare(const QImage& image, const QRect& area, const QColor& color)
{
    for (int y = area.top() + 4; y <= area.bottom() - 4; ++y) {
        for (int x = area.left() + 4; x <= area.right() - 4; ++x) {
            if (pixel(image, x, y) == color && solidSquare(image, QPoint(x, y), color))
                return true;
        }
    }
    return false;
}

/// The whole run as the window fits it, 1000 px of time (or `timeWidth`), every lane.
TimelineViewport fittedViewport(const TimelineRenderer& renderer, int timeWidth = 1000)
{
    TimelineViewport viewport;
    viewport.size = QSize(kLeft + timeWidth, 100);
    viewport.range = fitRange(renderer.model()->bounds());
    viewport.size.setHeight(renderer.contentHeight(viewport));
    return viewport;
}

/// Pixels of the lanes from column `from` rightwards that show anything but the empty lanes.
QStringList drawnFrom(
    const QImage& image, const TimelineLayout& layout, const TimelineTheme& theme, int from)
{
    QStringList drawn;
    for (int y = layout.lanes.top(); y <= layout.lanes.bottom(); ++y) {
        for (int x = from; x <= layout.lanes.right(); ++x) {
            const QColor c = pixel(image, x, y);
            if (c != theme.background && c != theme.laneStripe && c != theme.grid &&
                c != theme.laneSeparator && drawn.size() < 5)
                drawn << QStringLiteral("(%1, %2) %3").arg(x).arg(y).arg(c.name());
        }
    }
    return drawn;
}

/// The columns [first, last] of each label on the ruler, left to right: runs of text pixels
/// above the ticks, apart by 8 px or more.
QList<std::pair<int, int>> rulerLabels(
    const QImage& image, const TimelineLayout& layout, const TimelineTheme& theme)
{
    QList<std::pair<int, int>> labels;
    for (int x = layout.ruler.left(); x <= layout.ruler.right(); ++x) {
        bool ink = false;
        for (int y = layout.ruler.top() + 2; y < layout.ruler.bottom() - 8 && !ink; ++y)
            ink = pixel(image, x, y).lightness() < theme.header.lightness() - 60;
        if (!ink)
            continue;
        if (!labels.isEmpty() && x - labels.back().second <= 8)
            labels.back().second = x;
        else
            labels.append({ x, x });
    }
    return labels;
}

void keep(const QImage& image, const char* name)
{
    const QByteArray directory = qgetenv("POLLSCOPE_TEST_OUTPUT");
    if (directory.isEmpty())
        return;
    QDir().mkpath(QString::fromLocal8Bit(directory));
    image.save(QString::fromLocal8Bit(directory) + u'/' + QLatin1String(name) + u".png");
}

} // namespace

class TestTimelineRenderer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(TimelineTheme::registerBundledFonts()); }

    void bundledFont()
    {
        const TimelineTheme theme = TimelineTheme::light();
        QCOMPARE(QFontInfo(theme.font).family(), u"DejaVu Sans"_qs);
        QCOMPARE(theme.font.pixelSize(), 12);
        QVERIFY(QFontInfo(theme.boldFont).bold());
    }

    void pendingAndReadyBoxesWhereTheirTimesAre()
    {
        const auto model = modelOf(twoPolls(), 20 * ms);
        TimelineRenderer renderer;
        renderer.setModel(model);
        const TimelineViewport viewport = viewportFor();
        const QImage image = renderer.render(viewport);
        keep(image, "two-polls");
        QCOMPARE(image.size(), viewport.size);
        const TimelineTheme& theme = renderer.theme();
        const TimelineLayout layout = renderer.layout(viewport);
        for (const int lane : { model->laneOfTask(0), TimelineModel::workerLane() }) {
            const int y = layout.laneCenter(lane);
            // main#0: [0, 20 ms] -> columns [184, 384), outlined.
            QCOMPARE(pixel(image, column(10 * ms), y), theme.pending);
            QCOMPARE(pixel(image, column(0), y), theme.pendingEdge);
            QCOMPARE(pixel(image, column(20 * ms) - 1, y), theme.pendingEdge);
            QCOMPARE(pixel(image, column(10 * ms), layout.boxTop(lane)), theme.pendingEdge);
            QCOMPARE(pixel(image, column(10 * ms),
                         layout.boxTop(lane) + TimelineRenderer::kBoxHeight - 1),
                theme.pendingEdge);
            QVERIFY(pixel(image, column(10 * ms), layout.boxTop(lane) - 1) != theme.pendingEdge);
            QVERIFY(pixel(image, column(20 * ms), y) != theme.pending);
            QVERIFY(pixel(image, column(0) - 1, y) != theme.pendingEdge);
            // main#1: [30, 50 ms] -> columns [484, 684).
            QCOMPARE(pixel(image, column(40 * ms), y), theme.ready);
            QCOMPARE(pixel(image, column(30 * ms), y), theme.readyEdge);
            QCOMPARE(pixel(image, column(50 * ms) - 1, y), theme.readyEdge);
            QVERIFY(pixel(image, column(50 * ms), y) != theme.readyEdge);
        }
        // Between the polls main is idle: the thin line at the lane's middle.
        QCOMPARE(pixel(image, column(25 * ms), layout.laneCenter(1)), theme.idle);
        QVERIFY(pixel(image, column(25 * ms), layout.laneCenter(1) - 2) != theme.idle);
    }

    void blockLabelsKeepThePollsColour()
    {
        // main blocks 30 ms in a Pending poll, sleeps, then blocks 20 ms in its Ready poll.
        const auto model = modelOf(
            []() -> Task<> {
                block(u"read", 30ms);
                co_await sleep(10ms);
                block(u"write", 20ms);
            }(),
            0);
        TimelineRenderer renderer;
        renderer.setModel(model);
        const TimelineViewport viewport = viewportFor();
        const QImage image = renderer.render(viewport);
        keep(image, "block-labels");
        const TimelineTheme& theme = renderer.theme();
        const TimelineLayout layout = renderer.layout(viewport);
        const int top = layout.boxTop(model->laneOfTask(0));
        // The longest run of one colour along the label's top row, and that colour; hatch
        // lines are 8 px apart, so a longer run is a label's background.
        const auto longestRun = [&](TimeNs from, TimeNs to) {
            std::pair<int, QColor> best { 0, QColor() };
            int run = 0;
            for (int x = column(from) + 1; x < column(to) - 1; ++x) {
                const QColor c = pixel(image, x, top + 1);
                run = c == pixel(image, x - 1, top + 1) ? run + 1 : 1;
                if (run > best.first)
                    best = { run, c };
            }
            return best;
        };
        // Each label lies on its poll's colour: the hatching gives way to the text, and the
        // bar keeps its colour (no background shows through the Pending one, whose text is
        // dark; the Ready one's is white).
        const auto [readRun, readColour] = longestRun(0, 30 * ms);
        QVERIFY2(readRun > 20, qPrintable(QString::number(readRun)));
        QCOMPARE(readColour, theme.pending);
        const auto [writeRun, writeColour] = longestRun(40 * ms, 60 * ms);
        QVERIFY2(writeRun > 20, qPrintable(QString::number(writeRun)));
        QCOMPARE(writeColour, theme.ready);
        for (int y = top + 1; y < top + TimelineRenderer::kBoxHeight - 1; ++y) {
            for (int x = column(0) + 1; x < column(30 * ms) - 1; ++x)
                QVERIFY2(pixel(image, x, y) != theme.background,
                    qPrintable(QStringLiteral("(%1, %2)").arg(x).arg(y)));
        }
    }

    void itemsAfterTheCursorAreHidden()
    {
        const auto model = modelOf(twoPolls(), 20 * ms);
        TimelineRenderer renderer;
        renderer.setModel(model);
        TimelineViewport viewport = viewportFor();
        // A step past poll 0 stands at its end; seeking to 30 ms moves the cursor on through
        // the idle gap, up to poll 1's start.
        QCOMPARE(model->cursorTime(1), 20 * ms);
        QCOMPARE(model->cursorGap(1), (TimeRange { 20 * ms, 30 * ms }));
        viewport.eventLimit = model->eventLimit(1, 30 * ms);
        viewport.cursorTime = 30 * ms;
        QVERIFY(viewport.eventLimit <= model->poll(1).event);
        const QImage image = renderer.render(viewport);
        keep(image, "two-polls-cursor");
        const TimelineTheme& theme = renderer.theme();
        const TimelineLayout layout = renderer.layout(viewport);
        const int y = layout.laneCenter(1);
        QCOMPARE(pixel(image, column(10 * ms), y), theme.pending);
        QVERIFY(pixel(image, column(40 * ms), y) != theme.ready);
        QCOMPARE(pixel(image, column(43 * ms), y),
            theme.laneStripe); // main's lane is striped (off the grid)
        // The idle line runs up to the cursor, not beyond.
        QCOMPARE(pixel(image, column(25 * ms), y), theme.idle);
        QCOMPARE(pixel(image, column(37 * ms), y), theme.laneStripe);
        // The cursor line, two pixels wide, over ruler and lanes.
        QCOMPARE(pixel(image, column(30 * ms), y), theme.cursor);
        QCOMPARE(pixel(image, column(30 * ms) + 1, layout.lanes.bottom()), theme.cursor);
        QCOMPARE(pixel(image, column(30 * ms), layout.ruler.top() + 1), theme.cursor);

        // Position 0: nothing has run.
        viewport.eventLimit = model->eventLimit(0);
        viewport.cursorTime = model->cursorTime(0);
        const QImage start = renderer.render(viewport);
        QVERIFY(pixel(start, column(10 * ms), y) != theme.pending);
    }

    void nothingIsDrawnAfterTheCursor()
    {
        // chat-blocking after alice's first poll: her read is due at 30 ms, long after the
        // cursor (at bob's first poll). Its late wake, recorded at the registration, must not
        // show there yet, nor be hit.
        TimelineRenderer renderer;
        renderer.setModel(builtinModel(u"chat-blocking"_qs));
        const TimelineModel& chat = *renderer.model();
        const int alice = chat.laneOfTask(2);
        QCOMPARE(chat.laneName(alice), u"alice"_qs);
        QCOMPARE(chat.poll(2).task, TaskId(2));
        QVERIFY(!chat.late(alice).empty());
        TimelineViewport viewport = fittedViewport(renderer);
        viewport.eventLimit = chat.eventLimit(3);
        viewport.cursorTime = chat.cursorTime(3);
        QVERIFY(chat.late(alice)[0].event < viewport.eventLimit);
        QVERIFY(chat.late(alice)[0].start > viewport.cursorTime);
        QImage image = renderer.render(viewport);
        keep(image, "chat-blocking-cursor");
        TimelineLayout layout = renderer.layout(viewport);
        const int cursor = timeToColumn(viewport.cursorTime, viewport.range, kLeft, 1000);
        // Right of the boxes at the cursor (kMinPollWidth) and the spawn links' dots.
        QStringList drawn = drawnFrom(image, layout, renderer.theme(), cursor + 6);
        QVERIFY2(drawn.isEmpty(), qPrintable(drawn.join(u", ")));
        const TimeNs late = chat.late(alice)[0].start + 20 * ms;
        const QPoint there(
            timeToColumn(late, viewport.range, kLeft, 1000), layout.laneCenter(alice));
        QCOMPARE(renderer.hitTest(viewport, there).kind, TimelineHit::Kind::Lane);
        // Once the cursor passes the deadline the late wake shows, up to the cursor.
        viewport.eventLimit = chat.eventLimit(5);
        viewport.cursorTime = chat.cursorTime(5);
        QCOMPARE(pixel(renderer.render(viewport), there.x(), there.y()), renderer.theme().late);
        QCOMPARE(renderer.hitTest(viewport, there).kind, TimelineHit::Kind::Late);

        // A cursor sought into a gap (main idle at 25 ms): the wake at 30 ms that precedes the
        // next poll is not drawn ahead of it either.
        renderer.setModel(modelOf(twoPolls(), 20 * ms));
        viewport = fittedViewport(renderer);
        viewport.eventLimit = renderer.model()->eventLimit(1);
        viewport.cursorTime = 25 * ms;
        image = renderer.render(viewport);
        keep(image, "two-polls-sought");
        layout = renderer.layout(viewport);
        drawn = drawnFrom(image, layout, renderer.theme(),
            timeToColumn(25 * ms, viewport.range, kLeft, 1000) + 2);
        QVERIFY2(drawn.isEmpty(), qPrintable(drawn.join(u", ")));
    }

    void theEndOfTheRunIsInSight()
    {
        // select-timeout ends with main's Ready poll, a cancel and the mark "timed out after
        // 100ms", all at 100 ms. With the cursor at the end, as after a run, all of them show:
        // the cursor's line lies under them, and the mark is labelled on its left.
        TimelineRenderer renderer;
        renderer.setModel(builtinModel(u"select-timeout"_qs));
        const TimelineModel& model = *renderer.model();
        TimelineViewport viewport = fittedViewport(renderer);
        viewport.eventLimit = model.eventLimit(model.pollCount());
        viewport.cursorTime = model.cursorTime(model.pollCount());
        const QImage image = renderer.render(viewport);
        keep(image, "select-timeout-end");
        const TimelineTheme& theme = renderer.theme();
        const TimelineLayout layout = renderer.layout(viewport);
        const int main = model.laneOfTask(kMainTask);
        const std::span<const PointItem> marks = model.marks(main);
        QCOMPARE(marks.size(), std::size_t(1));
        QCOMPARE(model.trace().string(marks[0].aux), u"timed out after 100ms"_qs);
        const int cursor = timeToColumn(viewport.cursorTime, viewport.range, kLeft, 1000);
        const int mark = timeToColumn(marks[0].start, viewport.range, kLeft, 1000);
        QCOMPARE(mark, cursor);
        QVERIFY(cursor < layout.lanes.right() - 30); // fit leaves a margin after the run
        QCOMPARE(pixel(image, cursor, layout.laneCenter(TimelineModel::workerLane())), theme.ready);
        QVERIFY(pixel(image, cursor, layout.laneCenter(main)) != theme.cursor);
        QCOMPARE(pixel(image, cursor, layout.lanes.bottom()), theme.cursor);
        // The label: text between main's first poll and the mark, darker than the idle line
        // it covers.
        int text = 0;
        for (int y = layout.boxTop(main); y < layout.boxTop(main) + TimelineRenderer::kBoxHeight;
             ++y) {
            for (int x = kLeft + 10; x < mark - 7; ++x)
                text += pixel(image, x, y).lightness() < theme.idle.lightness() - 40;
        }
        QVERIFY2(text > 100, qPrintable(QString::number(text)));
    }

    void aDroppedFutureIsARingNotACross()
    {
        // select-timeout: at 100 ms the sleep wins and main's select drops the request. main
        // finished, nothing was cancelled: no cross (the legend's "cancelled"), on main's lane
        // or in the key. The drop is a grey ring hanging from the bottom edge of the box row, in
        // the key as "dropped future". A task still running when main returns keeps its cross.
        TimelineRenderer renderer;
        const TimelineTheme& theme = renderer.theme();
        renderer.setModel(builtinModel(u"select-timeout"_qs));
        const TimelineModel& model = *renderer.model();
        const int main = model.laneOfTask(kMainTask);
        QVERIFY(model.cancels(main).empty());
        QCOMPARE(model.drops(main).size(), 1u);
        QVERIFY(!model.hasCancelCrosses());
        TimelineViewport viewport = fittedViewport(renderer);
        viewport.title = u"A timeout made with select"_qs;
        const QStringList legend = legendLabels(renderer, viewport);
        QVERIFY2(legend.contains(u"dropped future"_qs), qPrintable(legend.join(u", ")));
        QVERIFY2(!legend.contains(u"cancelled"_qs), qPrintable(legend.join(u", ")));
        const QImage image = renderer.render(viewport);
        keep(image, "select-timeout-dropped");
        const TimelineLayout layout = renderer.layout(viewport);
        QVERIFY(!hasColor(image, QRect(0, 0, image.width(), image.height()), theme.cancel));
        QVERIFY(hasColor(image, layout.header, theme.dropped));
        // The ring: around the box row's last row at the drop's column, 3 px out (its top under
        // the mark). Its middle is the background, over the Ready poll; left, right and below
        // it the ring.
        const int x = timeToColumn(model.drops(main)[0].start, viewport.range, kLeft, 1000);
        const int y = layout.boxTop(main) + TimelineRenderer::kBoxHeight - 1;
        QCOMPARE(pixel(image, x, y), theme.background);
        for (const QPoint& p : { QPoint(x - 3, y), QPoint(x + 3, y), QPoint(x, y + 3) })
            QCOMPARE(pixel(image, p.x(), p.y()), theme.dropped);
        QCOMPARE(renderer.dropRings().size(), 1u);
        QCOMPARE(renderer.dropRings()[0].lane, main);
        QCOMPARE(renderer.dropRings()[0].circle.center(), QPointF(x + 0.5, y + 0.5));

        // A select whose loser awaits a task: the task is not cancelled by the drop, but by
        // main's end; only that is a cross.
        renderer.setModel(scriptModel(u"async fn slow() { sleep(500ms).await; }\n"
                                      "async fn main() {\n"
                                      "    let t = spawn slow();\n"
                                      "    select(t, sleep(100ms)).await;\n"
                                      "}\n"_qs));
        QVERIFY(renderer.model());
        const TimelineModel& race = *renderer.model();
        const int slow = race.laneOfTask(kMainTask + 1);
        QCOMPARE(race.drops(race.laneOfTask(kMainTask)).size(), 1u);
        QCOMPARE(race.cancels(slow).size(), 1u);
        QVERIFY(race.drops(slow).empty());
        viewport = fittedViewport(renderer);
        viewport.title = u"Race"_qs;
        QCOMPARE(legendLabels(renderer, viewport).filter(u"cancelled"_qs).size(), 1);
        QCOMPARE(legendLabels(renderer, viewport).filter(u"dropped future"_qs).size(), 1);
        QCOMPARE(race.describeDrops(race.laneOfTask(kMainTask), 0, 1),
            u"select dropped the losing branch at 100 ms, line 4: the await of slow-0 was "
            "dropped; slow-0 runs on"_qs);
    }

    void aStoppedTaskEndsInASquareNotACross()
    {
        // A run a bound stopped leaves its tasks stopped, not cancelled as main's end leaves
        // them: their lanes end in a square (in the legend as "stopped"), not in the cross.
        const QString sleeper = u"async fn sleeper() { sleep(1s).await; }\n"_qs;
        const auto stopped = scriptModel(u"runtime current_thread(max_events: 200)\n"_qs + sleeper +
            u"async fn main() { spawn sleeper(); loop { yield_now().await; } }\n"_qs);
        const auto cancelled = scriptModel(sleeper +
            u"async fn main() { spawn sleeper(); for i in 0..50 { yield_now().await; } }\n"_qs);
        QVERIFY(stopped && cancelled);
        QCOMPARE(stopped->trace().report.status, RunStatus::LimitReached);
        QCOMPARE(cancelled->trace().report.status, RunStatus::Completed);
        TimelineRenderer renderer;
        const TimelineTheme& theme = renderer.theme();
        for (const auto& model : { stopped, cancelled }) {
            const bool stop = model == stopped;
            renderer.setModel(model);
            TimelineViewport viewport = fittedViewport(renderer);
            viewport.title = u"Stopped"_qs;
            viewport.size.setHeight(renderer.contentHeight(viewport));
            viewport.eventLimit = model->eventLimit(model->pollCount());
            viewport.cursorTime = model->cursorTime(model->pollCount());
            const QImage image = renderer.render(viewport);
            keep(image, stop ? "stopped-at-a-bound" : "cancelled-at-mains-end");
            const TimelineLayout layout = renderer.layout(viewport);
            const int lane = model->laneOfTask(1); // sleeper-0, idle when the run ended
            QCOMPARE(model->lane(lane).status, stop ? TaskEnd::Stopped : TaskEnd::Cancelled);
            const std::span<const PointItem> ends = model->cancels(lane);
            QCOMPARE(ends.size(), std::size_t(1));
            QCOMPARE(model->isStop(ends[0]), stop);
            const QPoint end(
                timeToColumn(ends[0].start, viewport.range, kLeft, 1000), layout.laneCenter(lane));
            QCOMPARE(solidSquare(image, end, theme.cancel), stop);
            if (stop) {
                // A ring of background keeps the square apart from the box it may end.
                QCOMPARE(pixel(image, end.x() - 5, end.y()), theme.background);
                QCOMPARE(pixel(image, end.x() + 5, end.y()), theme.background);
            } else {
                // The cross's strokes leave the middles of the square's sides blank.
                QVERIFY(pixel(image, end.x() + 4, end.y()) != theme.cancel);
                QVERIFY(pixel(image, end.x(), end.y() - 4) != theme.cancel);
            }
            // main too ends stopped at the bound, and cancelled at its own end has no cross.
            const int main = model->laneOfTask(kMainTask);
            QCOMPARE(model->cancels(main).size(), std::size_t(stop ? 1 : 0));
            // The legend names "stopped" only where a task stopped, and then, as this run
            // draws no cross, instead of "cancelled": its only symbol in that colour.
            QCOMPARE(hasSolidSquare(image, layout.header, theme.cancel), stop);
            if (stop) {
                QRect symbols;
                for (int y = layout.header.top(); y <= layout.header.bottom(); ++y)
                    for (int x = layout.header.left(); x <= layout.header.right(); ++x)
                        if (pixel(image, x, y) == theme.cancel)
                            symbols |= QRect(x, y, 1, 1);
                QVERIFY2(symbols.width() <= 12 && symbols.height() <= 12,
                    qPrintable(u"%1x%2"_qs.arg(symbols.width()).arg(symbols.height())));
            }
        }
        // A vector frame (SVG, PDF export) draws the same square, as shapes.
        renderer.setModel(stopped);
        TimelineViewport viewport = fittedViewport(renderer);
        viewport.vector = true;
        const QImage image = renderer.render(viewport);
        const TimelineLayout layout = renderer.layout(viewport);
        const int lane = stopped->laneOfTask(1);
        const QPoint end(timeToColumn(stopped->cancels(lane)[0].start, viewport.range, kLeft, 1000),
            layout.laneCenter(lane));
        QVERIFY(solidSquare(image, end, theme.cancel));
    }

    void markLabelsAreElidedRatherThanDropped()
    {
        // In a window's 740 px of time, and an export 1000 px wide, join-fixed-set's last mark
        // and both of error-propagation's do not fit their labels whole: each is elided where
        // it has room, between the lane's polls, rather than left out. A label begins at its own
        // mark: of two marks 40 ms apart, the first is labelled on its right, and the second,
        // with no room at the right edge, on its left, from well past the first mark's label.
        TimelineRenderer renderer;
        const TimelineTheme& theme = renderer.theme();
        for (const int width : { 740, 1000 - kLeft }) {
            for (const QString& name : { u"join-fixed-set"_qs, u"error-propagation"_qs }) {
                const QByteArray what = (name + u' ' + QString::number(width)).toUtf8();
                renderer.setModel(builtinModel(name));
                const TimelineModel& model = *renderer.model();
                const TimelineViewport viewport = fittedViewport(renderer, width);
                const QImage image = renderer.render(viewport);
                keep(image, QByteArray(what).replace(' ', '-').append("-marks").constData());
                const TimelineLayout layout = renderer.layout(viewport);
                const int main = model.laneOfTask(kMainTask);
                const int top = layout.boxTop(main);
                const auto column = [&](TimeNs t) {
                    return timeToColumn(t, viewport.range, layout.axis.left, layout.axis.width);
                };
                // Text pixels on main's boxes' rows in column x.
                const auto textIn = [&](int x) {
                    int count = 0;
                    for (int y = top; y < top + TimelineRenderer::kBoxHeight; ++y)
                        count += pixel(image, x, y).lightness() < theme.idle.lightness() - 40;
                    return count;
                };
                const auto text = [&](int from, int to) {
                    int count = 0;
                    for (int x = from; x < to; ++x)
                        count += textIn(x);
                    return count;
                };
                const std::span<const PointItem> marks = model.marks(main);
                const std::span<const LanePoll> polls = model.lanePolls(main);
                QVERIFY(!marks.empty());
                for (const PointItem& mark : marks) {
                    const QString label = model.trace().string(mark.aux);
                    QVERIFY2(
                        QFontMetrics(theme.font).horizontalAdvance(label) > 200, qPrintable(label));
                }
                const int last = column(marks.back().start);
                QVERIFY(last > layout.lanes.right() - 40); // no room on its right
                const auto pollEnd = [&](std::size_t fromLast) {
                    return column(polls[polls.size() - fromLast].end) + 4;
                };
                if (marks.size() == 1) {
                    // Left of its mark, back to the poll before it.
                    QVERIFY2(text(pollEnd(2), last - 7) > 300, what.constData());
                } else {
                    QCOMPARE(marks.size(), std::size_t(2));
                    const int first = column(marks[0].start);
                    const int middle = (first + last) / 2;
                    QVERIFY2(text(pollEnd(3), first - 7) == 0, what.constData());
                    QVERIFY2(text(first + 7, first + 30) > 10, what.constData());
                    QVERIFY2(text(first + 7, middle) > 150, what.constData());
                    QVERIFY2(text(middle, last - 7) > 150, what.constData());
                    QVERIFY2(text(last - 30, last - 7) > 10, what.constData());
                    // The two labels stand apart: 8 columns without text between them.
                    int blank = 0;
                    for (int x = first + 20; x < last - 20 && blank < 8; ++x)
                        blank = textIn(x) == 0 ? blank + 1 : 0;
                    QVERIFY2(blank == 8, what.constData());
                }
                // Labels lie between the boxes, never over one: their bottom rows (clear of
                // wake arrowheads and mark symbols) keep the poll's colour.
                for (const LanePoll& poll : polls) {
                    const QPoint p(column(poll.start) + 1, top + TimelineRenderer::kBoxHeight - 1);
                    const QColor c = pixel(image, p.x(), p.y());
                    QVERIFY2(c == theme.pendingEdge || c == theme.readyEdge || c == theme.pending ||
                            c == theme.ready,
                        qPrintable(QStringLiteral("%1: (%2, %3) %4")
                                       .arg(QString::fromUtf8(what))
                                       .arg(p.x())
                                       .arg(p.y())
                                       .arg(c.name())));
                }
            }
        }
    }

    void coincidentMarksShareOneLabel()
    {
        // Two marks in one poll stand at one instant: one symbol, labelled with both, and the
        // lone mark 40 ms later with its own. Hovering the symbol finds both marks.
        TimelineRenderer renderer;
        renderer.setModel(modelOf(coincidentMarks(), 10 * us));
        const TimelineModel& model = *renderer.model();
        const int main = model.laneOfTask(kMainTask);
        QCOMPARE(model.marks(main).size(), std::size_t(3));
        QCOMPARE(model.marks(main)[0].start, model.marks(main)[1].start);
        TimelineViewport viewport = viewportFor();
        const QImage image = renderer.render(viewport);
        keep(image, "coincident-marks");
        const TimelineLayout layout = renderer.layout(viewport);
        // How wide the text on main's boxes' row in columns [from, to) is, first ink to last.
        const QFontMetrics metrics(renderer.theme().font);
        const auto inkWidth = [&](int from, int to) {
            int first = -1, lastInk = -1;
            for (int x = from; x < to; ++x) {
                for (int y = layout.boxTop(main);
                     y < layout.boxTop(main) + TimelineRenderer::kBoxHeight; ++y) {
                    if (pixel(image, x, y).lightness() < renderer.theme().idle.lightness() - 40) {
                        first = first < 0 ? x : first;
                        lastInk = x;
                    }
                }
            }
            return first < 0 ? 0 : lastInk - first + 1;
        };
        const int x0 = column(model.marks(main)[0].start);
        const int x2 = column(model.marks(main)[2].start);
        const int both = inkWidth(x0 + 7, x2 - 7);
        QVERIFY2(qAbs(both - metrics.boundingRect(u"first \u00b7 second"_qs).width()) <= 2,
            qPrintable(QString::number(both)));
        QVERIFY(inkWidth(x2 + 7, x2 + 100) > 0);

        const TimelineHit hit = renderer.hitTest(viewport, QPoint(x0 + 4, layout.laneCenter(main)));
        QCOMPARE(hit.marks, (std::pair<std::size_t, std::size_t> { 0, 2 }));
        QCOMPARE(renderer.hitTest(viewport, QPoint(x2 + 4, layout.laneCenter(main))).marks,
            (std::pair<std::size_t, std::size_t> { 2, 3 }));
        QCOMPARE(renderer.hitTest(viewport, QPoint(column(20 * ms), layout.laneCenter(main))).marks,
            (std::pair<std::size_t, std::size_t> { 0, 0 }));
    }

    void dimmedAfterTheCursor()
    {
        const auto model = modelOf(twoPolls(), 20 * ms);
        TimelineRenderer renderer;
        renderer.setModel(model);
        TimelineViewport viewport = viewportFor();
        viewport.eventLimit = model->eventLimit(1);
        viewport.cursorTime = model->cursorTime(1);
        viewport.dimAfterCursor = true;
        const QImage image = renderer.render(viewport);
        keep(image, "two-polls-dimmed");
        const TimelineTheme& theme = renderer.theme();
        const int y = renderer.layout(viewport).laneCenter(1);
        QCOMPARE(pixel(image, column(10 * ms), y), theme.pending); // before the cursor: as is
        const QColor veiled = pixel(image, column(40 * ms), y);
        QVERIFY(veiled != theme.ready);
        QVERIFY(veiled != theme.laneStripe);
        // Still blue, only paler.
        QVERIFY(veiled.blue() > veiled.red());
    }

    void rulerLabelsStandRightOfTheirTicks()
    {
        // Every label starts just right of its tick. One that would be cut at the right edge
        // is dropped, not moved left of its tick (select-timeout's "100 ms" at 1200 px stood
        // left of its tick, next to "90 ms"), and the last tick's label shows where it fits
        // (spawn-blocking-fix's "200 ms" at 1200 px was dropped for lack of a pixel).
        TimelineRenderer renderer;
        const TimelineTheme& theme = renderer.theme();
        const QFontMetrics metrics(theme.font);
        for (const QString& name : { u"select-timeout"_qs, u"spawn-blocking-fix"_qs }) {
            renderer.setModel(builtinModel(name));
            // As `pollscope run NAME --export x.png --width 1200` lays it out.
            const TimelineViewport viewport = fittedViewport(renderer, 1200 - kLeft);
            const QImage image = renderer.render(viewport);
            keep(image, qPrintable(name + u"-ruler"));
            const TimelineLayout layout = renderer.layout(viewport);
            const TimeRange range = viewport.range;
            const TimeNs step = tickStep(range.duration(), layout.axis.width, 96);
            const int end = layout.ruler.left() + layout.ruler.width();
            QList<std::pair<int, TimeNs>> expected; // ticks whose labels fit, and their times
            for (TimeNs tick = firstTick(range.start, step); tick <= range.end; tick += step) {
                const int x = timeToColumn(tick, range, layout.axis.left, layout.axis.width);
                if (x + 4 + metrics.horizontalAdvance(tickLabel(tick, step)) <= end)
                    expected.append({ x, tick });
            }
            const QList<std::pair<int, int>> labels = rulerLabels(image, layout, theme);
            QCOMPARE(labels.size(), expected.size());
            for (qsizetype i = 0; i < labels.size(); ++i) {
                const int tick = expected[i].first;
                QVERIFY2(labels[i].first > tick + 3 && labels[i].first <= tick + 6,
                    qPrintable(QStringLiteral("%1: label at %2, tick at %3")
                                   .arg(name)
                                   .arg(labels[i].first)
                                   .arg(tick)));
            }
            QCOMPARE(expected.back().second, (range.end / step) * step); // the last tick's
        }

        // 10 ms apart on 1000 px: "100 ms" at 1184 has exactly its width and 4 px after its
        // tick, and shows; one pixel less and it is dropped, with nothing in its place.
        renderer.setModel(modelOf(twoPolls(), 20 * ms));
        const int width = metrics.horizontalAdvance(u"100 ms"_qs);
        for (const int lanes : { 1004 + width, 1003 + width }) {
            TimelineViewport viewport = viewportFor(TimeRange { 0, lanes * 100 * us });
            viewport.size.setWidth(kLeft + lanes);
            const QImage image = renderer.render(viewport);
            const QList<std::pair<int, int>> labels =
                rulerLabels(image, renderer.layout(viewport), theme);
            QVERIFY(!labels.isEmpty());
            if (lanes == 1004 + width) {
                QCOMPARE(labels.size(), 11);
                QVERIFY(labels.back().first > column(100 * ms) + 3);
            } else {
                QCOMPARE(labels.size(), 10);
                QVERIFY(labels.back().second < column(90 * ms) + 4 + width);
            }
        }
    }

    void rulerLabelsStayReadableUnderTheCursor()
    {
        // The cursor at 12 ms crosses the label "10 ms" (columns 280 to 318): the label knocks
        // the line out down to the ticks, where the handle and the line down the lanes go on.
        TimelineRenderer renderer;
        renderer.setModel(modelOf(twoPolls(), 20 * ms));
        TimelineViewport viewport = viewportFor();
        const QImage plain = renderer.render(viewport);
        viewport.cursorTime = 12 * ms;
        const QImage image = renderer.render(viewport);
        keep(image, "ruler-under-cursor");
        const TimelineTheme& theme = renderer.theme();
        const TimelineLayout layout = renderer.layout(viewport);
        const int cursor = column(12 * ms);
        const QList<std::pair<int, int>> labels = rulerLabels(plain, layout, theme);
        QVERIFY(labels.size() > 2);
        const auto [first, last] = labels[1];
        QVERIFY(first < cursor && cursor + 1 < last);
        const QRect label(first - 1, layout.ruler.top(), last - first + 3, 18);
        QCOMPARE(image.copy(label), plain.copy(label));
        QCOMPARE(pixel(image, cursor + 1, layout.ruler.bottom() - 4), theme.cursor);
        QCOMPARE(pixel(image, cursor, layout.lanes.bottom()), theme.cursor);
    }

    void darkThemeDiffers()
    {
        const auto model = modelOf(twoPolls(), 20 * ms);
        TimelineRenderer renderer;
        renderer.setModel(model);
        const TimelineViewport viewport = viewportFor();
        const QImage light = renderer.render(viewport);
        renderer.setTheme(TimelineTheme::dark());
        const QImage dark = renderer.render(viewport);
        keep(dark, "two-polls-dark");
        QVERIFY(light != dark);
        const TimelineTheme theme = TimelineTheme::dark();
        const int y = renderer.layout(viewport).laneCenter(1);
        QCOMPARE(pixel(dark, column(10 * ms), y), theme.pending);
        QCOMPARE(pixel(dark, column(40 * ms), y), theme.ready);
        QCOMPARE(pixel(dark, column(83 * ms), y), theme.laneStripe);
        QVERIFY(theme.background.lightness() < 64);
        QVERIFY(TimelineTheme::light().background.lightness() > 200);
        // Pending and Ready stay far apart in both themes (hue and lightness).
        for (const TimelineTheme& t : { TimelineTheme::light(), TimelineTheme::dark() }) {
            QVERIFY(qAbs(t.pending.hue() - t.ready.hue()) > 120);
            QCOMPARE(t.legend().size(), 15);
        }
    }

    void legendShowsTheBlockingPoolsJobs()
    {
        // The blocking pool's grey hatched jobs have their own entry, drawn as the lane draws
        // them: the job's grey under the hatching, in the job's edge colour.
        TimelineRenderer renderer;
        renderer.setModel(everySymbolModel()); // a run with a job: its key has the entry
        QVERIFY(renderer.model());
        const TimelineViewport viewport = viewportFor();
        for (const TimelineTheme& theme : { TimelineTheme::light(), TimelineTheme::dark() }) {
            QVERIFY(std::ranges::any_of(theme.legend(), [](const TimelineTheme::LegendEntry& e) {
                return e.symbol == TimelineTheme::Symbol::Job && e.label == u"blocking job";
            }));
            renderer.setTheme(theme);
            const QImage image = renderer.render(viewport);
            keep(image, qPrintable(u"legend-" + theme.name));
            const QRect header = renderer.layout(viewport).header;
            QRect edge;
            for (int y = header.top(); y <= header.bottom(); ++y) {
                for (int x = header.left(); x <= header.right(); ++x) {
                    if (pixel(image, x, y) == theme.jobEdge)
                        edge |= QRect(x, y, 1, 1);
                }
            }
            QCOMPARE(edge.size(), QSize(18, 11)); // one legend symbol
            int fill = 0, hatch = 0;
            for (int y = edge.top() + 1; y < edge.bottom(); ++y) {
                for (int x = edge.left() + 1; x < edge.right(); ++x) {
                    fill += pixel(image, x, y) == theme.job;
                    hatch += pixel(image, x, y) == theme.hatch;
                }
            }
            QVERIFY2(
                fill > 80 && hatch > 10, qPrintable(QStringLiteral("%1 %2").arg(fill).arg(hatch)));
        }
    }

    void legendListsWhatTheRunHas()
    {
        // The key lists the basics (Pending, Ready, busy share, scheduled, idle, wake) and of
        // the other symbols those the whole run has, wherever the cursor and the zoom are.
        TimelineRenderer renderer;
        const TimelineTheme& theme = renderer.theme();
        renderer.setModel(builtinModel(u"page-title"_qs)); // one task, two awaits and a mark
        QVERIFY(renderer.model());
        TimelineViewport viewport = fittedViewport(renderer);
        viewport.title = u"Page title"_qs;
        const QStringList basics { u"Pending"_qs, u"Ready"_qs, u"busy share"_qs, u"scheduled"_qs,
            u"idle"_qs, u"wake"_qs };
        QCOMPARE(legendLabels(renderer, viewport), basics + QStringList { u"mark"_qs });
        QImage image = renderer.render(viewport);
        keep(image, "legend-page-title");
        QRect header = renderer.layout(viewport).header;
        QVERIFY(!hasColor(image, header, theme.jobEdge)); // no blocking job
        QVERIFY(!hasColor(image, header, theme.cancel)); // nothing cancelled
        QVERIFY(!hasColor(image, header, theme.ghost)); // nothing never polled
        QVERIFY(hasColor(image, header, theme.mark));

        // A run with every symbol lists them all, in the theme's order; diagnostics once the
        // frame has warning signs to show.
        renderer.setModel(everySymbolModel());
        QVERIFY(renderer.model());
        viewport = fittedViewport(renderer);
        viewport.title = u"Every symbol"_qs;
        QStringList all;
        for (const TimelineTheme::LegendEntry& entry : theme.legend())
            all << entry.label;
        QCOMPARE(legendLabels(renderer, viewport), all.mid(0, all.size() - 1));
        viewport.markers = diagnosticMarkers(diagnose(renderer.model()->trace()));
        QVERIFY(!viewport.markers->empty());
        QCOMPARE(legendLabels(renderer, viewport), all);
        image = renderer.render(viewport);
        keep(image, "legend-every-symbol");
        header = renderer.layout(viewport).header;
        QVERIFY(hasColor(image, header, theme.jobEdge));
        QVERIFY(hasColor(image, header, theme.cancel));
        QVERIFY(hasColor(image, header, theme.diagnostic));

        // At any cursor and zoom the key stays that of the whole run.
        viewport.eventLimit = 1;
        viewport.cursorTime = 0;
        viewport.range = { 0, 1 * ms };
        QCOMPARE(legendLabels(renderer, viewport), all);
    }

    void legendTakesOneRowAt1320PxAndWrapsEvenly()
    {
        // All its 15 entries fit one row of a frame 1320 px wide (a default-sized export, a wide
        // window), below even the longest title, the gap between entries narrowed a little. A
        // wide frame keeps the full gap; a narrower one wraps them into even rows, rather than
        // leaving an entry or two alone on the last.
        TimelineRenderer renderer;
        renderer.setModel(everySymbolModel()); // a run with every entry of the legend
        QVERIFY(renderer.model());
        const TimelineTheme& theme = renderer.theme();
        const TimelineMarkers markers = diagnosticMarkers(diagnose(renderer.model()->trace()));
        const auto frame = [&](int width, const QString& title) {
            TimelineViewport viewport = fittedViewport(renderer, width - kLeft);
            viewport.title = title;
            viewport.markers = markers;
            return viewport;
        };
        QCOMPARE(renderer.legendEntries(frame(1320, u"Two polls"_qs)).size(), 15);
        // The first and last columns of each legend row that show anything but the header.
        const auto rowInk = [&](const QImage& image, const TimelineLayout& layout) {
            constexpr int rowHeight = TimelineRenderer::kHeaderHeight - 6;
            const int top = layout.header.bottom() + 1 - layout.legendRows * rowHeight;
            QList<std::pair<int, int>> rows;
            for (int row = 0; row < layout.legendRows; ++row) {
                std::pair<int, int> ink { image.width(), -1 };
                for (int y = top + row * rowHeight; y < top + (row + 1) * rowHeight; ++y) {
                    for (int x = 0; x < image.width(); ++x) {
                        if (pixel(image, x, y) != theme.header)
                            ink = { std::min(ink.first, x), std::max(ink.second, x) };
                    }
                }
                rows.append(ink);
            }
            return rows;
        };
        // From the Pending symbol to the Ready one: the symbol, its label and the gap.
        const auto firstStep = [&](const QImage& image, const TimelineLayout& layout) {
            int pending = image.width(), ready = image.width();
            for (int y = layout.header.top(); y <= layout.header.bottom(); ++y) {
                for (int x = 0; x < image.width(); ++x) {
                    if (pixel(image, x, y) == theme.pendingEdge)
                        pending = std::min(pending, x);
                    if (pixel(image, x, y) == theme.readyEdge)
                        ready = std::min(ready, x);
                }
            }
            return ready - pending;
        };
        const int pendingLabel = QFontMetrics(theme.font).horizontalAdvance(u"Pending"_qs);
        const int fullStep = 18 + 5 + pendingLabel + 14;

        // 1320 px, below the title: one row, within the margins, every entry shown.
        TimelineViewport viewport = frame(1320, ScenarioLibrary::find(u"chat-blocking"_qs)->title);
        QImage image = renderer.render(viewport);
        keep(image, "legend-1320");
        TimelineLayout layout = renderer.layout(viewport);
        QVERIFY(layout.legendOnOwnRow);
        QCOMPARE(layout.legendRows, 1);
        QList<std::pair<int, int>> rows = rowInk(image, layout);
        QCOMPARE(rows[0].first, 10);
        QVERIFY2(rows[0].second < 1310, qPrintable(QString::number(rows[0].second)));
        int diagnostic = 0; // the last entry's warning sign
        for (int y = layout.header.top(); y <= layout.header.bottom(); ++y)
            for (int x = 0; x < image.width(); ++x)
                diagnostic += pixel(image, x, y) == theme.diagnostic;
        QVERIFY(diagnostic > 20);
        const int step = firstStep(image, layout);
        QVERIFY2(step < fullStep && step >= fullStep - 4, qPrintable(QString::number(step)));

        // 1600 px beside a short title: the full gap.
        viewport = frame(1600, u"Two polls"_qs);
        image = renderer.render(viewport);
        layout = renderer.layout(viewport);
        QVERIFY(!layout.legendOnOwnRow);
        QCOMPARE(layout.legendRows, 1);
        QCOMPARE(firstStep(image, layout), fullStep);

        // Narrower: two even rows (8 and 7 entries), left-aligned.
        for (const int width : { 1100, 705 }) {
            viewport = frame(width, ScenarioLibrary::find(u"chat-blocking"_qs)->title);
            image = renderer.render(viewport);
            keep(image, qPrintable(QStringLiteral("legend-%1").arg(width)));
            layout = renderer.layout(viewport);
            QCOMPARE(layout.legendRows, 2);
            rows = rowInk(image, layout);
            QCOMPARE(rows[0].first, 10);
            QCOMPARE(rows[1].first, 10);
            const int first = rows[0].second - rows[0].first,
                      second = rows[1].second - rows[1].first;
            QVERIFY2(qAbs(first - second) < 80,
                qPrintable(QStringLiteral("%1 px: rows %2 and %3 px wide")
                               .arg(width)
                               .arg(first)
                               .arg(second)));
            QVERIFY(rows[0].second < width - 10 && rows[1].second < width - 10);
        }
    }

    void boxLabelsAreLegibleInBothThemes()
    {
        // WCAG's contrast ratio of a label's text on its box: at least 4.5 : 1 for small text.
        // (White on the dark theme's sky blue was 2.2 : 1.)
        const auto luminance = [](const QColor& c) {
            const auto channel = [](qreal v) {
                return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
            };
            return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
                0.0722 * channel(c.blueF());
        };
        const auto contrast = [&](const QColor& a, const QColor& b) {
            const qreal la = luminance(a), lb = luminance(b);
            return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
        };
        for (const TimelineTheme& t : { TimelineTheme::light(), TimelineTheme::dark() }) {
            QVERIFY2(contrast(t.boxText, t.pending) >= 4.5, qPrintable(t.name));
            QVERIFY2(contrast(t.readyBoxText, t.ready) >= 4.5, qPrintable(t.name));
        }
    }

    void diagnosticsAreWarningSigns()
    {
        TimelineRenderer renderer;
        renderer.setModel(modelOf(twoPolls(), 20 * ms));
        TimelineViewport viewport = viewportFor();
        viewport.markers = std::make_shared<const std::vector<TimelineMarker>>(
            std::vector { TimelineMarker { 40 * ms, kMainTask, 3, u"Blocking poll: ..."_qs } });
        const QImage image = renderer.render(viewport);
        keep(image, "diagnostic");
        const TimelineLayout layout = renderer.layout(viewport);
        const int lane = renderer.model()->laneOfTask(kMainTask);
        // A yellow sign centred on the marker's time, just above main's boxes (beside its "!").
        const int x = column(40 * ms) - 3;
        const int y = layout.boxTop(lane);
        QCOMPARE(pixel(image, x, y), TimelineTheme::light().diagnostic);
        const TimelineHit hit = renderer.hitTest(viewport, QPoint(x, y));
        QCOMPARE(hit.kind, TimelineHit::Kind::Diagnostic);
        QCOMPARE(hit.index, std::size_t(0));
        // Like everything else, it is hidden before the cursor reaches its event.
        viewport.eventLimit = 2;
        QVERIFY(pixel(renderer.render(viewport), x, y) != TimelineTheme::light().diagnostic);
        // A starvation's sign shows from the time the wait became one (foundAt), once the
        // wait has begun (foundAfter), before the poll that ends the wait (its event).
        viewport.markers = std::make_shared<const std::vector<TimelineMarker>>(std::vector {
            TimelineMarker { 40 * ms, kMainTask, 100, u"Starvation: ..."_qs, 45 * ms, 1 } });
        viewport.cursorTime = 45 * ms - 1;
        QVERIFY(pixel(renderer.render(viewport), x, y) != TimelineTheme::light().diagnostic);
        viewport.cursorTime = 45 * ms;
        QCOMPARE(pixel(renderer.render(viewport), x, y), TimelineTheme::light().diagnostic);
        QCOMPARE(renderer.hitTest(viewport, QPoint(x, y)).kind, TimelineHit::Kind::Diagnostic);
        viewport.eventLimit = 1;
        QVERIFY(pixel(renderer.render(viewport), x, y) != TimelineTheme::light().diagnostic);
    }

    void warningSignsOnlyWhereTheirTimeIsShown()
    {
        // chat-blocking's diagnostics fire at 80 µs and 150 ms, and the run ends at 700 ms.
        // A view of a later stretch shows no sign at all, rather than each one at its left edge.
        TimelineRenderer renderer;
        renderer.setModel(builtinModel(u"chat-blocking"_qs));
        const TimelineModel& model = *renderer.model();
        TimelineViewport viewport = fittedViewport(renderer);
        viewport.markers = diagnosticMarkers(diagnose(model.trace()));
        QVERIFY(!viewport.markers->empty());
        const QColor sign = renderer.theme().diagnostic;
        const auto signs = [&](TimeRange range) {
            viewport.range = range;
            const QImage image = renderer.render(viewport);
            keep(image, qPrintable(u"signs-"_qs + QString::number(range.start / ms)));
            const TimelineLayout layout = renderer.layout(viewport);
            QList<QPoint> found;
            for (int y = layout.lanes.top(); y <= layout.lanes.bottom(); ++y) {
                for (int x = layout.lanes.left(); x <= layout.lanes.right(); ++x) {
                    if (pixel(image, x, y) == sign)
                        found << QPoint(x, y);
                }
            }
            // Hovering the left edge, where a clamped sign would stand, finds none.
            for (const TimelineMarker& marker : *viewport.markers) {
                const int lane = model.laneOfTask(marker.task);
                const TimelineHit hit = renderer.hitTest(
                    viewport, QPoint(layout.lanes.left() + 1, layout.boxTop(lane) - 3));
                if (hit.kind == TimelineHit::Kind::Diagnostic)
                    found << QPoint(-1, lane);
            }
            return found;
        };
        QVERIFY(!signs(viewport.range).isEmpty()); // the whole run shows them
        QCOMPARE(signs({ 800 * ms, 900 * ms }), QList<QPoint>());
        QCOMPARE(signs({ 590 * ms, 700 * ms }), QList<QPoint>());
        QCOMPARE(signs({ 604 * ms, 700 * ms }), QList<QPoint>());
        // 150 ms in view: that sign only, centred on its time.
        const QList<QPoint> around150 = signs({ 140 * ms, 160 * ms });
        QVERIFY(!around150.isEmpty());
        const auto at150 = std::ranges::find_if(
            *viewport.markers, [](const TimelineMarker& m) { return m.time / ms == 150; });
        QVERIFY(at150 != viewport.markers->end());
        const TimelineLayout layout = renderer.layout(viewport);
        const int x =
            timeToColumn(at150->time, viewport.range, layout.axis.left, layout.axis.width);
        for (const QPoint& p : around150)
            QVERIFY2(
                qAbs(p.x() - x) <= 6 && p.y() < layout.laneCenter(model.laneOfTask(at150->task)),
                qPrintable(QStringLiteral("%1, %2").arg(p.x()).arg(p.y())));
    }

    void glyphsAtTimeZeroAreWhole()
    {
        // What is drawn centred on an instant stands whole at t = 0: the time origin lies
        // right of the lanes' edge, so that a warning sign, a never-polled bracket or a spawn's
        // arrow there is as wide left of its time as right of it, not cut in half by the lane
        // names; the first poll starts at the origin, clear of the names' edge.
        TimelineRenderer renderer;
        const TimelineTheme& theme = renderer.theme();
        // The columns [first, last] of the lanes from their left edge to 8 px right of the
        // origin (short of a ghost's label), in rows [top, bottom], whose pixels `ink` accepts;
        // {-1, -1} if none.
        const auto inkColumns = [](const QImage& image, const TimelineLayout& layout, int top,
                                    int bottom, auto ink) {
            std::pair<int, int> columns { -1, -1 };
            for (int x = layout.lanes.left(); x <= layout.axis.left + 8; ++x) {
                for (int y = top; y <= bottom; ++y) {
                    if (!ink(pixel(image, x, y)))
                        continue;
                    if (columns.first < 0)
                        columns.first = x;
                    columns.second = x;
                }
            }
            return columns;
        };
        const auto verifyWhole = [](const char* what, std::pair<int, int> columns,
                                     const TimelineLayout& layout) {
            const auto [first, last] = columns;
            const int origin = layout.axis.left; // where t = 0 is
            const QByteArray where =
                QStringLiteral("%1: columns %2..%3, lanes from %4, t = 0 at %5")
                    .arg(QLatin1String(what))
                    .arg(first)
                    .arg(last)
                    .arg(layout.lanes.left())
                    .arg(origin)
                    .toUtf8();
            QVERIFY2(first >= 0 && last > origin, where.constData());
            QVERIFY2(first > layout.lanes.left(), where.constData()); // nothing cut at the edge
            QVERIFY2(qAbs((origin - first) - (last - origin)) <= 1, where.constData());
        };

        // forgot-await: main's first poll at 0 has a warning sign; the future it never polls
        // is a ghost at 0.
        renderer.setModel(builtinModel(u"forgot-await"_qs));
        const TimelineModel& forgot = *renderer.model();
        TimelineViewport viewport = fittedViewport(renderer);
        viewport.markers = diagnosticMarkers(diagnose(forgot.trace()));
        QVERIFY(std::ranges::any_of(*viewport.markers,
            [](const TimelineMarker& m) { return m.time == 0 && m.task == kMainTask; }));
        QImage image = renderer.render(viewport);
        keep(image, "time-zero-forgot-await");
        TimelineLayout layout = renderer.layout(viewport);
        verifyWhole("warning sign",
            inkColumns(image, layout, layout.lanes.top(), layout.lanes.bottom(),
                [&](const QColor& c) { return c == theme.diagnostic; }),
            layout);
        int ghostLane = -1;
        for (int lane = 0; lane < forgot.laneCount(); ++lane) {
            if (forgot.lane(lane).kind == LaneKind::Ghost)
                ghostLane = lane;
        }
        QVERIFY(ghostLane >= 0);
        QCOMPARE(forgot.ghosts(ghostLane)[0].start, TimeNs(0));
        const QColor stripe = ghostLane % 2 == 1 ? theme.laneStripe : theme.background;
        verifyWhole("never-polled bracket",
            inkColumns(image, layout, layout.boxTop(ghostLane),
                layout.boxTop(ghostLane) + TimelineRenderer::kBoxHeight - 1,
                [&](const QColor& c) { return c != stripe && c != theme.grid; }),
            layout);
        const int main = forgot.laneOfTask(kMainTask);
        const QRect first = renderer.pollRect(viewport, main, forgot.lanePolls(main)[0].sequence);
        QCOMPARE(first.left(), layout.axis.left);
        const auto isPending = [&](int x) {
            const QColor c = pixel(image, x, layout.laneCenter(main) + 3); // below the sign
            return c == theme.pending || c == theme.pendingEdge;
        };
        QVERIFY(isPending(first.left()));
        for (int x = layout.lanes.left(); x < first.left(); ++x)
            QVERIFY2(!isPending(x), qPrintable(QString::number(x)));
        // Hovering the sign's left half finds it.
        QCOMPARE(
            renderer.hitTest(viewport, QPoint(layout.axis.left - 3, layout.boxTop(main) - 3)).kind,
            TimelineHit::Kind::Diagnostic);

        // spawn-first: main spawns its three page loads at 0; each link ends in an arrowhead.
        renderer.setModel(builtinModel(u"spawn-first"_qs));
        QVERIFY(!renderer.model()->spawns().empty());
        QCOMPARE(renderer.model()->spawns()[0].start, TimeNs(0));
        viewport = fittedViewport(renderer);
        image = renderer.render(viewport);
        keep(image, "time-zero-spawn-first");
        layout = renderer.layout(viewport);
        verifyWhole("spawn link",
            inkColumns(image, layout, layout.lanes.top(), layout.lanes.bottom(),
                [&](const QColor& c) { return c == theme.spawn; }),
            layout);
    }

    void theInsetShowsWhatLiesJustBeforeTheRange()
    {
        // Zoomed in to just before the end of main's first poll ([0, 20 ms]; too narrow left
        // for a label), the columns between the lanes' edge and the time origin show the poll
        // going on, with no gap before the origin.
        TimelineRenderer renderer;
        renderer.setModel(modelOf(twoPolls(), 20 * ms));
        const TimelineViewport viewport = viewportFor(TimeRange { 19'500 * us, 119'500 * us });
        const QImage image = renderer.render(viewport);
        keep(image, "two-polls-inset");
        const TimelineLayout layout = renderer.layout(viewport);
        const int y = layout.laneCenter(renderer.model()->laneOfTask(kMainTask));
        const int end = kLeft + 5; // 20 ms; the box's right outline in the column before
        for (int x = layout.lanes.left(); x < end - 1; ++x)
            QVERIFY2(
                pixel(image, x, y) == renderer.theme().pending, qPrintable(QString::number(x)));
        QVERIFY(pixel(image, layout.lanes.left() - 1, y) != renderer.theme().pending);
        QCOMPARE(renderer.hitTest(viewport, QPoint(layout.lanes.left() + 2, y)).kind,
            TimelineHit::Kind::Poll);
    }

    void wakeArrowsStayOffTheLaneNames()
    {
        // In chat-async, carol's reads wake her every 150 ms (an arc from her previous poll) and
        // her messages wake the broadcaster. With the range starting between two of her polls,
        // and with the lanes above hers scrolled away, the arrows run in from the lanes' edge or
        // out of sight, and the lane names stay clear of them, in raster and vector frames.
        TimelineRenderer renderer;
        renderer.setModel(builtinModel(u"chat-async"_qs));
        QVERIFY(renderer.model());
        TimelineTheme theme = TimelineTheme::light();
        // Magenta arrows; the spawn marks, pink in the light theme, turn grey, so that nothing
        // else of the frame is magenta, blended or not.
        theme.wake = QColor(0xff00ff);
        theme.spawn = QColor(0x808080);
        renderer.setTheme(theme);
        const auto arrowIn = [](const QImage& image, const QRect& area) {
            int pixels = 0;
            for (int y = area.top(); y <= area.bottom(); ++y) {
                for (int x = area.left(); x <= area.right(); ++x) {
                    const QColor c = pixel(image, x, y);
                    pixels += c.red() - c.green() > 40 && c.blue() - c.green() > 40;
                }
            }
            return pixels;
        };
        for (const TimeRange range :
            { TimeRange { 330 * ms, 460 * ms }, TimeRange { 449 * ms, 452 * ms } }) {
            // Every lane, or alice, bob and carol (the last three) with the rest scrolled away.
            for (const int scrolledLanes : { 0, 3 }) {
                for (const bool vector : { false, true }) {
                    TimelineViewport viewport = viewportFor(range);
                    viewport.size.setHeight(renderer.contentHeight(viewport) -
                        scrolledLanes * TimelineRenderer::kLaneHeight);
                    viewport.scrollY = scrolledLanes * TimelineRenderer::kLaneHeight;
                    viewport.vector = vector;
                    const QImage image = renderer.render(viewport);
                    const TimelineLayout layout = renderer.layout(viewport);
                    QCOMPARE(layout.scrollY, viewport.scrollY);
                    const QString frame = QStringLiteral("%1..%2 ms, %3 lanes scrolled%4")
                                              .arg(range.start / ms)
                                              .arg(range.end / ms)
                                              .arg(scrolledLanes)
                                              .arg(vector ? u", vector"_qs : QString());
                    const QRect edge(
                        layout.lanes.left(), layout.lanes.top(), 4, layout.lanes.height());
                    QVERIFY2(arrowIn(image, edge) > 0, qPrintable(frame));
                    QVERIFY2(arrowIn(image, layout.labels) == 0, qPrintable(frame));
                }
            }
        }
    }

    void wakeArrowsAreHitWhereDrawn()
    {
        // spawn-first around 120 ms: the page loads' responses wake them (arcs from their polls
        // at 80 ms, in from the lanes' edge), and as each finishes it wakes main (an arrow up
        // from its lane). A point on an arrow's pixels hits it, unless a box lies there; a
        // point clear of every arrow hits none.
        TimelineRenderer renderer;
        renderer.setModel(builtinModel(u"spawn-first"_qs));
        QVERIFY(renderer.model());
        TimelineTheme theme = TimelineTheme::light();
        theme.wake = QColor(0xff00ff); // nothing else of the frame is magenta, blended or not
        theme.spawn = QColor(0x808080);
        renderer.setTheme(theme);
        TimelineViewport viewport = viewportFor(TimeRange { 119'900 * us, 120'100 * us });
        viewport.size.setHeight(renderer.contentHeight(viewport));
        const QImage image = renderer.render(viewport);
        keep(image, "spawn-first-wakes");
        const TimelineLayout layout = renderer.layout(viewport);
        const auto isArrow = [&](int x, int y) {
            const QColor c = pixel(image, x, y);
            return c.red() - c.green() > 40 && c.blue() - c.green() > 40;
        };
        int arrowPixels = 0, wakeHits = 0;
        std::set<std::size_t> wakes;
        const QRect& lanes = layout.lanes;
        for (int y = lanes.top(); y <= lanes.bottom(); ++y) {
            for (int x = lanes.left(); x <= lanes.right(); ++x) {
                if (!isArrow(x, y))
                    continue;
                ++arrowPixels;
                const TimelineHit hit = renderer.hitTest(viewport, QPoint(x, y));
                const QString where = QStringLiteral("(%1, %2)").arg(x).arg(y);
                if (hit.kind == TimelineHit::Kind::Wake) {
                    ++wakeHits;
                    wakes.insert(hit.index);
                } else {
                    QVERIFY2(hit.kind == TimelineHit::Kind::Poll, qPrintable(where));
                }
            }
        }
        QVERIFY2(wakeHits > arrowPixels / 2, qPrintable(QString::number(wakeHits)));
        // Each page load woken by its read's response, and each one's end waking main.
        QCOMPARE(int(wakes.size()), 6);
        QCOMPARE(std::count_if(wakes.begin(), wakes.end(),
                     [&](std::size_t wake) {
                         const TimelineModel& model = *renderer.model();
                         return model.poll(model.wakes()[wake].toPoll).task == kMainTask;
                     }),
            3);
        // Nothing more than 3 px from an arrow's pixels is its, as for polls.
        for (int y = lanes.top(); y <= lanes.bottom(); ++y) {
            for (int x = lanes.left(); x <= lanes.right(); ++x) {
                bool near = false;
                for (int dy = -3; dy <= 3 && !near; ++dy)
                    for (int dx = -3; dx <= 3 && !near; ++dx)
                        near = lanes.contains(x + dx, y + dy) && isArrow(x + dx, y + dy);
                if (!near)
                    QVERIFY2(
                        renderer.hitTest(viewport, QPoint(x, y)).kind != TimelineHit::Kind::Wake,
                        qPrintable(QStringLiteral("(%1, %2)").arg(x).arg(y)));
            }
        }
    }

    void selectionIsOutlined()
    {
        const auto model = modelOf(twoPolls(), 20 * ms);
        TimelineRenderer renderer;
        renderer.setModel(model);
        TimelineViewport viewport = viewportFor();
        viewport.selectedPoll = 1;
        const QImage image = renderer.render(viewport);
        const TimelineLayout layout = renderer.layout(viewport);
        const QRect box = renderer.pollRect(viewport, 1, 1);
        QCOMPARE(box, QRect(column(30 * ms), layout.boxTop(1), 200, TimelineRenderer::kBoxHeight));
        QCOMPARE(pixel(image, box.left() - 1, layout.laneCenter(1)), renderer.theme().selection);
        QCOMPARE(pixel(image, box.left() - 1, layout.laneCenter(0)), renderer.theme().selection);
        QVERIFY(pixel(image, column(0) - 1, layout.laneCenter(1)) != renderer.theme().selection);
    }

    void geometryIsCachedByRangeAndSize()
    {
        const auto model = modelOf(twoPolls(), 20 * ms);
        TimelineRenderer renderer;
        renderer.setModel(model);
        TimelineViewport viewport = viewportFor();
        const QImage first = renderer.render(viewport);
        QCOMPARE(renderer.geometryBuilds(), 1);
        viewport.selectedPoll = 0; // drawn over the cached geometry
        renderer.render(viewport);
        QCOMPARE(renderer.geometryBuilds(), 1);
        viewport.selectedPoll = kNoItem;
        QCOMPARE(renderer.render(viewport), first);
        QCOMPARE(renderer.geometryBuilds(), 1);
        viewport.range = TimeRange { 1 * ms, 101 * ms };
        renderer.render(viewport);
        QCOMPARE(renderer.geometryBuilds(), 2);
        viewport.size = QSize(800, 180);
        renderer.render(viewport);
        QCOMPARE(renderer.geometryBuilds(), 3);
        viewport.eventLimit = model->eventLimit(1);
        renderer.render(viewport);
        QCOMPARE(renderer.geometryBuilds(), 4);
    }

    void deterministic()
    {
        const auto model = modelOf(twoPolls(), 20 * ms);
        TimelineRenderer a, b;
        a.setModel(model);
        b.setModel(model);
        const TimelineViewport viewport = viewportFor();
        QCOMPARE(a.render(viewport), b.render(viewport));
        // Painting into a painter at an offset gives the same pixels there.
        QImage canvas(viewport.size + QSize(20, 10), QImage::Format_ARGB32_Premultiplied);
        canvas.fill(Qt::black);
        {
            QPainter painter(&canvas);
            painter.translate(20, 10);
            b.paint(painter, viewport);
        }
        QCOMPARE(canvas.copy(QRect(QPoint(20, 10), viewport.size)), a.render(viewport));
    }

    void denseLanesMerge()
    {
        // 20 000 back-to-back polls of 1 µs over 1000 px: merged into one run per lane,
        // every column filled, the final Ready poll still blue.
        const auto model = modelOf(yieldLoop(20'000), 1 * us);
        QCOMPARE(model->pollCount(), std::size_t(20'001));
        TimelineRenderer renderer;
        renderer.setModel(model);
        const TimelineViewport viewport = viewportFor(TimeRange { 0, model->bounds().end });
        const QImage image = renderer.render(viewport);
        keep(image, "dense");
        const TimelineTheme& theme = renderer.theme();
        const TimelineLayout layout = renderer.layout(viewport);
        const int y = layout.laneCenter(1);
        for (int x = kLeft + 1; x < kLeft + 995; ++x)
            QVERIFY2(pixel(image, x, y) == theme.pending, qPrintable(QString::number(x)));
        const PollItem& last = model->poll(model->pollCount() - 1);
        QCOMPARE(
            pixel(image, timeToColumn(last.start, viewport.range, kLeft, 1000), y), theme.ready);
    }

    void denseRunsShowTheirBusyShare()
    {
        // 8 × 300 polls of 30 µs over 1000 px (about 76 µs a pixel): every lane merges into one
        // run. The worker is busy all the time and fills its box; each task is busy an eighth
        // of the time and shows as a thin band (4 of the box's 14 rows) through the lane's middle.
        const auto model = modelOf(spinners(8, 300), 10 * us);
        TimelineRenderer renderer;
        renderer.setModel(model);
        const TimelineViewport viewport = fittedViewport(renderer);
        const QImage image = renderer.render(viewport);
        keep(image, "dense-share");
        const TimelineTheme& theme = renderer.theme();
        const TimelineLayout layout = renderer.layout(viewport);
        const auto busyColour = [&](QColor c) { return c == theme.pending || c == theme.hatch; };
        const auto column = [&](TimeNs t) {
            return timeToColumn(t, viewport.range, layout.axis.left, layout.axis.width);
        };
        const int from = column(model->bounds().end / 10);
        const int to = column(model->bounds().end * 9 / 10);
        const int worker = TimelineModel::workerLane();
        const int lastTask = model->laneOfTask(8);
        for (int x = from; x < to; ++x) {
            const QString at = QString::number(x);
            QVERIFY2(busyColour(pixel(image, x, layout.boxTop(worker) + 1)), qPrintable(at));
            QVERIFY2(busyColour(pixel(image, x, layout.boxTop(worker) + 12)), qPrintable(at));
            const int top = layout.boxTop(lastTask);
            QVERIFY2(busyColour(pixel(image, x, top + 5)), qPrintable(at));
            QVERIFY2(busyColour(pixel(image, x, top + 8)), qPrintable(at));
            QVERIFY2(!busyColour(pixel(image, x, top + 4)), qPrintable(at));
            QVERIFY2(!busyColour(pixel(image, x, top + 9)), qPrintable(at));
        }
        // Vector frames keep one box per poll, as tall as the band where it starts; the Ready
        // poll stays a whole box.
        TimelineViewport vector = viewport;
        vector.vector = true;
        renderer.render(vector);
        std::size_t thin = 0;
        for (const TimelinePollBox& box : renderer.vectorPollBoxes()) {
            const PollItem& poll = model->poll(box.sequence);
            if (box.workerLane || poll.task != 8)
                continue;
            if (poll.outcome == PollOutcome::Ready) {
                QCOMPARE(box.rect.height(), TimelineRenderer::kBoxHeight);
            } else if (box.rect.left() >= from && box.rect.left() < to) {
                QCOMPARE(box.rect.top(), layout.boxTop(lastTask) + 5);
                QCOMPARE(box.rect.height(), 4);
                ++thin;
            }
        }
        QVERIFY(thin > 200);

        // Stepped halfway, the bands stop at the cursor like everything else.
        TimelineViewport stepped = viewport;
        const std::size_t half = model->pollCount() / 2;
        stepped.eventLimit = model->eventLimit(half);
        stepped.cursorTime = model->cursorTime(half);
        const QImage halfway = renderer.render(stepped);
        keep(halfway, "dense-share-halfway");
        const int cursor = column(stepped.cursorTime);
        const QStringList drawn = drawnFrom(halfway, layout, theme, cursor + 6);
        QVERIFY2(drawn.isEmpty(), qPrintable(drawn.join(u", ")));
        QVERIFY(busyColour(pixel(halfway, cursor - 10, layout.boxTop(lastTask) + 6)));
        QVERIFY(busyColour(pixel(halfway, cursor - 10, layout.boxTop(worker) + 1)));
    }

    void hitTest()
    {
        const auto model = modelOf(twoPolls(), 20 * ms);
        TimelineRenderer renderer;
        renderer.setModel(model);
        TimelineViewport viewport = viewportFor();
        const TimelineLayout layout = renderer.layout(viewport);
        TimelineHit hit = renderer.hitTest(viewport, QPoint(column(10 * ms), layout.laneCenter(1)));
        QCOMPARE(hit.kind, TimelineHit::Kind::Poll);
        QCOMPARE(hit.index, std::size_t(0));
        QCOMPARE(hit.lane, 1);
        hit = renderer.hitTest(viewport, QPoint(column(40 * ms), layout.laneCenter(0)));
        QCOMPARE(hit.kind, TimelineHit::Kind::Poll);
        QCOMPARE(hit.index, std::size_t(1));
        hit = renderer.hitTest(viewport, QPoint(column(25 * ms), layout.laneCenter(1)));
        QCOMPARE(hit.kind, TimelineHit::Kind::Idle);
        hit = renderer.hitTest(viewport, QPoint(20, layout.laneCenter(1)));
        QCOMPARE(hit.kind, TimelineHit::Kind::LaneName);
        QCOMPARE(hit.lane, 1);
        hit = renderer.hitTest(viewport, QPoint(column(70 * ms), layout.ruler.center().y()));
        QCOMPARE(hit.kind, TimelineHit::Kind::Ruler);
        QCOMPARE(hit.time, 70 * ms);
        hit = renderer.hitTest(viewport, QPoint(column(90 * ms), layout.laneCenter(1)));
        QCOMPARE(hit.kind, TimelineHit::Kind::Lane);
        // Hidden polls cannot be hit.
        viewport.eventLimit = model->eventLimit(1);
        hit = renderer.hitTest(viewport, QPoint(column(40 * ms), layout.laneCenter(1)));
        QVERIFY(hit.kind != TimelineHit::Kind::Poll);
    }

    void exportHeightShowsEveryLane()
    {
        const auto model = modelOf(yieldLoop(3), 10 * us);
        TimelineRenderer renderer;
        renderer.setModel(model);
        TimelineViewport viewport = viewportFor();
        const int height = renderer.contentHeight(viewport);
        viewport.size.setHeight(height);
        const TimelineLayout layout = renderer.layout(viewport);
        QCOMPARE(layout.firstLane, 0);
        QCOMPARE(layout.lastLane, model->laneCount());
        QCOMPARE(layout.lanes.height(), model->laneCount() * TimelineRenderer::kLaneHeight);
    }
};

QTEST_MAIN(TestTimelineRenderer)
#include "tst_timelinerenderer.moc"
