// The event log and task metrics tables, checked with QAbstractItemModelTester.

#include "analysis/summary.h"
#include "models/eventlogmodel.h"
#include "models/taskmetricsmodel.h"
#include "runtime/executor.h"
#include "runtime/futures.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace pollscope;
using namespace std::chrono_literals;

namespace {

Task<> ticker()
{
    for (int i = 0; i < 3; ++i)
        co_await sleep(20ms);
    mark(u"ticked");
}

Task<> blockingInPoll()
{
    Runtime::current()->setSpan(2);
    auto tick = spawn(ticker(), u"ticker");
    block(u"read", 200ms);
    co_await tick;
}

Task<> yieldForever()
{
    while (true)
        co_await yieldNow();
}

Task<> leaveAYielder(int yields)
{
    auto yielder = spawn(yieldForever(), u"yielder");
    for (int i = 0; i < yields; ++i)
        co_await yieldNow();
}

std::shared_ptr<const Trace> trace()
{
    RuntimeSettings settings;
    settings.pollCost = 10'000;
    Trace t = recordRun(blockingInPoll(), settings);
    t.tables.spans.push_back(SourceSpan { 7, 5, 7, 30 }); // span 1
    t.tables.spans.push_back(SourceSpan { 12, 5, 12, 30 }); // span 2
    return std::make_shared<const Trace>(std::move(t));
}

/// The row of the first event of `kind` of task `task`.
int rowOf(const Trace& trace, EventKind kind, TaskId task)
{
    for (std::size_t i = 0; i < trace.events.size(); ++i)
        if (trace.events[i].kind == kind && trace.events[i].task == task)
            return int(i);
    return -1;
}

QString cell(const QAbstractItemModel& model, int row, int column, int role = Qt::DisplayRole)
{
    return model.data(model.index(row, column), role).toString();
}

} // namespace

