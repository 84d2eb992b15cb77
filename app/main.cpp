#include "commandline.h"
#include "script/scenariolibrary.h"
#include "timeline/timelinetheme.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QGuiApplication>

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
            QGuiApplication app(argc, argv);
            return pollscope::runCommandLine(arguments).value_or(2);
        }
        QCoreApplication app(argc, argv);
        return pollscope::runCommandLine(arguments).value_or(2);
    }

    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Pollscope: makes async execution visible. "
                                     "Commands: pollscope list | check FILE | run FILE|NAME (see pollscope --help)."_qs);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption scenario(u"scenario"_qs, u"Open the built-in scenario NAME."_qs, u"NAME"_qs);
    const QCommandLineOption runtime(u"runtime"_qs, u"model (default) or qt: the runtime runs use."_qs, u"model|qt"_qs);
    parser.addOptions({ scenario, runtime });
    parser.addPositionalArgument(u"FILE.scn"_qs, u"A scenario file to open."_qs);
    parser.process(app);

    pollscope::TimelineTheme::registerBundledFonts();
    pollscope::MainWindow window;
    if (parser.value(runtime) == u"qt")
        window.setRuntime(pollscope::RuntimeKind::EventLoop);
    window.show();
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty())
        window.openFile(files.front());
    else if (!window.openBuiltin(parser.value(scenario).isEmpty() ? pollscope::ScenarioLibrary::defaultName() : parser.value(scenario)))
        window.openBuiltin(pollscope::ScenarioLibrary::defaultName());
    return app.exec();
}
