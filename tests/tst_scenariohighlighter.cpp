// The scenario language highlighter and the read-only source view.

#include "source/scenariohighlighter.h"
#include "source/sourceview.h"

#include <QScrollBar>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

using namespace pollscope;

namespace {

using Token = ScenarioHighlighter::Token;

/// "text@Token" for every highlighted range of every line, in order.
QStringList ranges(const QTextDocument& document, const ScenarioHighlighter& highlighter)
{
    static const Token tokens[] = { Token::Keyword, Token::Builtin, Token::Duration, Token::Number,
        Token::String, Token::Interpolation, Token::Comment, Token::Await, Token::Question };
    static const char* names[] = { "keyword", "builtin", "duration", "number", "string",
        "interpolation", "comment", "await", "question" };
    QStringList out;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (const QTextLayout::FormatRange& range : block.layout()->formats()) {
            QString name = u"?"_qs;
            for (std::size_t i = 0; i < std::size(tokens); ++i) {
                if (range.format == highlighter.format(tokens[i]))
                    name = QLatin1String(names[i]);
            }
            out << block.text().mid(range.start, range.length) + u'@' + name;
        }
    }
    return out;
}

QStringList highlight(const QString& text)
{
    QTextDocument document(text);
    ScenarioHighlighter highlighter(&document);
    highlighter.rehighlight();
    return ranges(document, highlighter);
}

} // namespace

