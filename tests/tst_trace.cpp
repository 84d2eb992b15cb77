#include <QTest>
class TestTrace : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
