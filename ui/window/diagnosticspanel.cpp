#include "window/diagnosticspanel.h"

#include "analysis/summary.h"

#include <QHeaderView>

namespace pollscope {

DiagnosticsPanel::DiagnosticsPanel(QWidget* parent)
    : QTreeWidget(parent)
{
    setColumnCount(5);
    setHeaderLabels({ tr("Diagnostic"), tr("Task"), tr("Time"), tr("Line"), tr("What happened, and the fix") });
    setRootIsDecorated(false);
    setWordWrap(true);
    header()->setStretchLastSection(true);
    for (int column = 0; column < 4; ++column)
        header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const int index = indexOfTopLevelItem(item);
        if (index >= 0 && std::size_t(index) < m_diagnostics.size())
            emit diagnosticActivated(m_diagnostics[std::size_t(index)]);
    });
}

void DiagnosticsPanel::setDiagnostics(std::shared_ptr<const Trace> trace, std::vector<Diagnostic> diagnostics)
{
    clear();
    m_diagnostics = std::move(diagnostics);
    if (!trace)
        return;
    for (const Diagnostic& d : m_diagnostics) {
        const SourceSpan& span = trace->span(d.span);
        auto* item = new QTreeWidgetItem(this, { diagnosticTitle(d.kind), trace->taskName(d.task), formatTime(d.time),
                                                 span.isValid() ? QString::number(span.line) : QString(), d.message });
        item->setToolTip(4, d.message);
        item->setIcon(0, style()->standardIcon(d.kind == DiagnosticKind::Deadlock ? QStyle::SP_MessageBoxCritical
                                                                                  : QStyle::SP_MessageBoxWarning));
    }
}

} // namespace pollscope
