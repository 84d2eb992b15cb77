#include "commandline.h"
#include "mainwindow.h"

#include <QApplication>

int main(int argc, char* argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    // The command line needs no display: a core application is enough (the Qt runtime needs
    // its event loop).
    if (pollscope::isCommand(arguments)) {
        QCoreApplication app(argc, argv);
        return pollscope::runCommandLine(arguments).value_or(2);
    }
    QApplication app(argc, argv);
    pollscope::MainWindow window;
    window.show();
    return app.exec();
}
