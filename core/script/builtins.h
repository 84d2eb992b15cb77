#pragma once

#include "script/value.h"

#include <QString>

#include <optional>
#include <vector>

namespace pollscope::script {

/// A static type: a value kind, or unknown (nullopt) where the checker cannot tell.
using StaticType = std::optional<ValueKind>;

enum class BuiltinId : std::int32_t {
    Sleep, Io, YieldNow, SpawnBlocking, Block, Compute, Mark, Fail, Channel, Join, Select, Rand,
};

enum class MethodId : std::int32_t { Push, Len, Send, Recv, Close };

/// A built-in function of the scenario language, as the checker and the reference see it.
struct BuiltinInfo {
    BuiltinId id;
    QString name;
    std::vector<StaticType> params; ///< expected argument types (nullopt: any)
    int optionalParams = 0; ///< how many trailing params may be left out
    bool variadic = false; ///< join/select: any number of futures, or one list of them
    StaticType result;
    QString signature; ///< e.g. "sleep(duration)"
    QString summary;
};

const std::vector<BuiltinInfo>& builtins();
const BuiltinInfo* findBuiltin(const QString& name);

struct MethodInfo {
    MethodId id;
    ValueKind receiver;
    QString name;
    std::vector<StaticType> params;
    StaticType result;
    QString signature;
};

const std::vector<MethodInfo>& methods();
const MethodInfo* findMethod(ValueKind receiver, const QString& name);
/// The methods of that name on any receiver (the checker's view when the receiver is unknown).
std::vector<const MethodInfo*> methodsNamed(const QString& name);

/// The built-in or method name closest to `name` (for "did you mean"), or empty.
QString closestName(const QString& name, const QStringList& candidates);

} // namespace pollscope::script
