#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace pollscope {

/// A scenario file: where it comes from and what it says about itself.
struct ScenarioEntry {
    QString name; ///< the built-in's file name without `.scn` (e.g. "spawn-first"), or the path
    QString title;
    QString about;
    QString path; ///< ":/scenarios/spawn-first.scn" for built-ins
    QStringList variants;
    QString source;
};

/// The built-in scenarios compiled into the binary (resources/scenarios), in teaching order.
class ScenarioLibrary
{
public:
    static const QList<ScenarioEntry>& builtins();
    static const ScenarioEntry* find(const QString& name);
    /// The scenario `make run` opens.
    static QString defaultName();
    /// Reads a scenario file; on failure returns false and says why in `error`.
    static bool load(const QString& path, ScenarioEntry& entry, QString& error);
};

} // namespace pollscope
