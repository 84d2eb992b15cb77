#include "source/sourceview.h"

#include "source/scenariohighlighter.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolTip>
#include <QtMath>

#include <algorithm>
#include <utility>

namespace pollscope {

SourceView::SourceView(QWidget* parent)
    : QPlainTextEdit(parent)
    , m_gutter(new QWidget(this))
    , m_highlighter(new ScenarioHighlighter(document()))
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(font);
    // The gutter is a plain widget painted here (event filter): no class of its own needed.
    m_gutter->installEventFilter(this);
    m_highlighter->setDarkTheme(isDark());
    connect(this, &QPlainTextEdit::blockCountChanged, this, &SourceView::updateGutterWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, &SourceView::updateGutter);
    updateGutterWidth();
}

void SourceView::setSource(const QString& text)
{
    m_currentLine = 0;
    m_errors.clear();
    m_revealOnShow.reset();
    m_columnReveal.reset();
    setPlainText(text);
    // Another text: its lines from their starts, wherever the last one was scrolled to.
    horizontalScrollBar()->setValue(0);
    updateSelections();
}

int SourceView::gutterWidth() const
{
    int digits = 1;
    for (int lines = std::max(1, blockCount()); lines >= 10; lines /= 10)
        ++digits;
    // Room for a marker before the numbers, and a little air after them.
    return 14 + fontMetrics().horizontalAdvance(u'9') * std::max(2, digits) + 8;
}

void SourceView::setCurrentLine(int line)
{
    line = std::clamp(line, 0, blockCount());
    if (line == m_currentLine)
        return;
    m_currentLine = line;
    if (line > 0)
        placeCursor(QTextCursor(document()->findBlockByNumber(line - 1)), Reveal::Line);
    updateSelections();
}

void SourceView::setErrors(const QList<ScriptError>& errors)
{
    m_errors = errors;
    if (!m_errors.isEmpty())
        showPosition(m_errors.front().location.line, m_errors.front().location.column);
    updateSelections();
}

void SourceView::showPosition(int line, int column)
{
    if (line <= 0)
        return;
    const QTextBlock block = document()->findBlockByNumber(std::min(line, blockCount()) - 1);
    QTextCursor cursor(block);
    cursor.setPosition(
        block.position() + std::clamp(column - 1, 0, std::max(0, block.length() - 1)));
    placeCursor(cursor, Reveal::Column);
}

void SourceView::placeCursor(const QTextCursor& cursor, Reveal reveal)
{
    QScrollBar* bar = horizontalScrollBar();
    const int offset = bar->value();
    m_columnReveal.reset();
    setTextCursor(cursor);
    bar->setValue(offset);
    if (!isVisible()) {
        // Not laid out: the viewport is not the size it will show at. Revealed on show.
        m_revealOnShow = reveal;
        return;
    }
    m_revealOnShow.reset();
    // Scrolls vertically as needed; horizontally it centres any cursor out of view, which
    // hides the start of every line: undone, and done here as little as needed.
    ensureCursorVisible();
    bar->setValue(offset);
    if (reveal == Reveal::Column)
        revealCursorColumn();
}

void SourceView::revealCursorColumn(bool fit)
{
    // The cursor's character cell, in pixels from the left of the viewport at offset 0.
    const QTextCursor cursor = textCursor();
    const int at = cursor.positionInBlock();
    const QTextLine line = cursor.block().layout()->lineForTextPosition(at);
    if (!line.isValid())
        return;
    QScrollBar* bar = horizontalScrollBar();
    const int offset = bar->value();
    const int left = cursorRect().left() + offset;
    const int cell = at < cursor.block().length() - 1
        ? qCeil(line.cursorToX(at + 1) - line.cursorToX(at))
        : fontMetrics().horizontalAdvance(u' ');
    const int right = left + std::max(1, cell);
    const int width = viewport()->width();
    // As much of the lines' starts as the column leaves room for: all of them if it fits
    // with them, else the column at the right edge (never at the left, hiding more of them).
    const int fitted = std::max(0, right - width);
    if (!fit && left >= offset && right <= offset + width) {
        // In view: stays where the user has it; where the rule would put it, a resize refits it.
        if (offset == fitted)
            m_columnReveal = ColumnReveal { offset, cursor.position() };
        return;
    }
    bar->setValue(fitted);
    m_columnReveal = ColumnReveal { bar->value(), cursor.position() };
}

bool SourceView::hasError(int line) const
{
    return std::any_of(m_errors.begin(), m_errors.end(),
        [line](const ScriptError& error) { return error.location.line == line; });
}

bool SourceView::isDark() const
{
    return palette().color(QPalette::Base).lightness() < 128;
}

