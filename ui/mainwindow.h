#pragma once

#include <QMainWindow>

namespace pollscope {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace pollscope
