#include "window/elidedlabel.h"

namespace pollscope {

ElidedLabel::ElidedLabel(QWidget* parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setWordWrap(false);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

void ElidedLabel::setFullText(const QString& text)
{
    if (text == m_fullText)
        return;
    m_fullText = text;
    elide();
    updateGeometry();
}

QSize ElidedLabel::minimumSizeHint() const
{
    return QSize(0, QLabel::minimumSizeHint().height());
}

QSize ElidedLabel::sizeHint() const
{
    const QMargins margins = contentsMargins();
    return QSize(
        fontMetrics().horizontalAdvance(line()) + margins.left() + margins.right() + 2 * margin(),
        QLabel::sizeHint().height());
}

void ElidedLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    elide();
}

void ElidedLabel::elide()
{
    const QString full = line();
    const int room = contentsRect().width() - 2 * margin();
    const QFontMetrics metrics = fontMetrics();
    QString shown = full;
    if (metrics.horizontalAdvance(full) > room) {
        // Qt's eliding cuts anywhere: step back to the end of the last word that fits whole.
        const QString cut = metrics.elidedText(full, Qt::ElideRight, room);
        qsizetype keep = cut.size() - 1; // without the "…"
        if (keep < full.size() && keep > 0 && !full[keep].isSpace()) {
            const qsizetype space = full.lastIndexOf(u' ', keep - 1);
            if (space > 0)
                keep = space;
        }
        shown = keep > 0 ? full.left(keep).trimmed() + u'…' : QString();
    }
    QLabel::setText(shown);
    setToolTip(shown == m_fullText ? QString() : m_fullText);
}

} // namespace pollscope
