#pragma once

#include "script/scripterror.h"

#include <QList>
#include <QPlainTextEdit>

#include <optional>

namespace pollscope {

class ScenarioHighlighter;

/// A read-only scenario source with line numbers, the scenario language highlighted, a
/// current line (the playback's poll) and script errors: each error's line tinted, its
/// characters underlined, a dot in the gutter, and the messages of a line as its tooltip.
/// Lines and columns are 1-based; line 0 means none.
class SourceView : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit SourceView(QWidget* parent = nullptr);

    /// Replaces the text, shown from the lines' starts; clears the current line and the errors.
    void setSource(const QString& text);

    int currentLine() const { return m_currentLine; }
    const QList<ScriptError>& errors() const { return m_errors; }
    /// Width of the line-number gutter in pixels.
    int gutterWidth() const;

public slots:
    /// Marks `line` as the current one and scrolls it into view vertically; the horizontal
    /// scroll stays, the mark spanning the width (0: no current line).
    void setCurrentLine(int line);
    /// Marks `errors`, which refer to this text, and scrolls the first into view as
    /// showPosition() does (none: clears the marks).
    void setErrors(const QList<ScriptError>& errors);
    /// Puts the text cursor at `line`:`column` and scrolls it into view: vertically as needed,
    /// horizontally only if the column is out of view, and then as little as it needs: back to
    /// the lines' starts if the column fits with them, else with the column at the right edge.
    /// Until the user scrolls sideways or the text cursor moves, a resize keeps to that rule:
    /// a pane widened shows more of the lines' starts, a narrowed one keeps the column in view.
    /// Leaves the current line as it is.
    void showPosition(int line, int column = 1);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    bool viewportEvent(QEvent* event) override;

private:
    /// How much of the text cursor a move brings into view.
    enum class Reveal { Line, Column };

    /// Puts the text cursor at `cursor`, scrolls its line into view and, for Reveal::Column,
    /// its column as showPosition() says.
    void placeCursor(const QTextCursor& cursor, Reveal reveal);
    /// Scrolls sideways to the text cursor's column if it is out of view (`fit`: also if it is in
    /// view, as far as the rule of showPosition() asks).
    void revealCursorColumn(bool fit = false);
    void updateGutter(const QRect& rect, int dy);
    void updateGutterWidth();
    void updateSelections();
    void paintGutter(QPaintEvent* event);
    bool isDark() const;
    bool hasError(int line) const;

    QWidget* m_gutter;
    ScenarioHighlighter* m_highlighter;
    int m_currentLine = 0;
    QList<ScriptError> m_errors;
    /// A cursor placed while hidden, to scroll into view on show.
    std::optional<Reveal> m_revealOnShow;
    /// The horizontal offset the last column reveal chose and the text cursor position it
    /// revealed, while they stand: a resize fits the offset again (resizeEvent()).
    struct ColumnReveal {
        int offset = 0;
        int position = 0;
    };
    std::optional<ColumnReveal> m_columnReveal;
};

} // namespace pollscope
