#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace pollscope::script {

/// Base of the heap values of the interpreter, shared by intrusive, non-atomic counting: a run's
/// values live on the one thread that runs its tasks.
class Object
{
public:
    virtual ~Object() = default;
    // Futures and values come and go on every await: they share the coroutine frame pools.
    static void* operator new(std::size_t size);
    static void operator delete(void* object, std::size_t size) noexcept;
    void retain() noexcept { ++m_refs; }
    void release() noexcept
    {
        if (--m_refs == 0)
            delete this;
    }

private:
    std::uint32_t m_refs = 0;
};

/// An owning pointer to an Object.
template<class T>
class Ref
{
public:
    Ref() = default;
    Ref(T* object) noexcept
        : m_object(object)
    {
        if (m_object)
            m_object->retain();
    }
    Ref(const Ref& other) noexcept
        : Ref(other.m_object)
    {
    }
    Ref(Ref&& other) noexcept
        : m_object(std::exchange(other.m_object, nullptr))
    {
    }
    Ref& operator=(Ref other) noexcept
    {
        std::swap(m_object, other.m_object);
        return *this;
    }
    ~Ref()
    {
        if (m_object)
            m_object->release();
    }
    T* get() const noexcept { return m_object; }
    T* operator->() const noexcept { return m_object; }
    T& operator*() const noexcept { return *m_object; }
    explicit operator bool() const noexcept { return m_object; }

private:
    T* m_object = nullptr;
};

enum class ValueKind : std::uint8_t {
    None, ///< `none`: no value (what a function without `return` gives, a closed channel's recv)
    Bool,
    Int,
    Duration, ///< nanoseconds
    String,
    List,
    Range,
    Future,
    Handle,
    Channel,
    Selected, ///< what `select` gives: `.index` and `.value`
    Error, ///< what `fail(msg)` returns; `?` passes it on
    Iterator, ///< internal: a `for` loop's position
};

/// "a number", "a duration", ...: how a kind reads in a message.
QString describeKind(ValueKind kind);

class StringObject;
class ListObject;
class RangeObject;
class FutureObject;
class HandleObject;
class ChannelObject;
class SelectedObject;
class ErrorObject;

/// A value of the scenario language: 16 bytes, numbers inline, everything else shared.
class Value
{
public:
    Value() noexcept
        : m_number(0)
    {
    }
    Value(const Value& other) noexcept
        : m_kind(other.m_kind)
        , m_number(other.m_number)
    {
        if (isObject())
            m_object->retain();
    }
    Value(Value&& other) noexcept
        : m_kind(std::exchange(other.m_kind, ValueKind::None))
        , m_number(other.m_number)
    {
    }
    Value& operator=(Value other) noexcept
    {
        std::swap(m_kind, other.m_kind);
        std::swap(m_number, other.m_number);
        return *this;
    }
    ~Value()
    {
        if (isObject())
            releaseObject();
    }

    static Value boolean(bool value) { return Value(ValueKind::Bool, value ? 1 : 0); }
    static Value integer(qint64 value) { return Value(ValueKind::Int, value); }
    static Value duration(qint64 ns) { return Value(ValueKind::Duration, ns); }
    static Value string(QString text);
    static Value list(std::vector<Value> items = {});
    static Value range(qint64 from, qint64 to, bool durations);
    static Value error(QString message);
    static Value selected(qint64 index, Value value);
    /// Wraps a heap object of the given kind (futures, handles, channels).
    static Value object(ValueKind kind, Object* object);

    ValueKind kind() const noexcept { return m_kind; }
    bool isError() const noexcept { return m_kind == ValueKind::Error; }
    bool isObject() const noexcept { return m_kind >= ValueKind::String; }
    qint64 number() const noexcept { return m_number; }
    bool truthy() const noexcept { return m_kind == ValueKind::Bool && m_number != 0; }

    const QString& text() const; ///< String
    std::vector<Value>& items() const; ///< List
    const RangeObject& rangeValue() const;
    FutureObject* future() const;
    HandleObject* handle() const;
    ChannelObject* channel() const;
    const SelectedObject& selectedValue() const;
    const QString& errorMessage() const;
    Object* iteratorObject() const { return m_object; }

    /// How the value reads inside an interpolated string: 80ms, fetch-0, [1, 2], none. At most
    /// kMaxDisplayLength characters, then "…": a list holding itself twice at every level
    /// would otherwise read twice as long per level.
    QString display() const;
    static constexpr qsizetype kMaxDisplayLength = 10'000;
    /// Structural equality for numbers, strings, none and lists; identity for the rest.
    /// Nothing when the lists nest deeper than kMaxNesting: too deep to tell.
    std::optional<bool> equals(const Value& other) const;
    /// How deep display() shows nested lists and equals() compares them.
    static constexpr int kMaxNesting = 32;

private:
    struct DisplayBuffer;
    struct EqualPairs;
    // Out of line: inlined, GCC 12 mistakes a number in the union for a pointer (array-bounds).
    void releaseObject() noexcept;
    void display(DisplayBuffer& out, int depth) const;
    bool equals(const Value& other, int depth, EqualPairs& equal) const;

    Value(ValueKind kind, qint64 number) noexcept
        : m_kind(kind)
        , m_number(number)
    {
    }

    ValueKind m_kind = ValueKind::None;
    union {
        qint64 m_number;
        Object* m_object;
    };
};

class StringObject final : public Object
{
public:
    explicit StringObject(QString initial)
        : text(std::move(initial))
    {
    }
    QString text;
};

class ListObject final : public Object
{
public:
    /// Releases nested lists iteratively: a chain a million lists deep must not overflow the stack.
    ~ListObject() override;
    std::vector<Value> items;
};

class RangeObject final : public Object
{
public:
    RangeObject(qint64 first, qint64 last, bool ofDurations)
        : from(first)
        , to(last)
        , durations(ofDurations)
    {
    }
    qint64 from;
    qint64 to;
    bool durations;
};

class ErrorObject final : public Object
{
public:
    explicit ErrorObject(QString text)
        : message(std::move(text))
    {
    }
    QString message;
};

class SelectedObject final : public Object
{
public:
    SelectedObject(qint64 winner, Value winnerValue)
        : index(winner)
        , value(std::move(winnerValue))
    {
    }
    qint64 index;
    Value value;
};

/// Formats a duration the way scenarios write them: 80ms, 1500us, 2s, 0ms.
QString formatDuration(qint64 ns);

} // namespace pollscope::script
