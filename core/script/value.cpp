#include "script/value.h"

#include "runtime/frameallocator.h"
#include "script/scriptobjects.h"

#include <QSet>

namespace pollscope::script {

QString describeKind(ValueKind kind)
{
    switch (kind) {
    case ValueKind::None:
        return u"none"_qs;
    case ValueKind::Bool:
        return u"a bool"_qs;
    case ValueKind::Int:
        return u"a number"_qs;
    case ValueKind::Duration:
        return u"a duration"_qs;
    case ValueKind::String:
        return u"a string"_qs;
    case ValueKind::List:
        return u"a list"_qs;
    case ValueKind::Range:
        return u"a range"_qs;
    case ValueKind::Future:
        return u"a future"_qs;
    case ValueKind::Handle:
        return u"a task handle"_qs;
    case ValueKind::Channel:
        return u"a channel"_qs;
    case ValueKind::Selected:
        return u"a select result"_qs;
    case ValueKind::Error:
        return u"an error"_qs;
    case ValueKind::Iterator:
        return u"an iterator"_qs;
    }
    return QString();
}

void* Object::operator new(std::size_t size) { return FrameAllocator::allocate(size); }

void Object::operator delete(void* object, std::size_t size) noexcept { FrameAllocator::deallocate(object, size); }

void Value::releaseObject() noexcept { m_object->release(); }

Value Value::object(ValueKind kind, Object* object)
{
    Value value;
    value.m_kind = kind;
    value.m_object = object;
    object->retain();
    return value;
}

Value Value::string(QString text) { return object(ValueKind::String, new StringObject(std::move(text))); }

Value Value::list(std::vector<Value> items)
{
    auto* list = new ListObject;
    list->items = std::move(items);
    return object(ValueKind::List, list);
}

Value Value::range(qint64 from, qint64 to, bool durations)
{
    return object(ValueKind::Range, new RangeObject(from, to, durations));
}

Value Value::error(QString message) { return object(ValueKind::Error, new ErrorObject(std::move(message))); }

Value Value::selected(qint64 index, Value value)
{
    return object(ValueKind::Selected, new SelectedObject(index, std::move(value)));
}

const QString& Value::text() const { return static_cast<StringObject*>(m_object)->text; }
std::vector<Value>& Value::items() const { return static_cast<ListObject*>(m_object)->items; }
const RangeObject& Value::rangeValue() const { return *static_cast<RangeObject*>(m_object); }
FutureObject* Value::future() const { return static_cast<FutureObject*>(m_object); }
HandleObject* Value::handle() const { return static_cast<HandleObject*>(m_object); }
ChannelObject* Value::channel() const { return static_cast<ChannelObject*>(m_object); }
const SelectedObject& Value::selectedValue() const { return *static_cast<SelectedObject*>(m_object); }
const QString& Value::errorMessage() const { return static_cast<ErrorObject*>(m_object)->message; }

QString formatDuration(qint64 ns)
{
    struct Unit {
        qint64 scale;
        const char16_t* suffix;
    };
    static constexpr Unit units[] = { { 1'000'000'000, u"s" }, { 1'000'000, u"ms" }, { 1'000, u"us" } };
    if (ns == 0)
        return u"0ms"_qs;
    for (const Unit& unit : units)
        if (ns % unit.scale == 0)
            return QString::number(ns / unit.scale) + QStringView(unit.suffix);
    return QString::number(ns) + u"ns";
}

ListObject::~ListObject()
{
    // Items that are the last reference to a list are moved to a per-thread queue and released
    // one at a time by the outermost destructor.
    thread_local std::vector<Value>* pending = nullptr;
    if (pending) {
        for (Value& item : items)
            pending->push_back(std::move(item));
        return;
    }
    std::vector<Value> queue = std::move(items);
    pending = &queue;
    while (!queue.empty()) {
        Value last = std::move(queue.back());
        queue.pop_back();
    }
    pending = nullptr;
}

/// Display text, cut off once it is longer than the cap: every step of display() adds at
/// least one character, so a cut-off display does bounded work.
struct Value::DisplayBuffer {
    QString text;
    bool full() const { return text.size() > kMaxDisplayLength; }
    void add(QStringView part)
    {
        if (!full())
            text += part.left(kMaxDisplayLength + 1 - text.size());
    }
};

QString Value::display() const
{
    DisplayBuffer out;
    display(out, 0);
    if (out.full()) {
        out.text.truncate(kMaxDisplayLength);
        out.text += u'…';
    }
    return std::move(out.text);
}

void Value::display(DisplayBuffer& out, int depth) const
{
    if (out.full())
        return;
    if (depth > kMaxNesting) {
        out.add(u"...");
        return;
    }
    switch (m_kind) {
    case ValueKind::None:
        out.add(u"none");
        return;
    case ValueKind::Bool:
        out.add(m_number ? u"true" : u"false");
        return;
    case ValueKind::Int:
        out.add(QString::number(m_number));
        return;
    case ValueKind::Duration:
        out.add(formatDuration(m_number));
        return;
    case ValueKind::String:
        out.add(text());
        return;
    case ValueKind::List: {
        out.add(u"[");
        bool first = true;
        for (const Value& item : items()) {
            if (out.full())
                return;
            if (!first)
                out.add(u", ");
            first = false;
            item.display(out, depth + 1);
        }
        out.add(u"]");
        return;
    }
    case ValueKind::Range: {
        const RangeObject& r = rangeValue();
        out.add(r.durations ? QString(formatDuration(r.from) + u".." + formatDuration(r.to))
                            : QString(QString::number(r.from) + u".." + QString::number(r.to)));
        return;
    }
    case ValueKind::Future:
        out.add(future()->description());
        return;
    case ValueKind::Handle:
        out.add(handle()->name);
        return;
    case ValueKind::Channel:
        out.add(channel()->label);
        return;
    case ValueKind::Selected:
        out.add(QStringLiteral("select #%1: ").arg(selectedValue().index));
        selectedValue().value.display(out, depth + 1);
        return;
    case ValueKind::Error:
        out.add(u"error: ");
        out.add(errorMessage());
        return;
    case ValueKind::Iterator:
        out.add(u"<iterator>");
        return;
    }
}

/// Pairs of lists already found equal during one comparison: lists shared at every level
/// are compared once per pair, not once per path.
struct Value::EqualPairs {
    QSet<std::pair<const Object*, const Object*>> pairs;
    bool tooDeep = false;
};

std::optional<bool> Value::equals(const Value& other) const
{
    EqualPairs equal;
    const bool same = equals(other, 0, equal);
    if (equal.tooDeep)
        return std::nullopt;
    return same;
}

bool Value::equals(const Value& other, int depth, EqualPairs& equal) const
{
    if (m_kind != other.m_kind)
        return false;
    if (isObject() && m_object == other.m_object)
        return true;
    if (depth > kMaxNesting) {
        equal.tooDeep = true;
        return false;
    }
    switch (m_kind) {
    case ValueKind::None:
        return true;
    case ValueKind::Bool:
    case ValueKind::Int:
    case ValueKind::Duration:
        return m_number == other.m_number;
    case ValueKind::String:
        return text() == other.text();
    case ValueKind::Error:
        return errorMessage() == other.errorMessage();
    case ValueKind::List: {
        const auto& a = items();
        const auto& b = other.items();
        if (a.size() != b.size())
            return false;
        const std::pair<const Object*, const Object*> pair(m_object, other.m_object);
        if (equal.pairs.contains(pair))
            return true;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!a[i].equals(b[i], depth + 1, equal))
                return false;
        equal.pairs.insert(pair);
        return true;
    }
    default:
        return m_object == other.m_object;
    }
}

} // namespace pollscope::script
