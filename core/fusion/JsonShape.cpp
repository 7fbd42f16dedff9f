#include "JsonShape_p.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gwanje::json_shape {

namespace {

Node leaf(Type type)
{
    Node n;
    n.type = type;
    return n;
}

QString expected(Type type)
{
    switch (type) {
    case Type::Number:
        return QStringLiteral("a number");
    case Type::WholeNumber:
        return QStringLiteral("a whole number");
    case Type::String:
        return QStringLiteral("a string");
    case Type::Boolean:
        return QStringLiteral("true or false");
    case Type::Array:
        return QStringLiteral("an array");
    case Type::Object:
    case Type::Map:
        return QStringLiteral("an object");
    }
    return {};
}

bool fail(const QString &path, const QString &what, QStringList *problems)
{
    problems->append(QStringLiteral("%1: %2").arg(path, what));
    return false;
}

} // namespace

Node number()
{
    return leaf(Type::Number);
}

Node wholeNumber()
{
    return leaf(Type::WholeNumber);
}

Node string()
{
    return leaf(Type::String);
}

Node boolean()
{
    return leaf(Type::Boolean);
}

Node arrayOf(Node items)
{
    Node n = leaf(Type::Array);
    n.items = std::make_shared<const Node>(std::move(items));
    return n;
}

Node mapOf(Node values)
{
    Node n = leaf(Type::Map);
    n.items = std::make_shared<const Node>(std::move(values));
    return n;
}

Node object(std::initializer_list<std::pair<const char *, Node>> fields)
{
    Node n = leaf(Type::Object);
    for (const auto &[key, node] : fields)
        n.fields.push_back({QString::fromLatin1(key), node});
    return n;
}

bool isComment(const QString &key)
{
    return key.startsWith(u'_');
}

QString describeType(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

bool check(const QJsonValue &value, const Node &node, const QString &path, QStringList *problems)
{
    const auto wrongType = [&] {
        return fail(path, QStringLiteral("expected %1, got %2").arg(expected(node.type), describeType(value)),
                    problems);
    };
    switch (node.type) {
    case Type::Number:
        if (!value.isDouble())
            return wrongType();
        if (!std::isfinite(value.toDouble()))
            return fail(path, QStringLiteral("expected a finite number"), problems);
        return true;
    case Type::WholeNumber: {
        if (!value.isDouble())
            return wrongType();
        const double v = value.toDouble();
        if (!(v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()) || v != std::floor(v))
            return fail(path, QStringLiteral("expected a whole number, got %1").arg(v), problems);
        return true;
    }
    case Type::String:
        return value.isString() || wrongType();
    case Type::Boolean:
        return value.isBool() || wrongType();
    case Type::Array: {
        if (!value.isArray())
            return wrongType();
        bool ok = true;
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            ok = check(array.at(i), *node.items, QStringLiteral("%1[%2]").arg(path).arg(i), problems) && ok;
        return ok;
    }
    case Type::Object:
    case Type::Map: {
        if (!value.isObject())
            return wrongType();
        bool ok = true;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (isComment(it.key()))
                continue;
            const QString where = path.isEmpty() ? it.key() : path + u'.' + it.key();
            if (node.type == Type::Map) {
                ok = check(it.value(), *node.items, where, problems) && ok;
                continue;
            }
            const auto field = std::find_if(node.fields.begin(), node.fields.end(),
                                            [&](const Node::Field &f) { return f.key == it.key(); });
            if (field == node.fields.end()) {
                QStringList known;
                for (const Node::Field &f : node.fields)
                    known.append(f.key);
                ok = fail(where, QStringLiteral("unknown key (known: %1)").arg(known.join(QStringLiteral(", "))),
                          problems);
                continue;
            }
            ok = check(it.value(), field->node, where, problems) && ok;
        }
        return ok;
    }
    }
    return true;
}

} // namespace gwanje::json_shape
