#include "script/compiler.h"

#include "script/builtins.h"
#include "script/parser.h"

#include <QHash>

#include <algorithm>

namespace pollscope {

using namespace script;
using namespace ast;

namespace {

constexpr int kMaxArguments = 255;
constexpr int kMaxSlots = 65535;

QString typeName(StaticType type) { return type ? describeKind(*type) : u"a value"_qs; }

QString ordinal(int i)
{
    static const char16_t* names[] = { u"1st", u"2nd", u"3rd" };
    return i < 3 ? QString::fromUtf16(names[i]) : QString::number(i + 1) + u"th";
}

class Compiler
{
public:
    Compiler(const Script& script, const CompileOptions& options, Program& program,
        QList<ScriptError>& errors)
        : m_parsedCleanly(errors.isEmpty())
        , m_script(script)
        , m_variant(options.variant)
        , m_concurrentLoopsAt(options.concurrentLoopsAt)
        , m_program(program)
        , m_errors(errors)
    {
    }

    void run()
    {
        ScenarioInfo& info = m_program.info;
        info.title = m_script.title;
        info.about = m_script.about;
        info.seed = m_script.seed.value_or(0);
        info.settings.pollCost = 10'000; // scenarios default to a visible poll: 10 µs
        for (const RuntimeHeader& header : m_script.runtime)
            applyRuntime(header);
        for (const Variant& v : m_script.variants) {
            if (m_program.variants.contains(v.name))
                error(v.location, QStringLiteral("variant \"%1\" is declared twice").arg(v.name));
            m_program.variants << v.name;
        }

        // The functions of this program: the base ones, then those of the chosen variant.
        std::vector<const Function*> functions;
        collect(m_script.functions, functions);
        if (!m_variant.isEmpty()) {
            const Variant* chosen = nullptr;
            for (const Variant& v : m_script.variants)
                if (v.name == m_variant)
                    chosen = &v;
            if (!chosen) {
                error(SourceLocation {}, QStringLiteral("the scenario has no variant \"%1\"").arg(m_variant));
                return;
            }
            info.variant = chosen->name;
            info.variantAbout = chosen->about;
            for (const RuntimeHeader& header : chosen->runtime)
                applyRuntime(header);
            collect(chosen->functions, functions, true);
        }
        for (const Variant& v : m_script.variants)
            if (v.name != m_variant)
                checkVariantShape(v);

        for (const Function* fn : functions) {
            const int index = int(m_program.functions.size());
            m_indices.insert(fn->name, index);
            FunctionCode code;
            code.name = fn->name;
            code.isAsync = fn->isAsync;
            code.params = int(fn->params.size());
            code.span = span(fn->location);
            m_program.functions.push_back(std::move(code));
            m_asts.push_back(fn);
        }
        const auto mainIt = m_indices.constFind(u"main"_qs);
        if (mainIt == m_indices.cend()) {
            // After a syntax error main may simply not have parsed; say nothing more then.
            if (m_parsedCleanly)
                error(SourceLocation {}, u"no `async fn main()`: every scenario needs one to start from"_qs);
        } else {
            m_program.mainFunction = mainIt.value();
            const Function& main = *m_asts[std::size_t(mainIt.value())];
            if (!main.isAsync)
                error(main.location, u"`main` must be an `async fn`"_qs);
            if (!main.params.empty())
                error(main.params.front().location, u"`main` takes no parameters"_qs);
        }
        for (std::size_t i = 0; i < m_asts.size(); ++i)
            compileFunction(*m_asts[i], m_program.functions[i]);
    }

private:
    // --- Declarations ---

    void collect(const std::vector<Function>& source, std::vector<const Function*>& into, bool overriding = false)
    {
        QHash<QString, const Function*> seen;
        for (const Function& fn : source) {
            if (findBuiltin(fn.name)) {
                error(fn.nameLocation, QStringLiteral("`%1` is a built-in function; choose another name").arg(fn.name));
                continue;
            }
            if (const Function* first = seen.value(fn.name)) {
                error(fn.nameLocation, QStringLiteral("function `%1` is defined twice (first at line %2)")
                                           .arg(fn.name)
                                           .arg(first->nameLocation.line));
                continue;
            }
            seen.insert(fn.name, &fn);
            checkParams(fn);
            if (overriding) { // a variant's function replaces the scenario's of that name
                const auto existing = std::find_if(into.begin(), into.end(), [&](const Function* f) { return f->name == fn.name; });
                if (existing != into.end()) {
                    *existing = &fn;
                    continue;
                }
            }
            into.push_back(&fn);
        }
    }

