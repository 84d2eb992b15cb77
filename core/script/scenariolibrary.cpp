#include "script/scenariolibrary.h"

#include "script/compiler.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

static void initScenarioResources() { Q_INIT_RESOURCE(scenarios); }

namespace pollscope {

namespace {

/// Title, about and variants, from compiling the scenario. One that does not compile has the
/// title its header gives (or its file name) and, if it parses, its variants: one of them may
/// replace the code with the errors.
void describe(ScenarioEntry& entry)
{
    const CompileResult compiled = compileScenario(entry.source, entry.path);
    entry.title = compiled.title;
    entry.variants = compiled.variants;
    if (compiled.ok())
        entry.about = compiled.program->info.about;
    if (entry.title.isEmpty())
        entry.title = entry.name;
}

// The order a learner meets the pitfalls in; files not listed here come after, by name.
const char16_t* const kOrder[] = {
    u"page-title",      u"await-in-loop",     u"spawn-first",   u"blocking-in-loop", u"spawn-blocking-fix",
    u"cpu-heavy",       u"cpu-heavy-yield",   u"forgot-await",  u"join-fixed-set",   u"select-race",
    u"select-timeout",  u"error-propagation", u"chat-blocking", u"chat-async",
};

} // namespace

const QList<ScenarioEntry>& ScenarioLibrary::builtins()
{
    static const QList<ScenarioEntry> entries = [] {
        initScenarioResources();
        QStringList names = QDir(u":/scenarios"_qs).entryList({ u"*.scn"_qs }, QDir::Files, QDir::Name);
        for (QString& name : names)
            name.chop(4);
        QStringList ordered;
        for (const char16_t* name : kOrder)
            if (names.removeOne(QString::fromUtf16(name)))
                ordered << QString::fromUtf16(name);
        ordered << names;
        QList<ScenarioEntry> list;
        for (const QString& name : ordered) {
            ScenarioEntry entry;
            QString error;
            if (!load(u":/scenarios/"_qs + name + u".scn", entry, error))
                continue;
            entry.name = name;
            describe(entry);
            list << entry;
        }
        return list;
    }();
    return entries;
}

const ScenarioEntry* ScenarioLibrary::find(const QString& name)
{
    for (const ScenarioEntry& entry : builtins())
        if (entry.name == name)
            return &entry;
    return nullptr;
}

QString ScenarioLibrary::defaultName() { return u"spawn-first"_qs; }

bool ScenarioLibrary::load(const QString& path, ScenarioEntry& entry, QString& error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    // Read one byte past the limit rather than trusting size(): a device such as /dev/zero
    // has size 0 and never ends.
    constexpr qint64 kMaxSize = 4 << 20;
    const QByteArray bytes = file.read(kMaxSize + 1);
    if (bytes.size() > kMaxSize) {
        error = QStringLiteral("%1 is larger than 4 MiB; is it a scenario?").arg(path);
        return false;
    }
    entry.path = path;
    entry.name = QFileInfo(path).completeBaseName();
    entry.source = QString::fromUtf8(bytes);
    if (!path.startsWith(u':'))
        describe(entry);
    return true;
}

} // namespace pollscope
