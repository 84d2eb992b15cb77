// The command line as a user runs it: exit codes, output formats, bad paths and bad scripts.

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

Result pollscope(const QStringList& arguments,
    const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(POLLSCOPE_BINARY), arguments);
    process.waitForFinished(60'000);
    return Result { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
        QString::fromUtf8(process.readAllStandardOutput()),
        QString::fromUtf8(process.readAllStandardError()) };
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

class TestCommandLine : public QObject {
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

    /// The help lists --help-all; a command has no Qt options to add, so it shows the same.
    void helpAllShowsTheHelp_data() { everyCommandHasHelp_data(); }
    void helpAllShowsTheHelp()
    {
        QFETCH(QString, command);
        const Result all = pollscope({ command, u"--help-all"_qs });
        QCOMPARE(all.exitCode, 0);
        QCOMPARE(all.err, QString());
        QCOMPARE(all.out, pollscope({ command, u"--help"_qs }).out);
    }

    /// `pollscope help run` is `pollscope run --help`.
    void helpWithACommandShowsItsHelp_data() { everyCommandHasHelp_data(); }
    void helpWithACommandShowsItsHelp()
    {
        QFETCH(QString, command);
        const Result help = pollscope({ u"help"_qs, command });
        QCOMPARE(help.exitCode, 0);
        QCOMPARE(help.err, QString());
        QCOMPARE(help.out, pollscope({ command, u"--help"_qs }).out);
        const Result unknown = pollscope({ u"help"_qs, u"nope"_qs });
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.startsWith(u"pollscope: no command \"nope\" to help with\nusage:"_qs),
            qPrintable(unknown.err));
    }

    /// The usage lists every command, `help` among them, as README.md does.
    void theUsageListsEveryCommand()
    {
        // The usage exactly as it prints.
        // clang-format off
        const QString usage =
            u"usage: pollscope [FILE.scn | --scenario NAME] [--runtime model|qt]   open the window\n"
            u"       pollscope list                           list the built-in scenarios\n"
            u"       pollscope check FILE|NAME                check a scenario without running it\n"
            u"       pollscope run FILE|NAME [options]        run headless; see pollscope run --help\n"
            u"       pollscope help [COMMAND]                 this usage, or a command's options\n"
            u"       pollscope --version                      print the version\n"_qs;
        // clang-format on
        const Result help = pollscope({ u"help"_qs });
        QCOMPARE(help.exitCode, 0);
        QCOMPARE(help.out, usage);
        QCOMPARE(help.err, QString());
        const Result unknown = pollscope({ u"frobnicate"_qs });
        QCOMPARE(unknown.exitCode, 2);
        QCOMPARE(unknown.out, QString());
        QCOMPARE(unknown.err, u"pollscope: unknown command \"frobnicate\"\n"_qs + usage);
    }

    void aMissingOrExtraArgumentIsNamed_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("run without a scenario")
            << QStringList { u"run"_qs }
            << u"run needs FILE|NAME\nusage: pollscope run FILE|NAME"_qs;
        QTest::newRow("check without a file")
            << QStringList { u"check"_qs }
            << u"check needs FILE|NAME\nusage: pollscope check FILE|NAME"_qs;
        QTest::newRow("run with two scenarios")
            << QStringList { u"run"_qs, u"spawn-first"_qs, u"page-title"_qs }
            << u"unexpected argument \"page-title\"\nusage: pollscope run FILE|NAME"_qs;
        QTest::newRow("list with an argument") << QStringList { u"list"_qs,
            u"all"_qs } << u"unexpected argument \"all\"\nusage: pollscope list"_qs;
    }
    void aMissingOrExtraArgumentIsNamed()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Result r = pollscope(arguments);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QString());
        QCOMPARE(r.err, u"pollscope: "_qs + message + u'\n');
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

    void aWrongSummaryFormatIsOneMessage_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("format");
        const QString scenario = u"spawn-first"_qs;
        QTest::newRow("--summary xml after the scenario")
            << QStringList { scenario, u"--summary"_qs, u"xml"_qs } << u"xml"_qs;
        QTest::newRow("--summary xml before the scenario")
            << QStringList { u"--summary"_qs, u"xml"_qs, scenario } << u"xml"_qs;
        QTest::newRow("--summary=xml")
            << QStringList { scenario, u"--summary=xml"_qs } << u"xml"_qs;
        QTest::newRow("--summary=") << QStringList { scenario, u"--summary="_qs } << QString();
        QTest::newRow("--summary JSON")
            << QStringList { scenario, u"--summary"_qs, u"JSON"_qs } << u"JSON"_qs;
        // The table has no name of its own: `--summary` alone is the table.
        QTest::newRow("--summary text")
            << QStringList { scenario, u"--summary"_qs, u"text"_qs } << u"text"_qs;
        QTest::newRow("--summary=text")
            << QStringList { scenario, u"--summary=text"_qs } << u"text"_qs;
        QTest::newRow("a wrong format among right ones") << QStringList { scenario,
            u"--summary=json"_qs, u"--summary"_qs, u"xml"_qs, u"--summary"_qs }
                                                         << u"xml"_qs;
    }
    /// One line that names the accepted forms, before anything runs.
    void aWrongSummaryFormatIsOneMessage()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, format);
        const Result r = pollscope(QStringList { u"run"_qs } + arguments);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QString());
        QCOMPARE(r.err,
            u"pollscope: unknown summary format \""_qs + format +
                u"\": use --summary for the table, or --summary json (also --summary=json) for "
                u"JSON\n"_qs);
    }

    void summaryNeverTakesTheScenarioAsItsFormat_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("title");
        const QString file = writeFile(m_dir, u"one-sleep.scn"_qs,
            u"scenario \"One sleep\"\nasync fn main() { sleep(1ms).await; }\n"_qs);
        // Without .scn: a file that exists is a scenario all the same.
        const QString plain = writeFile(m_dir, u"plain-name"_qs,
            u"scenario \"Plain name\"\nasync fn main() { sleep(1ms).await; }\n"_qs);
        QTest::newRow("built-in") << QStringList { u"--summary"_qs, u"spawn-first"_qs }
                                  << u"Spawn first, then await"_qs;
        QTest::newRow("file") << QStringList { u"--summary"_qs, file } << u"One sleep"_qs;
        QTest::newRow("file without .scn")
            << QStringList { u"--summary"_qs, plain } << u"Plain name"_qs;
        QTest::newRow("last") << QStringList { u"spawn-first"_qs, u"--summary"_qs }
                              << u"Spawn first, then await"_qs;
        QTest::newRow("before an option") << QStringList { u"--summary"_qs, u"--variant"_qs,
            u"spawn first"_qs, u"await-in-loop"_qs }
                                          << u"Await inside a loop (variant \"spawn first\")"_qs;
        QTest::newRow("json, then the table") << QStringList { u"spawn-first"_qs, u"--summary"_qs,
            u"json"_qs, u"--summary"_qs } << u"Spawn first, then await"_qs;
    }
    /// A word after `--summary` that names a scenario is the scenario; the summary is the table.
    void summaryNeverTakesTheScenarioAsItsFormat()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, title);
        const Result r = pollscope(QStringList { u"run"_qs } + arguments);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.err, QString());
        QVERIFY2(r.out.startsWith(title + u"\ntask "_qs), qPrintable(r.out));
    }

    void aComparedRunThatFailsFailsTheCommand()
    {
        const QString failing = writeFile(m_dir, u"quits.scn"_qs,
            u"async fn main() { sleep(1ms).await; fail(\"gave up\"); }\n"_qs);
        const Result r = pollscope({ u"run"_qs, u"await-in-loop"_qs, u"--compare"_qs, failing });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.out.startsWith(
                u"\"Await inside a loop\": completed in 360 ms; \"quits\": failed in 1.01 ms\n"),
            qPrintable(r.out));
        QVERIFY2(r.err.startsWith(u"pollscope: the compared run (quits) failed: "_qs + failing +
                     u":1:37: error: gave up\n"),
            qPrintable(r.err));
    }

    /// The headline names the runs in the table's order: the first run first.
    void aComparisonsHeadlineFollowsTheTable()
    {
        const QString stop = writeFile(m_dir, u"stop.scn"_qs,
            u"scenario \"Stops at bound\"\n"
            u"runtime current_thread(max_time: 50ms)\n"
            u"async fn spin() { loop { sleep(10ms).await; } }\n"
            u"async fn main() { let h = spawn spin(); h.await; }\n"_qs);
        const QString cancel = writeFile(m_dir, u"cancel.scn"_qs,
            u"scenario \"Cancel at end\"\n"
            u"async fn worker() { loop { sleep(10ms).await; } }\n"
            u"async fn main() { let w = spawn worker(); sleep(30ms).await; }\n"_qs);
        const Result r = pollscope({ u"run"_qs, stop, u"--compare"_qs, cancel });
        QCOMPARE(r.exitCode, 1);
        const QStringList lines = r.out.split(u'\n');
        QVERIFY2(lines.size() > 3, qPrintable(r.out));
        QCOMPARE(lines.at(0),
            u"\"Stops at bound\": limit reached in 50 ms; \"Cancel at end\": completed in 30 ms"_qs);
        QCOMPARE(lines.at(2).simplified(), u"Stops at bound Cancel at end change"_qs);
    }

    void aComparisonExitsAsEitherRunWould_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QStringList>("messages"); ///< the lines that start the error output
        const QString failing = writeFile(m_dir, u"gives-up.scn"_qs,
            u"async fn main() { sleep(1ms).await; fail(\"gave up\"); }\n"_qs);
        const QString stuck = writeFile(m_dir, u"stuck-variant.scn"_qs,
            u"async fn main() { sleep(1ms).await; }\n"
            u"variant \"stuck\" {\n"
            u"    async fn main() { let c = channel(1); c.recv().await; }\n"
            u"}\n"_qs);
        const QString endless = writeFile(m_dir, u"endless.scn"_qs,
            u"runtime current_thread(max_events: 1000)\n"
            u"async fn main() { loop { yield_now().await; } }\n"_qs);
        const QString failed =
            u"pollscope: the run failed: "_qs + failing + u":1:37: error: gave up"_qs;
        const QString deadlocked = u"pollscope: the compared run (stuck): "_qs + stuck +
            u":3:43: error: deadlock: main is Pending and nothing is left that could wake it"_qs;
        QTest::newRow("both complete") << QStringList { u"spawn-first"_qs, u"--compare"_qs,
            u"page-title"_qs } << 0 << QStringList {};
        QTest::newRow("this run fails") << QStringList { failing, u"--compare"_qs,
            u"spawn-first"_qs } << 1 << QStringList { failed };
        QTest::newRow("the compared variant deadlocks") << QStringList { stuck,
            u"--compare-variant"_qs, u"stuck"_qs } << 1 << QStringList { deadlocked };
        QTest::newRow("the compared run stops at a bound")
            << QStringList { u"spawn-first"_qs, u"--compare"_qs, endless } << 1
            << QStringList { u"pollscope: the compared run (endless): "_qs + endless +
                   u":2:26: error: the run stopped after 1000 events (max_events)"_qs };
        QTest::newRow("both fail")
            << QStringList { failing, u"--compare"_qs, stuck, u"--compare-variant"_qs, u"stuck"_qs }
            << 1 << QStringList { failed, deadlocked };
    }

    /// The exit code is 1 when either run did not complete, as that run would exit alone.
    void aComparisonExitsAsEitherRunWould()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QStringList, messages);
        const Result r = pollscope(QStringList { u"run"_qs } + arguments);
        QCOMPARE(r.exitCode, exitCode);
        const QStringList reported = r.err.split(u'\n').filter(u"pollscope: "_qs);
        QCOMPARE(reported.size(), messages.size());
        for (qsizetype i = 0; i < messages.size(); ++i)
            QVERIFY2(reported.at(i).startsWith(messages.at(i)), qPrintable(r.err));
    }

    void writingToAPipeKeepsThePipe()
    {
        // A trace written to a FIFO goes down the pipe: an atomic save would rename a regular
        // file over it (and, run as root, over a device such as /dev/null).
        const QString fifo = m_dir.filePath(u"trace.fifo"_qs);
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        // Opened first without blocking, so the writer finds a reader; the trace fits the pipe.
        const int reader = ::open(QFile::encodeName(fifo).constData(), O_RDONLY | O_NONBLOCK);
        QVERIFY(reader >= 0);
        const Result r = pollscope({ u"run"_qs, u"page-title"_qs, u"--trace"_qs, fifo });
        QByteArray received(1 << 16, '\0');
        const ssize_t size = ::read(reader, received.data(), std::size_t(received.size()));
        ::close(reader);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(size > 0 && received.startsWith("{"), qPrintable(QString::number(size)));
        struct stat status { };
        QCOMPARE(::stat(QFile::encodeName(fifo).constData(), &status), 0);
        QVERIFY(S_ISFIFO(status.st_mode));
    }

    void outputToAFullDiskIsAnIOError_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("events") << QStringList { u"run"_qs, u"spawn-first"_qs, u"--events"_qs };
        QTest::newRow("summary") << QStringList { u"run"_qs, u"spawn-first"_qs, u"--summary"_qs };
        QTest::newRow("list") << QStringList { u"list"_qs };
    }
    void outputToAFullDiskIsAnIOError()
    {
        QFETCH(QStringList, arguments);
        if (!QFileInfo::exists(u"/dev/full"_qs))
            QSKIP("no /dev/full here");
        QProcess process;
        process.setStandardOutputFile(u"/dev/full"_qs);
        process.start(QStringLiteral(POLLSCOPE_BINARY), arguments);
        QVERIFY(process.waitForFinished(60'000));
        QCOMPARE(process.exitCode(), 2);
        QCOMPARE(QString::fromUtf8(process.readAllStandardError()),
            u"pollscope: cannot write the output: No space left on device\n"_qs);
    }

    void checkSaysWhereItStoppedAfterFiftyErrors()
    {
        QString source = u"async fn main() {\n"_qs;
        for (int i = 0; i < 80; ++i)
            source += u"    let = ;\n"_qs;
        const QString many = writeFile(m_dir, u"many.scn"_qs, source + u"}\n"_qs);
        const Result r = pollscope({ u"check"_qs, many });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(many + u":52:5: error: too many errors: the check stops here"),
            qPrintable(r.err.right(300)));
        QVERIFY2(r.err.endsWith(u"\n51 errors\n"_qs), qPrintable(r.err.right(300)));
    }

    /// Each variant compiles on its own: all of them are checked, and the errors counted.
    void checkReportsTheErrorsOfEveryVariant()
    {
        const QString variants = writeFile(m_dir, u"variants.scn"_qs,
            u"scenario \"Variants\"\n"
            u"async fn main() { sleep(1ms).await; }\n"
            u"variant \"one\" {\n"
            u"    async fn main() { sleep(80).await; }\n"
            u"}\n"
            u"variant \"two\" {\n"
            u"    async fn main() { sleep(1ms).await; nope(); }\n"
            u"}\n"_qs);
        const Result r = pollscope({ u"check"_qs, variants });
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QString());
        // Each variant's errors under its name: shared code can be wrong in one variant only.
        QVERIFY2(r.err.startsWith(u"with variant \"one\":\n"_qs + variants +
                     u":4:29: error: `sleep` needs a duration"),
            qPrintable(r.err));
        QVERIFY2(r.err.contains(u"\nwith variant \"two\":\n"_qs + variants +
                     u":7:41: error: unknown function `nope`"),
            qPrintable(r.err));
        QVERIFY2(r.err.endsWith(u"\n2 errors\n"_qs), qPrintable(r.err));
    }

    /// A base with errors still has its variants checked: each reports what it adds, once.
    void checkReportsAVariantsErrorsAfterTheBases()
    {
        const QString file = writeFile(m_dir, u"bad-base-and-variant.scn"_qs, kBadBaseAndVariant);
        const Result r = pollscope({ u"check"_qs, file });
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QString());
        QCOMPARE(r.err, kBadBaseErrors.arg(file) + kBadVariantErrors.arg(file) + u"4 errors\n"_qs);
    }

    /// `run --variant` reports the errors of the code it would run: the variant replaces main,
    /// so the base's errors in main do not apply, and the variant's own do.
    void runReportsTheErrorsOfTheVariantItRuns()
    {
        const QString file = writeFile(m_dir, u"bad-base-and-variant.scn"_qs, kBadBaseAndVariant);
        const Result variant = pollscope({ u"run"_qs, file, u"--variant"_qs, u"fix"_qs });
        QCOMPARE(variant.exitCode, 1);
        QCOMPARE(variant.out, QString());
        QCOMPARE(variant.err, kBadVariantErrors.arg(file));
        const Result base = pollscope({ u"run"_qs, file });
        QCOMPARE(base.exitCode, 1);
        QCOMPARE(base.err, kBadBaseErrors.arg(file));
        // The variants are known although the base does not compile.
        const Result unknown = pollscope({ u"run"_qs, file, u"--variant"_qs, u"nope"_qs });
        QCOMPARE(unknown.exitCode, 2);
        QCOMPARE(unknown.err,
            u"pollscope: bad-base-and-variant has no variant \"nope\"; its variants are "
            u"\"fix\"\n"_qs);
    }

    /// Shared code compiles in every variant: its error is the base's, reported once.
    void checkReportsSharedErrorsOnce()
    {
        const QString file = writeFile(m_dir, u"shared-error.scn"_qs,
            u"async fn helper() { nope(); }\n"
            u"async fn main() { helper().await; }\n"
            u"variant \"one\" {\n"
            u"    async fn main() { sleep(1ms).await; helper().await; }\n"
            u"}\n"_qs);
        const Result r = pollscope({ u"check"_qs, file });
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err,
            file +
                u":1:21: error: unknown function `nope`\n"
                u" 1 | async fn helper() { nope(); }\n"
                u"   |                     ^~~~~~\n"
                u"1 error\n"_qs);
    }

    void anUnknownVariantIsAUsageError_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("--variant")
            << QStringList { u"--variant"_qs, u"nope"_qs }
            << u"await-in-loop has no variant \"nope\"; its variants are \"spawn first\""_qs;
        QTest::newRow("--compare-variant")
            << QStringList { u"--compare-variant"_qs, u"nope"_qs }
            << u"await-in-loop has no variant \"nope\"; its variants are \"spawn first\""_qs;
        QTest::newRow("--compare-variant of --compare's scenario") << QStringList {
            u"--compare"_qs, u"page-title"_qs, u"--compare-variant"_qs, u"nope"_qs
        } << u"page-title has no variant \"nope\"; it has none"_qs;
    }

    /// Before anything runs, and naming the scenario as the user did.
    void anUnknownVariantIsAUsageError()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Result r = pollscope(QStringList { u"run"_qs, u"await-in-loop"_qs } + arguments);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QString());
        QCOMPARE(r.err, u"pollscope: "_qs + message + u'\n');
    }

    void aScenarioWithErrorsIsReportedAsCheckReportsIt_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("checked"); ///< the file whose `check` prints the same errors
        QTest::addColumn<QString>("start");
        const QString base = writeFile(m_dir, u"broken-base.scn"_qs,
            u"async fn main() { let x = ; }\n"
            u"variant \"fast\" {\n"
            u"    async fn main() { sleep(1ms).await; }\n"
            u"}\n"_qs);
        const QString variant = writeFile(m_dir, u"broken-variant.scn"_qs,
            u"async fn main() { sleep(1ms).await; }\n"
            u"variant \"slow\" {\n"
            u"    async fn main() { sleep(80).await; }\n"
            u"}\n"_qs);
        const QString baseError = base + u":1:27: error: "_qs;
        const QString variantError =
            u"with variant \"slow\":\n"_qs + variant + u":3:29: error: `sleep` needs a duration"_qs;
        // A scenario that does not parse has no variants to look for: its errors say what is
        // wrong.
        QTest::newRow("--variant of a scenario that does not parse")
            << QStringList { base, u"--variant"_qs, u"fast"_qs } << base << baseError;
        QTest::newRow("--variant with errors")
            << QStringList { variant, u"--variant"_qs, u"slow"_qs } << variant << variantError;
        QTest::newRow("--compare-variant with errors")
            << QStringList { variant, u"--compare-variant"_qs, u"slow"_qs } << variant
            << variantError;
        QTest::newRow("--compare with errors, --compare-variant") << QStringList {
            u"spawn-first"_qs, u"--compare"_qs, base, u"--compare-variant"_qs, u"fast"_qs
        } << base << baseError;
        QTest::newRow("--compare, --compare-variant with errors") << QStringList {
            u"spawn-first"_qs, u"--compare"_qs, variant, u"--compare-variant"_qs, u"slow"_qs
        } << variant << variantError;
    }

    /// As `check` prints them, without the count, and exiting as for any scenario with errors.
    void aScenarioWithErrorsIsReportedAsCheckReportsIt()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, checked);
        QFETCH(QString, start);
        const Result r = pollscope(QStringList { u"run"_qs } + arguments);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QString());
        QVERIFY2(r.err.startsWith(start), qPrintable(r.err));
        QCOMPARE(r.err + u"1 error\n"_qs, pollscope({ u"check"_qs, checked }).err);
    }

    void filesPastFourMebibytesAreRefused()
    {
        // A device has size 0 and may never end: what counts is what is read.
        const QString big = writeFile(m_dir, u"big.scn"_qs, QString((4 << 20) + 1, u' '));
        for (const QString& path : { big, u"/dev/zero"_qs }) {
            const Result r = pollscope({ u"check"_qs, path });
            QCOMPARE(r.exitCode, 2);
            QCOMPARE(
                r.err, u"pollscope: "_qs + path + u" is larger than 4 MiB; is it a scenario?\n"_qs);
        }
    }

    void onlyKnownCommandsLeaveTheWindow_data()
    {
        // The window's own parser rejects --no-such-option (a usage error, exit 2) before
        // anything opens; the command line would call the first argument an unknown command.
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("--runtime qt FILE")
            << QStringList { u"--runtime"_qs, u"qt"_qs, u"x.scn"_qs, u"--no-such-option"_qs };
        QTest::newRow("--scenario NAME")
            << QStringList { u"--scenario"_qs, u"spawn-first"_qs, u"--no-such-option"_qs };
        QTest::newRow("--scenario=NAME")
            << QStringList { u"--scenario=spawn-first"_qs, u"--no-such-option"_qs };
        QTest::newRow("FILE") << QStringList { u"x.scn"_qs, u"--no-such-option"_qs };
        QTest::newRow("option first") << QStringList { u"--no-such-option"_qs };
    }
    void onlyKnownCommandsLeaveTheWindow()
    {
        QFETCH(QStringList, arguments);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"QT_QPA_PLATFORM"_qs, u"offscreen"_qs);
        const Result r = pollscope(arguments, environment);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"Unknown option 'no-such-option'."), qPrintable(r.err));
        QVERIFY(!r.err.contains(u"unknown command"));
    }

    void versionNeedsNoWindow()
    {
        const Result r = pollscope({ u"--version"_qs });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, u"Pollscope 0.1\n"_qs);
        const Result unknown = pollscope({ u"frobnicate"_qs });
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.startsWith(u"pollscope: unknown command \"frobnicate\"\n"));
    }

    void compareTakesTheOtherScenariosVariant()
    {
        const Result r =
            pollscope({ u"run"_qs, u"await-in-loop"_qs, u"--compare"_qs, u"await-in-loop"_qs,
                u"--compare-variant"_qs, u"spawn first"_qs, u"--summary=json"_qs });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject comparison =
            QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"comparison"_qs).toObject();
        QVERIFY2(!comparison.isEmpty(), qPrintable(r.out));
        QCOMPARE(comparison.value(u"headline"_qs).toString(),
            u"\"spawn first\" finished 3.0× sooner than \"Await inside a loop\": 120 ms against "
            u"360 ms"_qs);

        // Without --compare-variant the other scenario runs as written: the same run twice.
        const Result same =
            pollscope({ u"run"_qs, u"await-in-loop"_qs, u"--compare"_qs, u"await-in-loop"_qs });
        QCOMPARE(same.exitCode, 0);
        QVERIFY2(same.out.startsWith(u"both finished in about 360 ms\n"), qPrintable(same.out));

        // The table: the first run's summary and diagnostics, a blank line, the comparison.
        const Result table = pollscope({ u"run"_qs, u"await-in-loop"_qs, u"--summary"_qs,
            u"--compare-variant"_qs, u"spawn first"_qs });
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.startsWith(u"Await inside a loop\ntask "_qs), qPrintable(table.out));
        QVERIFY2(table.out.contains(
                     u".\n\n\"spawn first\" finished 3.0× sooner than \"Await inside a loop\": 120 "
                     u"ms against 360 ms\n\n"_qs),
            qPrintable(table.out));

        // Variants of one name in two scenarios are named by their scenarios' titles.
        const QString slow = writeFile(m_dir, u"slow.scn"_qs,
            u"scenario \"Slow, then fixed\"\n"
            u"async fn main() { sleep(100ms).await; }\n"
            u"variant \"fix\" { async fn main() { sleep(50ms).await; } }\n"_qs);
        const QString slower = writeFile(m_dir, u"slower.scn"_qs,
            u"scenario \"Slower, then fixed\"\n"
            u"async fn main() { sleep(200ms).await; }\n"
            u"variant \"fix\" { async fn main() { sleep(20ms).await; } }\n"_qs);
        const Result fixes = pollscope({ u"run"_qs, slow, u"--variant"_qs, u"fix"_qs,
            u"--compare"_qs, slower, u"--compare-variant"_qs, u"fix"_qs });
        QCOMPARE(fixes.exitCode, 0);
        QVERIFY2(fixes.out.startsWith(
                     u"\"Slower, then fixed (variant fix)\" finished 2.5× sooner than \"Slow, "
                     u"then fixed (variant fix)\": 20 ms against 50 ms\n"_qs),
            qPrintable(fixes.out));

        const Result missing = pollscope({ u"run"_qs, u"await-in-loop"_qs, u"--compare"_qs,
            u"spawn-first"_qs, u"--compare-variant"_qs, u"nope"_qs });
        QCOMPARE(missing.exitCode, 2); // a usage error, as for --variant
    }

    void summaryJsonWithAComparisonIsOneDocument_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("titles");
        QTest::addColumn<QStringList>("variants"); ///< empty: the run is no variant
        QTest::addColumn<QStringList>("labels"); ///< the comparison's before and after
        const QString awaitInLoop = u"Await inside a loop"_qs;
        const QString spawnFirst = u"spawn first"_qs;
        const QString variantTitle = awaitInLoop + u" (variant \"spawn first\")"_qs;
        QTest::newRow("--compare-variant")
            << QStringList { u"await-in-loop"_qs, u"--compare-variant"_qs, spawnFirst }
            << QStringList { awaitInLoop, variantTitle } << QStringList { QString(), spawnFirst }
            << QStringList { awaitInLoop, spawnFirst };
        QTest::newRow("--variant, --compare")
            << QStringList { u"await-in-loop"_qs, u"--variant"_qs, spawnFirst, u"--compare"_qs,
                   u"await-in-loop"_qs }
            << QStringList { variantTitle, awaitInLoop } << QStringList { spawnFirst, QString() }
            << QStringList { spawnFirst, awaitInLoop };
        QTest::newRow("--compare")
            << QStringList { u"spawn-first"_qs, u"--compare"_qs, u"page-title"_qs }
            << QStringList { u"Spawn first, then await"_qs, u"Page title: two awaits"_qs }
            << QStringList { QString(), QString() }
            << QStringList { u"Spawn first, then await"_qs, u"Page title: two awaits"_qs };
    }
    /// {"runs": [first, second], "comparison": {...}}: what a JSON parser reads whole.
    void summaryJsonWithAComparisonIsOneDocument()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, titles);
        QFETCH(QStringList, variants);
        QFETCH(QStringList, labels);
        const Result r =
            pollscope(QStringList { u"run"_qs, u"--summary"_qs, u"json"_qs } + arguments);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.err, QString());
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError,
            qPrintable(error.errorString() + u" at "_qs + QString::number(error.offset)));
        QVERIFY(document.isObject());
        const QJsonArray runs = document.object().value(u"runs"_qs).toArray();
        QCOMPARE(runs.size(), 2);
        const QJsonObject comparison = document.object().value(u"comparison"_qs).toObject();
        QCOMPARE(comparison.value(u"before"_qs).toString(), labels.at(0));
        QCOMPARE(comparison.value(u"after"_qs).toString(), labels.at(1));
        QVERIFY(!comparison.value(u"headline"_qs).toString().isEmpty());
        for (qsizetype i = 0; i < 2; ++i) {
            const QJsonObject run = runs.at(i).toObject();
            QCOMPARE(run.value(u"scenario"_qs).toString(), titles.at(i));
            QCOMPARE(run.contains(u"variant"_qs), !variants.at(i).isEmpty());
            QCOMPARE(run.value(u"variant"_qs).toString(), variants.at(i));
            QCOMPARE(run.value(u"status"_qs).toString(), u"completed"_qs);
            QVERIFY(run.value(u"diagnostics"_qs).isArray());
            QVERIFY(!run.value(u"tasks"_qs).toArray().isEmpty());
            // The comparison's figures are the runs' own.
            QCOMPARE(run.value(u"elapsed_us"_qs).toDouble(),
                comparison.value(u"elapsed_us"_qs).toArray().at(i).toDouble());
            QCOMPARE(run.value(u"polls"_qs).toInteger(),
                comparison.value(u"polls"_qs).toArray().at(i).toInteger());
        }
    }

    void aComparedScenarioWithErrorsStopsBeforeTheRun()
    {
        const QString bad =
            writeFile(m_dir, u"compared-bad.scn"_qs, u"async fn main() { let x = ; }\n"_qs);
        const QString trace = m_dir.filePath(u"never-written.json"_qs);
        const Result r = pollscope({ u"run"_qs, u"spawn-first"_qs, u"--compare"_qs, bad,
            u"--summary"_qs, u"json"_qs, u"--trace"_qs, trace });
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QString());
        QVERIFY2(r.err.startsWith(bad + u":1:27: error: "_qs), qPrintable(r.err));
        QVERIFY(!QFile::exists(trace));
    }

    void checkReportsErrorsWithPositions()
    {
        const QString good =
            writeFile(m_dir, u"good.scn"_qs, u"async fn main() { sleep(1ms).await; }\n"_qs);
        const Result ok = pollscope({ u"check"_qs, good });
        QCOMPARE(ok.exitCode, 0);
        QCOMPARE(ok.out, good + u": ok\n"_qs);
        // A built-in is named as given, not by its resource path.
        QCOMPARE(pollscope({ u"check"_qs, u"spawn-first"_qs }).out, u"spawn-first: ok\n"_qs);

        const QString bad =
            writeFile(m_dir, u"bad.scn"_qs, u"async fn main() {\n    sleep(80).await;\n}\n"_qs);
        const Result errors = pollscope({ u"check"_qs, bad });
        QCOMPARE(errors.exitCode, 1);
        QVERIFY2(errors.err.startsWith(bad + u":2:11: error: `sleep` needs a duration"),
            qPrintable(errors.err));
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
        // Exact times, as the window's Tasks tab shows them.
        QVERIFY2(table.out.contains(u"task    parent  polls P/R       busy  scheduled  late       "
                                    u"idle  first poll  last poll   end\n"),
            qPrintable(table.out));
        QVERIFY2(table.out.contains(u"ticker  main          5/1      60 µs  200.01 ms  0 ms  "
                                    u"100.94 ms   200.01 ms     301 ms  done\n"),
            qPrintable(table.out));
        QVERIFY(table.out.contains(u"elapsed 301.02 ms (virtual clock), completed"));

        const Result json = pollscope({ u"run"_qs, u"blocking-in-loop"_qs, u"--summary=json"_qs });
        QCOMPARE(json.exitCode, 0);
        // The form the help shows, with the format as a separate argument, gives the same.
        const Result spaced =
            pollscope({ u"run"_qs, u"--summary"_qs, u"json"_qs, u"blocking-in-loop"_qs });
        QCOMPARE(spaced.exitCode, 0);
        QCOMPARE(spaced.out, json.out);
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
        QVERIFY(r.out.contains(u"{\"event\":\"unpolled\",\"seq\":1,\"task\":\"main\",\"future\":"
                               u"\"save(\\\"order-1\\\")\",\"t_us\":0,\"line\":11}"));
        const QJsonObject done = QJsonDocument::fromJson(lines.last().toUtf8()).object();
        QCOMPARE(done.value(u"event").toString(), u"done"_qs);
        QCOMPARE(done.value(u"elapsed_us").toDouble(), 30010.0);
    }

    void aJsonSummaryAfterTheEventsIsOneMoreLine()
    {
        const Result r = pollscope(
            { u"run"_qs, u"forgot-await"_qs, u"--events"_qs, u"--summary"_qs, u"json"_qs });
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(lines.size() > 5);
        for (const QString& line : lines) {
            QJsonParseError error;
            QVERIFY(QJsonDocument::fromJson(line.toUtf8(), &error).isObject());
            QCOMPARE(error.error, QJsonParseError::NoError);
        }
        const QJsonObject done =
            QJsonDocument::fromJson(lines.at(lines.size() - 2).toUtf8()).object();
        QCOMPARE(done.value(u"event").toString(), u"done"_qs);
        const QJsonObject summary = QJsonDocument::fromJson(lines.last().toUtf8()).object();
        QVERIFY(summary.value(u"tasks").isArray());
        QVERIFY(summary.value(u"diagnostics").isArray());
    }

    void aTableBesideTheEventsGoesToStandardError()
    {
        // Standard output stays JSON Lines; the tables are for whoever watches the terminal.
        const std::pair<QStringList, QString> cases[] = {
            { { u"--summary"_qs }, u"\nelapsed 30.01 ms \\(virtual clock\\), completed\n"_qs },
            { { u"--compare"_qs, u"page-title"_qs }, u"\nelapsed +30 ms +120 ms +\\+90 ms\n"_qs },
        };
        for (const auto& [extra, table] : cases) {
            const Result r =
                pollscope(QStringList { u"run"_qs, u"forgot-await"_qs, u"--events"_qs } + extra);
            QCOMPARE(r.exitCode, 0);
            for (const QString& line : r.out.split(u'\n', Qt::SkipEmptyParts))
                QVERIFY2(QJsonDocument::fromJson(line.toUtf8()).isObject(), qPrintable(line));
            QVERIFY2(r.err.contains(QRegularExpression(table)), qPrintable(r.err));
        }
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

    void badWindowArgumentsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing file") << QStringList { u"nothere.scn"_qs }
                                      << u"nothere.scn: no such file (see pollscope --help)"_qs;
        // One pointer to read on: the list of scenarios, not the usage as well.
        QTest::newRow("unknown scenario") << QStringList { u"--scenario"_qs,
            u"nope"_qs } << u"no built-in scenario \"nope\" (see pollscope list)"_qs;
        QTest::newRow("unknown runtime")
            << QStringList { u"--runtime"_qs, u"tokio"_qs }
            << u"unknown runtime \"tokio\": use model or qt (see pollscope --help)"_qs;
    }
    void badWindowArgumentsExitWithTwo()
    {
        // Before any window opens (the offscreen platform stands in for a display).
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"QT_QPA_PLATFORM"_qs, u"offscreen"_qs);
        const Result r = pollscope(arguments, environment);
        QCOMPARE(r.exitCode, 2);
        // The last line, whole (Qt may warn before it, e.g. that XDG_RUNTIME_DIR is unset).
        QVERIFY2(r.err.endsWith(u"\npollscope: "_qs + message + u'\n') ||
                r.err == u"pollscope: "_qs + message + u'\n',
            qPrintable(r.err));
    }

    void theWindowWithoutADisplayExitsWithTwo()
    {
        // Qt's X11 platform would abort the process.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const QString& name : { u"DISPLAY"_qs, u"WAYLAND_DISPLAY"_qs, u"QT_QPA_PLATFORM"_qs })
            environment.remove(name);
        const Result r = pollscope({ u"--scenario"_qs, u"spawn-first"_qs }, environment);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.startsWith(u"pollscope: no display to open the window on"), qPrintable(r.err));
    }

    void failingScenariosExitWithOne()
    {
        const QString failing = writeFile(m_dir, u"fails.scn"_qs,
            u"async fn main() { sleep(1ms).await; fail(\"broken\"); }\n"_qs);
        const Result failed = pollscope({ u"run"_qs, failing });
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.err.startsWith(
                     u"pollscope: the run failed: " + failing + u":1:37: error: broken\n"),
            qPrintable(failed.err));
        // The summary says why in one line; the excerpt of the source is in the error only.
        const Result summary = pollscope({ u"run"_qs, failing, u"--summary"_qs });
        QCOMPARE(summary.exitCode, 1);
        QVERIFY2(summary.out.endsWith(u"elapsed 1.01 ms (virtual clock), failed: "_qs + failing +
                     u":1:37: error: broken\n"),
            qPrintable(summary.out));
        QVERIFY2(summary.err.contains(u" 1 | async fn main()"), qPrintable(summary.err));
        const Result events = pollscope({ u"run"_qs, failing, u"--events"_qs });
        QVERIFY(events.out.contains(
            u"{\"event\":\"complete\",\"seq\":4,\"task\":\"main\",\"status\":\"failed\","
            u"\"t_us\":1010,\"message\":\"broken\",\"line\":1}\n"));

        // Failed before any time passed: "in 0 ms", a time with its unit.
        const QString atOnce = writeFile(m_dir, u"at-once.scn"_qs,
            u"scenario \"At once\"\nruntime current_thread(poll_cost: 0us)\n"
            u"async fn main() { fail(\"no\"); }\n"_qs);
        const Result quick = pollscope({ u"run"_qs, atOnce });
        QCOMPARE(quick.exitCode, 1);
        QCOMPARE(quick.out, u"At once: failed in 0 ms (1 task, 1 poll)\n"_qs);

        const QString stuck = writeFile(m_dir, u"stuck.scn"_qs,
            u"async fn main() { let c = channel(1); c.recv().await; }\n"_qs);
        const Result deadlocked = pollscope({ u"run"_qs, stuck });
        QCOMPARE(deadlocked.exitCode, 1);
        // At the await that never ends, with its source line and a caret.
        QCOMPARE(deadlocked.err,
            u"pollscope: "_qs + stuck +
                u":1:39: error: deadlock: main is Pending and nothing is left that could wake it\n"
                u" 1 | async fn main() { let c = channel(1); c.recv().await; }\n"
                u"   |                                       ^~~~~~~~\n"_qs);

        const QString invalid =
            writeFile(m_dir, u"invalid.scn"_qs, u"async fn main() { let x = ; }\n"_qs);
        const Result bad = pollscope({ u"run"_qs, invalid });
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains(u"invalid.scn:1:"));
    }

    /// A wrong value passed to an async fn passes `check` and fails inside the callee at run
    /// time: the error stays there, and a note points at the call that passed it.
    void aRuntimeErrorInACalleeNamesTheCall()
    {
        const QString file = writeFile(m_dir, u"passes.scn"_qs,
            u"scenario \"Passes a number\"\n"
            u"async fn work(d) { sleep(d).await; }\n"
            u"async fn main() { work(10).await; }\n"_qs);
        QCOMPARE(pollscope({ u"check"_qs, file }).exitCode, 0);
        const QString error = file +
            u":2:20: error: `sleep` needs a duration, found a number\n"
            u" 2 | async fn work(d) { sleep(d).await; }\n"
            u"   |                    ^~~~~~~~\n"_qs +
            file +
            u":3:19: note: `work` called from here\n"
            u" 3 | async fn main() { work(10).await; }\n"
            u"   |                   ^~~~~~~~"_qs;
        const Result r = pollscope({ u"run"_qs, file });
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, u"pollscope: the run failed: "_qs + error + u'\n');
        // The summary's one line is the error's first; --events carries the whole of it.
        const Result summary = pollscope({ u"run"_qs, file, u"--summary"_qs });
        QVERIFY2(summary.out.endsWith(u", failed: "_qs + error.section(u'\n', 0, 0) + u'\n'),
            qPrintable(summary.out));
        const Result events = pollscope({ u"run"_qs, file, u"--events"_qs });
        const QStringList lines = events.out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(!lines.isEmpty());
        const QJsonObject done = QJsonDocument::fromJson(lines.last().toUtf8()).object();
        QCOMPARE(done.value(u"message").toString(), error);
    }

    void aBoundInsideAPollEndsTheRunAsEveryBoundDoes_data()
    {
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("where"); ///< the bound's position and the start of its message
        QTest::newRow("max_steps") << u"max_steps: 1000"_qs << u"let mut n = 0; loop { n += 1; }"_qs
                                   << u":3:62: error: this poll ran 1000 steps"_qs;
        QTest::newRow("max_tasks") << u"max_tasks: 3"_qs << u"loop { spawn helper(); }"_qs
                                   << u":3:42: error: more than 3 tasks spawned"_qs;
    }
    /// max_steps and max_tasks stop a run as max_events and max_time do: "limit reached", the
    /// tasks still running stopped, and the poll the bound cut off not Ready.
    void aBoundInsideAPollEndsTheRunAsEveryBoundDoes()
    {
        QFETCH(QString, header);
        QFETCH(QString, body);
        QFETCH(QString, where);
        const QString file =
            writeFile(m_dir, u"bound-%1.scn"_qs.arg(QLatin1StringView(QTest::currentDataTag())),
                u"runtime current_thread(%1)\n"
                u"async fn helper() { sleep(1s).await; }\n"
                u"async fn main() { spawn helper(); %2 }\n"_qs.arg(header, body));
        const Result plain = pollscope({ u"run"_qs, file });
        QCOMPARE(plain.exitCode, 1);
        QVERIFY2(plain.err.startsWith(u"pollscope: "_qs + file + where), qPrintable(plain.err));

        const Result summary = pollscope({ u"run"_qs, file, u"--summary"_qs });
        QCOMPARE(summary.exitCode, 1);
        const QStringList lines = summary.out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 5, qPrintable(summary.out));
        QVERIFY2(lines.last().contains(u"(virtual clock), limit reached: "_qs + file + where),
            qPrintable(summary.out));
        for (const QString& row : lines.mid(2, lines.size() - 3)) // the tasks' rows
            QVERIFY2(row.endsWith(u"  stopped"_qs), qPrintable(summary.out));
        QVERIFY2(lines.at(2).startsWith(u"main ") && lines.at(2).contains(u" 1/0 "),
            qPrintable(summary.out));

        const Result events = pollscope({ u"run"_qs, file, u"--events"_qs });
        QCOMPARE(events.exitCode, 1);
        const QStringList jsonLines = events.out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(jsonLines.size() > 3);
        int cancelledTasks = 0;
        for (const QString& line : jsonLines.mid(0, jsonLines.size() - 1)) {
            const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
            const QString kind = event.value(u"event").toString();
            QVERIFY2(kind != u"complete", qPrintable(line));
            if (kind == u"poll")
                QCOMPARE(event.value(u"outcome").toString(), u"Pending"_qs);
            if (kind == u"cancel" && event.value(u"target").toString() == u"task")
                ++cancelledTasks;
        }
        QCOMPARE(cancelledTasks, lines.size() - 3); // every task in the table
        const QJsonObject done = QJsonDocument::fromJson(jsonLines.last().toUtf8()).object();
        QCOMPARE(done.value(u"event").toString(), u"done"_qs);
        QCOMPARE(done.value(u"status").toString(), u"limit reached"_qs);
        QVERIFY2(done.value(u"message").toString().startsWith(file + where),
            qPrintable(jsonLines.last()));
    }

    void variantsRunFromTheCommandLine()
    {
        const Result r =
            pollscope({ u"run"_qs, u"await-in-loop"_qs, u"--variant"_qs, u"spawn first"_qs });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(
            u"Await inside a loop (variant \"spawn first\"): completed in 120 ms"));
        const Result json = pollscope({ u"run"_qs, u"await-in-loop"_qs, u"--variant"_qs,
            u"spawn first"_qs, u"--summary=json"_qs });
        QCOMPARE(json.exitCode, 0);
        const QJsonObject summary = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(summary.value(u"scenario"_qs).toString(),
            u"Await inside a loop (variant \"spawn first\")"_qs);
        QCOMPARE(summary.value(u"variant"_qs).toString(), u"spawn first"_qs);
    }

    // --export: PNG, SVG and PDF of a run, headless.

    void exportWritesPngSvgAndPdf()
    {
        const QString png = m_dir.filePath(u"spawn-first.png"_qs);
        // Without a login session (XDG_RUNTIME_DIR unset) Qt's warning about it is not shown.
        QProcessEnvironment noSession = QProcessEnvironment::systemEnvironment();
        noSession.remove(u"XDG_RUNTIME_DIR"_qs);
        Result r = pollscope(
            { u"run"_qs, u"spawn-first"_qs, u"--export"_qs, png, u"--width"_qs, u"900"_qs },
            noSession);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, u"Spawn first, then await: completed in 120 ms (4 tasks, 13 polls)\n"_qs);
        QCOMPARE(r.err, QString());
        // The title (30 px) with the legend beside it (this run's key is short enough: no
        // blocking, cancel, ghost, mark or diagnostic), the ruler (26) and 5 lanes of 28.
        QCOMPARE(pngSize(png), QSize(900, 196));
        // Narrower, the legend wraps on two rows below the title (2 x 24).
        r = pollscope(
            { u"run"_qs, u"spawn-first"_qs, u"--export"_qs, png, u"--width"_qs, u"600"_qs });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(pngSize(png), QSize(600, 244));
        r = pollscope({ u"run"_qs, u"spawn-first"_qs, u"--export"_qs, png, u"--width"_qs, u"900"_qs, u"--height"_qs, u"120"_qs,
                        u"--scale"_qs, u"2"_qs, u"--theme"_qs, u"dark"_qs });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(pngSize(png), QSize(1800, 240));

        const QString svg = m_dir.filePath(u"spawn-first.svg"_qs);
        QCOMPARE(pollscope({ u"run"_qs, u"spawn-first"_qs, u"--export"_qs, svg }).exitCode, 0);
        const SvgPolls polls = svgPolls(svg);
        QVERIFY2(polls.ok, qPrintable(polls.error));
        QCOMPARE(polls.width, u"1600"_qs);
        QCOMPARE(polls.titles.size(), 13);
        QVERIFY2(
            polls.titles.contains(
                u"page_title-2 \u00b7 poll #2 \u00b7 Ready \u00b7 at 120.05 ms for 10 \u00b5s"_qs),
            qPrintable(polls.titles.join(u'\n')));
        QCOMPARE(polls.workerCopies, 13);

        const QString pdf = m_dir.filePath(u"spawn-first.pdf"_qs);
        QCOMPARE(pollscope({ u"run"_qs, u"spawn-first"_qs, u"--export"_qs, pdf, u"--theme"_qs,
                               u"dark"_qs })
                     .exitCode,
            0);
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        QVERIFY(bytes.contains("/MediaBox [0 0 1600.000000 196.000000]"));
    }

    void exportRangeTakesDurationsOrMicroseconds_data()
    {
        QTest::addColumn<QString>("range");
        QTest::newRow("ms") << u"79ms..81ms"_qs;
        QTest::newRow("plain microseconds") << u"79000..81000"_qs;
        QTest::newRow("mixed units") << u"0.079s..81000us"_qs;
    }
    void exportRangeTakesDurationsOrMicroseconds()
    {
        QFETCH(QString, range);
        // The polls that overlap [79 ms, 81 ms], from the run's own events.
        const Result events = pollscope({ u"run"_qs, u"spawn-first"_qs, u"--events"_qs });
        int expected = 0;
        for (const QString& line : events.out.split(u'\n', Qt::SkipEmptyParts)) {
            const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
            if (event.value(u"event").toString() == u"poll")
                expected += event.value(u"end_us").toDouble() >= 79000 &&
                    event.value(u"start_us").toDouble() <= 81000;
        }
        QVERIFY(expected > 0 && expected < 13);
        const QString svg = m_dir.filePath(u"range.svg"_qs);
        const Result r =
            pollscope({ u"run"_qs, u"spawn-first"_qs, u"--export"_qs, svg, u"--range"_qs, range });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(svgPolls(svg).titles.size(), expected);
    }

    void exportErrorsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("message");
        const QString out = u"OUT/image.png"_qs;
        QTest::newRow("unknown extension")
            << QStringList { u"--export"_qs, u"OUT/image.bmp"_qs } << u"unknown image format"_qs;
        QTest::newRow("no extension")
            << QStringList { u"--export"_qs, u"OUT/image"_qs } << u"unknown image format"_qs;
        QTest::newRow("missing directory") << QStringList { u"--export"_qs,
            u"OUT/missing/image.svg"_qs } << u"cannot write OUT/missing/image.svg: "_qs;
        QTest::newRow("directory as file")
            << QStringList { u"--export"_qs, u"OUT/plain.txt/image.pdf"_qs } << u"cannot write"_qs;
        QTest::newRow("range without dots") << QStringList { u"--export"_qs, out, u"--range"_qs,
            u"10ms"_qs } << u"--range takes FROM..TO"_qs;
        QTest::newRow("range backwards") << QStringList { u"--export"_qs, out, u"--range"_qs,
            u"5ms..1ms"_qs } << u"FROM must lie before TO"_qs;
        QTest::newRow("range unit") << QStringList { u"--export"_qs, out, u"--range"_qs,
            u"1parsec..2ms"_qs } << u"--range takes"_qs;
        QTest::newRow("theme") << QStringList { u"--export"_qs, out, u"--theme"_qs, u"blue"_qs }
                               << u"--theme is light or dark"_qs;
        QTest::newRow("width") << QStringList { u"--export"_qs, out, u"--width"_qs, u"10"_qs }
                               << u"--width takes 320 to 32767"_qs;
        QTest::newRow("height") << QStringList { u"--export"_qs, out, u"--height"_qs, u"tall"_qs }
                                << u"--height takes"_qs;
        QTest::newRow("scale") << QStringList { u"--export"_qs, out, u"--scale"_qs, u"0"_qs }
                               << u"--scale takes 0.5 to 8"_qs;
        QTest::newRow("width without export")
            << QStringList { u"--width"_qs, u"800"_qs } << u"--width needs --export"_qs;
    }
    void exportErrorsExitWithTwo()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QFile plain(dir.filePath(u"plain.txt"_qs));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        options.replaceInStrings(u"OUT"_qs, dir.path());
        const Result r = pollscope(QStringList { u"run"_qs, u"spawn-first"_qs } + options);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message.replace(u"OUT"_qs, dir.path())), qPrintable(r.err));
        // Nothing written, not even a temporary file.
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
            QStringList { u"plain.txt"_qs });
    }

    /// The run ends at 120.01 ms: a range from there or later would draw an empty image.
    void exportRangeMustStartBeforeTheRunEnds_data()
    {
        QTest::addColumn<QString>("range");
        QTest::addColumn<QString>("message");
        QTest::newRow("after the end")
            << u"500ms..600ms"_qs << u"--range starts at 500 ms, after the run ended at 120 ms"_qs;
        QTest::newRow("at the end")
            << u"120010..130000"_qs << u"--range starts at 120 ms, as the run ended at 120 ms"_qs;
    }
    void exportRangeMustStartBeforeTheRunEnds()
    {
        QFETCH(QString, range);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString png = dir.filePath(u"x.png"_qs);
        const Result r =
            pollscope({ u"run"_qs, u"page-title"_qs, u"--export"_qs, png, u"--range"_qs, range });
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QString());
        QCOMPARE(r.err, u"pollscope: "_qs + message + u'\n');
        QVERIFY(!QFile::exists(png));
        // Just before the end there is something to draw.
        QCOMPARE(pollscope({ u"run"_qs, u"page-title"_qs, u"--export"_qs, png, u"--range"_qs,
                               u"119ms..130ms"_qs })
                     .exitCode,
            0);
    }

    /// --scale multiplies a PNG's pixels; an SVG or PDF has none, so it is refused there.
    void scaleIsForPngOnly_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("svg") << u"x.svg"_qs;
        QTest::newRow("pdf") << u"x.pdf"_qs;
    }
    void scaleIsForPngOnly()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const QString path = dir.filePath(name);
        const Result r = pollscope(
            { u"run"_qs, u"page-title"_qs, u"--export"_qs, path, u"--scale"_qs, u"2"_qs });
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QString());
        QCOMPARE(
            r.err, u"pollscope: --scale needs a PNG export; %1 is a vector image\n"_qs.arg(path));
        QVERIFY(!QFile::exists(path));
    }

    void exportNeedsNoDisplay()
    {
        // No display and a platform that would need one: --export brings its own offscreen
        // platform, and the other commands create no GUI application at all.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(u"DISPLAY"_qs);
        environment.remove(u"WAYLAND_DISPLAY"_qs);
        environment.insert(u"QT_QPA_PLATFORM"_qs, u"xcb"_qs);
        const auto run = [&](const QStringList& arguments) {
            QProcess process;
            process.setProcessEnvironment(environment);
            process.start(QStringLiteral(POLLSCOPE_BINARY), arguments);
            process.waitForFinished(60'000);
            return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        };
        const QString png = m_dir.filePath(u"headless.png"_qs);
        QCOMPARE(run({ u"run"_qs, u"blocking-in-loop"_qs, u"--export"_qs, png }), 0);
        QCOMPARE(pngSize(png).width(), 1600);
        QCOMPARE(run({ u"run"_qs, u"blocking-in-loop"_qs, u"--summary"_qs }), 0);
        QCOMPARE(run({ u"list"_qs }), 0);
        QCOMPARE(run({ u"--version"_qs }), 0);
        QCOMPARE(run({ u"frobnicate"_qs }), 2);
    }

    // --export with --compare or --compare-variant: one picture of both runs.

    void exportWithAComparisonDrawsBothRuns_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("--compare")
            << QStringList { u"chat-blocking"_qs, u"--compare"_qs, u"chat-async"_qs };
        QTest::newRow("--compare-variant") << QStringList { u"blocking-in-loop"_qs,
            u"--compare-variant"_qs, u"spawn_blocking"_qs };
    }
    void exportWithAComparisonDrawsBothRuns()
    {
        QFETCH(QStringList, arguments);
        QTemporaryDir dir;
        const QString single = dir.filePath(u"single.png"_qs);
        const QString both = dir.filePath(u"both.png"_qs);
        QCOMPARE(pollscope(QStringList { u"run"_qs, arguments.front(), u"--export"_qs, single })
                     .exitCode,
            0);
        const Result r = pollscope(QStringList { u"run"_qs } + arguments +
            QStringList { u"--export"_qs, both, u"--width"_qs, u"1200"_qs });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.err, QString());
        QVERIFY2(r.out.contains(u"elapsed"), qPrintable(r.out)); // the table, as without --export
        const QSize singleSize = pngSize(single);
        const QSize bothSize = pngSize(both);
        QCOMPARE(bothSize.width(), 1200);
        // The first run's timeline, the second's below it and the headline above.
        QVERIFY2(bothSize.height() > singleSize.height() + 100,
            qPrintable(u"%1 against %2"_qs.arg(bothSize.height()).arg(singleSize.height())));

        // The SVG has every poll of both runs, as --summary json counts them.
        const Result json = pollscope(
            QStringList { u"run"_qs } + arguments + QStringList { u"--summary"_qs, u"json"_qs });
        QCOMPARE(json.exitCode, 0);
        const QJsonArray polls = QJsonDocument::fromJson(json.out.toUtf8())
                                     .object()
                                     .value(u"comparison"_qs)
                                     .toObject()
                                     .value(u"polls"_qs)
                                     .toArray();
        QCOMPARE(polls.size(), 2);
        const QString svg = dir.filePath(u"both.svg"_qs);
        QCOMPARE(
            pollscope(QStringList { u"run"_qs } + arguments + QStringList { u"--export"_qs, svg })
                .exitCode,
            0);
        const SvgPolls rects = svgPolls(svg);
        QVERIFY2(rects.ok, qPrintable(rects.error));
        QCOMPARE(rects.titles.size(), polls.at(0).toInt() + polls.at(1).toInt());
        QCOMPARE(rects.workerCopies, rects.titles.size());
    }

    void aComparisonsHeightIsThePictures()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(u"both.png"_qs);
        const QStringList compare { u"run"_qs, u"chat-blocking"_qs, u"--compare"_qs,
            u"chat-async"_qs, u"--export"_qs, png };
        QCOMPARE(pollscope(compare + QStringList { u"--height"_qs, u"400"_qs }).exitCode, 0);
        QCOMPARE(pngSize(png), QSize(1600, 400));
        QVERIFY(QFile::remove(png));
        // Too little for two timelines under the headline: nothing is written.
        const Result r = pollscope(compare + QStringList { u"--height"_qs, u"150"_qs });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(u"pollscope: the height must be at least "), qPrintable(r.err));
        QVERIFY2(r.err.endsWith(u" pixels for two timelines, not 150\n"), qPrintable(r.err));
        QVERIFY(!QFile::exists(png));
    }

    void aCutExportShowsWholeLanesAndSaysSo()
    {
        // `run chat-blocking --compare chat-async --height 300` cut each timeline below main,
        // the next lane's top showing without its name: now each says how many lanes it leaves
        // out, and draws none of their polls. So does a single run cut short.
        QTemporaryDir dir;
        const QString svg = dir.filePath(u"cut.svg"_qs);
        const Result r = pollscope({ u"run"_qs, u"chat-blocking"_qs, u"--compare"_qs,
            u"chat-async"_qs, u"--export"_qs, svg, u"--height"_qs, u"300"_qs });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(svgTexts(svg).filter(u"not shown"_qs),
            (QStringList { u"+4 lanes not shown"_qs, u"+4 lanes not shown"_qs }));
        const SvgPolls polls = svgPolls(svg);
        QVERIFY2(polls.ok, qPrintable(polls.error));
        QVERIFY(!polls.titles.isEmpty());
        for (const QString& title : polls.titles)
            QVERIFY2(title.contains(u": main \u00b7 poll #"_qs), qPrintable(title));

        const QString one = dir.filePath(u"one.svg"_qs);
        QCOMPARE(pollscope({ u"run"_qs, u"chat-blocking"_qs, u"--export"_qs, one, u"--height"_qs,
                               u"200"_qs })
                     .exitCode,
            0);
        QCOMPARE(svgTexts(one).filter(u"not shown"_qs), QStringList { u"+1 lane not shown"_qs });
        QVERIFY(!svgPolls(one).titles.filter(u"bob \u00b7 poll"_qs).isEmpty());
        QVERIFY(svgPolls(one).titles.filter(u"carol \u00b7 poll"_qs).isEmpty());
        // As tall as its lanes need (the default), nothing is left out.
        QCOMPARE(pollscope({ u"run"_qs, u"chat-blocking"_qs, u"--export"_qs, one }).exitCode, 0);
        QVERIFY(svgTexts(one).filter(u"not shown"_qs).isEmpty());
    }

    void aComparisonExportToABadPathExitsWithTwo_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("png, missing directory") << u"missing/both.png"_qs;
        QTest::newRow("svg, a file as directory") << u"plain.txt/both.svg"_qs;
        QTest::newRow("pdf, a file as directory") << u"plain.txt/both.pdf"_qs;
    }
    void aComparisonExportToABadPathExitsWithTwo()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        QVERIFY(!writeFile(dir, u"plain.txt"_qs, u"text"_qs).isEmpty());
        const QString path = dir.filePath(name);
        const Result r = pollscope({ u"run"_qs, u"blocking-in-loop"_qs, u"--compare-variant"_qs,
            u"spawn_blocking"_qs, u"--export"_qs, path });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(u"pollscope: cannot write " + path), qPrintable(r.err));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
            QStringList { u"plain.txt"_qs });
    }

    void aComparisonsRangeMayStartInTheLongerRun()
    {
        // chat-async ends at 605 ms, chat-blocking at 700 ms: a range from 650 ms shows the
        // end of the longer run; one from 700 ms shows nothing of either.
        QTemporaryDir dir;
        const QString png = dir.filePath(u"both.png"_qs);
        const QStringList compare { u"run"_qs, u"chat-async"_qs, u"--compare"_qs,
            u"chat-blocking"_qs, u"--export"_qs, png, u"--range"_qs };
        QCOMPARE(pollscope(compare + QStringList { u"650ms..710ms"_qs }).exitCode, 0);
        QVERIFY(QFile::remove(png));
        const Result r = pollscope(compare + QStringList { u"800ms..900ms"_qs });
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QString());
        QCOMPARE(r.err,
            u"pollscope: --range starts at 800 ms, after the later run ended at 700 ms\n"_qs);
        QVERIFY(!QFile::exists(png));
    }

    void runHelpDocumentsExport()
    {
        const Result r = pollscope({ u"run"_qs, u"--help"_qs });
        QCOMPARE(r.exitCode, 0);
        for (const QString& phrase : { u"--export <OUT.png|OUT.svg|OUT.pdf>"_qs, u"--width <W>"_qs,
                 u"--height <H>"_qs, u"--range <FROM..TO>"_qs, u"10ms..250ms"_qs,
                 u"microseconds"_qs, u"--theme <light|dark>"_qs })
            QVERIFY2(r.out.contains(phrase), qPrintable(phrase + u'\n' + r.out));
        // What --export and --height mean with a comparison, however the help wraps it.
        for (const QString& phrase : { u"both timelines on one time axis under the comparison's "
                                       u"headline"_qs,
                 u"With a comparison, the whole picture's, shared by the two timelines"_qs })
            QVERIFY2(r.out.simplified().contains(phrase), qPrintable(phrase + u'\n' + r.out));
    }

