#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace pollscope {

/// Highlights the scenario language: `//` and `/* */` comments, keywords, built-in functions,
/// durations (a number followed at once by ns, us, ms or s: 80ms, 1.5s), integers, strings
/// with their `{name}` interpolations, and the two things a reader of async code must not miss:
/// `.await` and `?`.
class ScenarioHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    enum class Token {
        Keyword,
        Builtin,
        Duration,
        Number,
        String,
        Interpolation,
        Comment,
        Await,
        Question
    };

    explicit ScenarioHighlighter(QTextDocument* document = nullptr);

    /// Colours for a dark background (or a light one); rehighlights.
    void setDarkTheme(bool dark);
    bool isDarkTheme() const { return m_dark; }
    QTextCharFormat format(Token token) const;

    static bool isKeyword(QStringView word);
    static bool isBuiltin(QStringView word);

protected:
    void highlightBlock(const QString& text) override;

private:
    enum BlockState { Normal = -1, InBlockComment = 1 };

    void highlightString(const QString& text, int start, int end);

    bool m_dark = false;
};

} // namespace pollscope
