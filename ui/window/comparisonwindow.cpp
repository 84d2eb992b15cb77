#include "window/comparisonwindow.h"

#include "timeline/timelinemodel.h"
#include "timeline/timelineview.h"
#include "timeline/timelinezoom.h"
#include "window/messagetext.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pollscope {

ComparisonWindow::ComparisonWindow(QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_headline(new QLabel(this))
    , m_exportButton(new QPushButton(tr("Export Image…"), this))
    , m_exportImageAction(new QAction(tr("Export &Image…"), this))
    , m_statusBar(new QStatusBar(this))
    , m_before(new TimelineView(this))
    , m_after(new TimelineView(this))
    , m_table(new QTableWidget(this))
{
    setWindowTitle(tr("Compare Runs — Pollscope"));
    resize(1300, 860);
    QFont big = m_headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_headline->setFont(big);
    m_headline->setWordWrap(true);
    m_headline->setTextFormat(Qt::RichText);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_before);
    splitter->addWidget(m_after);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    auto* top = new QHBoxLayout;
    top->addWidget(m_headline, 1);
    top->addWidget(m_exportButton, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_statusBar);

    // The main window's File > Export Image… and its shortcut; nothing to export before setRuns().
    m_exportImageAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportImageAction->setEnabled(false);
    m_exportButton->setEnabled(false);
    m_exportButton->setToolTip(
        tr("The headline and both timelines as one picture (%1)")
            .arg(m_exportImageAction->shortcut().toString(QKeySequence::NativeText)));
    connect(m_exportImageAction, &QAction::triggered, this, &ComparisonWindow::exportImage);
    connect(m_exportButton, &QPushButton::clicked, m_exportImageAction, &QAction::trigger);
    addAction(m_exportImageAction);

    // One time axis: zooming or panning either timeline moves both (change-only signals stop
    // the echo).
    connect(m_before->zoom(), &TimelineZoom::rangeChanged, m_after->zoom(), &TimelineZoom::setRange);
    connect(m_after->zoom(), &TimelineZoom::rangeChanged, m_before->zoom(), &TimelineZoom::setRange);

    m_table->setColumnCount(4);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);

    // A secondary window: Esc closes it as well as the platform's Close keys.
    auto* close = new QAction(tr("Close"), this);
    close->setShortcuts({ QKeySequence::Close, QKeySequence(Qt::Key_Escape) });
    connect(close, &QAction::triggered, this, &QWidget::close);
    addAction(close);
}

void ComparisonWindow::setRuns(std::shared_ptr<const RunResult> before, const QString& beforeLabel,
                               std::shared_ptr<const RunResult> after, const QString& afterLabel)
{
    m_comparison = compareRuns(*before->trace, beforeLabel, *after->trace, afterLabel);
    m_headline->setText(messageToHtml(m_comparison.headline));
    m_before->setTitle(beforeLabel);
    m_after->setTitle(afterLabel);
    // The runner laid both runs out off the GUI thread.
    const std::shared_ptr<const TimelineModel>& beforeModel = before->model;
    const std::shared_ptr<const TimelineModel>& afterModel = after->model;
    m_before->setModel(beforeModel);
    m_after->setModel(afterModel);
    m_before->setMarkers(before->markers);
    m_after->setMarkers(after->markers);
    m_runs = { ComparedRun { beforeModel, beforeLabel, before->markers },
        ComparedRun { afterModel, afterLabel, after->markers } };
    m_exportImageAction->setEnabled(true);
    m_exportButton->setEnabled(true);
    const TimeRange bounds = beforeModel->bounds().united(afterModel->bounds());
    for (TimelineView* view : { m_before, m_after }) {
        view->zoom()->setBounds(fitRange(bounds));
        view->zoom()->zoomToFit();
    }
    fillTable();
}

void ComparisonWindow::setTheme(const TimelineTheme& theme)
{
    m_before->setTheme(theme);
    m_after->setTheme(theme);
}

std::unique_ptr<ExportDialog> ComparisonWindow::exportDialog()
{
    if (!m_runs[0].model)
        return nullptr;
    // The first timeline's frame: its width and the range both show. Not its height: each
    // timeline of the window scrolls its lanes, a slide shows them all.
    TimelineViewport view = m_before->frame();
    view.title = messageToPlainText(m_comparison.headline);
    view.size.setHeight(ImageExportOptions::kMaxSide);
    return std::make_unique<ExportDialog>(
        m_runs[0], m_runs[1], view, m_before->theme().isDark, this);
}

void ComparisonWindow::exportImage()
{
    const std::unique_ptr<ExportDialog> dialog = exportDialog();
    if (dialog && dialog->exec() == QDialog::Accepted)
        m_statusBar->showMessage(tr("Wrote %1").arg(dialog->fileName()), 5000);
}

void ComparisonWindow::fillTable()
{
    const std::vector<ComparisonRow> rows = comparisonRows(m_comparison);
    m_table->setHorizontalHeaderLabels({ QString(), m_comparison.titleBefore, m_comparison.titleAfter, tr("change") });
    m_table->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r) {
        const ComparisonRow& row = rows[std::size_t(r)];
        const QString cells[] = { row.label, row.before, row.after, row.change };
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (row.heading) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            m_table->setItem(r, c, item);
        }
    }
}

} // namespace pollscope
