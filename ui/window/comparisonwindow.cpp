#include "window/comparisonwindow.h"

#include "timeline/timelinemodel.h"
#include "timeline/timelineview.h"
#include "timeline/timelinezoom.h"
#include "window/messagetext.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pollscope {

ComparisonWindow::ComparisonWindow(QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_headline(new QLabel(this))
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
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addWidget(splitter, 1);

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
    const TimeRange bounds { std::min(beforeModel->bounds().start, afterModel->bounds().start),
                             std::max(beforeModel->bounds().end, afterModel->bounds().end) };
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
