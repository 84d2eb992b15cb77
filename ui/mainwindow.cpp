#include "mainwindow.h"

namespace pollscope {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Pollscope"));
}

} // namespace pollscope
