#include "commandline.h"
#include "mainwindow.h"

#include <QApplication>

int main(int argc, char* argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    // The command line needs no display: it runs before any GUI object exists.
    if (const std::optional<int> code = pollscope::runCommandLine(arguments))
        return *code;
    QApplication app(argc, argv);
    pollscope::MainWindow window;
    window.show();
    return app.exec();
}
