// The command line as a user runs it: exit codes, output formats, bad paths and bad scripts.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

Result pollscope(const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral(POLLSCOPE_BINARY), arguments);
    process.waitForFinished(60'000);
    return Result { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                    QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError()) };
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

class TestCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void listsTheBuiltins()
    {
        const Result r = pollscope({ u"list"_qs });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(u"spawn-first"));
        QVERIFY(r.out.contains(u"Spawn first, then await"));
        QVERIFY(r.out.contains(u"[variants: spawn first]"));
    }

    void everyCommandHasHelp_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("list") << u"list"_qs << u"Lists the built-in scenarios"_qs;
        QTest::newRow("check") << u"check"_qs << u"Parses and checks a scenario"_qs;
        QTest::newRow("run") << u"run"_qs << u"--summary"_qs;
    }
    void everyCommandHasHelp()
    {
        QFETCH(QString, command);
        QFETCH(QString, phrase);
        const Result r = pollscope({ command, u"--help"_qs });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(phrase), qPrintable(r.out));
        QVERIFY(r.out.contains(u"Usage: pollscope"));
    }

    void usageErrorsExitWithTwo()
    {
        QCOMPARE(pollscope({ u"frobnicate"_qs }).exitCode, 2);
        QCOMPARE(pollscope({ u"run"_qs }).exitCode, 2);
        QCOMPARE(pollscope({ u"check"_qs }).exitCode, 2);
        const Result missing = pollscope({ u"run"_qs, u"no-such-scenario"_qs });
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains(u"no such file, and no built-in scenario"));
        QCOMPARE(pollscope({ u"run"_qs, u"spawn-first"_qs, u"--summary=xml"_qs }).exitCode, 2);
        QCOMPARE(pollscope({ u"run"_qs, u"spawn-first"_qs, u"--bogus"_qs }).exitCode, 2);
    }

    void checkReportsErrorsWithPositions()
    {
        const QString good = writeFile(m_dir, u"good.scn"_qs, u"async fn main() { sleep(1ms).await; }\n"_qs);
        const Result ok = pollscope({ u"check"_qs, good });
        QCOMPARE(ok.exitCode, 0);
        QVERIFY(ok.out.contains(u": ok"));

        const QString bad = writeFile(m_dir, u"bad.scn"_qs, u"async fn main() {\n    sleep(80).await;\n}\n"_qs);
        const Result errors = pollscope({ u"check"_qs, bad });
        QCOMPARE(errors.exitCode, 1);
        QVERIFY2(errors.err.startsWith(bad + u":2:11: error: `sleep` needs a duration"), qPrintable(errors.err));
        QVERIFY(errors.err.contains(u" 2 |     sleep(80).await;\n   |           ^~\n"));
        QCOMPARE(pollscope({ u"check"_qs, m_dir.filePath(u"absent.scn"_qs) }).exitCode, 2);
    }

    void runPrintsAResult()
    {
        const Result r = pollscope({ u"run"_qs, u"spawn-first"_qs });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, u"Spawn first, then await: completed in 120 ms (4 tasks, 13 polls)\n"_qs);
    }

    void summaryTableAndJson()
    {
        const Result table = pollscope({ u"run"_qs, u"blocking-in-loop"_qs, u"--summary"_qs });
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains(u"task    parent  polls P/R    busy  scheduled"));
        QVERIFY(table.out.contains(u"ticker  main          5/1   60 µs     200 ms"));
        QVERIFY(table.out.contains(u"elapsed 301 ms (virtual clock), completed"));

        const Result json = pollscope({ u"run"_qs, u"blocking-in-loop"_qs, u"--summary=json"_qs });
        QCOMPARE(json.exitCode, 0);
        const QJsonObject summary = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(summary.value(u"status").toString(), u"completed"_qs);
        QCOMPARE(summary.value(u"elapsed_us").toDouble(), 301020.0);
        const QJsonArray tasks = summary.value(u"tasks").toArray();
        QCOMPARE(tasks.size(), 2);
        const QJsonObject ticker = tasks.at(1).toObject();
        QCOMPARE(ticker.value(u"name").toString(), u"ticker"_qs);
        QCOMPARE(ticker.value(u"parent").toString(), u"main"_qs);
        QCOMPARE(ticker.value(u"polls_pending").toInt(), 5);
        QCOMPARE(ticker.value(u"polls_ready").toInt(), 1);
        QCOMPARE(ticker.value(u"scheduled_us").toDouble(), 200010.0);
        QCOMPARE(ticker.value(u"first_poll_us").toDouble(), 200010.0);
    }

    void eventsAreJsonLines()
    {
        const Result r = pollscope({ u"run"_qs, u"forgot-await"_qs, u"--events"_qs });
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(lines.size() > 5);
        int seq = 0;
        for (const QString& line : lines.mid(0, lines.size() - 1)) {
            const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
            QCOMPARE(event.value(u"seq").toInt(), seq++);
        }
        const QJsonObject first = QJsonDocument::fromJson(lines.first().toUtf8()).object();
        QCOMPARE(first.value(u"event").toString(), u"poll"_qs);
        QCOMPARE(first.value(u"task").toString(), u"main"_qs);
        QVERIFY(first.contains(u"line"));
        QVERIFY(r.out.contains(u"{\"event\":\"unpolled\",\"seq\":1,\"task\":\"main\",\"future\":\"save(\\\"order-1\\\")\",\"t_us\":0,\"line\":11}"));
        const QJsonObject done = QJsonDocument::fromJson(lines.last().toUtf8()).object();
        QCOMPARE(done.value(u"event").toString(), u"done"_qs);
        QCOMPARE(done.value(u"elapsed_us").toDouble(), 30010.0);
    }

    void traceOpensInPerfetto()
    {
        const QString out = m_dir.filePath(u"trace.json"_qs);
        const Result r = pollscope({ u"run"_qs, u"spawn-first"_qs, u"--trace"_qs, out });
        QCOMPARE(r.exitCode, 0);
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonObject trace = QJsonDocument::fromJson(file.readAll(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        int pending = 0, ready = 0, flowStarts = 0, flowEnds = 0;
        QStringList threads;
        for (const QJsonValue& value : trace.value(u"traceEvents").toArray()) {
            const QJsonObject e = value.toObject();
            const QString phase = e.value(u"ph").toString();
            if (phase == u"X" && e.value(u"tid").toInt() >= 1000) {
                pending += e.value(u"name").toString() == u"Pending";
                ready += e.value(u"name").toString() == u"Ready";
            }
            flowStarts += phase == u"s";
            flowEnds += phase == u"f";
            if (phase == u"M" && e.value(u"name").toString() == u"thread_name")
                threads << e.value(u"args").toObject().value(u"name").toString();
        }
        QCOMPARE(pending, 9); // main 1, each page_title 2
        QCOMPARE(ready, 4);
        QVERIFY(flowStarts > 0);
        QCOMPARE(flowStarts, flowEnds);
        QVERIFY(threads.contains(u"worker"));
        QVERIFY(threads.contains(u"reactor"));
        QVERIFY(threads.contains(u"page_title-2"));
    }

    void unwritableTraceIsAnIoError()
    {
        const QString out = m_dir.filePath(u"missing-dir/trace.json"_qs);
        const Result r = pollscope({ u"run"_qs, u"spawn-first"_qs, u"--trace"_qs, out });
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(u"cannot write"));
        QVERIFY(!QFile::exists(out));
    }

    void failingScenariosExitWithOne()
    {
        const QString failing = writeFile(m_dir, u"fails.scn"_qs, u"async fn main() { sleep(1ms).await; fail(\"broken\"); }\n"_qs);
        const Result failed = pollscope({ u"run"_qs, failing });
        QCOMPARE(failed.exitCode, 1);
        QVERIFY(failed.err.contains(u"the run failed: broken"));

        const QString invalid = writeFile(m_dir, u"invalid.scn"_qs, u"async fn main() { let x = ; }\n"_qs);
        const Result bad = pollscope({ u"run"_qs, invalid });
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains(u"invalid.scn:1:"));

        QCOMPARE(pollscope({ u"run"_qs, u"spawn-first"_qs, u"--variant"_qs, u"nope"_qs }).exitCode, 1);
    }

    void variantsRunFromTheCommandLine()
    {
        const Result r = pollscope({ u"run"_qs, u"await-in-loop"_qs, u"--variant"_qs, u"spawn first"_qs });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(u"Await inside a loop (variant \"spawn first\"): completed in 120 ms"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