void SourceView::updateSelections()
{
    const bool dark = isDark();
    QList<QTextEdit::ExtraSelection> selections;
    const auto mark = [&](int line, const QColor& background) {
        QTextEdit::ExtraSelection selection;
        selection.format.setBackground(background);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selection.cursor = QTextCursor(document()->findBlockByNumber(line - 1));
        selection.cursor.clearSelection();
        selections << selection;
    };
    if (m_currentLine > 0)
        mark(m_currentLine, dark ? QColor(0x3b3f2a) : QColor(0xfff3b0));
    // Every error line tinted once, then every error's characters underlined (at least one,
    // so that an error at the end of a line still shows).
    QList<int> tinted;
    for (const ScriptError& error : m_errors) {
        const int line = error.location.line;
        if (line < 1 || line > blockCount() || tinted.contains(line))
            continue;
        tinted << line;
        mark(line, dark ? QColor(0x5a2a2a) : QColor(0xffdddd));
    }
    for (const ScriptError& error : m_errors) {
        const SourceLocation& at = error.location;
        if (at.line < 1 || at.line > blockCount())
            continue;
        const QTextBlock block = document()->findBlockByNumber(at.line - 1);
        const int text = block.length() - 1; // without the paragraph separator
        if (text == 0)
            continue;
        const int start = std::clamp(at.column - 1, 0, text - 1);
        const int end = std::clamp(start + std::max(1, at.length), start + 1, text);
        QTextEdit::ExtraSelection underline;
        underline.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        underline.format.setUnderlineColor(QColor(0xd62728));
        underline.cursor = QTextCursor(block);
        underline.cursor.setPosition(block.position() + start);
        underline.cursor.setPosition(block.position() + end, QTextCursor::KeepAnchor);
        selections << underline;
    }
    setExtraSelections(selections);
    m_gutter->update();
}

void SourceView::updateGutterWidth()
{
    setViewportMargins(gutterWidth(), 0, 0, 0);
}

void SourceView::updateGutter(const QRect& rect, int dy)
{
    if (dy)
        m_gutter->scroll(0, dy);
    else
        m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    if (rect.contains(viewport()->rect()))
        updateGutterWidth();
}

void SourceView::resizeEvent(QResizeEvent* event)
{
    QScrollBar* bar = horizontalScrollBar();
    // Still where a column reveal put it (or as near as a shorter range lets it be), the user
    // having neither scrolled nor moved the cursor: fitted to the new width, so that a pane
    // laid out wider after the reveal (a dock restored, a window maximised) shows the lines'
    // starts it now has room for.
    const std::optional<ColumnReveal> reveal = m_columnReveal;
    const bool revealed = reveal && textCursor().position() == reveal->position &&
        bar->value() == std::min(reveal->offset, bar->maximum());
    QPlainTextEdit::resizeEvent(event);
    const QRect contents = contentsRect();
    m_gutter->setGeometry(QRect(contents.left(), contents.top(), gutterWidth(), contents.height()));
    if (revealed && isVisible())
        revealCursorColumn(true);
}

void SourceView::showEvent(QShowEvent* event)
{
    // QPlainTextEdit centres the text cursor on a first show, as ensureCursorVisible() does.
    QScrollBar* bar = horizontalScrollBar();
    const int offset = bar->value();
    QPlainTextEdit::showEvent(event);
    bar->setValue(offset);
    if (const std::optional<Reveal> reveal = std::exchange(m_revealOnShow, std::nullopt))
        placeCursor(textCursor(), *reveal);
}

void SourceView::changeEvent(QEvent* event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->setDarkTheme(isDark());
        updateSelections();
    }
}

bool SourceView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_gutter && event->type() == QEvent::Paint) {
        paintGutter(static_cast<QPaintEvent*>(event));
        return true;
    }
    return QPlainTextEdit::eventFilter(watched, event);
}

bool SourceView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && !m_errors.isEmpty()) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int line = cursorForPosition(help->pos()).block().blockNumber() + 1;
        QStringList messages;
        for (const ScriptError& error : m_errors) {
            if (error.location.line == line)
                messages << error.message;
        }
        if (!messages.isEmpty()) {
            QToolTip::showText(help->globalPos(), messages.join(u'\n'), viewport());
            return true;
        }
        QToolTip::hideText();
    }
    return QPlainTextEdit::viewportEvent(event);
}

void SourceView::paintGutter(QPaintEvent* event)
{
    QPainter painter(m_gutter);
    const QPalette& p = palette();
    painter.fillRect(event->rect(), p.color(QPalette::Window));
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    const int right = m_gutter->width() - 6;
    QFont bold = font();
    bold.setBold(true);
    while (block.isValid() && top <= event->rect().bottom()) {
        const int height = qRound(blockBoundingRect(block).height());
        const int line = block.blockNumber() + 1;
        if (block.isVisible() && top + height >= event->rect().top()) {
            const QRect row(0, top, right, height);
            const bool error = hasError(line);
            if (error) {
                painter.setRenderHint(QPainter::Antialiasing, true);
                painter.setPen(Qt::NoPen);
                painter.setBrush(QColor(0xd62728));
                painter.drawEllipse(QPointF(6.5, top + height / 2.0), 4, 4);
                painter.setRenderHint(QPainter::Antialiasing, false);
            } else if (line == m_currentLine) {
                painter.setPen(Qt::NoPen);
                painter.setBrush(QColor(0xe69f00));
                painter.drawPolygon(QPolygon({ QPoint(3, top + height / 2 - 4),
                    QPoint(9, top + height / 2), QPoint(3, top + height / 2 + 4) }));
            }
            painter.setFont(line == m_currentLine || error ? bold : font());
            painter.setPen(line == m_currentLine ? p.color(QPalette::Text)
                                                 : p.color(QPalette::PlaceholderText));
            painter.drawText(row, Qt::AlignRight | Qt::AlignVCenter, QString::number(line));
        }
        block = block.next();
        top += height;
    }
}

} // namespace pollscope
