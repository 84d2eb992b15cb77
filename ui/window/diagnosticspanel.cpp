#include "window/diagnosticspanel.h"

#include "analysis/summary.h"
#include "window/messagetext.h"

#include <QAbstractTextDocumentLayout>
#include <QHeaderView>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QTextDocument>

#include <algorithm>
#include <cmath>

namespace pollscope {

namespace {

/// Paints MessageHtmlRole as rich text wrapped to the column's width, and asks for the height
/// that takes. QTreeView gives a delegate no column width when it asks for a row's height, so
/// the delegate reads it from the header; the panel lays its rows out again when it changes.
class MessageDelegate : public QStyledItemDelegate
{
public:
    explicit MessageDelegate(QTreeView* view)
        : QStyledItemDelegate(view)
        , m_view(view)
    {
    }

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear(); // the style draws background, selection and focus; the document, the text
        const QWidget* widget = opt.widget;
        QStyle* style = widget ? widget->style() : m_view->style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const QRect rect = opt.rect.adjusted(margin(), 0, -margin(), 0);
        QTextDocument document;
        layOut(document, index, opt.font, rect.width());
        QAbstractTextDocumentLayout::PaintContext context;
        context.palette = opt.palette; // the view set its colour group
        if (opt.state & QStyle::State_Selected)
            context.palette.setColor(QPalette::Text, opt.palette.color(QPalette::HighlightedText));
        // Centred like the other columns' text when the row is taller than the message.
        const qreal top = rect.top() + std::max(0.0, (rect.height() - document.size().height()) / 2);
        painter->save();
        painter->translate(rect.left(), top);
        context.clip = QRectF(0, 0, rect.width(), rect.bottom() + 1 - top);
        painter->setClipRect(context.clip);
        document.documentLayout()->draw(painter, context);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const int width = m_view->header()->sectionSize(index.column());
        QTextDocument document;
        layOut(document, index, opt.font, width - 2 * margin());
        return { width, int(std::ceil(document.size().height())) + 2 * verticalMargin };
    }

private:
    static constexpr int verticalMargin = 2;

    /// The space the style leaves on either side of an item's text.
    int margin() const { return m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 1; }

    static void layOut(QTextDocument& document, const QModelIndex& index, const QFont& font, int width)
    {
        document.setDocumentMargin(0);
        document.setDefaultFont(font);
        document.setHtml(index.data(DiagnosticsPanel::MessageHtmlRole).toString());
        document.setTextWidth(std::max(width, 1));
    }

    QTreeView* m_view;
};

} // namespace

DiagnosticsPanel::DiagnosticsPanel(QWidget* parent)
    : QTreeWidget(parent)
{
    setColumnCount(5);
    setHeaderLabels({ tr("Diagnostic"), tr("Task"), tr("Time"), tr("Line"), tr("What happened, and the fix") });
    setRootIsDecorated(false);
    setWordWrap(true);
    header()->setStretchLastSection(true);
    for (int column = 0; column < MessageColumn; ++column)
        header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    setItemDelegateForColumn(MessageColumn, new MessageDelegate(this));
    // Row heights depend on the message column's width (it stretches with the panel).
    connect(header(), &QHeaderView::sectionResized, this, [this](int column) {
        if (column == MessageColumn)
            scheduleDelayedItemsLayout();
    });
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
                                                 span.isValid() ? QString::number(span.line) : QString(),
                                                 messageToPlainText(d.message) });
        const QString html = messageToHtml(d.message);
        item->setData(MessageColumn, MessageHtmlRole, html);
        // <p> makes the tooltip rich text, which QToolTip wraps.
        item->setToolTip(MessageColumn, u"<p>"_qs + html + u"</p>"_qs);
        item->setIcon(0, style()->standardIcon(d.kind == DiagnosticKind::Deadlock ? QStyle::SP_MessageBoxCritical
                                                                                  : QStyle::SP_MessageBoxWarning));
    }
}

} // namespace pollscope
