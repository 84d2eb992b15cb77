#pragma once

#include "runtime/runtimesettings.h"
#include "script/sourcetext.h"
#include "script/value.h"
#include "trace/trace.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace pollscope::script {

enum class Op : std::uint8_t {
    Const, ///< push constants[a]
    PushNone,
    Load, ///< push slot a
    Store, ///< pop into slot a
    Pop,
    Add, Sub, Mul, Div, Rem, Eq, Ne, Lt, Le, Gt, Ge, MakeRange, Not, Neg,
    Jump, ///< pc = a
    JumpIfFalse, ///< pop; if false, pc = a
    JumpIfFalseKeep, ///< `&&`: if top is false, pc = a (keep it); else pop
    JumpIfTrueKeep, ///< `||`: if top is true, pc = a (keep it); else pop
    MakeList, ///< pop b values into a list
    Interpolate, ///< push templates[a] filled from slots
    Index, ///< pop index, list; push list[index]
    Field, ///< pop value; push its field a (Field* constants below)
    CallSync, ///< call function a (not async) with b arguments; pushes its value
    MakeFuture, ///< a future of async function a with b arguments (nothing runs yet)
    CallAwait, ///< call async function a with b arguments and await it inline, in this fiber
    CallBuiltin, ///< built-in a with b arguments
    CallMethod, ///< method a on the receiver below b arguments
    Spawn, ///< spawn async function a with b arguments; c = 1: a name is on top
    Await, ///< pop a future or handle and await it
    AwaitLeaf, ///< `sleep(d).await`, `io(l, d).await`, `yield_now().await`: built-in a, b args, awaited in place
    Try, ///< if top is an error, return it from the function
    IterInit, ///< pop a list or range into iterator slot c
    IterNext, ///< push the next item of iterator slot c, or jump to a when done
    Return, ///< pop the value and return it
};

enum FieldId : std::int32_t { FieldIndex, FieldValue };

/// One instruction: 16 bytes. `span` (statement) goes with trace events; `where` (expression)
/// with errors: runtime errors, and the `fail(...)` or `?` that ends a task's last poll with an
/// error value. Both index Program::spans.
struct Instruction {
    Op op;
    std::uint8_t b = 0;
    std::uint16_t c = 0;
    std::int32_t a = 0;
    SpanId span = 0;
    SpanId where = 0;
};

/// A piece of an interpolated string: literal text, or a local slot to display.
struct TemplatePart {
    QString text;
    int slot = -1;
};

struct FunctionCode {
    QString name;
    bool isAsync = false;
    int params = 0;
    int slotCount = 0; ///< parameters first, then locals and iterators
    SpanId span = 0; ///< the `fn` line
    std::vector<Instruction> code;
};

/// Thresholds of the diagnostics, set in the runtime header like the runtime's own settings.
struct AnalysisSettings {
    TimeNs blockingThreshold = 20'000'000; ///< `blocking_threshold`: a poll this long holds the worker
    TimeNs starvationThreshold = 50'000'000; ///< `starvation_threshold`: this long in the run queue
    int selfWakeThreshold = 100; ///< `self_wake_threshold`: consecutive self-wakes without I/O
};

/// A `for` loop whose body only awaits one call per item, of an async fn or of io, sleep or
/// spawn_blocking, with arguments that use the loop variable: the items could run at once.
struct SequentialLoop {
    int line = 0;
    QString callee;
    QString function; ///< the function the loop is in
    SpanId span = 0; ///< the loop statement
    bool leafFuture = false; ///< the callee is io, sleep or spawn_blocking: the fix joins them
};

/// The scenario header: what the run needs besides code.
struct ScenarioInfo {
    QString title;
    QString about;
    RuntimeSettings settings;
    AnalysisSettings analysis;
    qint64 seed = 0;
    QString variant; ///< the variant this program was compiled for; empty for the base
    QString variantAbout;
};

/// A literal of the program. Runs turn these into their own Values: values are counted
/// without atomics, so a Program shared between threads holds none.
struct Constant {
    ValueKind kind = ValueKind::None;
    qint64 number = 0;
    QString text;
};

/// A compiled scenario: functions as bytecode, constants, spans. Immutable once compiled and
/// shared between runs (and threads).
struct Program {
    SourceText source;
    ScenarioInfo info;
    QStringList variants; ///< variants the scenario declares
    std::vector<SequentialLoop> sequentialLoops;
    std::vector<FunctionCode> functions;
    int mainFunction = -1;
    std::vector<Constant> constants;
    std::vector<std::vector<TemplatePart>> templates;
    std::vector<SourceSpan> spans = { SourceSpan {} };
};

} // namespace pollscope::script
