// The window as a user drives it: the scenario list, runs off the GUI thread, stepping with the
// source line following, a broken script keeping the previous run on screen.

#include "export/exportdialog.h"
#include "models/eventlogmodel.h"
#include "models/taskmetricsmodel.h"
#include "playback/playbackcontroller.h"
#include "script/scenariolibrary.h"
#include "source/sourceview.h"
#include "timeline/timelinemodel.h"
#include "timeline/timelineview.h"
#include "timeline/timelinezoom.h"
#include "trace/chrometrace.h"
#include "window/comparisonwindow.h"
#include "window/diagnosticspanel.h"
#include "window/elidedlabel.h"
#include "window/mainwindow.h"
#include "window/runtimestatepanel.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QScopeGuard>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyleOptionComboBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTimer>
#include <QTreeWidget>
#include <QWindow>

#include <algorithm>
#include <functional>
#include <memory>

using namespace pollscope;

namespace {

/// Waits for the run the window started to be shown.
/// Yields until max_events stops it, the end of its last poll at 2:26.
const QString kEndlessScript =
    u"runtime current_thread(max_events: 1000)\nasync fn main() { loop { yield_now().await; } }\n"_qs;

bool waitForRun(MainWindow& window)
{
    window.runner().waitForIdle();
    QCoreApplication::processEvents();
    return window.result() != nullptr;
}

TaskId taskNamed(const Trace& trace, const QString& name)
{
    for (TaskId task = 0; task < trace.tables.tasks.size(); ++task)
        if (trace.taskName(task) == name)
            return task;
    return kNoTask;
}

/// The task of the poll the playback cursor stands after, or kNoTask.
TaskId cursorTask(MainWindow& window)
{
    const qint64 poll = window.playback().currentPoll();
    return poll < 0 ? kNoTask : window.timeline().model()->poll(std::size_t(poll)).task;
}

/// Where the views disagree about the poll the playback stands after, or nothing: the
/// timeline's cursor at its end, the event log's row its PollEnd, the source line and the
/// status bar its own.
QString viewsDisagree(MainWindow& window)
{
    const TimelineModel& model = *window.timeline().model();
    const qint64 current = window.playback().currentPoll();
    if (current < 0 || window.playback().atEnd())
        return QStringLiteral("not after a poll: position %1").arg(window.playback().position());
    const auto sequence = std::size_t(current);
    const PollItem& poll = model.poll(sequence);
    const TimeNs cursor = window.timeline().frame().cursorTime;
    const QModelIndex row = window.eventTable().currentIndex();
    const QString where = QStringLiteral("after poll %1: ").arg(current);
    if (cursor != poll.end)
        return where +
            QStringLiteral("cursor at %1, the poll ended at %2").arg(cursor).arg(poll.end);
    if (!row.isValid())
        return where + u"no row selected"_qs;
    const qint64 event = row.data(EventLogModel::EventIndexRole).toLongLong();
    const TimeNs time = row.data(EventLogModel::TimeRole).toLongLong();
    if (event != qint64(poll.endEvent) ||
        row.data(EventLogModel::KindRole).toInt() != int(EventKind::PollEnd) || time != cursor)
        return where +
            QStringLiteral("row %1 (%2 at %3 ns), the poll ended with event %4")
                .arg(event)
                .arg(row.siblingAtColumn(EventLogModel::EventColumn).data().toString())
                .arg(time)
                .arg(poll.endEvent);
    const int line = model.sourceLine(sequence);
    if (window.source().currentLine() != line || row.data(EventLogModel::LineRole).toInt() != line)
        return where +
            QStringLiteral("source line %1, row's line %2, the poll's %3")
                .arg(window.source().currentLine())
                .arg(row.data(EventLogModel::LineRole).toInt())
                .arg(line);
    const QString sentence = model.narration().stepSentence(sequence).section(u'\n', 0, 0);
    if (window.statusText() != sentence)
        return where +
            QStringLiteral("status \"%1\", the poll's \"%2\"").arg(window.statusText(), sentence);
    return {};
}

/// Clicks the middle of the table's row that shows `role` == `value` in `column`.
bool clickRow(QTableView& table, int column, int role, const QVariant& value)
{
    const QModelIndexList rows =
        table.model()->match(table.model()->index(0, column), role, value, 1, Qt::MatchExactly);
    if (rows.isEmpty())
        return false;
    table.scrollTo(rows.front());
    QTest::mouseClick(
        table.viewport(), Qt::LeftButton, Qt::NoModifier, table.visualRect(rows.front()).center());
    return table.currentIndex().row() == rows.front().row();
}

/// The window's action with the text `text`.
QAction* actionNamed(MainWindow& window, const QString& text)
{
    const QList<QAction*> actions = window.actions();
    const auto it =
        std::find_if(actions.begin(), actions.end(), [&](QAction* a) { return a->text() == text; });
    return it == actions.end() ? nullptr : *it;
}

/// Triggers `action`, which opens a modal dialog, and hands the dialog to `use`, which should
/// close it; a dialog `use` leaves open, or any other modal one, is rejected.
void withModalDialog(QAction& action, const std::function<void(QDialog&)>& use)
{
    QTimer poll;
    poll.setInterval(10);
    bool used = false;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        if (!used) {
            used = true;
            use(*dialog);
        }
        if (dialog->isVisible())
            dialog->reject();
    });
    poll.start();
    action.trigger();
}

