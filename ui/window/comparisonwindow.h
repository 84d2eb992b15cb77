#pragma once

#include "analysis/comparison.h"
#include "run/scenariorunner.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace pollscope {

class TimelineView;
struct TimelineTheme;

/// Two runs on a shared time axis, stacked, with a table of their differences and one
/// sentence for the main one: a scenario against its fix, against another scenario, or the
/// model run against the real run on a Qt event loop.
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

private:
    void fillTable();

    Comparison m_comparison;
    QLabel* m_headline;
    TimelineView* m_before;
    TimelineView* m_after;
    QTableWidget* m_table;
};

} // namespace pollscope