    void checkParams(const Function& fn)
    {
        for (std::size_t i = 0; i < fn.params.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (fn.params[i].name == fn.params[j].name)
                    error(fn.params[i].location, QStringLiteral("parameter `%1` is declared twice").arg(fn.params[i].name));
    }

    /// A variant that is not being compiled is still checked for its own mistakes.
    void checkVariantShape(const Variant& v)
    {
        std::vector<const Function*> ignored;
        collect(v.functions, ignored, true);
        for (const RuntimeHeader& header : v.runtime) {
            RuntimeSettings scratch;
            applyRuntime(header, &scratch);
        }
    }

    void applyRuntime(const RuntimeHeader& header, RuntimeSettings* into = nullptr)
    {
        RuntimeSettings& settings = into ? *into : m_program.info.settings;
        AnalysisSettings scratchAnalysis;
        AnalysisSettings& analysis = into ? scratchAnalysis : m_program.info.analysis;
        if (header.flavor != u"current_thread") {
            error(header.location, QStringLiteral("unknown runtime `%1`: Pollscope models tokio's current_thread runtime")
                                       .arg(header.flavor));
            return;
        }
        struct Setting {
            const char16_t* name;
            ValueKind kind;
            qint64 minimum;
            qint64 maximum;
        };
        static const Setting known[] = {
            { u"blocking_threads", ValueKind::Int, 1, 65535 },
            { u"poll_cost", ValueKind::Duration, 0, 3600'000'000'000LL },
            { u"timer_resolution", ValueKind::Duration, 0, 3600'000'000'000LL },
            { u"budget", ValueKind::Int, 1, 1'000'000 },
            { u"event_interval", ValueKind::Int, 1, 1'000'000 },
            { u"max_events", ValueKind::Int, 1, 1'000'000'000 },
            { u"max_time", ValueKind::Duration, 1, 1'000'000'000'000'000LL },
            { u"max_steps", ValueKind::Int, 1, 1'000'000'000'000LL },
            { u"max_tasks", ValueKind::Int, 1, 100'000'000 },
            { u"blocking_threshold", ValueKind::Duration, 1, 3600'000'000'000LL },
            { u"starvation_threshold", ValueKind::Duration, 1, 3600'000'000'000LL },
            { u"self_wake_threshold", ValueKind::Int, 1, 1'000'000'000 },
        };
        QStringList names;
        for (const Setting& s : known)
            names << QString::fromUtf16(s.name);
        QStringList seen;
        for (const RuntimeSetting& setting : header.settings) {
            const auto it = std::find_if(std::begin(known), std::end(known),
                                         [&](const Setting& s) { return setting.name == QStringView(s.name); });
            if (it == std::end(known)) {
                const QString close = closestName(setting.name, names);
                error(setting.location, close.isEmpty()
                                            ? QStringLiteral("unknown runtime setting `%1`; the settings are %2").arg(setting.name, names.join(u", "))
                                            : QStringLiteral("unknown runtime setting `%1`; did you mean `%2`?").arg(setting.name, close));
                continue;
            }
            if (seen.contains(setting.name))
                error(setting.location, QStringLiteral("`%1` is set twice").arg(setting.name));
            seen << setting.name;
            const Expr& value = *setting.value;
            const bool isNumber = value.kind == ExprKind::Integer || value.kind == ExprKind::Duration;
            const ValueKind kind = value.kind == ExprKind::Duration ? ValueKind::Duration : ValueKind::Int;
            if (!isNumber || kind != it->kind) {
                error(value.location, it->kind == ValueKind::Duration
                                          ? QStringLiteral("`%1` needs a duration such as 10us").arg(setting.name)
                                          : QStringLiteral("`%1` needs a whole number").arg(setting.name));
                continue;
            }
            if (value.number < it->minimum || value.number > it->maximum) {
                error(value.location, QStringLiteral("`%1` must be between %2 and %3")
                                          .arg(setting.name,
                                               kind == ValueKind::Duration ? formatDuration(it->minimum) : QString::number(it->minimum),
                                               kind == ValueKind::Duration ? formatDuration(it->maximum) : QString::number(it->maximum)));
                continue;
            }
            const qint64 v = value.number;
            const QString& name = setting.name;
            if (name == u"blocking_threads")
                settings.blockingThreads = int(v);
            else if (name == u"poll_cost")
                settings.pollCost = v;
            else if (name == u"timer_resolution")
                settings.timerResolution = v;
            else if (name == u"budget")
                settings.budget = int(v);
            else if (name == u"event_interval")
                settings.eventInterval = int(v);
            else if (name == u"max_events")
                settings.maxEvents = std::uint64_t(v);
            else if (name == u"max_time")
                settings.maxTime = v;
            else if (name == u"max_steps")
                settings.maxStepsPerPoll = std::uint64_t(v);
            else if (name == u"max_tasks")
                settings.maxTasks = std::uint64_t(v);
            else if (name == u"blocking_threshold")
                analysis.blockingThreshold = v;
            else if (name == u"starvation_threshold")
                analysis.starvationThreshold = v;
            else if (name == u"self_wake_threshold")
                analysis.selfWakeThreshold = int(v);
        }
    }

    // --- Functions ---

    struct Local {
        QString name;
        int slot;
        bool isMutable;
        StaticType type;
    };
    struct Loop {
        std::vector<int> breaks;
        std::vector<int> continues;
    };

    void compileFunction(const Function& fn, FunctionCode& code)
    {
        m_code = &code;
        m_isAsync = fn.isAsync;
        m_scopes.clear();
        m_scopes.emplace_back();
        m_loops.clear();
        m_statementSpan = code.span;
        for (const Param& param : fn.params)
            declare(param.name, param.location, false, std::nullopt);
        for (std::size_t i = 0; i < fn.body.size(); ++i) {
            const Stmt& stmt = *fn.body[i];
            if (stmt.kind == StmtKind::Expr && !stmt.hasSemicolon && i + 1 == fn.body.size()) {
                // The tail expression is the function's value.
                m_statementSpan = span(stmt.location);
                expression(*stmt.expr);
                append(Op::Return, stmt.location);
                return;
            }
            statement(stmt);
        }
        m_statementSpan = span(fn.end);
        append(Op::PushNone, fn.end);
        append(Op::Return, fn.end);
    }

    int declare(const QString& name, const SourceLocation& location, bool isMutable, StaticType type)
    {
        if (m_code->slotCount >= kMaxSlots) {
            error(location, u"too many variables in one function"_qs);
            return 0;
        }
        const int slot = m_code->slotCount++;
        m_scopes.back().push_back(Local { name, slot, isMutable, type });
        return slot;
    }

    /// A hidden slot (loop iterators).
    int scratchSlot(const SourceLocation& location) { return declare(QString(), location, false, std::nullopt); }

    Local* lookup(const QString& name)
    {
        for (auto scope = m_scopes.rbegin(); scope != m_scopes.rend(); ++scope)
            for (auto local = scope->rbegin(); local != scope->rend(); ++local)
                if (local->name == name)
                    return &*local;
        return nullptr;
    }

    void block(const Block& statements)
    {
        m_scopes.emplace_back();
        for (const StmtPtr& stmt : statements)
            statement(*stmt);
        m_scopes.pop_back();
    }

    void statement(const Stmt& stmt)
    {
        m_statementSpan = span(stmt.location);
        switch (stmt.kind) {
        case StmtKind::Let: {
            const StaticType type = letValue(stmt);
            const int slot = declare(stmt.name, stmt.nameLocation, stmt.isMutable, type);
            append(Op::Store, stmt.nameLocation, slot);
            return;
        }
        case StmtKind::Assign: {
            Local* local = lookup(stmt.name);
            if (!local) {
                error(stmt.nameLocation, QStringLiteral("cannot find `%1`; declare it with `let mut %1 = ...`").arg(stmt.name));
                expression(*stmt.expr);
                append(Op::Pop, stmt.location);
                return;
            }
            if (!local->isMutable)
                error(stmt.nameLocation, QStringLiteral("cannot assign twice to `%1`; declare it with `let mut %1`").arg(stmt.name));
            const int slot = local->slot;
            StaticType type;
            if (stmt.compound) {
                append(Op::Load, stmt.nameLocation, slot);
                const StaticType lhs = local->type;
                const StaticType rhs = expression(*stmt.expr);
                type = arithmetic(stmt.compoundOp, lhs, rhs, stmt.nameLocation);
                append(stmt.compoundOp == BinaryOp::Add ? Op::Add : Op::Sub, stmt.nameLocation);
            } else {
                type = expression(*stmt.expr);
            }
            // Expressions declare nothing, so `local` still points into its scope.
            if (local->type != type)
                local->type = std::nullopt; // its type now depends on the path taken
            append(Op::Store, stmt.nameLocation, slot);
            return;
        }
        case StmtKind::Expr:
            expression(*stmt.expr);
            // A future made and not awaited is dropped here, never polled: the pitfall that
            // the timeline shows as a ghost.
            append(Op::Pop, stmt.location);
            return;
        case StmtKind::If: {
            condition(*stmt.expr, u"`if`"_qs);
            const int skip = append(Op::JumpIfFalse, stmt.expr->location);
            block(stmt.body);
            if (stmt.elseBody.empty()) {
                patch(skip);
                return;
            }
            const int end = append(Op::Jump, stmt.location);
            patch(skip);
            block(stmt.elseBody);
            patch(end);
            return;
        }
        case StmtKind::While: {
            const int top = here();
            condition(*stmt.expr, u"`while`"_qs);
            const int exit = append(Op::JumpIfFalse, stmt.expr->location);
            loopBody(stmt.body, top, stmt.location);
            patch(exit);
            patchBreaks();
            return;
        }
        case StmtKind::Loop: {
            const int top = here();
            loopBody(stmt.body, top, stmt.location);
            patchBreaks();
            return;
        }
        case StmtKind::For: {
            if (const Expr* call = sequentialAwait(stmt)) {
                const bool leaf = !lookupFunction(call->name);
                if (m_program.sequentialLoops.empty() || m_program.sequentialLoops.back().line != stmt.location.line)
                    m_program.sequentialLoops.push_back(SequentialLoop {
                        stmt.location.line, call->name, m_code->name, m_statementSpan, leaf });
                if (m_concurrentLoopsAt.contains(stmt.location.line)) {
                    if (leaf)
                        joinedLoop(stmt, *call);
                    else
                        spawnedLoop(stmt, *call);
                    return;
                }
            }
            const StaticType iterable = expression(*stmt.expr);
            if (iterable && *iterable != ValueKind::List && *iterable != ValueKind::Range)
                error(stmt.expr->location, QStringLiteral("cannot iterate over %1; use a list or a range like 0..n").arg(typeName(iterable)));
            m_scopes.emplace_back();
            const int iterator = scratchSlot(stmt.location);
            append(Op::IterInit, stmt.expr->location, 0, 0, iterator);
            const int top = here();
            const int exit = append(Op::IterNext, stmt.location, 0, 0, iterator);
            // The items of a list can be anything; a range gives no static hint either.
            const int variable = declare(stmt.name, stmt.nameLocation, false, std::nullopt);
            append(Op::Store, stmt.nameLocation, variable);
            loopBody(stmt.body, top, stmt.location);
            patch(exit);
            m_scopes.pop_back();
            patchBreaks();
            return;
        }
        case StmtKind::Break:
        case StmtKind::Continue: {
            if (m_loops.empty()) {
                error(stmt.location, stmt.kind == StmtKind::Break ? u"`break` outside of a loop"_qs : u"`continue` outside of a loop"_qs);
                return;
            }
            const int jump = append(Op::Jump, stmt.location);
            (stmt.kind == StmtKind::Break ? m_loops.back().breaks : m_loops.back().continues).push_back(jump);
            return;
        }
        case StmtKind::Return:
            if (stmt.expr)
                expression(*stmt.expr);
            else
                append(Op::PushNone, stmt.location);
            append(Op::Return, stmt.location);
            return;
        }
    }

    /// The call of `for x in items { f(x).await; }`, where f is an async fn of the scenario:
    /// a loop that awaits its items one at a time although nothing makes them wait for each other.
    /// The call a `for` loop awaits one item at a time, if the items could run together: the
    /// body is that one awaited call, so no iteration uses another's result; the call is an
    /// async fn's or a leaf future that waits without holding the worker (io, sleep,
    /// spawn_blocking); and its arguments use the loop variable, so each iteration waits for its
    /// own item. Without that it is the same wait again and again, sequential on purpose: a
    /// ticker's `sleep(20ms)`, a retry, a poll interval. Whether running the items together is
    /// sooner, the diagnostics measure.
    const Expr* sequentialAwait(const Stmt& loop) const
    {
        if (loop.body.size() != 1 || loop.body.front()->kind != StmtKind::Expr)
            return nullptr;
        const Expr& await = *loop.body.front()->expr;
        if (await.kind != ExprKind::Await || await.lhs->kind != ExprKind::Call)
            return nullptr;
        const Expr& call = *await.lhs;
        bool concurrent = false;
        if (const FunctionCode* fn = lookupFunction(call.name)) {
            concurrent = fn->isAsync;
        } else if (const BuiltinInfo* builtin = findBuiltin(call.name)) {
            concurrent = builtin->id == BuiltinId::Io || builtin->id == BuiltinId::Sleep ||
                builtin->id == BuiltinId::SpawnBlocking;
        }
        const bool perItem = std::any_of(call.args.begin(), call.args.end(),
            [&](const ExprPtr& arg) { return mentions(*arg, loop.name); });
        return concurrent && perItem ? &call : nullptr;
    }

    /// Whether `e` reads the variable `name` (also inside a string's `{name}`).
    static bool mentions(const Expr& e, const QString& name)
    {
        if (e.kind == ExprKind::Name && e.name == name)
            return true;
        for (const StringPart& part : e.parts) {
            if (part.isName && part.text == name)
                return true;
        }
        for (const ExprPtr& arg : e.args) {
            if (arg && mentions(*arg, name))
                return true;
        }
        return (e.lhs && mentions(*e.lhs, name)) || (e.rhs && mentions(*e.rhs, name));
    }

    /// The loop in its spawned form: `let hs = []; for x in items { hs.push(spawn f(x)); }
    /// for h in hs { h.await; }` — what the diagnostics run to measure the fix.
    void spawnedLoop(const Stmt& loop, const Expr& call)
    {
        m_scopes.emplace_back();
        const int handles = scratchSlot(loop.location);
        append(Op::MakeList, loop.location, 0, 0);
        append(Op::Store, loop.location, handles);
        expression(*loop.expr);
        const int iterator = scratchSlot(loop.location);
        append(Op::IterInit, loop.expr->location, 0, 0, iterator);
        const int top = here();
        const int exit = append(Op::IterNext, loop.location, 0, 0, iterator);
        append(Op::Store, loop.nameLocation, declare(loop.name, loop.nameLocation, false, std::nullopt));
        m_statementSpan = span(loop.body.front()->location);
        append(Op::Load, call.location, handles);
        userArguments(call, *lookupFunction(call.name));
        append(Op::Spawn, call.location, m_indices.value(call.name), int(call.args.size()));
        append(Op::CallMethod, call.location, int(MethodId::Push), 1);
        append(Op::Pop, call.location);
        append(Op::Jump, loop.location, top);
        patch(exit);
        const int each = scratchSlot(loop.location);
        append(Op::Load, loop.location, handles);
        append(Op::IterInit, loop.location, 0, 0, each);
        const int awaitTop = here();
        const int done = append(Op::IterNext, loop.location, 0, 0, each);
        append(Op::Await, loop.location);
        append(Op::Pop, loop.location);
        append(Op::Jump, loop.location, awaitTop);
        patch(done);
        m_scopes.pop_back();
    }

    /// A loop of leaf futures in its joined form: `let fs = []; for x in items { fs.push(io(..)); }
    /// join(fs).await;` — every future made first, then polled together by one join.
    void joinedLoop(const Stmt& loop, const Expr& leaf)
    {
        m_scopes.emplace_back();
        const int futures = scratchSlot(loop.location);
        append(Op::MakeList, loop.location, 0, 0);
        append(Op::Store, loop.location, futures);
        expression(*loop.expr);
        const int iterator = scratchSlot(loop.location);
        append(Op::IterInit, loop.expr->location, 0, 0, iterator);
        const int top = here();
        const int exit = append(Op::IterNext, loop.location, 0, 0, iterator);
        append(Op::Store, loop.nameLocation,
            declare(loop.name, loop.nameLocation, false, std::nullopt));
        m_statementSpan = span(loop.body.front()->location);
        append(Op::Load, leaf.location, futures);
        call(leaf);
        append(Op::CallMethod, leaf.location, int(MethodId::Push), 1);
        append(Op::Pop, leaf.location);
        append(Op::Jump, loop.location, top);
        patch(exit);
        append(Op::Load, loop.location, futures);
        append(Op::CallBuiltin, loop.location, int(BuiltinId::Join), 1);
        append(Op::Await, loop.location);
        append(Op::Pop, loop.location);
        m_scopes.pop_back();
    }

    StaticType letValue(const Stmt& stmt)
    {
        // `let inbox = channel(4);` names the channel after its variable.
        const Expr& value = *stmt.expr;
        if (value.kind == ExprKind::Call && value.name == u"channel" && value.args.size() == 1 && !lookupFunction(value.name))
            return call(value, stmt.name);
        return expression(value);
    }

    /// `loop` is the loop statement's position: the jump back to `top` has it, so that a run
    /// stopped by max_steps inside the loop points at the loop.
    void loopBody(const Block& body, int top, const SourceLocation& loop)
    {
        m_loops.emplace_back();
        block(body);
        for (int jump : m_loops.back().continues)
            m_code->code[std::size_t(jump)].a = top;
        const int back = append(Op::Jump, loop);
        m_code->code[std::size_t(back)].a = top;
    }

    void patchBreaks()
    {
        for (int jump : m_loops.back().breaks)
            patch(jump);
        m_loops.pop_back();
    }

    void condition(const Expr& expr, const QString& where)
    {
        const StaticType type = expression(expr);
        if (type && *type != ValueKind::Bool)
            error(expr.location, QStringLiteral("the %1 condition must be true or false, found %2").arg(where, typeName(type)));
    }

    // --- Expressions ---

    StaticType expression(const Expr& e)
    {
        switch (e.kind) {
        case ExprKind::Integer:
            append(Op::Const, e.location, constant(ValueKind::Int, e.number));
            return ValueKind::Int;
        case ExprKind::Duration:
            append(Op::Const, e.location, constant(ValueKind::Duration, e.number));
            return ValueKind::Duration;
        case ExprKind::Bool:
            append(Op::Const, e.location, constant(ValueKind::Bool, e.number));
            return ValueKind::Bool;
        case ExprKind::String:
            stringLiteral(e);
            return ValueKind::String;
        case ExprKind::Name:
            return name(e);
        case ExprKind::List:
            for (const ExprPtr& item : e.args)
                expression(*item);
            if (e.args.size() > kMaxArguments) {
                error(e.location, u"a list literal holds at most 255 items; use push for more"_qs);
                return ValueKind::List;
            }
            append(Op::MakeList, e.location, 0, int(e.args.size()));
            return ValueKind::List;
        case ExprKind::Unary: {
            const StaticType operand = expression(*e.lhs);
            if (e.unaryOp == UnaryOp::Not) {
                if (operand && *operand != ValueKind::Bool)
                    error(e.location, QStringLiteral("`!` needs true or false, found %1").arg(typeName(operand)));
                append(Op::Not, e.location);
                return ValueKind::Bool;
            }
            if (operand && *operand != ValueKind::Int && *operand != ValueKind::Duration)
                error(e.location, QStringLiteral("cannot negate %1").arg(typeName(operand)));
            append(Op::Neg, e.location);
            return operand;
        }
        case ExprKind::Binary:
            return binary(e);
        case ExprKind::Call:
            return call(e);
        case ExprKind::Method:
            return method(e);
        case ExprKind::Field: {
            const StaticType receiver = expression(*e.lhs);
            FieldId field = FieldIndex;
            if (e.name == u"index")
                field = FieldIndex;
            else if (e.name == u"value")
                field = FieldValue;
            else if (closestName(e.name, { u"await"_qs }) == u"await") {
                error(e.location, QStringLiteral("unknown field `%1`; did you mean `.await`?").arg(e.name));
                return std::nullopt;
            } else {
                error(e.location, QStringLiteral("unknown field `%1`: a select result has `.index` and `.value`; lists use `.len()`")
                                      .arg(e.name));
                return std::nullopt;
            }
            if (receiver && *receiver != ValueKind::Selected)
                error(e.location, QStringLiteral("`.%1` belongs to a select result, not to %2").arg(e.name, typeName(receiver)));
            append(Op::Field, e.location, field);
            return field == FieldIndex ? StaticType(ValueKind::Int) : std::nullopt;
        }
        case ExprKind::Index: {
            const StaticType list = expression(*e.lhs);
            const StaticType index = expression(*e.rhs);
            if (list && *list != ValueKind::List)
                error(e.location, QStringLiteral("cannot index %1; only lists have items").arg(typeName(list)));
            if (index && *index != ValueKind::Int)
                error(e.rhs->location, QStringLiteral("a list index is a number, found %1").arg(typeName(index)));
            append(Op::Index, e.location);
            return std::nullopt;
        }
        case ExprKind::Await:
            return await(e);
        case ExprKind::Try:
            expression(*e.lhs);
            append(Op::Try, e.location);
            return std::nullopt;
        case ExprKind::Spawn:
            return spawn(e);
        }
        return std::nullopt;
    }

    void stringLiteral(const Expr& e)
    {
        if (e.parts.size() == 1 && !e.parts.front().isName) {
            append(Op::Const, e.location, constant(ValueKind::String, 0, e.parts.front().text));
            return;
        }
        std::vector<TemplatePart> parts;
        for (const StringPart& part : e.parts) {
            if (!part.isName) {
                parts.push_back(TemplatePart { part.text, -1 });
                continue;
            }
            const Local* local = lookup(part.text);
            if (!local) {
                error(part.location, QStringLiteral("cannot find `%1` to put in the string").arg(part.text));
                continue;
            }
            parts.push_back(TemplatePart { QString(), local->slot });
        }
        m_program.templates.push_back(std::move(parts));
        append(Op::Interpolate, e.location, int(m_program.templates.size() - 1));
    }

    StaticType name(const Expr& e)
    {
        if (const Local* local = lookup(e.name)) {
            append(Op::Load, e.location, local->slot);
            return local->type;
        }
        if (e.name == u"none") {
            append(Op::PushNone, e.location);
            return ValueKind::None;
        }
        if (lookupFunction(e.name) || findBuiltin(e.name))
            error(e.location, QStringLiteral("`%1` is a function; call it: %1(...)").arg(e.name));
        else
            error(e.location, QStringLiteral("cannot find `%1` in this scope").arg(e.name) + suggestion(e.name, visibleNames()));
        append(Op::PushNone, e.location);
        return std::nullopt;
    }

    QStringList visibleNames() const
    {
        QStringList names;
        for (const auto& scope : m_scopes)
            for (const Local& local : scope)
                if (!local.name.isEmpty())
                    names << local.name;
        return names;
    }

    static QString suggestion(const QString& name, const QStringList& candidates)
    {
        const QString close = closestName(name, candidates);
        return close.isEmpty() ? QString() : QStringLiteral("; did you mean `%1`?").arg(close);
    }

    StaticType binary(const Expr& e)
    {
        if (e.binaryOp == BinaryOp::And || e.binaryOp == BinaryOp::Or) {
            const StaticType lhs = expression(*e.lhs);
            const int jump = append(e.binaryOp == BinaryOp::And ? Op::JumpIfFalseKeep : Op::JumpIfTrueKeep, e.location);
            const StaticType rhs = expression(*e.rhs);
            patch(jump);
            for (const auto& [side, type] : { std::pair(e.lhs.get(), lhs), std::pair(e.rhs.get(), rhs) })
                if (type && *type != ValueKind::Bool)
                    error(side->location, QStringLiteral("`%1` needs true or false, found %2")
                                              .arg(e.binaryOp == BinaryOp::And ? u"&&"_qs : u"||"_qs, typeName(type)));
            return ValueKind::Bool;
        }
        const StaticType lhs = expression(*e.lhs);
        const StaticType rhs = expression(*e.rhs);
        static const QHash<int, Op> ops {
            { int(BinaryOp::Add), Op::Add }, { int(BinaryOp::Sub), Op::Sub }, { int(BinaryOp::Mul), Op::Mul },
            { int(BinaryOp::Div), Op::Div }, { int(BinaryOp::Rem), Op::Rem }, { int(BinaryOp::Eq), Op::Eq },
            { int(BinaryOp::Ne), Op::Ne },   { int(BinaryOp::Lt), Op::Lt },   { int(BinaryOp::Le), Op::Le },
            { int(BinaryOp::Gt), Op::Gt },   { int(BinaryOp::Ge), Op::Ge },   { int(BinaryOp::Range), Op::MakeRange },
        };
        append(ops.value(int(e.binaryOp)), e.location);
        switch (e.binaryOp) {
        case BinaryOp::Eq:
        case BinaryOp::Ne:
            if (!unitHint(lhs, rhs).isEmpty())
                error(e.location, QStringLiteral("cannot compare %1 with %2").arg(typeName(lhs), typeName(rhs)) + unitHint(lhs, rhs));
            return ValueKind::Bool;
        case BinaryOp::Lt:
        case BinaryOp::Le:
        case BinaryOp::Gt:
        case BinaryOp::Ge:
            if (lhs && rhs && !(*lhs == *rhs && (*lhs == ValueKind::Int || *lhs == ValueKind::Duration)))
                error(e.location, QStringLiteral("cannot compare %1 with %2").arg(typeName(lhs), typeName(rhs)) + unitHint(lhs, rhs));
            return ValueKind::Bool;
        case BinaryOp::Range:
            if (lhs && rhs && !(*lhs == *rhs && (*lhs == ValueKind::Int || *lhs == ValueKind::Duration)))
                error(e.location, QStringLiteral("a range goes from a number to a number, or from a duration to a duration; found %1..%2")
                                      .arg(typeName(lhs), typeName(rhs)));
            return ValueKind::Range;
        default:
            return arithmetic(e.binaryOp, lhs, rhs, e.location);
        }
    }

    static QString unitHint(StaticType lhs, StaticType rhs)
    {
        const bool mixesUnits = (lhs == ValueKind::Int && rhs == ValueKind::Duration) || (lhs == ValueKind::Duration && rhs == ValueKind::Int);
        return mixesUnits ? u": give the number a unit, e.g. 80ms"_qs : QString();
    }

    StaticType arithmetic(BinaryOp op, StaticType lhs, StaticType rhs, const SourceLocation& location)
    {
        if (!lhs || !rhs)
            return (op == BinaryOp::Mul && (lhs == ValueKind::Duration || rhs == ValueKind::Duration)) ? StaticType(ValueKind::Duration)
                                                                                                         : std::nullopt;
        using K = ValueKind;
        const K a = *lhs;
        const K b = *rhs;
        switch (op) {
        case BinaryOp::Add:
        case BinaryOp::Sub:
            if (a == b && (a == K::Int || a == K::Duration))
                return a;
            if (a == K::String || b == K::String) {
                error(location, u"strings are not added; interpolate instead: \"{a}{b}\""_qs);
                return std::nullopt;
            }
            break;
        case BinaryOp::Mul:
            if (a == K::Int && b == K::Int)
                return K::Int;
            if ((a == K::Duration && b == K::Int) || (a == K::Int && b == K::Duration))
                return K::Duration;
            break;
        case BinaryOp::Div:
            if (a == K::Int && b == K::Int)
                return K::Int;
            if (a == K::Duration && b == K::Int)
                return K::Duration;
            if (a == K::Duration && b == K::Duration)
                return K::Int;
            break;
        case BinaryOp::Rem:
            if (a == b && (a == K::Int || a == K::Duration))
                return a;
            break;
        default:
            break;
        }
        static const QHash<int, QString> verbs {
            { int(BinaryOp::Add), u"add"_qs }, { int(BinaryOp::Sub), u"subtract"_qs }, { int(BinaryOp::Mul), u"multiply"_qs },
            { int(BinaryOp::Div), u"divide"_qs }, { int(BinaryOp::Rem), u"take the remainder of"_qs },
        };
        error(location, QStringLiteral("cannot %1 %2 and %3").arg(verbs.value(int(op)), typeName(lhs), typeName(rhs)) + unitHint(lhs, rhs));
        return std::nullopt;
    }

    const FunctionCode* lookupFunction(const QString& name) const
    {
        const auto it = m_indices.constFind(name);
        return it == m_indices.cend() ? nullptr : &m_program.functions[std::size_t(it.value())];
    }

    /// Compiles the arguments of a call to a scenario function, checking the count.
    bool userArguments(const Expr& e, const FunctionCode& fn)
    {
        if (int(e.args.size()) != fn.params) {
            error(e.location, QStringLiteral("`%1` takes %2 %3, found %4")
                                  .arg(fn.name)
                                  .arg(fn.params)
                                  .arg(fn.params == 1 ? u"argument"_qs : u"arguments"_qs)
                                  .arg(e.args.size()));
        }
        for (const ExprPtr& arg : e.args)
            expression(*arg);
        if (e.args.size() > kMaxArguments) {
            error(e.location, u"too many arguments"_qs);
            return false;
        }
        return true;
    }

    StaticType call(const Expr& e, const QString& channelLabel = {})
    {
        if (const FunctionCode* fn = lookupFunction(e.name)) {
            const int index = m_indices.value(e.name);
            userArguments(e, *fn);
            append(fn->isAsync ? Op::MakeFuture : Op::CallSync, e.location, index, int(e.args.size()));
            return fn->isAsync ? StaticType(ValueKind::Future) : std::nullopt;
        }
        const BuiltinInfo* builtin = findBuiltin(e.name);
        if (!builtin) {
            QStringList names;
            for (const BuiltinInfo& b : builtins())
                names << b.name;
            names << m_indices.keys();
            error(e.location, QStringLiteral("unknown function `%1`").arg(e.name) + suggestion(e.name, names));
            for (const ExprPtr& arg : e.args)
                expression(*arg);
            append(Op::PushNone, e.location);
            return std::nullopt;
        }
        int argc = int(e.args.size());
        if (builtin->variadic) {
            if (e.args.empty())
                error(e.location, QStringLiteral("`%1` needs at least one future").arg(builtin->name));
            for (const ExprPtr& arg : e.args) {
                const StaticType type = expression(*arg);
                const bool fine = !type || *type == ValueKind::Future || *type == ValueKind::Handle
                    || (*type == ValueKind::List && e.args.size() == 1);
                if (!fine)
                    error(arg->location, QStringLiteral("`%1` takes futures (or one list of them), found %2")
                                             .arg(builtin->name, typeName(type)) + awaitHint(*arg));
            }
        } else {
            const int most = int(builtin->params.size());
            const int least = most - builtin->optionalParams;
            if (argc < least || argc > most) {
                error(e.location, QStringLiteral("`%1` takes %2, found %3 %4")
                                      .arg(builtin->name,
                                           least == most ? QStringLiteral("%1 %2").arg(most).arg(most == 1 ? u"argument"_qs : u"arguments"_qs)
                                                         : QStringLiteral("%1 to %2 arguments").arg(least).arg(most),
                                           QString::number(argc), argc == 1 ? u"argument"_qs : u"arguments"_qs)
                                      + QStringLiteral(" (%1)").arg(builtin->signature));
            }
            for (int i = 0; i < argc; ++i) {
                const StaticType type = expression(*e.args[std::size_t(i)]);
                const StaticType expected = i < most ? builtin->params[std::size_t(i)] : std::nullopt;
                if (expected && type && *type != *expected)
                    error(e.args[std::size_t(i)]->location, argumentMismatch(*builtin, i, *expected, *type));
            }
            if (builtin->id == BuiltinId::Channel && argc == 1) {
                append(Op::Const, e.location, constant(ValueKind::String, 0, channelLabel.isEmpty() ? QString() : channelLabel));
                ++argc;
            }
        }
        if (argc > kMaxArguments) {
            error(e.location, u"too many arguments"_qs);
            return std::nullopt;
        }
        append(Op::CallBuiltin, e.location, int(builtin->id), argc);
        if (builtin->id == BuiltinId::Rand && !e.args.empty() && e.args.front()->kind == ExprKind::Binary
            && e.args.front()->lhs && e.args.front()->lhs->kind == ExprKind::Duration)
            return ValueKind::Duration;
        return builtin->result;
    }

    static QString argumentMismatch(const BuiltinInfo& builtin, int i, ValueKind expected, ValueKind found)
    {
        const QString position = builtin.params.size() > 1 ? QStringLiteral(" as its %1 argument").arg(ordinal(i)) : QString();
        if (expected == ValueKind::Duration && found == ValueKind::Int)
            return QStringLiteral("`%1` needs a duration%2, such as 80ms; this number has no unit").arg(builtin.name, position);
        return QStringLiteral("`%1` needs %2%3, found %4 (%5)")
            .arg(builtin.name, describeKind(expected), position, describeKind(found), builtin.signature);
    }

    /// "did you forget `.await`?" style hints are not needed here; a future is what is wanted.
    static QString awaitHint(const Expr& arg)
    {
        return arg.kind == ExprKind::Await ? u"; pass the future itself, without `.await`"_qs : QString();
    }

    StaticType method(const Expr& e)
    {
        const StaticType receiver = expression(*e.lhs);
        const std::vector<const MethodInfo*> candidates = methodsNamed(e.name);
        const MethodInfo* info = receiver ? findMethod(*receiver, e.name) : (candidates.empty() ? nullptr : candidates.front());
        if (!info) {
            QStringList names;
            for (const MethodInfo& m : methods())
                if (!receiver || m.receiver == *receiver)
                    names << m.name;
            names.removeDuplicates();
            error(e.location, QStringLiteral("%1 has no method `%2`").arg(receiver ? typeName(receiver) : u"nothing"_qs, e.name)
                                  + (names.isEmpty() ? QString() : QStringLiteral("; it has %1").arg(names.join(u", "))));
        } else if (e.args.size() != info->params.size()) {
            error(e.location, QStringLiteral("`%1` takes %2 %3 (%4)")
                                  .arg(e.name)
                                  .arg(info->params.size())
                                  .arg(info->params.size() == 1 ? u"argument"_qs : u"arguments"_qs, info->signature));
        }
        for (const ExprPtr& arg : e.args)
            expression(*arg);
        if (e.args.size() > kMaxArguments) {
            error(e.location, u"too many arguments"_qs);
            return std::nullopt;
        }
        append(Op::CallMethod, e.location, info ? int(info->id) : int(MethodId::Len), int(e.args.size()));
        if (!receiver && candidates.size() > 1)
            return std::nullopt;
        return info ? info->result : std::nullopt;
    }

    StaticType await(const Expr& e)
    {
        const Expr& target = *e.lhs;
        if (!m_isAsync)
            error(e.location, u"`.await` is only allowed inside an `async fn`"_qs);
        if (target.kind == ExprKind::Call) {
            if (const FunctionCode* fn = lookupFunction(target.name)) {
                if (!fn->isAsync) {
                    error(e.location, QStringLiteral("`%1` is not async: call it without `.await`").arg(fn->name));
                    expression(target);
                    return std::nullopt;
                }
                // An async fn awaited where it is called runs inline, in this task's fiber.
                userArguments(target, *fn);
                append(Op::CallAwait, target.location, m_indices.value(target.name), int(target.args.size()));
                return std::nullopt;
            }
        }
        if (target.kind == ExprKind::Call && !lookupFunction(target.name)) {
            // The common leaves, awaited where they are made, need no future object.
            const BuiltinInfo* builtin = findBuiltin(target.name);
            if (builtin && (builtin->id == BuiltinId::Sleep || builtin->id == BuiltinId::Io || builtin->id == BuiltinId::YieldNow)
                && int(target.args.size()) == int(builtin->params.size())) {
                for (std::size_t i = 0; i < target.args.size(); ++i) {
                    const StaticType type = expression(*target.args[i]);
                    if (type && *type != *builtin->params[i])
                        error(target.args[i]->location, argumentMismatch(*builtin, int(i), *builtin->params[i], *type));
                }
                // Its runtime errors (a negative duration) point at the leaf's call.
                append(Op::AwaitLeaf, target.location, int(builtin->id), int(target.args.size()));
                return ValueKind::None;
            }
        }
        const StaticType type = expression(target);
        if (type && *type != ValueKind::Future && *type != ValueKind::Handle) {
            QString message = QStringLiteral("`.await` needs a future or a task handle, found %1").arg(typeName(type));
            if (target.kind == ExprKind::Call && findBuiltin(target.name) && *type == ValueKind::None)
                message = QStringLiteral("`%1(...)` runs inside the poll and gives nothing to await; remove `.await`").arg(target.name);
            error(e.location, message);
        }
        append(Op::Await, e.location);
        return std::nullopt;
    }

    StaticType spawn(const Expr& e)
    {
        const Expr& target = *e.lhs;
        const FunctionCode* fn = lookupFunction(target.name);
        if (!fn || !fn->isAsync) {
            error(target.location, fn ? QStringLiteral("`spawn` needs an async fn; `%1` is a plain fn").arg(target.name)
                                      : findBuiltin(target.name)
                                          ? QStringLiteral("`spawn` takes an async fn of this scenario; wrap `%1(...)` in one").arg(target.name)
                                          : QStringLiteral("unknown function `%1`").arg(target.name));
            for (const ExprPtr& arg : target.args)
                expression(*arg);
            append(Op::PushNone, e.location);
            return ValueKind::Handle;
        }
        userArguments(target, *fn);
        if (e.rhs) {
            const StaticType name = expression(*e.rhs);
            if (name && *name != ValueKind::String)
                error(e.rhs->location, QStringLiteral("a task's name is a string, found %1").arg(typeName(name)));
        }
        append(Op::Spawn, e.location, m_indices.value(target.name), int(target.args.size()), e.rhs ? 1 : 0);
        return ValueKind::Handle;
    }

    // --- Emission ---

    int append(Op op, const SourceLocation& where, int a = 0, int b = 0, int c = 0)
    {
        Instruction instruction { op, std::uint8_t(b), std::uint16_t(c), a, m_statementSpan, span(where) };
        m_code->code.push_back(instruction);
        return int(m_code->code.size() - 1);
    }
    int here() const { return int(m_code->code.size()); }
    void patch(int jump) { m_code->code[std::size_t(jump)].a = here(); }

    int constant(ValueKind kind, qint64 number, const QString& text = {})
    {
        m_program.constants.push_back(Constant { kind, number, text });
        return int(m_program.constants.size() - 1);
    }

    SpanId span(const SourceLocation& location)
    {
        if (location.line <= 0)
            return 0;
        const qint64 key = (qint64(location.offset) << 32) | std::uint32_t(location.length);
        const auto it = m_spans.constFind(key);
        if (it != m_spans.cend())
            return it.value();
        const auto id = SpanId(m_program.spans.size());
        m_program.spans.push_back(SourceSpan { location.line, location.column, location.line, location.column + location.length });
        m_spans.insert(key, id);
        return id;
    }

    void error(const SourceLocation& location, const QString& message)
    {
        m_errors.append(ScriptError { location, message });
    }

    bool m_parsedCleanly;
    const Script& m_script;
    QString m_variant;
    QList<int> m_concurrentLoopsAt;
    Program& m_program;
    QList<ScriptError>& m_errors;
    QHash<QString, int> m_indices;
    std::vector<const Function*> m_asts;
    QHash<qint64, SpanId> m_spans; ///< by (offset, length)

    FunctionCode* m_code = nullptr;
    bool m_isAsync = false;
    SpanId m_statementSpan = 0;
    std::vector<std::vector<Local>> m_scopes;
    std::vector<Loop> m_loops;
};

} // namespace

CompileResult compileScenario(const QString& text, const QString& fileName, const CompileOptions& options)
{
    CompileResult result;
    result.source = SourceText(fileName, text);
    const Script script = parseScript(text, result.errors);
    result.title = script.title;
    result.parsed = result.errors.isEmpty();
    auto program = std::make_shared<Program>();
    program->source = result.source;
    Compiler(script, options, *program, result.errors).run();
    if (result.parsed) {
        result.variants = program->variants;
        result.variants.removeDuplicates();
    }
    std::stable_sort(result.errors.begin(), result.errors.end(), [](const ScriptError& a, const ScriptError& b) {
        return a.location.offset < b.location.offset;
    });
    if (result.errors.isEmpty())
        result.program = std::move(program);
    return result;
}

} // namespace pollscope