class TestScenarioHighlighter : public QObject
{
    Q_OBJECT

private slots:
    void tokens_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("header") << u"scenario \"Spawn first\""_qs
                                << QStringList { u"scenario@keyword"_qs,
                                       u"\"Spawn first\"@string"_qs };
        QTest::newRow("runtime")
            << u"runtime current_thread(blocking_threads: 4, poll_cost: 10us)"_qs
            << QStringList { u"runtime@keyword"_qs, u"4@number"_qs, u"10us@duration"_qs };
        QTest::newRow("durations")
            << u"sleep(80ms); sleep(2s); sleep(1.5ms); sleep(3ns)"_qs
            << QStringList { u"sleep@builtin"_qs, u"80ms@duration"_qs, u"sleep@builtin"_qs,
                   u"2s@duration"_qs, u"sleep@builtin"_qs, u"1.5ms@duration"_qs,
                   u"sleep@builtin"_qs, u"3ns@duration"_qs };
        QTest::newRow("an unknown unit is left plain")
            << u"let x = 10xs;"_qs << QStringList { u"let@keyword"_qs };
        QTest::newRow("interpolation")
            << u"io(\"GET {url}\", 80ms).await;"_qs
            << QStringList { u"io@builtin"_qs, u"\"GET @string"_qs, u"{url}@interpolation"_qs,
                   u"\"@string"_qs, u"80ms@duration"_qs, u".await@await"_qs };
        QTest::newRow("braces without a name are text")
            << u"mark(\"{} {1}\");"_qs
            << QStringList { u"mark@builtin"_qs, u"\"{} {1}\"@string"_qs };
        QTest::newRow("comments") << u"let a = 1; // spawn sleep(1ms)"_qs
                                  << QStringList { u"let@keyword"_qs, u"1@number"_qs,
                                         u"// spawn sleep(1ms)@comment"_qs };
        QTest::newRow("no comment in a string")
            << u"mark(\"a // b\")"_qs
            << QStringList { u"mark@builtin"_qs, u"\"a // b\"@string"_qs };
        QTest::newRow("await and ?")
            << u"let v = fetch(u).await?;"_qs
            << QStringList { u"let@keyword"_qs, u".await@await"_qs, u"?@question"_qs };
        QTest::newRow(".awaited is not .await") << u"x.awaited"_qs << QStringList {};
        QTest::newRow("keywords")
            << u"async fn main() { for i in 0..3 { if i { break } else { return } } }"_qs
            << QStringList { u"async@keyword"_qs, u"fn@keyword"_qs, u"for@keyword"_qs,
                   u"in@keyword"_qs, u"0@number"_qs, u"3@number"_qs, u"if@keyword"_qs,
                   u"break@keyword"_qs, u"else@keyword"_qs, u"return@keyword"_qs };
        QTest::newRow("spawn ... as") << u"let h = spawn page(url) as \"p\";"_qs
                                      << QStringList { u"let@keyword"_qs, u"spawn@keyword"_qs,
                                             u"as@keyword"_qs, u"\"p\"@string"_qs };
        QTest::newRow("builtins, not lookalikes")
            << u"spawn_blocking(\"r\", 5ms); sleeper(); yield_now();"_qs
            << QStringList { u"spawn_blocking@builtin"_qs, u"\"r\"@string"_qs, u"5ms@duration"_qs,
                   u"yield_now@builtin"_qs };
        QTest::newRow("mut, loop, while, seed")
            << u"let mut n = 0; loop {} while x {} seed 7"_qs
            << QStringList { u"let@keyword"_qs, u"mut@keyword"_qs, u"0@number"_qs,
                   u"loop@keyword"_qs, u"while@keyword"_qs, u"seed@keyword"_qs, u"7@number"_qs };
        QTest::newRow("join select channel fail rand print")
            << u"join(a, b); select(a, b); channel(1); fail(\"x\"); rand(1..6); print(v);"_qs
            << QStringList { u"join@builtin"_qs, u"select@builtin"_qs, u"channel@builtin"_qs,
                   u"1@number"_qs, u"fail@builtin"_qs, u"\"x\"@string"_qs, u"rand@builtin"_qs,
                   u"1@number"_qs, u"6@number"_qs, u"print@builtin"_qs };
    }
    void tokens()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        const QStringList actual = highlight(text);
        QVERIFY2(actual == expected, qPrintable(actual.join(u" | ")));
    }

    void blockCommentsSpanLines()
    {
        const QStringList result =
            highlight(u"let a = 1; /* one\ntwo sleep(1ms)\nthree */ let b"_qs);
        QCOMPARE(result,
            (QStringList { u"let@keyword"_qs, u"1@number"_qs, u"/* one@comment"_qs,
                u"two sleep(1ms)@comment"_qs, u"three */@comment"_qs, u"let@keyword"_qs }));
    }

    void darkThemeChangesColours()
    {
        QTextDocument document(u"sleep(1ms).await"_qs);
        ScenarioHighlighter highlighter(&document);
        const QTextCharFormat light = highlighter.format(Token::Duration);
        highlighter.setDarkTheme(true);
        QVERIFY(highlighter.isDarkTheme());
        QVERIFY(highlighter.format(Token::Duration).foreground() != light.foreground());
        QCOMPARE(ranges(document, highlighter),
            (QStringList { u"sleep@builtin"_qs, u"1ms@duration"_qs, u".await@await"_qs }));
    }

    void sourceViewMarksLines()
    {
        SourceView view;
        view.resize(500, 300);
        view.setSource(u"scenario \"x\"\n\nasync fn main() {\n    sleep(10ms).await;\n}\n"_qs);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.isReadOnly());
        QVERIFY(view.gutterWidth() > 0);
        QCOMPARE(view.currentLine(), 0);

        view.setCurrentLine(4);
        QCOMPARE(view.currentLine(), 4);
        QCOMPARE(view.textCursor().blockNumber(), 3);
        QCOMPARE(view.extraSelections().size(), 1);
        QCOMPARE(view.extraSelections().first().cursor.blockNumber(), 3);
        QVERIFY(view.extraSelections()
                    .first()
                    .format.property(QTextFormat::FullWidthSelection)
                    .toBool());

        // Every error is marked: its line tinted once, its own characters underlined.
        const auto error = [](int line, int column, int length, const QString& message) {
            return ScriptError { SourceLocation { 0, line, column, length }, message };
        };
        view.setErrors({ error(4, 5, 5, u"first"_qs), error(4, 16, 6, u"second"_qs),
            error(3, 10, 4, u"third"_qs), error(5, 1, 9, u"past the end"_qs) });
        QCOMPARE(view.errors().size(), 4);
        QCOMPARE(view.textCursor().blockNumber(), 3); // the first error, scrolled to
        QCOMPARE(view.textCursor().positionInBlock(), 4);
        const QList<QTextEdit::ExtraSelection> marks = view.extraSelections();
        // The current line, three error lines (4 tinted once), four underlines.
        QCOMPARE(marks.size(), 8);
        QStringList tinted;
        QStringList underlined;
        for (const QTextEdit::ExtraSelection& mark : marks.mid(1)) {
            if (mark.format.property(QTextFormat::FullWidthSelection).toBool())
                tinted << QString::number(mark.cursor.blockNumber() + 1);
            else if (mark.format.underlineStyle() == QTextCharFormat::WaveUnderline)
                underlined << mark.cursor.selectedText();
        }
        QCOMPARE(tinted, (QStringList { u"4"_qs, u"3"_qs, u"5"_qs }));
        // "}" is all of line 5: an error running past the end underlines to the end.
        QCOMPARE(underlined, (QStringList { u"sleep"_qs, u".await"_qs, u"main"_qs, u"}"_qs }));

        view.setCurrentLine(99); // past the end: the last line
        QCOMPARE(view.currentLine(), view.blockCount());
        view.setCurrentLine(0);
        view.setErrors({});
        QCOMPARE(view.extraSelections().size(), 0);
        QVERIFY(view.errors().isEmpty());

        // Going to a position moves the text cursor, not the current line.
        view.showPosition(4, 10);
        QCOMPARE(view.textCursor().blockNumber(), 3);
        QCOMPARE(view.textCursor().positionInBlock(), 9);
        QCOMPARE(view.currentLine(), 0);

        // The source is highlighted.
        const QTextBlock line4 = view.document()->findBlockByNumber(3);
        QVERIFY(!line4.layout()->formats().isEmpty());
        // A new source clears the marks.
        view.setCurrentLine(2);
        view.setErrors({ error(1, 1, 3, u"x"_qs) });
        view.setSource(u"let a = 1;"_qs);
        QCOMPARE(view.currentLine(), 0);
        QVERIFY(view.errors().isEmpty());
        QCOMPARE(view.extraSelections().size(), 0);
    }

    void sourceViewScrollsSidewaysOnlyAsAnErrorNeeds()
    {
        // An error out of view was scrolled to by centring its column: in a narrow pane the
        // start of every line went out of view. Sideways, the view scrolls only when the
        // column is out of view, and as little as needed, also for an error placed before the
        // view is shown; stepping scrolls only vertically.
        QString text = u"// "_qs + QString(300, u'x') + u"\n"_qs +
            u"runtime current_thread(poll_cost: 10us, bogus: 3)\n"_qs;
        for (int line = 3; line <= 40; ++line)
            text += u"    sleep(1ms).await;\n"_qs;
        const auto error = [](int line, int column) {
            return ScriptError { SourceLocation { 0, line, column, 1 }, u"error"_qs };
        };
        SourceView view;
        view.resize(600, 200);
        view.setSource(text);
        view.setErrors({ error(2, 41), error(30, 5) }); // before the view is laid out
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QScrollBar* bar = view.horizontalScrollBar();
        const int cell = view.fontMetrics().horizontalAdvance(u'x');
        const int width = view.viewport()->width();
        QVERIFY2(42 * cell < width, "column 41 does not fit: this tests nothing");
        QVERIFY(bar->maximum() > width);
        const auto where = [&] {
            const QRect cursor = view.cursorRect();
            return QStringLiteral("cursor at %1,%2, viewport %3 x %4, scrolled %5")
                .arg(cursor.left())
                .arg(cursor.top())
                .arg(width)
                .arg(view.viewport()->height())
                .arg(bar->value());
        };
        const auto inView = [&] {
            const QRect cursor = view.cursorRect();
            return view.viewport()->rect().contains(cursor.adjusted(0, 0, cell, 0));
        };
        QCOMPARE(bar->value(), 0);
        QVERIFY2(inView(), qPrintable(where()));

        // Far down, where the column fits: vertically only.
        view.setErrors({ error(30, 5), error(2, 41) });
        QVERIFY2(inView(), qPrintable(where()));
        QVERIFY(view.verticalScrollBar()->value() > 0);
        QCOMPARE(bar->value(), 0);

        // Beyond the viewport: just far enough that the column shows at the right edge.
        const int far = width / cell + 20;
        view.setErrors({ error(1, far) });
        QVERIFY2(inView(), qPrintable(where()));
        QVERIFY2(view.cursorRect().left() + 2 * cell > width, qPrintable(where()));
        const int scrolled = bar->value();
        QVERIFY(scrolled > 0);

        // Stepping to a line below keeps the sideways scroll: its mark spans the width.
        view.setCurrentLine(40);
        QVERIFY2(
            view.cursorRect().top() >= 0 && view.cursorRect().bottom() <= view.viewport()->height(),
            qPrintable(where()));
        QCOMPARE(bar->value(), scrolled);

        // A column in view: no scroll. One left of the view that fits with the line's start:
        // the start shows too.
        view.showPosition(1, far - 2);
        QCOMPARE(bar->value(), scrolled);
        view.showPosition(2, 5);
        QCOMPARE(bar->value(), 0);
        QVERIFY2(inView(), qPrintable(where()));

        // A column out of view, placed before the first show: as little as needed once shown.
        SourceView hidden;
        hidden.resize(view.size());
        hidden.setSource(text);
        hidden.setErrors({ error(1, far) });
        hidden.show();
        QVERIFY(QTest::qWaitForWindowExposed(&hidden));
        QCOMPARE(hidden.horizontalScrollBar()->value(), scrolled);
    }
};

QTEST_MAIN(TestScenarioHighlighter)
#include "tst_scenariohighlighter.moc"
