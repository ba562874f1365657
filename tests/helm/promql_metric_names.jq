# The metric names a PromQL expression reads, for the PrometheusRule check in
# operator_chart_test.sh: input a string, output the sorted unique names.
# Strings, label matchers, ranges and grouping clauses are dropped first; what
# is left are functions (a name before "("), keywords, numbers and metric names.
def keywords: ["and", "or", "unless", "by", "without", "on", "ignoring",
               "group_left", "group_right", "offset", "bool", "inf", "nan"];
gsub("\"([^\"\\\\]|\\\\.)*\""; "")
| gsub("\\{[^}]*\\}"; "")
| gsub("\\[[^\\]]*\\]"; "")
| gsub("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)"; "")
| [scan("\\b[a-zA-Z_:][a-zA-Z0-9_:]*\\b(?!\\s*\\()")]
| map(select(. as $name | keywords | index($name) | not))
| unique
