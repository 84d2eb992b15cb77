#include "script/fiber.h"

#include "runtime/taskfailure.h"
#include "script/builtins.h"

namespace pollscope::script {

namespace {

constexpr std::size_t kMaxCallDepth = 1000;

QString kindError(const QString& what, ValueKind expected, const Value& found)
{
    return QStringLiteral("%1 needs %2, found %3").arg(what, describeKind(expected), describeKind(found.kind()));
}

/// Arithmetic on numbers and durations; an empty optional means `error` says why.
std::optional<Value> arithmetic(Op op, const Value& a, const Value& b, QString& error)
{
    using K = ValueKind;
    const K x = a.kind();
    const K y = b.kind();
    const bool numbers = (x == K::Int || x == K::Duration) && (y == K::Int || y == K::Duration);
    if (!numbers) {
        error = QStringLiteral("cannot combine %1 and %2 with an arithmetic operator").arg(describeKind(x), describeKind(y));
        return std::nullopt;
    }
    qint64 result = 0;
    K kind = K::Int;
    bool overflow = false;
    switch (op) {
    case Op::Add:
    case Op::Sub:
        if (x != y) {
            error = QStringLiteral("cannot %1 %2 and %3: give the number a unit, e.g. 80ms")
                        .arg(op == Op::Add ? u"add"_qs : u"subtract"_qs, describeKind(x), describeKind(y));
            return std::nullopt;
        }
        overflow = op == Op::Add ? __builtin_add_overflow(a.number(), b.number(), &result)
                                 : __builtin_sub_overflow(a.number(), b.number(), &result);
        kind = x;
        break;
    case Op::Mul:
        if (x == K::Duration && y == K::Duration) {
            error = u"cannot multiply two durations"_qs;
            return std::nullopt;
        }
        overflow = __builtin_mul_overflow(a.number(), b.number(), &result);
        kind = x == K::Duration || y == K::Duration ? K::Duration : K::Int;
        break;
    case Op::Div:
    case Op::Rem:
        if (x == K::Int && y == K::Duration) {
            error = u"cannot divide a number by a duration"_qs;
            return std::nullopt;
        }
        if (b.number() == 0) {
            error = op == Op::Div ? u"division by zero"_qs : u"remainder by zero"_qs;
            return std::nullopt;
        }
        if (a.number() == std::numeric_limits<qint64>::min() && b.number() == -1) {
            overflow = true;
            break;
        }
        result = op == Op::Div ? a.number() / b.number() : a.number() % b.number();
        kind = op == Op::Div ? (x == K::Duration && y == K::Int ? K::Duration : K::Int) : x;
        if (op == Op::Rem && x != y) {
            error = QStringLiteral("cannot take the remainder of %1 by %2").arg(describeKind(x), describeKind(y));
            return std::nullopt;
        }
        break;
    default:
        break;
    }
    if (overflow) {
        error = u"the result is too large"_qs;
        return std::nullopt;
    }
    return kind == K::Duration ? Value::duration(result) : Value::integer(result);
}

} // namespace

Fiber::Fiber(
    ScriptContext& context, int function, std::vector<Value> arguments, SpanId span, Origin origin)
    : FutureObject(context, span)
    , m_stack(std::move(arguments))
    , m_origin(origin)
{
    m_stack.reserve(32);
    enter(function, int(m_stack.size()));
}

void Fiber::enter(int function, int argumentCount)
{
    const FunctionCode& code = m_context.program.functions[std::size_t(function)];
    const int base = int(m_stack.size()) - argumentCount;
    m_stack.resize(std::size_t(base + code.slotCount));
    m_frames.push_back(Frame { &code, 0, base });
}

bool Fiber::leave(Value value)
{
    m_stack.resize(std::size_t(m_frames.back().base));
    m_frames.pop_back();
    if (m_frames.empty()) {
        m_result = std::move(value);
        return true;
    }
    m_stack.push_back(std::move(value));
    return false;
}

bool Fiber::fail(const Instruction& at, const QString& message)
{
    // An instruction the compiler placed nowhere in particular fails at its statement.
    m_context.runtimeError(at.where != 0 ? at.where : at.span, message);
    return abandon();
}

std::vector<Value> Fiber::popArguments(int count)
{
    std::vector<Value> arguments(std::make_move_iterator(m_stack.end() - count), std::make_move_iterator(m_stack.end()));
    m_stack.resize(m_stack.size() - std::size_t(count));
    return arguments;
}

Ref<FutureObject> Fiber::toFuture(const Value& value, const Instruction& at)
{
    if (value.kind() == ValueKind::Future)
        return value.future();
    if (value.kind() == ValueKind::Handle)
        return new JoinFutureObject(m_context, at.where, *value.handle());
    return {};
}

bool Fiber::pollOnce()
{
    if (m_running) [[unlikely]] {
        // Reached again from its own await, through a list, a channel or a join: running it
        // here would re-enter the interpreter on the same frames.
        m_context.runtimeError(
            m_awaitWhere, u"a future cannot await itself: it would wait for itself forever"_qs);
        return false;
    }
    m_running = true;
    const bool ready = resume();
    m_running = false;
    return ready;
}

void Fiber::noteCallers() const
{
    // Each frame above the first was entered by the call its caller's pc has just passed.
    for (std::size_t i = m_frames.size(); i-- > 1;) {
        const Frame& caller = m_frames[i - 1];
        const Instruction& call = caller.function->code[std::size_t(caller.pc - 1)];
        m_context.noteCall(
            call.where != 0 ? call.where : call.span, m_frames[i].function->name, false);
    }
    if (m_origin != Origin::Main)
        m_context.noteCall(span(), m_frames.front().function->name, m_origin == Origin::Spawn);
}

bool Fiber::resume()
{
    // Other fibers of the task (join branches) may have moved its span since this one ran.
    forgetSpan();
    if (m_leaf.index() != 0) {
        setSpan(m_awaitSpan);
        if (!pollLeaf())
            return false;
        m_stack.emplace_back();
    } else if (m_awaiting) {
        setSpan(m_awaitSpan);
        if (!m_awaiting->poll())
            return m_context.stopped ? abandon() : false;
        if (m_context.stopped)
            return abandon();
        forgetSpan();
        m_stack.push_back(m_awaiting->result());
        m_awaiting = {};
    }
    return run();
}

bool Fiber::abandon()
{
    // Called again on the way out of run(), with the frames gone: noted once.
    if (!m_frames.empty())
        noteCallers();
    m_frames.clear();
    m_stack.clear();
    m_awaiting = {};
    m_leaf.emplace<std::monostate>();
    if (m_context.atBound)
        return false; // cut off by a bound: unfinished, and never polled again
    // The task's root fiber unwinds last: its error, the task's, has every note.
    m_result = Value::error(m_context.stopText());
    return true;
}

bool Fiber::reachBound(const Instruction& at, const QString& message)
{
    m_context.boundReached(at.where != 0 ? at.where : at.span, message);
    return abandon();
}

bool Fiber::run()
{
    // The interpreter loop. `frame` and `code` are reloaded whenever m_frames changes.
    const std::uint64_t maxSteps = m_context.maxStepsPerPoll;
    std::uint64_t steps = 0;
    Frame* frame = &m_frames.back();
    const Instruction* code = frame->function->code.data();
    auto reload = [&] {
        frame = &m_frames.back();
        code = frame->function->code.data();
    };
    for (;;) {
        const Instruction& in = code[frame->pc++];
        if (++steps > maxSteps) [[unlikely]] {
            return reachBound(in,
                QStringLiteral(
                    "this poll ran %1 steps without waiting on anything: a loop without `.await`? "
                    "(max_steps; raise it with runtime current_thread(max_steps: %2))")
                    .arg(maxSteps)
                    .arg(maxSteps * 10));
        }
        switch (in.op) {
        case Op::Const:
            m_stack.push_back(m_context.constants[std::size_t(in.a)]);
            break;
        case Op::PushNone:
            m_stack.emplace_back();
            break;
        case Op::Load:
            m_stack.push_back(m_stack[std::size_t(frame->base + in.a)]);
            break;
        case Op::Store:
            m_stack[std::size_t(frame->base + in.a)] = pop();
            break;
        case Op::Pop:
            setSpan(in.span);
            m_stack.pop_back();
            break;
        case Op::Add:
        case Op::Sub:
        case Op::Mul:
        case Op::Div:
        case Op::Rem: {
            const Value b = pop();
            const Value a = pop();
            QString error;
            std::optional<Value> result = arithmetic(in.op, a, b, error);
            if (!result)
                return fail(in, error);
            m_stack.push_back(std::move(*result));
            break;
        }
        case Op::Eq:
        case Op::Ne: {
            const Value b = pop();
            const Value a = pop();
            if ((a.kind() == ValueKind::Int && b.kind() == ValueKind::Duration)
                || (a.kind() == ValueKind::Duration && b.kind() == ValueKind::Int))
                return fail(in, QStringLiteral("cannot compare %1 with %2: give the number a unit, e.g. 80ms")
                                    .arg(describeKind(a.kind()), describeKind(b.kind())));
            const std::optional<bool> equal = a.equals(b);
            if (!equal)
                return fail(in,
                    QStringLiteral("cannot compare lists nested more than %1 deep")
                        .arg(Value::kMaxNesting));
            m_stack.push_back(Value::boolean(*equal == (in.op == Op::Eq)));
            break;
        }
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge: {
            const Value b = pop();
            const Value a = pop();
            int order = 0;
            if (a.kind() == b.kind() && (a.kind() == ValueKind::Int || a.kind() == ValueKind::Duration))
                order = a.number() < b.number() ? -1 : a.number() > b.number() ? 1 : 0;
            else if (a.kind() == ValueKind::String && b.kind() == ValueKind::String)
                order = a.text().compare(b.text());
            else
                return fail(in, QStringLiteral("cannot compare %1 with %2").arg(describeKind(a.kind()), describeKind(b.kind())));
            const bool result = in.op == Op::Lt ? order < 0 : in.op == Op::Le ? order <= 0 : in.op == Op::Gt ? order > 0 : order >= 0;
            m_stack.push_back(Value::boolean(result));
            break;
        }
        case Op::MakeRange: {
            const Value b = pop();
            const Value a = pop();
            if (a.kind() != b.kind() || (a.kind() != ValueKind::Int && a.kind() != ValueKind::Duration))
                return fail(in, QStringLiteral("a range goes from a number to a number, or a duration to a duration; found %1..%2")
                                    .arg(describeKind(a.kind()), describeKind(b.kind())));
            m_stack.push_back(Value::range(a.number(), b.number(), a.kind() == ValueKind::Duration));
            break;
        }
        case Op::Not: {
            const Value v = pop();
            if (v.kind() != ValueKind::Bool)
                return fail(in, kindError(u"`!`"_qs, ValueKind::Bool, v));
            m_stack.push_back(Value::boolean(!v.truthy()));
            break;
        }
        case Op::Neg: {
            const Value v = pop();
            if ((v.kind() != ValueKind::Int && v.kind() != ValueKind::Duration) || v.number() == std::numeric_limits<qint64>::min())
                return fail(in, QStringLiteral("cannot negate %1").arg(describeKind(v.kind())));
            m_stack.push_back(v.kind() == ValueKind::Int ? Value::integer(-v.number()) : Value::duration(-v.number()));
            break;
        }
        case Op::Jump:
            frame->pc = in.a;
            break;
        case Op::JumpIfFalse: {
            const Value v = pop();
            if (v.kind() != ValueKind::Bool)
                return fail(in, QStringLiteral("a condition must be true or false, found %1").arg(describeKind(v.kind())));
            if (!v.truthy())
                frame->pc = in.a;
            break;
        }
        case Op::JumpIfFalseKeep:
        case Op::JumpIfTrueKeep: {
            const Value& v = m_stack.back();
            if (v.kind() != ValueKind::Bool)
                return fail(in, QStringLiteral("`%1` needs true or false, found %2")
                                    .arg(in.op == Op::JumpIfFalseKeep ? u"&&"_qs : u"||"_qs, describeKind(v.kind())));
            if (v.truthy() == (in.op == Op::JumpIfTrueKeep))
                frame->pc = in.a;
            else
                m_stack.pop_back();
            break;
        }
        case Op::MakeList:
            m_stack.push_back(Value::list(popArguments(in.b)));
            break;
        case Op::Interpolate: {
            QString text;
            for (const TemplatePart& part : m_context.program.templates[std::size_t(in.a)])
                text += part.slot < 0 ? part.text : m_stack[std::size_t(frame->base + part.slot)].display();
            // A long string costs steps by its length (a step is otherwise about one
            // instruction), so that max_steps bounds the work of a loop that builds them.
            steps += std::uint64_t(text.size()) / 64;
            m_stack.push_back(Value::string(std::move(text)));
            break;
        }
        case Op::Index: {
            const Value index = pop();
            const Value list = pop();
            if (list.kind() != ValueKind::List || index.kind() != ValueKind::Int)
                return fail(in, QStringLiteral("cannot index %1 with %2").arg(describeKind(list.kind()), describeKind(index.kind())));
            const auto& items = list.items();
            if (index.number() < 0 || index.number() >= qint64(items.size()))
                return fail(in,
                    QStringLiteral("index %1 is out of range: the list has %2 item%3")
                        .arg(index.number())
                        .arg(items.size())
                        .arg(items.size() == 1 ? u"" : u"s"));
            m_stack.push_back(items[std::size_t(index.number())]);
            break;
        }
        case Op::Field: {
            const Value v = pop();
            if (v.kind() != ValueKind::Selected)
                return fail(in, kindError(in.a == FieldIndex ? u"`.index`"_qs : u"`.value`"_qs, ValueKind::Selected, v));
            m_stack.push_back(in.a == FieldIndex ? Value::integer(v.selectedValue().index) : v.selectedValue().value);
            break;
        }
        case Op::CallSync:
        case Op::CallAwait:
            if (m_frames.size() >= kMaxCallDepth)
                return fail(in, QStringLiteral("calls nested more than %1 deep: endless recursion?").arg(kMaxCallDepth));
            enter(in.a, in.b);
            reload();
            break;
        case Op::MakeFuture: {
            auto* future = new Fiber(m_context, in.a, popArguments(in.b), in.where, Origin::Call);
            m_stack.push_back(Value::object(ValueKind::Future, future));
            break;
        }
        case Op::CallBuiltin: {
            if (BuiltinId(in.a) == BuiltinId::Fail) {
                const Value message = pop();
                if (message.kind() != ValueKind::String)
                    return fail(in, kindError(u"`fail`"_qs, ValueKind::String, message));
                // A Ready poll ends at the `fail` call itself, not at its statement: a failed
                // main is reported there, and so are the task's last events.
                if (m_frames.size() == 1)
                    setSpan(in.where);
                if (leave(Value::error(message.text())))
                    return true;
                reload();
                break;
            }
            Value result = callBuiltin(in);
            if (m_context.stopped)
                return abandon();
            m_stack.push_back(std::move(result));
            break;
        }
        case Op::CallMethod: {
            Value result = callMethod(in);
            if (m_context.stopped)
                return abandon();
            m_stack.push_back(std::move(result));
            break;
        }
        case Op::Spawn: {
            Value handle = spawn(in);
            if (m_context.stopped)
                return abandon();
            m_stack.push_back(std::move(handle));
            break;
        }
        case Op::Await: {
            Ref<FutureObject> future = toFuture(m_stack.back(), in);
            if (!future)
                return fail(in, QStringLiteral("`.await` needs a future or a task handle, found %1").arg(describeKind(m_stack.back().kind())));
            m_stack.pop_back();
            setSpan(in.span);
            m_awaitWhere = in.where;
            if (!future->poll()) {
                if (m_context.stopped)
                    return abandon();
                m_awaiting = std::move(future);
                m_awaitSpan = in.span;
                return false;
            }
            if (m_context.stopped)
                return abandon();
            forgetSpan();
            m_stack.push_back(future->result());
            break;
        }
        case Op::AwaitLeaf:
            if (!awaitLeaf(in)) {
                if (m_context.stopped)
                    return abandon();
                m_awaitSpan = in.span;
                return false;
            }
            m_stack.emplace_back();
            break;
        case Op::Try:
            if (m_stack.back().isError()) {
                if (m_frames.size() == 1)
                    setSpan(in.where); // a Ready poll ends at the `?` that returned, as at `fail`
                if (leave(pop()))
                    return true;
                reload();
            }
            break;
        case Op::IterInit: {
            const Value iterable = pop();
            auto* iterator = new IteratorObject;
            const Value slot = Value::object(ValueKind::Iterator, iterator);
            if (iterable.kind() == ValueKind::List) {
                iterator->items = iterable;
            } else if (iterable.kind() == ValueKind::Range && !iterable.rangeValue().durations) {
                iterator->next = iterable.rangeValue().from;
                iterator->end = iterable.rangeValue().to;
            } else {
                return fail(in, QStringLiteral("cannot iterate over %1; use a list or a range of numbers like 0..n")
                                    .arg(iterable.kind() == ValueKind::Range ? u"a range of durations"_qs : describeKind(iterable.kind())));
            }
            m_stack[std::size_t(frame->base + in.c)] = slot;
            break;
        }
        case Op::IterNext: {
            auto* iterator = static_cast<IteratorObject*>(m_stack[std::size_t(frame->base + in.c)].iteratorObject());
            if (iterator->items.kind() == ValueKind::List) {
                const auto& items = iterator->items.items();
                if (iterator->next >= qint64(items.size())) {
                    frame->pc = in.a;
                    break;
                }
                m_stack.push_back(items[std::size_t(iterator->next++)]);
            } else {
                if (iterator->next >= iterator->end) {
                    frame->pc = in.a;
                    break;
                }
                m_stack.push_back(Value::integer(iterator->next++));
            }
            break;
        }
        case Op::Return:
            if (m_frames.size() == 1)
                setSpan(in.span); // a Ready poll ends at the return
            if (leave(pop()))
                return true;
            reload();
            break;
        }
    }
}

bool Fiber::awaitLeaf(const Instruction& at)
{
    // On a bad argument it fails the run and returns false, as a Pending leaf would: run()
    // then sees m_context.stopped.
    setSpan(at.span);
    switch (BuiltinId(at.a)) {
    case BuiltinId::Sleep: {
        const Value d = pop();
        if (!nonNegativeDuration(at, u"`sleep`"_qs, d))
            return false;
        m_leaf.emplace<SleepFuture>(d.number());
        break;
    }
    case BuiltinId::Io: {
        const Value d = pop();
        const Value label = pop();
        if (label.kind() != ValueKind::String) {
            fail(at, kindError(u"`io`"_qs, ValueKind::String, label));
            return false;
        }
        if (!nonNegativeDuration(at, u"`io`"_qs, d))
            return false;
        m_leaf.emplace<IoFuture>(label.text(), d.number());
        break;
    }
    default:
        m_leaf.emplace<YieldFuture>();
        break;
    }
    return pollLeaf();
}

bool Fiber::nonNegativeDuration(const Instruction& at, const QString& what, const Value& d)
{
    if (d.kind() != ValueKind::Duration) {
        fail(at, kindError(what, ValueKind::Duration, d));
        return false;
    }
    if (d.number() < 0) {
        fail(at, QStringLiteral("%1 needs a duration of at least 0, found %2").arg(what, formatDuration(d.number())));
        return false;
    }
    return true;
}

bool Fiber::pollLeaf()
{
    const bool ready = std::visit(
        [](auto& leaf) {
            if constexpr (std::is_same_v<std::decay_t<decltype(leaf)>, std::monostate>)
                return true;
            else
                return leaf.poll();
        },
        m_leaf);
    if (ready)
        m_leaf.emplace<std::monostate>();
    return ready;
}

Value Fiber::callBuiltin(const Instruction& at)
{
    std::vector<Value> args = popArguments(at.b);
    Runtime& runtime = m_context.runtime;
    auto expect = [&](std::size_t i, ValueKind kind, const QString& what) {
        if (args[i].kind() == kind)
            return true;
        fail(at, kindError(what, kind, args[i]));
        return false;
    };
    auto nonNegative = [&](std::size_t i, const QString& what) { return nonNegativeDuration(at, what, args[i]); };
    auto future = [&](FutureObject* object) { return Value::object(ValueKind::Future, object); };
    setSpan(at.span);
    switch (BuiltinId(at.a)) {
    case BuiltinId::Sleep:
        if (!nonNegative(0, u"`sleep`"_qs))
            return {};
        return future(new LeafFuture<SleepFuture>(m_context, at.where, true, args[0].number()));
    case BuiltinId::Io:
        if (!expect(0, ValueKind::String, u"`io`"_qs) || !nonNegative(1, u"`io`"_qs))
            return {};
        return future(new LeafFuture<IoFuture>(m_context, at.where, true, args[0].text(), args[1].number()));
    case BuiltinId::YieldNow:
        return future(new LeafFuture<YieldFuture>(m_context, at.where, true));
    case BuiltinId::SpawnBlocking:
        if (!expect(0, ValueKind::String, u"`spawn_blocking`"_qs) || !nonNegative(1, u"`spawn_blocking`"_qs))
            return {};
        // The job starts now and runs whether or not it is awaited: not a ghost when dropped.
        return future(new LeafFuture<BlockingJobFuture>(m_context, at.where, false, args[0].text(), args[1].number()));
    case BuiltinId::Block:
    case BuiltinId::Compute: {
        const bool isBlock = BuiltinId(at.a) == BuiltinId::Block;
        const QString what = isBlock ? u"`block`"_qs : u"`compute`"_qs;
        if (!expect(0, ValueKind::String, what) || !nonNegative(1, what))
            return {};
        runtime.block(runtime.intern(args[0].text()), args[1].number(), isBlock ? BlockKind::Block : BlockKind::Compute);
        if (runtime.now() > runtime.settings().maxTime)
            reachBound(at,
                QStringLiteral("virtual time passed max_time (%1) inside one poll; raise it with "
                               "runtime current_thread(max_time: ...)")
                    .arg(formatDuration(runtime.settings().maxTime)));
        return {};
    }
    case BuiltinId::Mark:
        if (!expect(0, ValueKind::String, u"`mark`"_qs))
            return {};
        runtime.mark(runtime.intern(args[0].text()));
        return {};
    case BuiltinId::Channel: {
        if (!expect(0, ValueKind::Int, u"`channel`"_qs) || !expect(1, ValueKind::String, u"`channel`"_qs))
            return {};
        if (args[0].number() < 1 || args[0].number() > 1'000'000) {
            fail(at, QStringLiteral("a channel holds 1 to 1000000 values, not %1").arg(args[0].number()));
            return {};
        }
        QString label = args[1].text();
        if (label.isEmpty())
            label = QStringLiteral("channel-%1").arg(m_context.channelCount);
        ++m_context.channelCount;
        return Value::object(ValueKind::Channel, new ChannelObject(std::uint32_t(args[0].number()), label));
    }
    case BuiltinId::Join:
    case BuiltinId::Select: {
        const bool isJoin = BuiltinId(at.a) == BuiltinId::Join;
        std::vector<Value> inputs = args.size() == 1 && args[0].kind() == ValueKind::List ? args[0].items() : args;
        if (inputs.empty() && !isJoin) {
            fail(at, u"`select` needs at least one future"_qs);
            return {};
        }
        std::vector<Ref<FutureObject>> branches;
        for (const Value& input : inputs) {
            Ref<FutureObject> branch = toFuture(input, at);
            if (!branch) {
                fail(at, QStringLiteral("`%1` takes futures or task handles, found %2")
                             .arg(isJoin ? u"join"_qs : u"select"_qs, describeKind(input.kind())));
                return {};
            }
            branches.push_back(std::move(branch));
        }
        if (isJoin)
            return future(new JoinAllObject(m_context, at.where, std::move(branches)));
        return future(new SelectObject(m_context, at.where, std::move(branches)));
    }
    case BuiltinId::Rand: {
        if (!expect(0, ValueKind::Range, u"`rand`"_qs))
            return {};
        const RangeObject& range = args[0].rangeValue();
        if (range.to <= range.from) {
            fail(at, u"`rand` needs a range that is not empty, like 1..10"_qs);
            return {};
        }
        const auto span = std::uint64_t(range.to) - std::uint64_t(range.from);
        const qint64 value = range.from + qint64(m_context.nextRandom() % span);
        return range.durations ? Value::duration(value) : Value::integer(value);
    }
    case BuiltinId::Fail:
        break; // handled in run(): it returns from the function
    }
    return {};
}

Value Fiber::callMethod(const Instruction& at)
{
    std::vector<Value> args = popArguments(at.b);
    const Value receiver = pop();
    const auto id = MethodId(at.a);
    setSpan(at.span);
    if (receiver.kind() == ValueKind::List && id == MethodId::Push && args.size() == 1) {
        receiver.items().push_back(std::move(args[0]));
        return {};
    }
    if (receiver.kind() == ValueKind::List && id == MethodId::Len)
        return Value::integer(qint64(receiver.items().size()));
    if (receiver.kind() == ValueKind::String && id == MethodId::Len)
        return Value::integer(receiver.text().size());
    if (receiver.kind() == ValueKind::Channel) {
        const ChannelObject& channel = *receiver.channel();
        if (id == MethodId::Send && args.size() == 1)
            return Value::object(ValueKind::Future, new SendFutureObject(m_context, at.where, channel, std::move(args[0])));
        if (id == MethodId::Recv)
            return Value::object(ValueKind::Future, new RecvFutureObject(m_context, at.where, channel));
        if (id == MethodId::Close) {
            channel.channel.close();
            return {};
        }
    }
    fail(at, QStringLiteral("%1 has no such method").arg(describeKind(receiver.kind())));
    return {};
}

Value Fiber::spawn(const Instruction& at)
{
    QString name;
    if (at.c) {
        const Value given = pop();
        if (given.kind() != ValueKind::String) {
            fail(at, kindError(u"a task name"_qs, ValueKind::String, given));
            return {};
        }
        name = given.text();
    }
    const std::uint64_t maxTasks = m_context.runtime.settings().maxTasks;
    if (++m_context.spawned > maxTasks) {
        reachBound(at,
            QStringLiteral("more than %1 tasks spawned: a spawn in an endless loop or recursion? "
                           "(max_tasks; raise it with runtime current_thread(max_tasks: %2))")
                .arg(maxTasks)
                .arg(maxTasks * 10));
        return {};
    }
    const FunctionCode& function = m_context.program.functions[std::size_t(at.a)];
    int& count = m_context.spawnCounts[std::size_t(at.a)];
    if (name.isEmpty())
        name = QStringLiteral("%1-%2").arg(function.name).arg(count);
    ++count;
    Ref<Fiber> fiber(new Fiber(m_context, at.a, popArguments(at.b), at.where, Origin::Spawn));
    setSpan(at.span);
    JoinHandle<Value> handle = pollscope::spawn(runTask(std::move(fiber)), name);
    return Value::object(ValueKind::Handle, new HandleObject(std::move(handle), name));
}

Task<Value> runTask(Ref<Fiber> fiber)
{
    co_await NodeAwaiter(*fiber);
    Value value = fiber->result();
    if (value.isError())
        throw TaskFailure(value.errorMessage());
    co_return value;
}

} // namespace pollscope::script