class TestItemModels : public QObject
{
    Q_OBJECT

private slots:
    void eventLogIsAConsistentModel()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setTrace(trace());
        QCOMPARE(model.rowCount(), int(model.trace()->events.size()));
        QCOMPARE(model.columnCount(), int(EventLogModel::ColumnCount));
        model.setTrace(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void eventLogRows()
    {
        EventLogModel model;
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        const auto t = trace();
        model.setTrace(t);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(
            model.headerData(EventLogModel::TimeColumn, Qt::Horizontal).toString(), u"Time"_qs);
        QCOMPARE(
            model.headerData(EventLogModel::LineColumn, Qt::Horizontal).toString(), u"Line"_qs);

        // main's first poll ends Pending after its 200 ms block, at line 12 (span 2).
        const int end = rowOf(*t, EventKind::PollEnd, 0);
        QCOMPARE(cell(model, end, EventLogModel::TimeColumn), u"200.01 ms"_qs);
        QCOMPARE(cell(model, end, EventLogModel::TaskColumn), u"main"_qs);
        QCOMPARE(cell(model, end, EventLogModel::EventColumn), u"poll end"_qs);
        QCOMPARE(cell(model, end, EventLogModel::DetailsColumn), u"poll #0 \u2192 Pending"_qs);
        QCOMPARE(cell(model, end, EventLogModel::LineColumn), u"12"_qs);
        QCOMPARE(model.data(model.index(end, 0), EventLogModel::EventIndexRole).toLongLong(), end);
        QCOMPARE(
            model.data(model.index(end, 0), EventLogModel::TimeRole).toLongLong(), 200'010'000);
        QCOMPARE(model.data(model.index(end, 0), EventLogModel::TaskRole).toLongLong(), 0);
        QCOMPARE(model.data(model.index(end, 0), EventLogModel::KindRole).toInt(),
            int(EventKind::PollEnd));
        QCOMPARE(model.data(model.index(end, 0), EventLogModel::LineRole).toInt(), 12);
        QCOMPARE(
            model.data(model.index(end, EventLogModel::TimeColumn), Qt::TextAlignmentRole).toInt(),
            int(Qt::AlignRight | Qt::AlignVCenter));

        QCOMPARE(cell(model, rowOf(*t, EventKind::Spawn, 1), EventLogModel::DetailsColumn),
            u"spawned by main"_qs);
        QCOMPARE(cell(model, rowOf(*t, EventKind::Spawn, 0), EventLogModel::DetailsColumn),
            u"the run starts"_qs);
        QCOMPARE(cell(model, rowOf(*t, EventKind::BlockStart, 0), EventLogModel::DetailsColumn),
            u"block read"_qs);
        QCOMPARE(cell(model, rowOf(*t, EventKind::WaitRegistered, 1), EventLogModel::DetailsColumn),
            u"timer due at 221 ms"_qs);
        QCOMPARE(cell(model, rowOf(*t, EventKind::WaitRegistered, 0), EventLogModel::DetailsColumn),
            u"task ticker"_qs);
        QCOMPARE(cell(model, rowOf(*t, EventKind::Wake, 1), EventLogModel::DetailsColumn),
            u"by its timer"_qs);
        QCOMPARE(cell(model, rowOf(*t, EventKind::Wake, 0), EventLogModel::DetailsColumn),
            u"ticker finished"_qs);
        QCOMPARE(
            cell(model, rowOf(*t, EventKind::Mark, 1), EventLogModel::DetailsColumn), u"ticked"_qs);
        QCOMPARE(
            cell(model, rowOf(*t, EventKind::Complete, 1), EventLogModel::DetailsColumn), u"ok"_qs);
        // No line known: the cell is empty, not 0.
        QVERIFY(
            !model.data(model.index(rowOf(*t, EventKind::PollStart, 0), EventLogModel::LineColumn))
                 .isValid());
        QVERIFY(!model.data(model.index(model.rowCount(), 0)).isValid());
    }

    void eventLogTellsAStopFromAShutdown()
    {
        // The same unfinished task: cancelled when main returns, stopped when a bound ends the run.
        RuntimeSettings bounded;
        bounded.maxEvents = 100;
        for (const auto& [settings, yields, details] :
            { std::tuple { RuntimeSettings {}, 3, u"task, at shutdown"_qs },
                std::tuple { bounded, 1000, u"task, stopped with the run"_qs } }) {
            const auto t =
                std::make_shared<const Trace>(recordRun(leaveAYielder(yields), settings));
            EventLogModel model;
            model.setTrace(t);
            const int cancel = rowOf(*t, EventKind::Cancel, 1);
            QVERIFY(cancel >= 0);
            QCOMPARE(cell(model, cancel, EventLogModel::DetailsColumn), details);
        }
    }

    void eventLogIsLazy()
    {
        // A big trace: the model adds nothing per row, and any row formats on demand.
        RuntimeSettings settings;
        settings.pollCost = 1'000;
        const auto big = std::make_shared<const Trace>(recordRun(
            [](int n) -> Task<> {
                for (int i = 0; i < n; ++i)
                    co_await yieldNow();
            }(200'000),
            settings));
        EventLogModel model;
        model.setTrace(big);
        QCOMPARE(model.rowCount(), int(big->events.size()));
        QVERIFY(model.rowCount() > 600'000);
        QCOMPARE(cell(model, model.rowCount() - 1, EventLogModel::EventColumn), u"complete"_qs);
        QCOMPARE(cell(model, model.rowCount() - 2, EventLogModel::DetailsColumn),
            u"poll #200000 \u2192 Ready"_qs);
        QCOMPARE(model.trace().get(), big.get());
    }

    void taskMetricsIsAConsistentModel()
    {
        TaskMetricsModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTrace(trace());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(TaskMetricsModel::ColumnCount));
        QSortFilterProxyModel proxy;
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setSortRole(TaskMetricsModel::SortRole);
        proxy.sort(TaskMetricsModel::PendingColumn, Qt::DescendingOrder);
        QCOMPARE(cell(proxy, 0, TaskMetricsModel::TaskColumn), u"ticker"_qs);
    }

    void taskMetricsRows()
    {
        TaskMetricsModel model;
        model.setTrace(trace());
        const auto header = [&](int column) {
            return model.headerData(column, Qt::Horizontal).toString();
        };
        QCOMPARE(header(TaskMetricsModel::TaskColumn), u"Task"_qs);
        QCOMPARE(header(TaskMetricsModel::ScheduledColumn), u"Scheduled"_qs);
        QCOMPARE(header(TaskMetricsModel::LastPollColumn), u"Last poll"_qs);
        QCOMPARE(header(TaskMetricsModel::EndColumn), u"End"_qs);

        // main: 1 Pending + 1 Ready; ticker: spawned at 0, first polled at 200.01 ms.
        QCOMPARE(cell(model, 0, TaskMetricsModel::TaskColumn), u"main"_qs);
        QCOMPARE(cell(model, 0, TaskMetricsModel::ParentColumn), QString());
        QCOMPARE(cell(model, 0, TaskMetricsModel::PendingColumn), u"1"_qs);
        QCOMPARE(cell(model, 0, TaskMetricsModel::ReadyColumn), u"1"_qs);
        QCOMPARE(cell(model, 0, TaskMetricsModel::BusyColumn), u"200.02 ms"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::TaskColumn), u"ticker"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::ParentColumn), u"main"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::PendingColumn), u"3"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::ScheduledColumn), u"200.01 ms"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::FirstPollColumn), u"200.01 ms"_qs);
        QCOMPARE(cell(model, 0, TaskMetricsModel::EndColumn), u"done"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::EndColumn), u"done"_qs);
        QCOMPARE(
            model
                .data(model.index(1, TaskMetricsModel::ScheduledColumn), TaskMetricsModel::SortRole)
                .toLongLong(),
            200'010'000);
        QCOMPARE(
            model.data(model.index(1, TaskMetricsModel::PendingColumn), TaskMetricsModel::SortRole)
                .toInt(),
            3);
        QCOMPARE(model.data(model.index(1, 0), TaskMetricsModel::TaskRole).toLongLong(), 1);
        const TaskMetrics& ticker = model.metrics().tasks[1];
        QCOMPARE(ticker.busy + ticker.scheduled + ticker.idle, ticker.ended - ticker.spawned);
    }

    void taskMetricsFollowAPointInTheRun()
    {
        // Stepping back and forth changes the rows in place (a view keeps its current row);
        // the ticker's row comes and goes with its first event.
        const std::shared_ptr<const Trace> run = trace();
        TaskMetricsModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTrace(run);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        model.showUntil(1, 0); // main's PollStart
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(removed.count(), 1);
        // After main's blocking poll (200.01 ms): the ticker has waited all along.
        const int mainsEnd = rowOf(*run, EventKind::PollEnd, kMainTask);
        model.showUntil(std::size_t(mainsEnd) + 1, 200'010'000);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(cell(model, 0, TaskMetricsModel::PendingColumn), u"1"_qs);
        QCOMPARE(cell(model, 0, TaskMetricsModel::ReadyColumn), u"0"_qs);
        QCOMPARE(cell(model, 0, TaskMetricsModel::BusyColumn), u"200.01 ms"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::PendingColumn), u"0"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::ScheduledColumn), u"200.01 ms"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::IdleColumn), u"0 ms"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::FirstPollColumn), QString());
        QCOMPARE(cell(model, 0, TaskMetricsModel::EndColumn), u"running"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::EndColumn), u"running"_qs);
        QCOMPARE(changed.count(), 2);
        // With every event: the whole run's figures again.
        model.showUntil(run->events.size(), run->report.elapsed);
        QCOMPARE(cell(model, 1, TaskMetricsModel::PendingColumn), u"3"_qs);
        QCOMPARE(cell(model, 1, TaskMetricsModel::EndColumn), u"done"_qs);
        QCOMPARE(cell(model, 0, TaskMetricsModel::BusyColumn), u"200.02 ms"_qs);
        QCOMPARE(reset.count(), 0);
    }

    void taskEndSaysWhatTheSummarySays()
    {
        // The yielder main leaves behind: running until the run ends, then cancelled when main
        // returns or stopped when a bound ends the run, in the words of the summary.
        RuntimeSettings bounded;
        bounded.maxEvents = 100;
        for (const auto& [settings, yields, end] :
            { std::tuple { RuntimeSettings {}, 3, u"cancelled"_qs },
                std::tuple { bounded, 1000, u"stopped"_qs } }) {
            const auto t =
                std::make_shared<const Trace>(recordRun(leaveAYielder(yields), settings));
            TaskMetricsModel model;
            model.setTrace(t);
            QCOMPARE(cell(model, 1, TaskMetricsModel::EndColumn), end);
            QCOMPARE(cell(model, 1, TaskMetricsModel::EndColumn),
                summaryJson(*t, QString())[u"tasks"_qs][1][u"end"_qs].toString());
            const int cancel = rowOf(*t, EventKind::Cancel, 1);
            model.showUntil(std::size_t(cancel), t->events[std::size_t(cancel)].time);
            QCOMPARE(cell(model, 1, TaskMetricsModel::EndColumn), u"running"_qs);
            // The words a view makes room for.
            QVERIFY(taskEndWords().contains(end));
        }
    }
};

QTEST_GUILESS_MAIN(TestItemModels)
#include "tst_itemmodels.moc"
