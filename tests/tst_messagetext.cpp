// Messages as widgets show them: backticked names as code, everything else as written.

#include "window/messagetext.h"

#include <QTest>

using namespace pollscope;

class TestMessageText : public QObject
{
    Q_OBJECT

private slots:
    void html_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("html");
        QTest::addColumn<QString>("plain");
        QTest::newRow("no code") << u"nothing to quote"_qs << u"nothing to quote"_qs << u"nothing to quote"_qs;
        QTest::newRow("names") << u"`carol` blocks in `read_line(conn)`."_qs
                               << u"<code>carol</code> blocks in <code>read_line(conn)</code>."_qs
                               << u"carol blocks in read_line(conn)."_qs;
        QTest::newRow("escaped") << u"a < b & `x<y>`"_qs << u"a &lt; b &amp; <code>x&lt;y&gt;</code>"_qs
                                 << u"a < b & x<y>"_qs;
        QTest::newRow("unpaired") << u"`a` and ` alone"_qs << u"<code>a</code> and ` alone"_qs
                                  << u"a and ` alone"_qs;
        QTest::newRow("empty code") << u"``"_qs << u"<code></code>"_qs << QString();
        QTest::newRow("lines") << u"one\n`two`"_qs << u"one<br><code>two</code>"_qs << u"one\ntwo"_qs;
    }

    void html()
    {
        QFETCH(QString, message);
        QFETCH(QString, html);
        QFETCH(QString, plain);
        QCOMPARE(messageToHtml(message), html);
        QCOMPARE(messageToPlainText(message), plain);
    }
};

QTEST_MAIN(TestMessageText)
#include "tst_messagetext.moc"
