/// Keeps customer phone numbers out of logs: any run of 7 or more digits (with `+`, spaces or
/// dashes between) becomes `…` plus its last 3 digits.
enum LogRedaction {
    static func phones(in text: String) -> String {
        var out = ""
        var run = ""
        var digits = 0
        func flush() {
            if digits >= 7 {
                // Separators after the last digit belong to the text, not the number.
                let trailing = run.reversed().prefix { !$0.isNumber }
                out += "…" + String(run.filter(\.isNumber).suffix(3)) + String(trailing.reversed())
            } else {
                out += run
            }
            run = ""
            digits = 0
        }
        for ch in text {
            if ch.isNumber && ch.isASCII {
                run.append(ch)
                digits += 1
            } else if !run.isEmpty || ch == "+", ch == "+" || ch == " " || ch == "-" {
                run.append(ch)
            } else {
                flush()
                out.append(ch)
            }
        }
        flush()
        return out
    }
}
