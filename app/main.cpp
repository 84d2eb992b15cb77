#include "commandline.h"
#include "script/scenariolibrary.h"
#include "timeline/timelinetheme.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QGuiApplication>

#include <cstdio>

namespace {

/// A usage error: what is wrong, and where to read more.
struct UsageProblem {
    QString message; ///< empty: none
    QString seeAlso = u"pollscope --help"_qs;
};

/// Why the window cannot open with these options, if it cannot.
UsageProblem windowArgumentsError(const QCommandLineParser& parser,
    const QCommandLineOption& scenario, const QCommandLineOption& runtime)
{
    const QString runtimeName = parser.value(runtime);
    if (!runtimeName.isEmpty() && runtimeName != u"model" && runtimeName != u"qt")
        return { QStringLiteral("unknown runtime \"%1\": use model or qt").arg(runtimeName) };
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1)
        return { QStringLiteral("the window opens one scenario file, not %1").arg(files.size()) };
    if (!files.isEmpty() && !QFileInfo(files.front()).isFile())
        return { QStringLiteral("%1: no such file").arg(files.front()) };
    if (parser.isSet(scenario) && !pollscope::ScenarioLibrary::find(parser.value(scenario)))
        return { QStringLiteral("no built-in scenario \"%1\"").arg(parser.value(scenario)),
            u"pollscope list"_qs };
    return {};
}

/// Without a display Qt's X11 platform aborts the process; say so instead.
bool hasDisplay(const QStringList& arguments)
{
#if defined(Q_OS_LINUX)
    return arguments.contains(u"-platform"_qs) || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") ||
        !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    Q_UNUSED(arguments);
    return true;
#endif
}

QtMessageHandler g_defaultMessageHandler = nullptr;

/// Keeps a headless export's output to what the export says: without a login session (root in
/// a container, CI) Qt's offscreen platform warns that XDG_RUNTIME_DIR is unset, then works.
void quietRuntimeDirWarning(
    QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (!message.startsWith(u"QStandardPaths: XDG_RUNTIME_DIR not set"))
        g_defaultMessageHandler(type, context, message);
}

int usageError(const UsageProblem& problem)
{
    std::fprintf(stderr, "pollscope: %s (see %s)\n", qPrintable(problem.message),
        qPrintable(problem.seeAlso));
    return 2;
}

} // namespace

int main(int argc, char* argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    QCoreApplication::setOrganizationName(u"Pollscope"_qs);
    QCoreApplication::setApplicationName(u"Pollscope"_qs);
    QCoreApplication::setApplicationVersion(u"0.1"_qs);

    // The command line needs no display: a core application is enough (the Qt runtime needs
    // its event loop).
    if (pollscope::isCommand(arguments)) {
        // `run --export` draws text, which needs a GUI application's fonts, but never a display:
        // the offscreen platform works over ssh and in CI.
        const bool exportsImage = arguments.value(1) == u"run" &&
            std::any_of(arguments.begin(), arguments.end(), [](const QString& a) {
                return a == u"--export" || a.startsWith(u"--export=");
            });
        if (exportsImage) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            g_defaultMessageHandler = qInstallMessageHandler(quietRuntimeDirWarning);
            QGuiApplication app(argc, argv);
            return pollscope::runCommandLine(arguments).value_or(2);
        }
        QCoreApplication app(argc, argv);
        return pollscope::runCommandLine(arguments).value_or(2);
    }

    if (!hasDisplay(arguments))
        return usageError(
            { u"no display to open the window on: set DISPLAY, or use the command line"_qs });
    QApplication app(argc, argv); // takes Qt's own options (-platform, -style, ...)
    QCommandLineParser parser;
    const QCommandLineOption scenario(u"scenario"_qs, u"Open the built-in scenario NAME."_qs, u"NAME"_qs);
    const QCommandLineOption runtime(u"runtime"_qs, u"model (default) or qt: the runtime runs use."_qs, u"model|qt"_qs);
    parser.addOptions({ scenario, runtime });
    parser.addPositionalArgument(u"FILE.scn"_qs, u"A scenario file to open."_qs);
    if (!parser.parse(app.arguments()))
        return usageError({ parser.errorText() });
    if (const UsageProblem problem = windowArgumentsError(parser, scenario, runtime);
        !problem.message.isEmpty())
        return usageError(problem);

    pollscope::TimelineTheme::registerBundledFonts();
    pollscope::MainWindow window;
    if (parser.value(runtime) == u"qt")
        window.setRuntime(pollscope::RuntimeKind::EventLoop);
    window.show();
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty())
        window.openFile(files.front());
    else
        window.openBuiltin(parser.isSet(scenario) ? parser.value(scenario)
                                                  : pollscope::ScenarioLibrary::defaultName());
    return app.exec();
}