/// The file the export dialog that `action` opens suggests; the dialog is cancelled.
QString suggestedExport(QAction& action)
{
    QString suggested;
    withModalDialog(action, [&](QDialog& dialog) {
        if (auto* image = qobject_cast<ExportDialog*>(&dialog))
            suggested = image->fileName();
        else if (auto* files = qobject_cast<QFileDialog*>(&dialog))
            suggested = files->selectedFiles().value(0);
    });
    return suggested;
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QString& text)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(text.toUtf8());
    return file.fileName();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"PollscopeTests"_qs);
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void listsEveryBuiltin()
    {
        MainWindow window;
        QTreeWidgetItem* builtins = window.scenarioList().topLevelItem(0);
        QCOMPARE(builtins->childCount(), qsizetype(ScenarioLibrary::builtins().size()));
        for (int i = 0; i < builtins->childCount(); ++i) {
            QCOMPARE(builtins->child(i)->text(0), ScenarioLibrary::builtins().at(i).title);
            QVERIFY(builtins->child(i)->toolTip(0).contains(ScenarioLibrary::builtins().at(i).about.toHtmlEscaped()));
        }
    }

    void openItemActsOncePerActivation()
    {
        // Every opened file refills the scenario list (recent files); activating "Open a
        // scenario file…" afterwards must still ask for a file once, not once per refill.
        MainWindow window;
        QVERIFY(window.openFile(
            writeFile(m_dir, u"first.scn"_qs, u"async fn main() { sleep(1ms).await; }\n"_qs)));
        QVERIFY(waitForRun(window));
        QVERIFY(window.openFile(
            writeFile(m_dir, u"second.scn"_qs, u"async fn main() { sleep(2ms).await; }\n"_qs)));
        QVERIFY(waitForRun(window));
        QTreeWidget& list = window.scenarioList();
        QTreeWidgetItem* openItem = list.topLevelItem(list.topLevelItemCount() - 1);
        QCOMPARE(openItem->text(0), u"Open a scenario file…"_qs);
        QSignalSpy asked(&window.openAction(), &QAction::triggered);
        QTimer dismiss; // the file dialog is modal: cancel it as soon as it shows
        dismiss.setInterval(20);
        connect(&dismiss, &QTimer::timeout, [] {
            if (QWidget* dialog = QApplication::activeModalWidget())
                dialog->close();
        });
        dismiss.start();
        emit list.itemActivated(openItem, 0);
        QTRY_COMPARE(asked.count(), 1);
        QTest::qWait(50);
        QCOMPARE(asked.count(), 1);
        QCOMPARE(window.result()->request.path,
            QFileInfo(m_dir.filePath(u"second.scn"_qs)).absoluteFilePath());
    }

    void openAScenarioFileAsksOnOneClickAndOnce()
    {
        // Built-in and recent entries open on a click; "Open a scenario file…" asked only on a
        // double click (or Enter). It asks on a click too, once for a click, a double click, or
        // a click that the style also takes as activation; cancelled, the list marks the
        // scenario still open, not the item.
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openBuiltin(u"page-title"_qs));
        QVERIFY(waitForRun(window));
        QTreeWidget& list = window.scenarioList();
        QTreeWidgetItem* openItem = list.topLevelItem(list.topLevelItemCount() - 1);
        QCOMPARE(openItem->text(0), u"Open a scenario file…"_qs);
        QTreeWidgetItem* pageTitle = list.currentItem();
        QVERIFY(pageTitle);
        QCOMPARE(pageTitle->text(0), ScenarioLibrary::find(u"page-title"_qs)->title);
        QSignalSpy asked(&window.openAction(), &QAction::triggered);
        QTimer dismiss; // the file dialog is modal: cancel it as soon as it shows
        dismiss.setInterval(20);
        connect(&dismiss, &QTimer::timeout, [] {
            if (QWidget* dialog = QApplication::activeModalWidget())
                dialog->close();
        });
        dismiss.start();
        const QPoint at = list.visualItemRect(openItem).center();
        QTest::mouseClick(list.viewport(), Qt::LeftButton, {}, at);
        QTRY_COMPARE(asked.count(), 1);
        QCOMPARE(list.currentItem(), pageTitle);
        QTest::mouseDClick(list.viewport(), Qt::LeftButton, {}, at);
        QTRY_COMPARE(asked.count(), 2);
        // One click that the style also takes as activation.
        emit list.itemClicked(openItem, 0);
        emit list.itemActivated(openItem, 0);
        QTRY_COMPARE(asked.count(), 3);
        QTest::qWait(100);
        QCOMPARE(asked.count(), 3);
        QCOMPARE(list.currentItem(), pageTitle);
        QCOMPARE(window.result()->program->info.title, pageTitle->text(0));
    }

    void comparingWithAnotherScenarioOffersItsPartner_data()
    {
        QTest::addColumn<QString>("shown");
        QTest::addColumn<QString>("offered");
        QTest::newRow("a pitfall") << u"chat-blocking"_qs << u"chat-async"_qs;
        QTest::newRow("the last built-in") << u"chat-async"_qs << u"chat-blocking"_qs;
        QTest::newRow("a pitfall mid-list") << u"blocking-in-loop"_qs << u"spawn-blocking-fix"_qs;
    }
    void comparingWithAnotherScenarioOffersItsPartner()
    {
        QFETCH(QString, shown);
        QFETCH(QString, offered);
        MainWindow window;
        QVERIFY(window.openBuiltin(shown));
        QVERIFY(waitForRun(window));
        QAction* compare = nullptr;
        for (QAction* action : window.findChildren<QAction*>())
            if (action->text() == u"Compare with &Another Scenario…"_qs)
                compare = action;
        QVERIFY(compare);
        QString choice;
        QTimer inspect; // the dialog is modal: read what it offers, then cancel it
        inspect.setInterval(20);
        connect(&inspect, &QTimer::timeout, [&choice] {
            if (auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget())) {
                choice = dialog->textValue();
                dialog->reject();
            }
        });
        inspect.start();
        compare->trigger();
        QCOMPARE(choice, ScenarioLibrary::find(offered)->title);
    }

    void oneClickOpensAScenarioAndADoubleClickOpensItOnce()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openBuiltin(u"page-title"_qs));
        QVERIFY(waitForRun(window));
        QTreeWidget& list = window.scenarioList();
        QTreeWidgetItem* awaitInLoop = list.topLevelItem(0)->child(1);
        QCOMPARE(awaitInLoop->text(0), u"Await inside a loop"_qs);
        QSignalSpy runs(&window.runner(), &ScenarioRunner::finished);
        const QPoint at = list.visualItemRect(awaitInLoop).center();
        QTest::mouseClick(list.viewport(), Qt::LeftButton, {}, at);
        QTRY_COMPARE(runs.count(), 1);
        QCOMPARE(window.result()->program->info.title, u"Await inside a loop"_qs);
        QTest::mouseDClick(list.viewport(), Qt::LeftButton, {}, at);
        window.runner().waitForIdle();
        QCoreApplication::processEvents();
        QCOMPARE(runs.count(), 1); // already open: not run again
    }

    void opensAndRunsOffTheGuiThread()
    {
        MainWindow window;
        QSignalSpy running(&window.runner(), &ScenarioRunner::runningChanged);
        QVERIFY(window.openBuiltin(u"blocking-in-loop"_qs));
        QVERIFY(window.runner().isRunning()); // started, not finished inside the call
        QVERIFY(waitForRun(window));
        QCOMPARE(running.count(), 2);
        QCOMPARE(window.result()->trace->report.elapsed, 301'020'000);
        QCOMPARE(window.timeline().model()->pollCount(), std::size_t(8));
        QCOMPARE(window.diagnostics().diagnostics().size(), std::size_t(2));
        // The worker laid the run out: the window shows its model, metrics and warning signs.
        QCOMPARE(window.timeline().model(), window.result()->model);
        QCOMPARE(&window.timeline().model()->trace(), window.result()->trace.get());
        QCOMPARE(window.timeline().frame().markers, window.result()->markers);
        QCOMPARE(window.result()->markers->size(), std::size_t(2));
        QCOMPARE(
            window.result()->metrics.tasks.size(), window.result()->trace->tables.tasks.size());
    }

    void steppingMovesTheCursorAndTheSourceLine()
    {
        MainWindow window;
        window.openBuiltin(u"page-title"_qs);
        QVERIFY(waitForRun(window));
        PlaybackController& playback = window.playback();
        QCOMPARE(playback.pollCount(), 3);
        playback.goToStart();
        QCOMPARE(window.source().currentLine(), 0);
        QVERIFY(window.statusText().startsWith(u"Start of the run"));
        // Poll 0 of main: it starts page_title's request and returns Pending at the await (line 6).
        playback.stepForward();
        QCOMPARE(window.source().currentLine(), 6);
        QVERIFY2(window.statusText().contains(u"Pending at line 6"), qPrintable(window.statusText()));
        QCOMPARE(window.timeline().frame().eventLimit, window.timeline().model()->eventLimit(1));
        playback.stepForward();
        QCOMPARE(window.source().currentLine(), 7);
        playback.stepForward();
        QVERIFY2(window.statusText().contains(u"Ready"), qPrintable(window.statusText()));
        playback.stepBack();
        QCOMPARE(window.source().currentLine(), 7);
    }

    void aStepShowsThePollThatJustRanEverywhere()
    {
        // await-in-loop: main#0 runs 0..10 µs and waits for its GET; the I/O wakes it at 80 ms.
        MainWindow window;
        window.openBuiltin(u"await-in-loop"_qs);
        QVERIFY(waitForRun(window));
        window.details().setCurrentWidget(&window.eventTable());
        PlaybackController& playback = window.playback();
        playback.goToStart();
        playback.stepForward();
        const auto checkFirstPoll = [&] {
            QCOMPARE(window.timeline().frame().cursorTime, 10'000);
            const QModelIndex row = window.eventTable().currentIndex();
            QCOMPARE(row.data(EventLogModel::KindRole).toInt(), int(EventKind::PollEnd));
            QCOMPARE(row.data(EventLogModel::TimeRole).toLongLong(), 10'000);
            QCOMPARE(row.data(EventLogModel::TaskRole).toLongLong(), qint64(kMainTask));
            QCOMPARE(window.source().currentLine(), 6);
            QVERIFY2(window.statusText().contains(u"main started at 0 ms"),
                qPrintable(window.statusText()));
            QVERIFY2(window.statusText().contains(u"Pending at line 6"),
                qPrintable(window.statusText()));
        };
        checkFirstPoll();
        QVERIFY2(viewsDisagree(window).isEmpty(), qPrintable(viewsDisagree(window)));
        playback.stepForward();
        playback.stepBack();
        checkFirstPoll();
        QVERIFY2(viewsDisagree(window).isEmpty(), qPrintable(viewsDisagree(window)));

        // Every position after a poll, stepped to forwards and backwards.
        while (playback.position() + 1 < playback.pollCount()) {
            playback.stepForward();
            QVERIFY2(viewsDisagree(window).isEmpty(), qPrintable(viewsDisagree(window)));
        }
        while (playback.position() > 1) {
            playback.stepBack();
            QVERIFY2(viewsDisagree(window).isEmpty(), qPrintable(viewsDisagree(window)));
        }
        // Next Poll of Selected Task lands on the same kind of position.
        playback.goToStart();
        window.nextPollOfTaskAction().trigger();
        QCOMPARE(playback.position(), 1);
        QVERIFY2(viewsDisagree(window).isEmpty(), qPrintable(viewsDisagree(window)));
        window.nextPollOfTaskAction().trigger();
        QCOMPARE(playback.position(), 2);
        QVERIFY2(viewsDisagree(window).isEmpty(), qPrintable(viewsDisagree(window)));

        // The first and last positions: nothing selected after the cursor.
        playback.goToStart();
        const QModelIndex first = window.eventTable().currentIndex();
        QVERIFY(!first.isValid() ||
            first.data(EventLogModel::TimeRole).toLongLong() <=
                window.timeline().frame().cursorTime);
        QVERIFY(window.statusText().startsWith(u"Start of the run"));
        playback.goToEnd();
        const QModelIndex last = window.eventTable().currentIndex();
        QCOMPARE(last.row(), window.eventLog().rowCount() - 1);
        QCOMPARE(window.timeline().frame().cursorTime, window.result()->model->bounds().end);
    }

    void aStepPastAFinishingTaskShowsThatTask()
    {
        // spawn-first, step 12: page_title-2's last poll (line 8) ends at 120.06 ms and wakes
        // main, awaiting its handle at line 16. The wake is main's next poll's business.
        MainWindow window;
        window.openBuiltin(u"spawn-first"_qs);
        QVERIFY(waitForRun(window));
        window.details().setCurrentWidget(&window.eventTable());
        PlaybackController& playback = window.playback();
        playback.goToStart();
        for (int i = 0; i < 12; ++i)
            playback.stepForward();
        const Trace& trace = *window.result()->trace;
        const QModelIndex row = window.eventTable().currentIndex();
        QCOMPARE(row.data(EventLogModel::KindRole).toInt(), int(EventKind::PollEnd));
        QCOMPARE(row.data(EventLogModel::TaskRole).toLongLong(),
            qint64(taskNamed(trace, u"page_title-2"_qs)));
        QCOMPARE(row.data(EventLogModel::TimeRole).toLongLong(), 120'060'000);
        QCOMPARE(row.data(EventLogModel::LineRole).toInt(), 8);
        QCOMPARE(window.source().currentLine(), 8);
        QCOMPARE(window.timeline().frame().cursorTime, 120'060'000);
        QVERIFY2(window.statusText().startsWith(u"page_title-2"), qPrintable(window.statusText()));
        QVERIFY2(viewsDisagree(window).isEmpty(), qPrintable(viewsDisagree(window)));
        playback.stepForward();
        playback.stepBack();
        QVERIFY2(viewsDisagree(window).isEmpty(), qPrintable(viewsDisagree(window)));
        QCOMPARE(window.eventTable().currentIndex(), row);
    }

    void playingNeverSelectsARowAfterTheCursor_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<double>("scale");
        QTest::newRow("await-in-loop, time / 10") << u"await-in-loop"_qs << 0.1;
        QTest::newRow("await-in-loop, time / 100") << u"await-in-loop"_qs << 0.01;
        QTest::newRow("spawn-first, real time") << u"spawn-first"_qs << 1.0;
    }

    void playingNeverSelectsARowAfterTheCursor()
    {
        QFETCH(QString, scenario);
        QFETCH(double, scale);
        MainWindow window;
        window.openBuiltin(scenario);
        QVERIFY(waitForRun(window));
        window.details().setCurrentWidget(&window.eventTable());
        PlaybackController& playback = window.playback();
        playback.setVirtualTimeScale(scale);
        playback.goToStart();
        playback.play();
        const TimelineModel& model = *window.timeline().model();
        int ticks = 0;
        while (playback.isPlaying()) {
            playback.advance(); // a tick of the clock, without the clock
            ++ticks;
            const TimeNs cursor = window.timeline().frame().cursorTime;
            const QModelIndex row = window.eventTable().currentIndex();
            QVERIFY(row.isValid());
            const TimeNs time = row.data(EventLogModel::TimeRole).toLongLong();
            QVERIFY2(time <= cursor,
                qPrintable(QStringLiteral("tick %1: row %2 at %3 ns, cursor at %4 ns")
                               .arg(ticks)
                               .arg(row.row())
                               .arg(time)
                               .arg(cursor)));
            QCOMPARE(std::size_t(row.row()) + 1, window.timeline().frame().eventLimit);
            // The status bar and the source line describe the poll the row follows.
            const qint64 poll = playback.currentPoll();
            QVERIFY(poll >= 0);
            QVERIFY(row.row() >= int(model.poll(std::size_t(poll)).endEvent));
            if (!playback.atEnd())
                QCOMPARE(window.source().currentLine(), model.sourceLine(std::size_t(poll)));
        }
        QVERIFY(playback.atEnd());
        QVERIFY(ticks > 3);
    }

    void zoomedInTheTimelineFollowsTheCursor()
    {
        // page-title polls main at 0, 80 and 120 ms. Zoomed in at the start, stepping and Go
        // to End take the view along, so the cursor never leaves it.
        MainWindow window;
        window.openBuiltin(u"page-title"_qs);
        QVERIFY(waitForRun(window));
        window.show();
        PlaybackController& playback = window.playback();
        TimelineView& timeline = window.timeline();
        playback.goToStart();
        for (int i = 0; i < 5; ++i)
            timeline.zoomIn(); // at the cursor, at 0: the start stays in view
        const TimeRange zoomed = timeline.zoom()->range();
        QCOMPARE(zoomed.start, 0);
        QVERIFY(zoomed.end < 20'000'000);
        const auto inView = [&] {
            const TimeRange range = timeline.zoom()->range();
            const TimeNs cursor = timeline.frame().cursorTime;
            return range.duration() == zoomed.duration() && cursor >= range.start &&
                cursor < range.end;
        };
        for (int step = 0; step < 3; ++step) {
            playback.stepForward();
            QVERIFY2(inView(), qPrintable(QString::number(step)));
        }
        playback.goToStart();
        QVERIFY(inView());
        playback.goToEnd();
        QVERIFY(inView());
        QCOMPARE(timeline.frame().cursorTime, window.result()->model->bounds().end);
    }

    void runtimeStateFollowsPlayback()
    {
        MainWindow window;
        window.openBuiltin(u"spawn-first"_qs);
        QVERIFY(waitForRun(window));
        window.playback().setPosition(1); // main's first poll has run: three tasks queued
        window.runtimeState().showState(window.playback().eventLimit());
        QCOMPARE(window.runtimeState().state().runQueue.size(), std::size_t(3));
    }

    void tasksShowWhatHadHappenedByTheCursor()
    {
        MainWindow window;
        QVERIFY(window.openBuiltin(u"chat-blocking"_qs));
        QVERIFY(waitForRun(window));
        const QAbstractItemModel& tasks = *window.taskTable().model();
        const auto polls = [&] {
            int sum = 0;
            for (int row = 0; row < tasks.rowCount(); ++row)
                for (const int column :
                    { TaskMetricsModel::PendingColumn, TaskMetricsModel::ReadyColumn })
                    sum += tasks.index(row, column).data(TaskMetricsModel::SortRole).toInt();
            return sum;
        };
        QCOMPARE(polls(), int(window.result()->trace->report.polls));
        // Picked while another tab is open: brought up to date when the tab shows.
        window.playback().goToStart();
        window.playback().stepForward();
        window.details().setCurrentWidget(&window.taskTable());
        QCOMPARE(polls(), 1);
        const TimeNs cursor = window.playback().cursorTime();
        QCOMPARE(tasks.index(0, TaskMetricsModel::LastPollColumn)
                     .data(TaskMetricsModel::SortRole)
                     .toLongLong(),
            0);
        QCOMPARE(tasks.index(0, TaskMetricsModel::BusyColumn)
                     .data(TaskMetricsModel::SortRole)
                     .toLongLong(),
            cursor);
        // Each step adds its poll; the current row stays.
        window.taskTable().setCurrentIndex(tasks.index(0, 0));
        window.playback().stepForward();
        QCOMPARE(polls(), 2);
        QCOMPARE(window.taskTable().currentIndex().row(), 0);
        window.playback().goToEnd();
        QCOMPARE(polls(), int(window.result()->trace->report.polls));
    }

    void theEndColumnFitsEveryWordAtAnyCursor()
    {
        // A task's end changes with the cursor: "running" until it ends, then "done",
        // "failed" or "cancelled" here. From the start to the end and back, the End column
        // stays as wide, and wide enough for each word it shows, its header and "stopped".
        MainWindow window;
        QVERIFY(window.openFile(writeFile(m_dir, u"ends.scn"_qs,
            u"async fn worker(n) { loop { sleep(10ms).await; } }\n"
            "async fn failing() { sleep(5ms).await; fail(\"boom\"); }\n"
            "async fn main() { let w = spawn worker(1); let f = spawn failing(); "
            "sleep(30ms).await; }\n"_qs)));
        QVERIFY(waitForRun(window));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTableView& table = window.taskTable();
        window.details().setCurrentWidget(&table);
        const int column = TaskMetricsModel::EndColumn;
        const int width = table.columnWidth(column);
        QVERIFY(width >= table.horizontalHeader()->sectionSizeHint(column));
        QVERIFY(width > table.fontMetrics().horizontalAdvance(u"stopped"_qs));
        const QAbstractItemView& view = table; // where sizeHintForColumn() is public
        QStringList words; // every word shown
        // Where the column does not fit the words at the cursor, or nothing.
        const auto misfit = [&]() -> QString {
            QCoreApplication::processEvents(); // a header resizes its sections later
            QStringList shown;
            for (int row = 0; row < table.model()->rowCount(); ++row)
                shown << table.model()->index(row, column).data().toString();
            words << shown;
            if (table.columnWidth(column) != width || view.sizeHintForColumn(column) > width)
                return QStringLiteral("%1 px for %2 (%3 px)")
                    .arg(table.columnWidth(column))
                    .arg(shown.join(u", "_qs))
                    .arg(view.sizeHintForColumn(column));
            return {};
        };
        QCOMPARE(misfit(), QString());
        for (window.playback().goToStart(); !window.playback().atEnd();
             window.playback().stepForward())
            QCOMPARE(misfit(), QString());
        QCOMPARE(misfit(), QString());
        window.playback().goToStart();
        QCOMPARE(misfit(), QString());
        window.playback().goToEnd();
        QCOMPARE(misfit(), QString());
        for (const QString& word : { u"done"_qs, u"failed"_qs, u"cancelled"_qs, u"running"_qs })
            QVERIFY2(words.contains(word), qPrintable(word));
    }

    void diagnosticsAreListedOnceFound()
    {
        // chat-blocking: carol's blocking poll at 80 µs, then broadcaster's 450 ms in the run
        // queue from 150 ms, inside carol's 600 ms poll: a starvation from 200 ms on (the
        // threshold is 50 ms), found with the blocking poll when that poll is over, before
        // broadcaster is polled at last.
        MainWindow window;
        QVERIFY(window.openBuiltin(u"chat-blocking"_qs));
        QVERIFY(waitForRun(window));
        DiagnosticsPanel& panel = window.diagnostics();
        const std::vector<Diagnostic>& all = panel.diagnostics();
        QCOMPARE(all.size(), std::size_t(2));
        QCOMPARE(all[1].kind, DiagnosticKind::Starvation);
        const auto tab = [&] { return window.details().tabText(window.details().indexOf(&panel)); };
        const auto listed = [&] {
            QList<int> rows;
            for (int i = 0; i < panel.topLevelItemCount(); ++i)
                if (!panel.topLevelItem(i)->isHidden())
                    rows << i;
            return rows;
        };
        QCOMPARE(tab(), u"Diagnostics (2)"_qs);
        PlaybackController& playback = window.playback();
        playback.goToStart();
        playback.stepForward();
        QCOMPARE(listed(), QList<int>());
        QCOMPARE(tab(), u"Diagnostics (0 of 2)"_qs);
        const TimelineModel& model = *window.timeline().model();
        qint64 carol = -1; // the poll the blocking poll's first block lies in
        for (std::size_t p = 0; p < model.pollCount(); ++p) {
            if (model.poll(p).event < all[0].event && all[0].event < model.poll(p).endEvent)
                carol = qint64(p);
        }
        QVERIFY(carol > 0);
        playback.setPosition(carol);
        QCOMPARE(listed(), QList<int>());
        playback.stepForward();
        QCOMPARE(listed(), (QList<int> { 0, 1 }));
        QCOMPARE(tab(), u"Diagnostics (2)"_qs);
        QVERIFY(playback.eventLimit() <= all[1].event); // broadcaster's poll is next
        const qint64 broadcasterPolled = qint64(model.pollOfEvent(all[1].event));
        // Activating one goes to where it was found (not to the start of the wait, 150 ms):
        // it stays listed.
        playback.goToStart();
        emit panel.diagnosticActivated(all[1]);
        QCOMPARE(playback.position(), broadcasterPolled + 1);
        QCOMPARE(listed(), (QList<int> { 0, 1 }));
    }

    void aStarvationIsListedOnceTheWaitReachesTheThreshold()
    {
        // waiter-0 is queued behind two tasks that compute 40 ms each: it waits from 0 to 80 ms,
        // a starvation from 50 ms on. Stepping lists it after the second task's poll (80 ms),
        // before waiter-0's own poll ends the wait.
        MainWindow window;
        QVERIFY(window.openFile(writeFile(m_dir, u"starved.scn"_qs,
            u"runtime current_thread(poll_cost: 0us, blocking_threshold: 1s)\n"
            u"async fn busy() { compute(\"work\", 40ms); }\n"
            u"async fn waiter() { mark(\"polled at last\"); }\n"
            u"async fn main() {\n    spawn busy();\n    spawn busy();\n"
            u"    let w = spawn waiter();\n    w.await;\n}\n"_qs)));
        QVERIFY(waitForRun(window));
        DiagnosticsPanel& panel = window.diagnostics();
        QCOMPARE(panel.diagnostics().size(), std::size_t(1));
        const Diagnostic& starvation = panel.diagnostics().front();
        QCOMPARE(starvation.kind, DiagnosticKind::Starvation);
        const auto tab = [&] { return window.details().tabText(window.details().indexOf(&panel)); };
        const TimelineModel& model = *window.timeline().model();
        const Trace& trace = model.trace();
        // Polls: main, busy-0 [0, 40 ms], busy-1 [40, 80 ms], waiter-0 at 80 ms, main.
        QCOMPARE(trace.taskName(model.poll(2).task), u"busy-1"_qs);
        QCOMPARE(model.poll(2).end, 80'000'000);
        QCOMPARE(trace.taskName(model.poll(3).task), u"waiter-0"_qs);
        PlaybackController& playback = window.playback();
        playback.setPosition(2); // after busy-0: waited 40 ms
        QCOMPARE(tab(), u"Diagnostics (0 of 1)"_qs);
        QVERIFY(panel.topLevelItem(0)->isHidden());
        playback.stepForward(); // after busy-1: waited 80 ms, and still waiting
        QVERIFY(playback.eventLimit() <= starvation.event);
        QCOMPARE(tab(), u"Diagnostics (1)"_qs);
        QVERIFY(!panel.topLevelItem(0)->isHidden());
        // The timeline shows its warning sign with it.
        const TimelineViewport frame = window.timeline().frame();
        QVERIFY(frame.markers && frame.markers->size() == 1);
        QCOMPARE(frame.markers->front().foundAt, starvation.foundAt);
        playback.stepBack();
        QCOMPARE(tab(), u"Diagnostics (0 of 1)"_qs);
    }

    void liveRunNarratesTheRunInProgress()
    {
        // A short model run first (3 polls), then a real-time run of another script that soon
        // has more: stepping during the live run reads the live model, not the earlier run's.
        MainWindow window;
        window.openBuiltin(u"page-title"_qs);
        QVERIFY(waitForRun(window));
        const QString path = writeFile(m_dir, u"live.scn"_qs,
                                       u"async fn main() {\n    for i in 0..60 {\n        sleep(10ms).await;\n    }\n}\n"_qs);
        window.setRuntime(RuntimeKind::EventLoop);
        QVERIFY(window.openFile(path));
        QTRY_VERIFY_WITH_TIMEOUT(window.timeline().model()->pollCount() > 6 && window.runner().isRunning(), 10'000);
        const auto live = window.timeline().model();
        // The model run of the other script has gone; the live run has not ended.
        QVERIFY(!window.result());
        // The event log streams with the timeline.
        QCOMPARE(window.eventLog().trace(), live->sharedTrace());
        window.playback().setPosition(6);
        QCOMPARE(window.statusText(), live->narration().stepSentence(5));
        QCOMPARE(window.source().currentLine(), 3);
        // A click on a poll of the live run narrates that poll.
        window.timeline().selectPoll(4);
        emit window.timeline().pollSelected(qint64(live->poll(4).event));
        QCOMPARE(window.statusText(), live->narration().stepSentence(4));
        window.runner().cancel();
        window.runner().waitForIdle();
    }

    void aRunCancelledForANewerOneCountsNoMore()
    {
        // Opening another scenario mid-run cancels the run; until it has ended, its last
        // progress reports must not replace the new run's "Running…".
        MainWindow window;
        const QString path = writeFile(m_dir, u"endless.scn"_qs,
            u"runtime current_thread(max_events: 1000000000)\n"
            u"async fn main() {\n    loop {\n        yield_now().await;\n    }\n}\n"_qs);
        QVERIFY(window.openFile(path));
        QVERIFY(window.runner().isRunning());
        window.openBuiltin(u"page-title"_qs);
        QCOMPARE(window.runStatusText(), u"Running…"_qs);
        emit window.runner().progress(123456);
        QCOMPARE(window.runStatusText(), u"Running…"_qs);
        // Then the newer run is shown.
        QTRY_VERIFY_WITH_TIMEOUT(window.result() != nullptr, 10'000);
        QVERIFY(!window.result()->request.path.endsWith(u"endless.scn"));
    }

    void exportTraceWritesTheShownRun()
    {
        // A live re-run replaces the timeline as it goes, while the earlier result is kept
        // until the re-run ends: Export Trace writes what the timeline shows, as Export Image.
        MainWindow window;
        const QString path = writeFile(m_dir, u"rerun.scn"_qs,
            u"async fn main() {\n    for i in 0..40 {\n        sleep(10ms).await;\n    }\n}\n"_qs);
        window.setRuntime(RuntimeKind::EventLoop);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        const std::shared_ptr<const RunResult> earlier = window.result();
        QVERIFY(window.openFile(path));
        QTRY_VERIFY_WITH_TIMEOUT(window.timeline().model() != earlier->model &&
                window.timeline().model()->pollCount() > 3 && window.runner().isRunning(),
            10'000);
        QCOMPARE(window.result(), earlier);
        const std::shared_ptr<const TimelineModel> live = window.timeline().model();

        const auto traceEvents = [](const QByteArray& json) {
            return QJsonDocument::fromJson(json).object().value(u"traceEvents").toArray().size();
        };
        const auto written = [&](const Trace& trace) {
            QBuffer buffer;
            buffer.open(QIODevice::WriteOnly);
            writeChromeTrace(trace, u"rerun"_qs, buffer);
            return traceEvents(buffer.data());
        };
        const QString out = m_dir.filePath(u"shown.json"_qs);
        QString error;
        QVERIFY2(window.writeShownTrace(out, error), qPrintable(error));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        const qsizetype exported = traceEvents(json);
        QCOMPARE(exported, written(live->trace()));
        QVERIFY(exported != written(*earlier->trace));
        // Titled as the run will be when it ends.
        const QJsonObject process = QJsonDocument::fromJson(json)
                                        .object()
                                        .value(u"traceEvents")
                                        .toArray()
                                        .first()
                                        .toObject();
        QCOMPARE(process.value(u"args").toObject().value(u"name").toString(),
            u"Pollscope: "_qs + earlier->title);
        window.runner().cancel();
        window.runner().waitForIdle();
    }

    void exportsSuggestAFolderThatExists()
    {
        // On a first start without ~/Pictures, Export Image suggested ~/Pictures/<name>.png and
        // Export failed: "No such file or directory"; Export Trace suggested the working
        // directory. Both suggest the folder last exported to while it exists, else Pictures
        // while it exists, else home.
        // A first start; the settings are opened before HOME moves.
        QSettings().remove(u"files/exportDir"_qs);
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QByteArray oldHome = qgetenv("HOME");
        qputenv("HOME", home.path().toLocal8Bit());
        const auto restore = qScopeGuard([&] {
            qputenv("HOME", oldHome);
            QSettings().remove(u"files/exportDir"_qs);
        });
        const QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
        QCOMPARE(pictures, home.filePath(u"Pictures"_qs));
        QVERIFY(!QFileInfo::exists(pictures));

        MainWindow window;
        window.openBuiltin(u"chat-blocking"_qs);
        QVERIFY(waitForRun(window));
        QAction* image = actionNamed(window, u"Export &Image…"_qs);
        QAction* trace = actionNamed(window, u"Export Trace for &Perfetto…"_qs);
        QVERIFY(image && trace);
        const auto folderOf = [](const QString& path) { return QFileInfo(path).absolutePath(); };

        QCOMPARE(suggestedExport(*image), home.filePath(u"chat-blocking.png"_qs));
        QCOMPARE(suggestedExport(*trace), home.filePath(u"chat-blocking.json"_qs));

        QVERIFY(QDir(home.path()).mkdir(u"Pictures"_qs));
        QCOMPARE(folderOf(suggestedExport(*image)), pictures);
        QCOMPARE(folderOf(suggestedExport(*trace)), pictures);

        // An image exported elsewhere: both suggest its folder next.
        QVERIFY(QDir(home.path()).mkdir(u"shots"_qs));
        const QString shot = home.filePath(u"shots/blocking.png"_qs);
        withModalDialog(*image, [&](QDialog& dialog) {
            auto* exportDialog = qobject_cast<ExportDialog*>(&dialog);
            QVERIFY(exportDialog);
            exportDialog->setFileName(shot);
            exportDialog->accept();
        });
        QVERIFY(QFileInfo(shot).size() > 0);
        QCOMPARE(folderOf(suggestedExport(*image)), home.filePath(u"shots"_qs));
        QCOMPARE(folderOf(suggestedExport(*trace)), home.filePath(u"shots"_qs));

        // A trace too.
        QVERIFY(QDir(home.path()).mkdir(u"traces"_qs));
        const QString written = home.filePath(u"traces/blocking.json"_qs);
        withModalDialog(*trace, [&](QDialog& dialog) {
            auto* files = qobject_cast<QFileDialog*>(&dialog);
            QVERIFY(files);
            files->selectFile(written);
            // selectFile() changes the folder but leaves the name alone while the name field
            // has the focus (as it has once the dialog is active): type it, as a user would.
            auto* name = files->findChild<QLineEdit*>(u"fileNameEdit"_qs);
            QVERIFY(name);
            name->setText(QFileInfo(written).fileName());
            QCOMPARE(files->selectedFiles(), QStringList { written });
            dialog.accept(); // QFileDialog's own accept() is protected
        });
        QVERIFY(QFileInfo(written).size() > 0);
        QCOMPARE(folderOf(suggestedExport(*image)), home.filePath(u"traces"_qs));

        // The folder is gone: Pictures again, then home.
        QVERIFY(QDir(home.filePath(u"traces"_qs)).removeRecursively());
        QCOMPARE(folderOf(suggestedExport(*image)), pictures);
        QVERIFY(QDir(pictures).removeRecursively());
        QCOMPARE(folderOf(suggestedExport(*trace)), home.path());
    }

    void destroyingTheWindowMidRunCancelsIt_data()
    {
        QTest::addColumn<bool>("realTime");
        QTest::addColumn<bool>("closeFirst");
        QTest::newRow("qt event loop") << true << false;
        QTest::newRow("qt event loop, closed") << true << true;
        QTest::newRow("model") << false << false;
    }

    void destroyingTheWindowMidRunCancelsIt()
    {
        QFETCH(bool, realTime);
        QFETCH(bool, closeFirst);
        // Five seconds of real time, or a quarter of a million polls on the model.
        const QString path = writeFile(m_dir, u"long.scn"_qs,
            realTime
                ? u"async fn main() {\n    for i in 0..500 {\n        sleep(10ms).await;\n    }\n}\n"_qs
                : u"async fn main() {\n    for i in 0..250000 {\n        yield_now().await;\n    }\n}\n"_qs);
        auto* window = new MainWindow;
        window->setRuntime(realTime ? RuntimeKind::EventLoop : RuntimeKind::Model);
        QVERIFY(window->openFile(path));
        if (realTime) // live snapshots are on screen
            QTRY_VERIFY_WITH_TIMEOUT(window->timeline().model()->pollCount() > 4, 10'000);
        QVERIFY(window->runner().isRunning());
        QSignalSpy finished(&window->runner(), &ScenarioRunner::finished);
        const QPointer<ScenarioRunner> runner(&window->runner());
        if (closeFirst) {
            window->close(); // cancels, and shows the cut-short run
            QCOMPARE(finished.count(), 1);
            QCOMPARE(window->result()->trace->report.status, RunStatus::Interrupted);
        }
        delete window;
        QVERIFY(!runner);
        QCOMPARE(finished.count(),
            closeFirst ? 1 : 0); // nothing arrives from a window's runner once it is gone
        // The future the run's coroutine awaited resumes it now: it must end without a trace.
        QTest::qWait(50);
        QCOMPARE(finished.count(), closeFirst ? 1 : 0);

        // The next window runs as usual.
        MainWindow next;
        next.openBuiltin(u"page-title"_qs);
        QVERIFY(waitForRun(next));
        QCOMPARE(next.timeline().model()->pollCount(), std::size_t(3));
    }

    void liveSnapshotsGrowAndStopAtTheResult()
    {
        // A real-time run shows snapshots of itself, each larger than the last, and none once
        // its result has arrived (one laid out as the run ended is dropped).
        ScenarioRunner runner;
        std::vector<std::size_t> sizes;
        std::shared_ptr<const RunResult> result;
        int afterResult = 0;
        connect(&runner, &ScenarioRunner::partialRun, this,
            [&](std::shared_ptr<const TimelineModel> model) {
                sizes.push_back(model->eventCount());
                afterResult += result ? 1 : 0;
            });
        connect(&runner, &ScenarioRunner::finished, this,
            [&](std::shared_ptr<const RunResult> r) { result = std::move(r); });
        QVERIFY(runner.start(RunRequest {
            u"async fn main() {\n    for i in 0..40 {\n        sleep(10ms).await;\n    }\n}\n"_qs,
            u"live.scn"_qs, QString(), RuntimeKind::EventLoop }));
        runner.waitForIdle();
        QVERIFY(result);
        QTest::qWait(300);
        QVERIFY(!sizes.empty());
        QVERIFY(
            std::adjacent_find(sizes.begin(), sizes.end(), std::greater_equal<>()) == sizes.end());
        QVERIFY(sizes.back() <= result->trace->events.size());
        QCOMPARE(afterResult, 0);
    }

    void brokenScriptKeepsThePreviousRun()
    {
        MainWindow window;
        const QString good = writeFile(m_dir, u"edit.scn"_qs, u"async fn main() { sleep(5ms).await; }\n"_qs);
        QVERIFY(window.openFile(good));
        QVERIFY(waitForRun(window));
        const auto before = window.result();
        QCOMPARE(before->trace->report.elapsed, 5'010'000);

        // The user breaks the file: the errors show, the timeline keeps the last good run.
        const QString bad = writeFile(m_dir, u"edit.scn"_qs, u"async fn main() {\n    sleep(80).await;\n}\n"_qs);
        QVERIFY(window.openFile(bad));
        window.runner().waitForIdle();
        QCoreApplication::processEvents();
        QCOMPARE(window.result(), before);
        QCOMPARE(window.problems().count(), 1);
        QVERIFY(window.problems().item(0)->text().endsWith(u"edit.scn:2:11: `sleep` needs a duration, such as 80ms; this number has no unit"));
        QCOMPARE(window.source().errors().size(), 1);
        QCOMPARE(window.source().errors().front().location.line, 2);
        QVERIFY(window.statusText().contains(u"edit.scn:2:11"));
        QCOMPARE(window.runStatusText(), u"1 error — the timeline still shows the previous run"_qs);
        QCOMPARE(window.windowTitle(), u"edit (1 error) — Pollscope"_qs);
        QVERIFY(window.timeline().isVisibleTo(&window));
        // Stepping tells the run as the previous one and marks no line of the edited text.
        window.playback().goToStart();
        window.playback().stepForward();
        QCOMPARE(window.source().currentLine(), 0);
        QVERIFY2(
            window.statusText().startsWith(u"Previous run: "), qPrintable(window.statusText()));
        emit window.timeline().pollSelected(qint64(before->model->poll(1).event));
        QCOMPARE(window.source().currentLine(), 0);
        // A click on the problem goes to its place in the text, which is not the run's.
        window.source().showPosition(1);
        emit window.problems().itemActivated(window.problems().item(0));
        QCOMPARE(window.source().textCursor().blockNumber(), 1);
        QCOMPARE(window.source().textCursor().positionInBlock(), 10);
        QCOMPARE(window.source().currentLine(), 0);
    }

    void everyCompileErrorIsMarkedAtItsColumns()
    {
        MainWindow window;
        const QString path = writeFile(m_dir, u"four.scn"_qs,
            u"async fn main() {\n    slep(1ms).await;\n    let x = ;\n    sleep(5).await;\n    yeld_now().await;\n}\n"_qs);
        QVERIFY(window.openFile(path));
        window.runner().waitForIdle();
        QCoreApplication::processEvents();
        QCOMPARE(window.problems().count(), 4);
        QCOMPARE(window.source().errors().size(), 4);
        QStringList underlined;
        for (const QTextEdit::ExtraSelection& mark : window.source().extraSelections()) {
            if (mark.format.underlineStyle() == QTextCharFormat::WaveUnderline)
                underlined << QStringLiteral("%1:%2")
                                  .arg(mark.cursor.block().blockNumber() + 1)
                                  .arg(mark.cursor.selectedText());
        }
        QCOMPARE(underlined,
            (QStringList { u"2:slep(1ms)"_qs, u"3:;"_qs, u"4:5"_qs, u"5:yeld_now()"_qs }));
        QCOMPARE(window.runStatusText(), u"4 errors"_qs);
        QCOMPARE(window.windowTitle(), u"four (4 errors) — Pollscope"_qs);
    }

    void anErrorFarRightScrollsTheSourceOnlyAsNeeded()
    {
        // Opening a file whose first error lay right of a narrow Source pane centred that
        // column, so the pane showed only the middles of the lines. The pane scrolls sideways
        // only as far as the error's column needs.
        QSettings().remove(u"window"_qs); // the default layout
        MainWindow window;
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* dock = window.findChild<QDockWidget*>(u"SourceDock"_qs);
        window.resizeDocks({ dock }, { 240 }, Qt::Horizontal);
        const QString path = writeFile(m_dir, u"farright.scn"_qs,
            u"scenario \"far right\"\nruntime current_thread(poll_cost: 10us, bogus: 3)\n"
            "async fn main() {\n    slep(1ms).await;\n}\n"_qs);
        QVERIFY(window.openFile(path));
        window.runner().waitForIdle();
        QCoreApplication::processEvents();
        SourceView& source = window.source();
        QVERIFY(!source.errors().isEmpty());
        const SourceLocation first = source.errors().front().location;
        QCOMPARE(first.line, 2);
        QCOMPARE(first.column, 41);
        const int cell = source.fontMetrics().horizontalAdvance(u'x');
        const int width = source.viewport()->width();
        const QRect cursor = source.cursorRect();
        const QString where = QStringLiteral("cursor at %1, viewport %2 wide, scrolled %3")
                                  .arg(cursor.left())
                                  .arg(width)
                                  .arg(source.horizontalScrollBar()->value());
        QVERIFY2(cursor.left() >= 0 && cursor.left() + cell <= width, qPrintable(where));
        QVERIFY2(width < 41 * cell, "column 41 fits: this tests nothing");
        // Just far enough: the column at the right edge.
        QVERIFY2(cursor.left() + 2 * cell > width, qPrintable(where));
        QSettings().remove(u"window"_qs);
    }

    void theSourceScrollsSidewaysOnlyWhileTheErrorNeedsIt()
    {
        // A Source pane too narrow for an error at column 41 scrolls to put it at the right
        // edge. Laid out wider afterwards (a restored dock, a maximised window), it kept that
        // offset, hiding the start of every line though the column now fitted with them. Until
        // the user scrolls sideways the pane follows the rule as it resizes: the lines' starts
        // where the column fits with them, else the column at the right edge.
        QSettings().remove(u"window"_qs); // the default layout
        MainWindow window;
        window.resize(1200, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* dock = window.findChild<QDockWidget*>(u"SourceDock"_qs);
        window.resizeDocks({ dock }, { 240 }, Qt::Horizontal);
        // The error's line goes on well past its column: the pane keeps a scroll bar.
        const QString path = writeFile(m_dir, u"column41.scn"_qs,
            u"scenario \"column 41\"\nruntime current_thread(poll_cost: 10us, bogus: 3) "
            "// a comment that makes this line much longer than any pane here\n"
            "async fn main() {\n    sleep(1ms).await;\n}\n"_qs);
        QVERIFY(window.openFile(path));
        window.runner().waitForIdle();
        QCoreApplication::processEvents();
        SourceView& source = window.source();
        QVERIFY(!source.errors().isEmpty());
        QCOMPARE(source.errors().front().location.column, 41);
        QScrollBar* bar = source.horizontalScrollBar();
        const int cell = source.fontMetrics().horizontalAdvance(u'x');
        const auto where = [&] {
            return QStringLiteral("cursor at %1, viewport %2 wide, scrolled %3 of %4")
                .arg(source.cursorRect().left())
                .arg(source.viewport()->width())
                .arg(bar->value())
                .arg(bar->maximum());
        };
        const auto columnAtTheRightEdge = [&] {
            const int x = source.cursorRect().left(), width = source.viewport()->width();
            return x >= 0 && x + cell <= width && x + 2 * cell > width;
        };
        QVERIFY2(source.viewport()->width() < 41 * cell, qPrintable(where()));
        QVERIFY2(bar->value() > 0 && columnAtTheRightEdge(), qPrintable(where()));

        // Wider, with room for the column: the lines' starts, the long line still scrolling.
        window.resizeDocks({ dock }, { 480 }, Qt::Horizontal);
        QCoreApplication::processEvents();
        QVERIFY2(source.viewport()->width() > 42 * cell, qPrintable(where()));
        QVERIFY2(bar->maximum() > 0, qPrintable(where()));
        QVERIFY2(bar->value() == 0, qPrintable(where()));
        // Narrower again: the column stays in sight, at the right edge.
        window.resizeDocks({ dock }, { 200 }, Qt::Horizontal);
        QCoreApplication::processEvents();
        QVERIFY2(columnAtTheRightEdge(), qPrintable(where()));

        // Once the user has scrolled sideways, a resize leaves the pane where they put it.
        bar->setValue(0);
        window.resizeDocks({ dock }, { 260 }, Qt::Horizontal);
        QCoreApplication::processEvents();
        QCOMPARE(bar->value(), 0);

        // Another file starts at the lines' starts, wherever the last one was scrolled to.
        bar->setValue(bar->maximum());
        const QString clean = writeFile(m_dir, u"clean.scn"_qs,
            u"async fn main() {\n    sleep(1ms).await; // a long comment, much longer than the "
            "pane is wide, to scroll\n}\n"_qs);
        QVERIFY(window.openFile(clean));
        QVERIFY(waitForRun(window));
        QVERIFY2(bar->maximum() > 0, qPrintable(where()));
        QCOMPARE(bar->value(), 0);
        QSettings().remove(u"window"_qs);
    }

    void aProblemIsShownByAClickOrTheKeys()
    {
        // A single click on a problem, or selecting one with the keys, shows it in the source,
        // as an IDE's problem list does; the list keeps the focus. Activating one (a double
        // click, Enter) also moves the focus there.
        QSettings().remove(u"window"_qs);
        MainWindow window;
        window.resize(1200, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString path = writeFile(m_dir, u"three.scn"_qs,
            u"async fn main() {\n    slep(1ms).await;\n    let x = ;\n    sleep(5).await;\n}\n"_qs);
        QVERIFY(window.openFile(path));
        window.runner().waitForIdle();
        QCoreApplication::processEvents();
        QListWidget& problems = window.problems();
        QCOMPARE(problems.count(), 3);
        QCOMPARE(window.details().currentWidget(), &problems);
        SourceView& source = window.source();
        const auto at = [&] {
            return QStringLiteral("%1:%2")
                .arg(source.textCursor().blockNumber() + 1)
                .arg(source.textCursor().positionInBlock() + 1);
        };
        QCOMPARE(at(), u"2:5"_qs); // the first error, as the file opened
        problems.setFocus();
        QTest::mouseClick(problems.viewport(), Qt::LeftButton, {},
            problems.visualItemRect(problems.item(2)).center());
        QCOMPARE(at(), u"4:11"_qs);
        QVERIFY(problems.hasFocus());
        QTest::keyClick(&problems, Qt::Key_Up);
        QCOMPARE(problems.currentRow(), 1);
        QCOMPARE(at(), u"3:13"_qs);
        // Clicked again, the current problem is shown again, wherever the cursor went since.
        source.showPosition(1);
        QTest::mouseClick(problems.viewport(), Qt::LeftButton, {},
            problems.visualItemRect(problems.item(1)).center());
        QCOMPARE(at(), u"3:13"_qs);
        QVERIFY(problems.hasFocus());
        QTest::keyClick(&problems, Qt::Key_Return);
        QCOMPARE(at(), u"3:13"_qs);
        QVERIFY(source.hasFocus());
        QSettings().remove(u"window"_qs);
    }

    void aFailedPollIsNarratedOnOneLine()
    {
        MainWindow window;
        window.resize(1600, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString path = writeFile(
            m_dir, u"fails.scn"_qs, u"async fn main() { let z = 0; let x = 5 / z; }\n"_qs);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        QCOMPARE(window.runStatusText(), u"failed in 10 µs — 1 task, 1 poll"_qs);
        // At the end the status bar says why the run ended; the failing poll, clicked, says
        // the same in its narration, which ends with the run's whole message, the source line
        // and the caret under it: the status bar shows its first line, the rest in the tooltip.
        window.playback().goToStart();
        window.playback().goToEnd();
        QCOMPARE(window.statusText(), u"fails.scn:1:40: division by zero"_qs);
        emit window.timeline().pollSelected(qint64(window.result()->model->poll(0).event));
        const QString file = QFileInfo(path).absoluteFilePath();
        QVERIFY2(window.statusText().endsWith(
                     u"after 1 poll: " + file + u":1:40: error: division by zero"),
            qPrintable(window.statusText()));
        auto* narration = window.findChild<ElidedLabel*>();
        QVERIFY(narration);
        QCOMPARE(narration->text(), window.statusText());
        QVERIFY(narration->height() < 2 * narration->fontMetrics().height());
        QVERIFY(narration->toolTip().endsWith(u"|                                        ^"));
    }

    void runtimeErrorIsAProblem()
    {
        MainWindow window;
        const QString path = writeFile(
            m_dir, u"divide.scn"_qs, u"async fn main() { let z = 0; let x = 5 / z; }\n"_qs);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        QCOMPARE(window.result()->trace->report.status, RunStatus::Failed);
        const QString file = QFileInfo(path).absoluteFilePath();
        QCOMPARE(window.problems().count(), 1);
        QCOMPARE(window.problems().item(0)->text(), QString(file + u":1:40: division by zero"));
        QCOMPARE(window.details().currentWidget(), &window.problems());
        QCOMPARE(window.source().errors().size(), 1);
        const ScriptError& error = window.source().errors().front();
        QCOMPARE(error.location.line, 1);
        QCOMPARE(error.location.column, 40);
        QCOMPARE(error.location.length, 1); // the `/`
        // A run that completes clears the problem.
        writeFile(m_dir, u"divide.scn"_qs, u"async fn main() { let z = 1; let x = 5 / z; }\n"_qs);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        QCOMPARE(window.result()->trace->report.status, RunStatus::Completed);
        QCOMPARE(window.problems().count(), 0);
        QVERIFY(window.source().errors().isEmpty());
        QCOMPARE(window.details().tabText(window.details().currentIndex()), u"Events"_qs);
    }

    void theCallsThatLedToARuntimeErrorFollowItInProblems()
    {
        MainWindow window;
        const QString path = writeFile(m_dir, u"passes.scn"_qs,
            u"async fn work(d) { sleep(d).await; }\n"
            u"async fn main() { work(10).await; }\n"_qs);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        QCOMPARE(window.result()->trace->report.status, RunStatus::Failed);
        const QString file = QFileInfo(path).absoluteFilePath();
        QCOMPARE(window.problems().count(), 2);
        QCOMPARE(window.problems().item(0)->text(),
            file + u":1:20: `sleep` needs a duration, found a number"_qs);
        QCOMPARE(window.problems().item(1)->text(), file + u":2:19: `work` called from here"_qs);
        // The note is neither counted nor marked as an error; a click goes to the call.
        QCOMPARE(window.details().tabText(window.details().indexOf(&window.problems())),
            u"Problems (1)"_qs);
        QCOMPARE(window.source().errors().size(), 1);
        emit window.problems().itemActivated(window.problems().item(1));
        QCOMPARE(window.source().textCursor().blockNumber(), 1);
        QCOMPARE(window.source().textCursor().positionInBlock(), 18);
    }

    void aRunStoppedByABoundIsAProblemWhereItStopped()
    {
        MainWindow window;
        const QString path = writeFile(m_dir, u"endless.scn"_qs, kEndlessScript);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        QCOMPARE(window.result()->trace->report.status, RunStatus::LimitReached);
        QCOMPARE(window.problems().count(), 1);
        const QString text = window.problems().item(0)->text();
        // At the await the last poll ended on, inside the loop.
        QVERIFY2(
            text.startsWith(QFileInfo(path).absoluteFilePath() + u":2:26: the run stopped after "),
            qPrintable(text));
        QVERIFY2(text.contains(u"(max_events)"), qPrintable(text));
        QCOMPARE(window.source().errors().size(), 1);
        QCOMPARE(window.source().errors().front().location.line, 2);
    }

    void theEndOfAStoppedRunSaysWhyItStopped()
    {
        // Stepping to the end of a run a bound stopped ends with why it stopped, as the status
        // bar said when the run arrived, not with the narration of its last poll.
        MainWindow window;
        const QString path = writeFile(m_dir, u"endless.scn"_qs, kEndlessScript);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        const TimelineModel& model = *window.result()->model;
        const QString stopped = window.statusText();
        QVERIFY2(stopped.startsWith(u"endless.scn:2:26: the run stopped after 1000 events "
                                    u"(max_events); raise the bound"),
            qPrintable(stopped));
        PlaybackController& playback = window.playback();
        const qint64 last = playback.pollCount() - 1;
        // One step before the end: the poll before the last, narrated.
        playback.goToStart();
        playback.setPosition(last);
        QCOMPARE(window.statusText(), model.narration().stepSentence(std::size_t(last - 1)));
        // The last step: everything has happened.
        playback.stepForward();
        QVERIFY(playback.atEnd());
        QCOMPARE(window.statusText(), stopped);
        QCOMPARE(window.source().currentLine(), 2);
        playback.stepBack();
        QCOMPARE(window.statusText(), model.narration().stepSentence(std::size_t(last - 1)));
        // A cursor moved past the run's end by time says it as well; a click on the last poll
        // still tells that poll.
        playback.seekToTime(model.bounds().end);
        QCOMPARE(playback.eventLimit(), model.eventCount());
        QCOMPARE(window.statusText(), stopped);
        emit window.timeline().pollSelected(qint64(model.poll(std::size_t(last)).event));
        QCOMPARE(window.statusText(), model.narration().stepSentence(std::size_t(last)));
        // Played to the end, too.
        playback.goToStart();
        playback.setPollsPerSecond(1e6);
        while (!playback.atEnd())
            playback.advance();
        QCOMPARE(window.statusText(), stopped);
    }

    void aClickedWakeIsTheEventLogsRow()
    {
        MainWindow window;
        window.openBuiltin(u"spawn-first"_qs);
        QVERIFY(waitForRun(window));
        const TimelineModel& model = *window.result()->model;
        const auto wakes = model.wakes();
        const auto done = std::find_if(wakes.begin(), wakes.end(),
            [](const WakeArrow& arrow) { return arrow.cause == WakeCause::TaskDone; });
        QVERIFY(done != wakes.end());
        emit window.timeline().wakeSelected(qint64(done->event));
        QCOMPARE(window.eventTable().currentIndex().row(), int(done->event));
        QCOMPARE(window.statusText(), u"main was woken when page_title-0 finished at 120.02 ms"_qs);
        QCOMPARE(window.source().currentLine(), 16); // `handle.await`, the await it woke
    }

    void theEndOfARunTheUserStoppedSaysSo()
    {
        MainWindow window;
        QVERIFY(window.openFile(writeFile(m_dir, u"long.scn"_qs,
            u"async fn main() {\n    for i in 0..10000000 {\n        yield_now().await;\n    }\n}\n"_qs)));
        QVERIFY(window.runner().isRunning());
        QSignalSpy progress(&window.runner(), &ScenarioRunner::progress);
        QVERIFY(progress.wait(10'000)); // under way: some polls to step through
        actionNamed(window, u"&Stop"_qs)->trigger();
        QVERIFY(waitForRun(window));
        QCOMPARE(window.result()->trace->report.status, RunStatus::Interrupted);
        QCOMPARE(window.statusText(), u"the run was stopped"_qs);
        window.playback().goToStart();
        window.playback().stepForward();
        QVERIFY(window.statusText().startsWith(u"main started at 0 ms"));
        window.playback().goToEnd();
        QCOMPARE(window.statusText(), u"the run was stopped"_qs);
    }

    void theEndOfADeadlockSaysSo()
    {
        MainWindow window;
        const QString path = writeFile(m_dir, u"stuck.scn"_qs,
            u"async fn main() {\n    let ch = channel(1);\n    ch.recv().await;\n}\n"_qs);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        QCOMPARE(window.result()->trace->report.status, RunStatus::Deadlock);
        window.playback().goToStart();
        QVERIFY(window.statusText().startsWith(u"Start of the run"));
        window.playback().goToEnd();
        QVERIFY2(window.statusText().startsWith(u"stuck.scn:3:"), qPrintable(window.statusText()));
        QVERIFY2(window.statusText().contains(u"deadlock: main is Pending"),
            qPrintable(window.statusText()));
    }

    void mainsFailureIsAProblemWhereItFailed()
    {
        MainWindow window;
        const QString path = writeFile(m_dir, u"quits.scn"_qs,
            u"async fn main() {\n    sleep(1ms).await;\n    fail(\"gave up\");\n}\n"_qs);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        QCOMPARE(window.result()->trace->report.status, RunStatus::Failed);
        QCOMPARE(window.problems().count(), 1);
        QCOMPARE(window.problems().item(0)->text(),
            QString(QFileInfo(path).absoluteFilePath() + u":3:5: gave up"));
        QCOMPARE(window.source().errors().size(), 1);
        QCOMPARE(window.source().errors().front().location.line, 3);
        // The status bar names the file as it does for a check error: by its name.
        QCOMPARE(window.statusText(), u"quits.scn:3:5: gave up"_qs);
    }

    void aBrokenScriptShowsNoRun()
    {
        // Nothing ran: no timeline of an empty run (an axis to 1 µs, a cursor), nothing to
        // play, but a notice of the errors under the scenario's name.
        MainWindow window;
        QVERIFY(window.openFile(writeFile(m_dir, u"b2.scn"_qs,
            u"scenario \"Two mistakes\"\nasync fn main() {\n    slep(80ms).await;\n    break;\n}\n"_qs)));
        window.runner().waitForIdle();
        QCoreApplication::processEvents();
        QVERIFY(!window.result());
        QVERIFY(!window.timeline().isVisibleTo(&window));
        const auto* notice = window.findChild<QLabel*>(u"NoRunNotice"_qs);
        QVERIFY(notice && notice->isVisibleTo(&window));
        // Its header still names it, although the rest does not compile.
        QCOMPARE(notice->text(),
            u"<h3>Two mistakes</h3><p>The script has 2 errors: see Problems.</p>"_qs);
        QCOMPARE(window.windowTitle(), u"Two mistakes (2 errors) — Pollscope"_qs);
        QCOMPARE(window.runStatusText(), u"2 errors"_qs);
        for (const QString& name : { u"Play"_qs, u"Step"_qs, u"Step Back"_qs, u"Go to Start"_qs,
                 u"Go to End"_qs, u"Next Poll of Selected Task"_qs, u"Export &Image…"_qs })
            QVERIFY2(!actionNamed(window, name)->isEnabled(), qPrintable(name));
        actionNamed(window, u"Play"_qs)->trigger();
        QVERIFY(!window.playback().isPlaying());
        QCOMPARE(actionNamed(window, u"Play"_qs)->text(), u"Play"_qs);
    }

    void openingABrokenFileLetsTheOtherRunGo()
    {
        // chat-blocking runs; then a file that does not compile is opened. The source pane shows
        // that file with its errors, to be fixed; no view shows chat-blocking's run any more.
        MainWindow window;
        QVERIFY(window.openBuiltin(u"chat-blocking"_qs));
        QVERIFY(waitForRun(window));
        const auto chat = window.result();
        PlaybackController& playback = window.playback();
        playback.goToEnd();
        playback.stepBack();
        QVERIFY(window.source().currentLine() > 0);
        QVERIFY(actionNamed(window, u"Step Back"_qs)->isEnabled());

        const QString broken =
            u"async fn main() {\n    sleep(80).await;\n    slep(1ms).await;\n}\n"_qs;
        const QString path = writeFile(m_dir, u"broken.scn"_qs, broken);
        QVERIFY(window.openFile(path));
        window.runner().waitForIdle();
        QCoreApplication::processEvents();
        QVERIFY(!window.result());
        QCOMPARE(window.timeline().model()->pollCount(), std::size_t(0));
        QCOMPARE(playback.pollCount(), 0);
        QCOMPARE(window.eventLog().rowCount(), 0);
        QCOMPARE(window.taskTable().model()->rowCount(), 0);
        QVERIFY(window.diagnostics().diagnostics().empty());
        QCOMPARE(window.details().tabText(window.details().indexOf(&window.diagnostics())),
            u"Diagnostics"_qs);
        QVERIFY(!actionNamed(window, u"Step Back"_qs)->isEnabled());
        QCOMPARE(window.source().toPlainText(), broken);
        QCOMPARE(window.source().currentLine(), 0);
        QCOMPARE(window.source().errors().size(), 2);
        QCOMPARE(window.problems().count(), 2);
        QCOMPARE(window.windowTitle(), u"broken (2 errors) — Pollscope"_qs);
        QCOMPARE(window.runStatusText(), u"2 errors"_qs);
        QCOMPARE(window.findChild<QLabel*>(u"NoRunNotice"_qs)->text(),
            u"<h3>broken</h3><p>The script has 2 errors: see Problems.</p>"_qs);

        // Fixed, the file runs: everything shows it, and stepping marks its lines.
        writeFile(m_dir, u"broken.scn"_qs,
            u"async fn main() {\n    sleep(80ms).await;\n    sleep(1ms).await;\n}\n"_qs);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        QVERIFY(window.timeline().isVisibleTo(&window));
        QCOMPARE(window.windowTitle(), u"broken — Pollscope"_qs);
        QVERIFY(window.source().errors().isEmpty());
        QVERIFY(actionNamed(window, u"Step Back"_qs)->isEnabled());
        playback.goToStart();
        playback.stepForward();
        QCOMPARE(window.source().currentLine(), 2);
    }

    void anotherScenarioLetsTheOldRunGoAtOnce()
    {
        // A run that takes seconds: while it runs, no view may show the scenario opened before
        // beside the new one's source, nor step through it.
        MainWindow window;
        QVERIFY(window.openBuiltin(u"chat-blocking"_qs));
        QVERIFY(waitForRun(window));
        QVERIFY(actionNamed(window, u"Step"_qs)->isEnabled());
        const QString text = u"scenario \"Slow loop\"\n"
                             u"runtime current_thread(max_events: 20000000)\n"
                             u"async fn main() {\n    loop { yield_now().await; }\n}\n"_qs;
        QVERIFY(window.openFile(writeFile(m_dir, u"slow.scn"_qs, text)));
        QVERIFY(window.runner().isRunning());
        QCOMPARE(window.source().toPlainText(), text);
        QCOMPARE(window.windowTitle(), u"Slow loop — Pollscope"_qs);
        QVERIFY(!window.result());
        QVERIFY(!window.timeline().isVisibleTo(&window));
        QCOMPARE(window.findChild<QLabel*>(u"NoRunNotice"_qs)->text(),
            u"<h3>Slow loop</h3><p>Running…</p>"_qs);
        QCOMPARE(window.eventLog().rowCount(), 0);
        QCOMPARE(window.taskTable().model()->rowCount(), 0);
        QVERIFY(window.diagnostics().diagnostics().empty());
        QCOMPARE(window.playback().pollCount(), 0);
        QVERIFY(!actionNamed(window, u"Step"_qs)->isEnabled());
        QCOMPARE(window.runStatusText(), u"Running…"_qs);

        // Another scenario meanwhile: the slow run stops, and what it had done is not shown.
        QList<std::shared_ptr<const RunResult>> shown;
        connect(&window.runner(), &ScenarioRunner::finished, &window,
            [&] { shown << window.result(); });
        QVERIFY(window.openBuiltin(u"page-title"_qs));
        QVERIFY(waitForRun(window));
        QCOMPARE(shown.size(), 2);
        QVERIFY(!shown[0]);
        QCOMPARE(shown[1]->program->info.title, u"Page title: two awaits"_qs);
        QVERIFY(window.timeline().isVisibleTo(&window));
    }

    void longStatusMessagesAreElidedAtAWord()
    {
        MainWindow window;
        window.resize(900, 600);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString path = writeFile(
            m_dir, u"longerror.scn"_qs, u"async fn main() {\n    sleep(80).await;\n}\n"_qs);
        QVERIFY(window.openFile(path));
        window.runner().waitForIdle();
        QCoreApplication::processEvents();
        auto* narration = window.findChild<ElidedLabel*>();
        QVERIFY(narration);
        const QString full = window.statusText();
        QVERIFY(full.endsWith(u"this number has no unit"));
        // Narrow the window: the message gives way, whole words then "…", the full text in
        // its tooltip; the error count beside it keeps its room.
        window.resize(500, 600);
        QTRY_VERIFY(narration->text().endsWith(u'…'));
        const QString shown = narration->text().chopped(1);
        QVERIFY2(
            full.startsWith(shown) && full.at(shown.size()) == u' ', qPrintable(narration->text()));
        QCOMPARE(narration->toolTip(), full);
        QVERIFY(narration->fontMetrics().horizontalAdvance(narration->text()) <=
            narration->contentsRect().width());
        QLabel* count = nullptr;
        for (QLabel* label : window.statusBar()->findChildren<QLabel*>()) {
            if (label->text() == u"1 error")
                count = label;
        }
        QVERIFY(count);
        QVERIFY(narration->geometry().right() < count->geometry().left());
        QVERIFY(count->width() >= count->sizeHint().width());
    }

    void diagnosticMessagesWrapAndShowNamesAsCode()
    {
        MainWindow window;
        QVERIFY(window.openBuiltin(u"chat-blocking"_qs));
        QVERIFY(waitForRun(window));
        DiagnosticsPanel panel;
        panel.setDiagnostics(window.result()->trace, window.result()->diagnostics);
        panel.resize(900, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const int column = DiagnosticsPanel::MessageColumn;
        // The longest message: the command line's form names carol between backticks.
        const std::vector<Diagnostic>& found = panel.diagnostics();
        const auto longest = std::max_element(found.begin(), found.end(),
            [](const Diagnostic& a, const Diagnostic& b) { return a.message.size() < b.message.size(); });
        QVERIFY(longest != found.end());
        const QString& message = longest->message;
        QVERIFY2(message.contains(u"`carol`"), qPrintable(message));
        QTreeWidgetItem* item = panel.topLevelItem(int(longest - found.begin()));
        QVERIFY(!item->text(column).contains(u'`'));
        QVERIFY(item->text(column).contains(u"carol"));
        const QString html = item->data(column, DiagnosticsPanel::MessageHtmlRole).toString();
        QVERIFY2(html.contains(u"<code>carol</code>") && !html.contains(u'`'), qPrintable(html));
        // The whole message, as rich text so that QToolTip wraps it.
        QVERIFY(item->toolTip(column).contains(html));
        QVERIFY(Qt::mightBeRichText(item->toolTip(column)));

        // Narrow, the message takes several lines and its row grows to hold them all.
        const int line = panel.fontMetrics().height();
        QTextDocument wrapped;
        wrapped.setDocumentMargin(0);
        wrapped.setDefaultFont(panel.font());
        wrapped.setHtml(html);
        wrapped.setTextWidth(panel.header()->sectionSize(column));
        QVERIFY2(wrapped.size().height() > 2 * line, "the message fits one line: test a longer one");
        QTRY_VERIFY(panel.visualItemRect(item).height() >= wrapped.size().height());
        const int narrowHeight = panel.visualItemRect(item).height();
        // Wider, it re-wraps into fewer lines.
        panel.resize(3000, 600);
        QTRY_VERIFY(panel.visualItemRect(item).height() < narrowHeight);
        QVERIFY(panel.visualItemRect(item).height() < 3 * line);
    }

    void comparisonHeadlineShowsNamesAsCode()
    {
        // Both runs take about 100 ms; in the second the worker blocks instead of awaiting, which
        // the headline names it for.
        MainWindow window;
        QVERIFY(window.openFile(writeFile(m_dir, u"awaits.scn"_qs,
            u"async fn work() { io(\"read\", 20ms).await; }\n"
            u"async fn main() { let w = spawn work() as \"worker\"; sleep(100ms).await; w.await; }\n"_qs)));
        QVERIFY(waitForRun(window));
        const std::shared_ptr<const RunResult> awaits = window.result();
        QVERIFY(window.openFile(writeFile(m_dir, u"blocks.scn"_qs,
            u"async fn work() { block(\"read\", 20ms); }\n"
            u"async fn main() { let w = spawn work() as \"worker\"; sleep(100ms).await; w.await; }\n"_qs)));
        QVERIFY(waitForRun(window));
        ComparisonWindow comparison;
        comparison.setRuns(awaits, u"awaits"_qs, window.result(), u"blocks"_qs);
        QCOMPARE(comparison.comparison().headline,
            u"both finished in about 100 ms; `worker` spends 20 ms less being polled in \"awaits\" "
            u"than in \"blocks\""_qs);
        const QLabel& headline = comparison.headline();
        QCOMPARE(headline.textFormat(), Qt::RichText);
        QCOMPARE(headline.text(),
            u"both finished in about 100 ms; <code>worker</code> spends 20 ms less being polled in "
            u"&quot;awaits&quot; than in &quot;blocks&quot;"_qs);
    }

    void fileChangesReload()
    {
        MainWindow window;
        const QString path = writeFile(m_dir, u"watched.scn"_qs, u"async fn main() { sleep(5ms).await; }\n"_qs);
        QVERIFY(window.openFile(path));
        QVERIFY(waitForRun(window));
        writeFile(m_dir, u"watched.scn"_qs, u"async fn main() { sleep(7ms).await; }\n"_qs);
        QTRY_VERIFY_WITH_TIMEOUT(window.result() && window.result()->trace->report.elapsed == 7'010'000, 10'000);
    }

    void aSecondRunWaitsForTheFirst()
    {
        MainWindow window;
        window.openBuiltin(u"chat-blocking"_qs);
        window.openBuiltin(u"page-title"_qs); // while chat-blocking may still be running
        QTRY_VERIFY_WITH_TIMEOUT(window.result() && window.result()->program->info.title == u"Page title: two awaits", 10'000);
        window.runner().waitForIdle();
    }

    void theVariantBoxFitsItsLongestVariant()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openBuiltin(u"page-title"_qs)); // none: "as written" only
        QVERIFY(waitForRun(window));
        QVERIFY(window.openBuiltin(u"await-in-loop"_qs, u"spawn first"_qs));
        QVERIFY(waitForRun(window));
        auto* box = window.findChild<QComboBox*>(u"VariantBox"_qs);
        QVERIFY(box);
        QCOMPARE(box->currentText(), u"fix: spawn first"_qs);
        const auto textRoom = [box] {
            QStyleOptionComboBox option;
            option.initFrom(box);
            option.rect = box->rect();
            option.subControls = QStyle::SC_All;
            return box->style()
                ->subControlRect(QStyle::CC_ComboBox, &option, QStyle::SC_ComboBoxEditField, box)
                .width();
        };
        QTRY_VERIFY2(textRoom() >= box->fontMetrics().horizontalAdvance(box->currentText()),
            qPrintable(QStringLiteral("%1 px for %2 px of text")
                           .arg(textRoom())
                           .arg(box->fontMetrics().horizontalAdvance(box->currentText()))));
    }

    void fixItRunsTheVariant()
    {
        MainWindow window;
        window.openBuiltin(u"await-in-loop"_qs);
        QVERIFY(waitForRun(window));
        QCOMPARE(window.result()->trace->report.elapsed, 360'010'000);
        window.openBuiltin(u"await-in-loop"_qs, u"spawn first"_qs);
        QVERIFY(waitForRun(window));
        QCOMPARE(window.result()->request.variant, u"spawn first"_qs);
        QVERIFY(window.result()->trace->report.elapsed < 121'000'000);
    }

    void comparesWithTheFix()
    {
        MainWindow window;
        window.openBuiltin(u"await-in-loop"_qs);
        QVERIFY(waitForRun(window));
        window.compareFixAction().trigger();
        QCOMPARE(window.statusBar()->currentMessage(), u"Running spawn first to compare…"_qs);
        QTRY_VERIFY_WITH_TIMEOUT(window.comparison() && window.comparison()->isVisible(), 10'000);
        // The second run has ended: the status bar no longer says it is running.
        QCOMPARE(window.statusBar()->currentMessage(), QString());
        const Comparison& c = window.comparison()->comparison();
        QCOMPARE(c.headline,
            u"\"spawn first\" finished 3.0× sooner than \"Await inside a loop\": 120 ms against "
            u"360 ms"_qs);
        QCOMPARE(c.elapsedBefore, 360'010'000);
        // One time axis: zooming the lower timeline moves the upper one.
        window.comparison()->after().zoomIn();
        QCOMPARE(window.comparison()->before().frame().range.start, window.comparison()->after().frame().range.start);
        QCOMPARE(window.comparison()->before().frame().range.end, window.comparison()->after().frame().range.end);
    }

    void theEndOfAComparisonKeepsANewerMessage()
    {
        MainWindow window;
        window.openBuiltin(u"await-in-loop"_qs);
        QVERIFY(waitForRun(window));
        window.compareFixAction().trigger();
        // Shown while the second run computes, as an export's "Wrote" would be.
        window.statusBar()->showMessage(u"Wrote /tmp/slide.png"_qs);
        QTRY_VERIFY_WITH_TIMEOUT(window.comparison() && window.comparison()->isVisible(), 10'000);
        QCOMPARE(window.statusBar()->currentMessage(), u"Wrote /tmp/slide.png"_qs);
    }

    void comparisonShowsTheDiagnostics()
    {
        // chat-blocking warns at carol's blocking poll and broadcaster's wait from 150 ms; each
        // timeline of a comparison has the warning signs of its own run, as the main window does.
        MainWindow window;
        window.openBuiltin(u"chat-blocking"_qs);
        QVERIFY(waitForRun(window));
        const std::shared_ptr<const RunResult> blocking = window.result();
        window.openBuiltin(u"chat-async"_qs);
        QVERIFY(waitForRun(window));
        const std::shared_ptr<const RunResult> async = window.result();
        QCOMPARE(blocking->markers->size(), std::size_t(2));
        ComparisonWindow comparison;
        comparison.setRuns(blocking, u"blocking"_qs, async, u"async"_qs);
        comparison.resize(1300, 1200);
        comparison.show();
        QVERIFY(QTest::qWaitForWindowExposed(&comparison));
        const auto signs = [](TimelineView& view) {
            const QImage image = view.viewport()->grab().toImage();
            QSet<int> lanes; // that show a sign's yellow
            const TimelineLayout layout = view.renderer().layout(view.frame());
            for (int y = layout.lanes.top(); y <= layout.lanes.bottom(); ++y) {
                for (int x = layout.lanes.left(); x <= layout.lanes.right(); ++x) {
                    if (image.pixelColor(x, y) == view.theme().diagnostic)
                        lanes.insert((y - layout.lanes.top() + layout.scrollY) /
                            TimelineRenderer::kLaneHeight);
                }
            }
            return lanes;
        };
        const TimelineModel& before = *comparison.before().model();
        QCOMPARE(signs(comparison.before()),
            (QSet<int> { before.laneOfTask(blocking->markers->at(0).task),
                before.laneOfTask(blocking->markers->at(1).task) }));
        QCOMPARE(signs(comparison.after()).size(), qsizetype(async->markers->size()));
    }

    void darkThemeDarkensEveryWindow()
    {
        MainWindow window;
        window.openBuiltin(u"await-in-loop"_qs);
        QVERIFY(waitForRun(window));
        window.darkThemeAction().setChecked(false); // whatever the last run saved
        const QPalette light = QApplication::palette();
        window.darkThemeAction().setChecked(true);
        QVERIFY(window.timeline().theme().isDark);
        // The panels, the source and the tables around the timeline darken with it.
        QCOMPARE(
            QApplication::palette().color(QPalette::Base), window.timeline().theme().background);
        QTRY_VERIFY(window.eventTable().palette().color(QPalette::Base).lightness() < 64);
        QVERIFY(window.eventTable().palette().color(QPalette::Text).lightness() > 192);
        window.compareFixAction().trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.comparison() && window.comparison()->isVisible(), 10'000);
        QVERIFY(window.comparison()->before().theme().isDark);
        QVERIFY(window.comparison()->after().theme().isDark);
        window.darkThemeAction().setChecked(false);
        QVERIFY(!window.timeline().theme().isDark);
        QVERIFY(!window.comparison()->after().theme().isDark);
        QCOMPARE(QApplication::palette(), light);
    }

    void playbackIconsStayVisibleInTheDarkTheme()
    {
        // The style draws its media glyphs dark whatever the palette: on a dark toolbar they
        // are drawn in the palette's text colour instead.
        MainWindow window;
        window.darkThemeAction().setChecked(false);
        QAction* play = nullptr;
        for (QAction* action : window.actions()) {
            if (action->shortcut() == QKeySequence(Qt::Key_Space))
                play = action;
        }
        QVERIFY(play);
        const auto glyphLightness = [&] { // of the Play icon's opaque pixels, on average
            const QImage image =
                play->icon().pixmap(16, 16).toImage().convertToFormat(QImage::Format_ARGB32);
            int sum = 0, count = 0;
            for (int y = 0; y < image.height(); ++y) {
                for (int x = 0; x < image.width(); ++x) {
                    if (qAlpha(image.pixel(x, y)) > 128) {
                        sum += QColor(image.pixel(x, y)).lightness();
                        ++count;
                    }
                }
            }
            return count > 0 ? sum / count : -1;
        };
        const int light = glyphLightness();
        QVERIFY2(light >= 0 && light < 128, qPrintable(QString::number(light)));
        window.darkThemeAction().setChecked(true);
        QTRY_VERIFY2(glyphLightness() > 192, qPrintable(QString::number(glyphLightness())));
        window.darkThemeAction().setChecked(false);
        QTRY_COMPARE(glyphLightness(), light);
    }

    void comparesTheModelWithARealRun()
    {
        MainWindow window;
        window.openBuiltin(u"blocking-in-loop"_qs);
        QVERIFY(waitForRun(window));
        window.compareRuntimeAction().trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.comparison() && window.comparison()->isVisible(), 20'000);
        const Comparison& c = window.comparison()->comparison();
        // Each side named by its scenario; the real run says where it ran.
        QCOMPARE(c.titleBefore, u"A blocking call in the loop"_qs);
        QCOMPARE(c.titleAfter, u"A blocking call in the loop (Qt event loop)"_qs);
        QCOMPARE(c.pollsBefore, c.pollsAfter); // the same shape on both runtimes
        // The headline tells the runs apart by runtime, not by their near-equal titles.
        QVERIFY2(!c.headline.contains(u"A blocking call"), qPrintable(c.headline));
        QVERIFY2(c.headline.startsWith(u"both finished in about ") ||
                c.headline.contains(u"the model run"),
            qPrintable(c.headline));

        // Closed from the keyboard, with Esc or the platform's Close keys.
        for (const QKeySequence& keys :
            { QKeySequence(Qt::Key_Escape), QKeySequence(QKeySequence::Close) }) {
            QWidget* comparison = window.comparison();
            comparison->show();
            comparison->activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(comparison));
            QTest::keySequence(comparison, keys);
            QTRY_VERIFY2(!comparison->isVisible(), qPrintable(keys.toString()));
        }
    }

    void nextPollOfTaskStepsTheTaskPickedInTheTasksTable()
    {
        // chat-blocking: main spawns broadcaster, alice, bob and carol. Picked in the Tasks
        // table, alice is the selected task: Ctrl+Right goes from poll to poll of hers, however
        // the cursor moved in between, and her lane's name is highlighted.
        MainWindow window;
        window.openBuiltin(u"chat-blocking"_qs);
        QVERIFY(waitForRun(window));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const Trace& trace = *window.result()->trace;
        const TaskId alice = taskNamed(trace, u"alice"_qs);
        QVERIFY(alice != kNoTask);
        window.playback().goToStart();
        window.playback().stepForward(); // main's first poll
        QCOMPARE(cursorTask(window), kMainTask);
        window.details().setCurrentWidget(&window.taskTable());
        QVERIFY(clickRow(window.taskTable(), TaskMetricsModel::TaskColumn,
            TaskMetricsModel::TaskRole, qint64(alice)));
        QCOMPARE(window.timeline().zoom()->selectedTask(), alice);
        QCOMPARE(window.timeline().frame().selectedTask, alice);
        window.nextPollOfTaskAction().trigger();
        QCOMPARE(cursorTask(window), alice);
        const qint64 first = window.playback().currentPoll();
        window.playback().stepForward(); // someone else's poll: alice stays selected
        QVERIFY(cursorTask(window) != alice);
        window.nextPollOfTaskAction().trigger();
        QCOMPARE(cursorTask(window), alice);
        QVERIFY(window.playback().currentPoll() > first);
        window.previousPollOfTaskAction().trigger();
        QCOMPARE(window.playback().currentPoll(), first);
        QCOMPARE(window.timeline().zoom()->selectedTask(), alice);
    }

    void everyWayOfPickingATaskSelectsIt()
    {
        // A lane's name, a poll, an event row: each selects its task, for the timeline, the
        // Tasks table and Next Poll of Selected Task alike.
        MainWindow window;
        window.openBuiltin(u"chat-blocking"_qs);
        QVERIFY(waitForRun(window));
        // Room for the lanes beside the docks, whatever size an earlier test's window saved (a
        // first start fits the offscreen screen's 800 px now, not 1480).
        window.resize(1480, 920);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const Trace& trace = *window.result()->trace;
        const TimelineModel& model = *window.timeline().model();
        const TaskId bob = taskNamed(trace, u"bob"_qs);
        const TaskId carol = taskNamed(trace, u"carol"_qs);
        TimelineView& timeline = window.timeline();
        // The docks fit the window after it shows; on a busy machine that resize can land
        // between taking the layout below and the click that uses it.
        QSize viewportSize;
        QTRY_VERIFY(std::exchange(viewportSize, timeline.viewport()->size()) == timeline.viewport()->size());
        const auto tasksRow = [&] {
            return TaskId(
                window.taskTable().currentIndex().data(TaskMetricsModel::TaskRole).toLongLong());
        };

        // bob's name on the timeline.
        TimelineLayout layout = timeline.renderer().layout(timeline.frame());
        QTest::mouseClick(timeline.viewport(), Qt::LeftButton, Qt::NoModifier,
            QPoint(layout.labels.left() + 30, layout.laneCenter(model.laneOfTask(bob))));
        QCOMPARE(timeline.zoom()->selectedTask(), bob);
        QCOMPARE(tasksRow(), bob);
        window.playback().goToStart();
        window.nextPollOfTaskAction().trigger();
        QCOMPARE(cursorTask(window), bob);

        // The worker lane's name is no task: bob stays.
        QTest::mouseClick(timeline.viewport(), Qt::LeftButton, Qt::NoModifier,
            QPoint(layout.labels.left() + 30, layout.laneCenter(TimelineModel::workerLane())));
        QCOMPARE(timeline.zoom()->selectedTask(), bob);

        // A poll of carol's, then a task picked by name drops that poll's selection.
        const auto polls = model.polls();
        const auto carolsPoll = std::find_if(
            polls.begin(), polls.end(), [&](const PollItem& p) { return p.task == carol; });
        QVERIFY(carolsPoll != polls.end());
        timeline.selectPoll(qint64(carolsPoll - polls.begin()));
        QCOMPARE(timeline.zoom()->selectedTask(), carol);
        QCOMPARE(tasksRow(), carol);
        window.playback().goToStart();
        window.nextPollOfTaskAction().trigger();
        QCOMPARE(cursorTask(window), carol);
        timeline.selectTask(bob);
        QCOMPARE(timeline.zoom()->selection(), -1);

        // An event row of carol's, clicked in the Events tab; then playback moves the row
        // along with the cursor, which picks nothing.
        window.details().setCurrentWidget(&window.eventTable());
        QVERIFY(clickRow(window.eventTable(), EventLogModel::TaskColumn, EventLogModel::TaskRole,
            qint64(carol)));
        QCOMPARE(timeline.zoom()->selectedTask(), carol);
        QCOMPARE(tasksRow(), carol);
        window.playback().goToStart();
        for (int i = 0; i < 3; ++i)
            window.playback().stepForward();
        QCOMPARE(timeline.zoom()->selectedTask(), carol);
        window.nextPollOfTaskAction().trigger();
        QCOMPARE(cursorTask(window), carol);

        // A new run selects nothing; the cursor's task is stepped then.
        window.openBuiltin(u"chat-blocking"_qs);
        QVERIFY(waitForRun(window));
        QCOMPARE(window.timeline().zoom()->selectedTask(), kNoTask);
        QVERIFY(!window.taskTable().currentIndex().isValid());
    }

    void firstStartFitsTheScreen()
    {
        // With no saved geometry the window opened at 1480 x 920 whatever the screen, so on a
        // 1000 x 700 screen (or the offscreen platform's 800 x 800) parts of it lay off-screen.
        // A saved geometry is the user's, restored as it was.
        QSettings().remove(u"window"_qs); // a first start: no saved layout
        auto window = std::make_unique<MainWindow>();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        const QRect available = window->screen()->availableGeometry();
        QVERIFY2(available.width() < 1480 || available.height() < 920,
            "the screen has room for 1480 x 920: this tests nothing");
        const QRect frame = window->frameGeometry();
        QVERIFY2(available.contains(frame),
            qPrintable(QStringLiteral("%1,%2 %3 x %4")
                           .arg(frame.x())
                           .arg(frame.y())
                           .arg(frame.width())
                           .arg(frame.height())));
        // As large as the screen allows.
        const QMargins margins = window->windowHandle()->frameMargins();
        QCOMPARE(window->size(), QSize(1480, 920).boundedTo(available.size().shrunkBy(margins)));

        window->resize(600, 500);
        window->close(); // saves the geometry
        window = std::make_unique<MainWindow>();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QCOMPARE(window->size(), QSize(600, 500));
        QSettings().remove(u"window"_qs);
    }

    void sideDocksGiveWayInASmallWindow()
    {
        // At 1000 x 700 the side docks kept the widths made for 1480 px and left the timeline
        // a sliver between them. On first show, and whenever the window narrows, each takes a
        // fifth of the width at most; a dock widened by hand keeps its width until then.
        QSettings().remove(u"window"_qs); // a first start: no saved layout
        MainWindow window;
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* scenarios = window.findChild<QDockWidget*>(u"ScenarioDock"_qs);
        auto* source = window.findChild<QDockWidget*>(u"SourceDock"_qs);
        QTRY_VERIFY2(window.centralWidget()->width() >= 560,
            qPrintable(QString::number(window.centralWidget()->width())));
        QVERIFY(scenarios->width() <= 200);
        QVERIFY(source->width() <= 200);

        window.resize(1600, 1000);
        QTRY_COMPARE(window.width(), 1600);
        window.resizeDocks({ source }, { 560 }, Qt::Horizontal); // by hand
        QTRY_VERIFY(source->width() >= 540);
        window.resize(1500, 1000); // the window narrows: the dock gives way
        QTRY_VERIFY2(source->width() <= 300, qPrintable(QString::number(source->width())));
        window.resizeDocks({ source }, { 560 }, Qt::Horizontal);
        QTRY_VERIFY(source->width() >= 540);
        const int byHand = source->width();
        window.resize(1600, 1000); // wider: nothing to give
        QTRY_COMPARE(window.width(), 1600);
        QCOMPARE(source->width(), byHand);
        window.resize(1000, 700);
        QTRY_VERIFY2(window.centralWidget()->width() >= 560,
            qPrintable(QString::number(window.centralWidget()->width())));
        QSettings().remove(u"window"_qs);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
