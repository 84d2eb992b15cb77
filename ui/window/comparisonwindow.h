#pragma once

#include "analysis/comparison.h"
#include "export/exportdialog.h"
#include "run/scenariorunner.h"

#include <QWidget>

#include <array>
#include <memory>

class QAction;
class QLabel;
class QPushButton;
class QStatusBar;
class QTableWidget;

namespace pollscope {

class TimelineView;
struct TimelineTheme;

/// Two runs on a shared time axis, stacked, with a table of their differences and one
/// sentence for the main one: a scenario against its fix, against another scenario, or the
/// model run against the real run on a Qt event loop.
///
/// Export Image… (Ctrl+E, as in the main window, or the button beside the headline) writes the
/// headline and both timelines as one picture (ComparisonExporter), from ExportDialog.
class ComparisonWindow : public QWidget
{
    Q_OBJECT

public:
    explicit ComparisonWindow(QWidget* parent = nullptr);

    void setRuns(std::shared_ptr<const RunResult> before, const QString& beforeLabel, std::shared_ptr<const RunResult> after,
                 const QString& afterLabel);
    const Comparison& comparison() const { return m_comparison; }
    /// The headline, with its backticked names as code (messageToHtml).
    const QLabel& headline() const { return *m_headline; }
    /// Both timelines' theme (the main window's).
    void setTheme(const TimelineTheme& theme);
    TimelineView& before() { return *m_before; }
    TimelineView& after() { return *m_after; }
    QAction& exportImageAction() { return *m_exportImageAction; }
    /// Says what an export wrote, as the main window's does.
    const QStatusBar& statusBar() const { return *m_statusBar; }

    /// The export dialog for the runs shown, starting from the window: its range, width, theme
    /// and headline. Null before setRuns().
    std::unique_ptr<ExportDialog> exportDialog();
    /// Export Image…: the dialog, then the file it writes (a failure in a message box, the
    /// file written in the status bar).
    void exportImage();

private:
    void fillTable();

    Comparison m_comparison;
    std::array<ComparedRun, 2> m_runs;
    QLabel* m_headline;
    QPushButton* m_exportButton;
    QAction* m_exportImageAction;
    QStatusBar* m_statusBar;
    TimelineView* m_before;
    TimelineView* m_after;
    QTableWidget* m_table;
};

} // namespace pollscope