private:
    /// A base with three errors in main, and a variant that replaces main with one of its own.
    static inline const QString kBadBaseAndVariant = u"scenario \"Bad two\"\n"
                                                     u"async fn main() {\n"
                                                     u"    sleep(5).await;\n"
                                                     u"    foo();\n"
                                                     u"    let y = 3ms + 2;\n"
                                                     u"}\n"
                                                     u"variant \"fix\" {\n"
                                                     u"  async fn main() {\n"
                                                     u"    sleep(5ms).await;\n"
                                                     u"    bar(1);\n"
                                                     u"  }\n"
                                                     u"}\n"_qs;
    /// The base's errors, and the variant's, in the file %1.
    static inline const QString kBadBaseErrors =
        u"%1:3:11: error: `sleep` needs a duration, such as 80ms; this number has no unit\n"
        u" 3 |     sleep(5).await;\n"
        u"   |           ^\n"
        u"%1:4:5: error: unknown function `foo`; did you mean `io`?\n"
        u" 4 |     foo();\n"
        u"   |     ^~~~~\n"
        u"%1:5:17: error: cannot add a duration and a number: give the number a unit, e.g. 80ms\n"
        u" 5 |     let y = 3ms + 2;\n"
        u"   |                 ^\n"_qs;
    static inline const QString kBadVariantErrors =
        u"with variant \"fix\":\n"
        u"%1:10:5: error: unknown function `bar`; did you mean `mark`?\n"
        u" 10 |     bar(1);\n"
        u"    |     ^~~~~~\n"_qs;

    /// A PNG's size from its IHDR chunk (no image library needed).
    static QSize pngSize(const QString& path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QByteArray head = file.read(24);
        if (head.size() < 24 || !head.startsWith("\x89PNG\r\n\x1a\n") || head.mid(12, 4) != "IHDR")
            return {};
        const auto be32 = [&](int at) {
            return int((uchar(head[at]) << 24) | (uchar(head[at + 1]) << 16) |
                (uchar(head[at + 2]) << 8) | uchar(head[at + 3]));
        };
        return QSize(be32(16), be32(20));
    }

    struct SvgPolls {
        bool ok = false;
        QString width;
        QStringList titles; ///< of the rects of class "poll"
        int workerCopies = 0;
        QString error;
    };
    static SvgPolls svgPolls(const QString& path)
    {
        SvgPolls polls;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return polls;
        QXmlStreamReader xml(&file);
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"svg")
                polls.width = xml.attributes().value(u"width"_qs).toString();
            if (xml.name() != u"rect")
                continue;
            const QString cls = xml.attributes().value(u"class"_qs).toString();
            if (cls == u"worker-poll")
                ++polls.workerCopies;
            if (cls == u"poll" && xml.readNextStartElement() && xml.name() == u"title")
                polls.titles << xml.readElementText();
        }
        polls.ok = !xml.hasError();
        polls.error = xml.errorString();
        return polls;
    }

    /// The texts of an SVG, in document order.
    static QStringList svgTexts(const QString& path)
    {
        QStringList texts;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return texts;
        QXmlStreamReader xml(&file);
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"text")
                texts << xml.readElementText(QXmlStreamReader::IncludeChildElements);
        }
        return texts;
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
