#pragma once

#include <QPlainTextEdit>

namespace pollscope {

class ScenarioHighlighter;

/// A read-only scenario source with line numbers, the scenario language highlighted, a
/// current line (the playback's poll) and an error line (a script error, its message as the
/// line's tooltip). Lines are 1-based; 0 means none.
class SourceView : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit SourceView(QWidget* parent = nullptr);

    /// Replaces the text; clears both marks.
    void setSource(const QString& text);

    int currentLine() const { return m_currentLine; }
    int errorLine() const { return m_errorLine; }
    QString errorMessage() const { return m_errorMessage; }
    /// Width of the line-number gutter in pixels.
    int gutterWidth() const;

public slots:
    /// Marks `line` as the current one and scrolls it into view (0: no current line).
    void setCurrentLine(int line);
    /// Marks `line` as wrong, with `message` as its tooltip (0: no error).
    void setErrorLine(int line, const QString& message = QString());

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    bool viewportEvent(QEvent* event) override;

private:
    void updateGutter(const QRect& rect, int dy);
    void updateGutterWidth();
    void updateSelections();
    void paintGutter(QPaintEvent* event);
    bool isDark() const;

    QWidget* m_gutter;
    ScenarioHighlighter* m_highlighter;
    int m_currentLine = 0;
    int m_errorLine = 0;
    QString m_errorMessage;
};

} // namespace pollscope
