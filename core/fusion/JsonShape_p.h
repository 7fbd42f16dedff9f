#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

// The shape of a JSON file a city edits by hand (rules.json): which keys exist and what type each
// value has. Qt's JSON accessors read a wrong type as the default (a string "80" as 0, an object
// where an array belongs as an empty list), so a typo silently changes what raises an alarm; this
// names every such place with its path instead. Values are checked by the code that reads them.
namespace gwanje::json_shape {

enum class Type : quint8 {
    Number,      // finite
    WholeNumber, // an int
    String,
    Boolean,
    Array,  // every element of one shape
    Object, // the listed keys only
    Map,    // any keys, every value of one shape
};

struct Node
{
    struct Field;
    Type type = Type::Number;
    std::vector<Field> fields;         // Object
    std::shared_ptr<const Node> items; // Array: each element; Map: each value
};

struct Node::Field
{
    QString key;
    Node node;
};

Node number();
Node wholeNumber();
Node string();
Node boolean();
Node arrayOf(Node items);
Node mapOf(Node values);
Node object(std::initializer_list<std::pair<const char *, Node>> fields);

// Keys starting with an underscore are comments ("_comment") wherever they appear.
bool isComment(const QString &key);

// "a string", "an object", "null", ... for messages.
QString describeType(const QJsonValue &value);

// Appends one English problem per mismatch at or below `value`, each starting with its path
// (`path` names `value`: "thresholds", then "thresholds[2].above"). Returns true when none.
bool check(const QJsonValue &value, const Node &node, const QString &path, QStringList *problems);

} // namespace gwanje::json_shape
