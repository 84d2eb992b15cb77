#pragma once

#include <QLabel>

namespace pollscope {

/// A one-line label for a stretching place such as the status bar: it shows the first line of
/// its text and, when that does not fit, as many whole words as do, then "…". The whole text is
/// its tooltip whenever part of it is hidden. It asks for no width of its own, so a long text
/// never pushes its neighbours aside or runs into them.
class ElidedLabel : public QLabel
{
    Q_OBJECT

public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    /// Shows `text` (its first line, elided to the width).
    void setFullText(const QString& text);
    const QString& fullText() const { return m_fullText; }
    /// The first line of the text, as it would show given room enough.
    QString line() const { return m_fullText.section(u'\n', 0, 0); }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void elide();

    QString m_fullText;
};

} // namespace pollscope
