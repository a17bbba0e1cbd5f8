/// A regular expression of libphonenumber's metadata, compiled for matching strings of ASCII
/// digits, much cheaper per match than `NSRegularExpression` (which bridges every string to
/// UTF-16 and goes through ICU).
///
/// The metadata uses a small dialect: digits, `\d`, classes of digits and ranges (`[2-9]`),
/// capturing and non-capturing groups, alternation, the greedy quantifiers `?`, `{n}` and
/// `{n,m}`, and `$` (end of input). The pattern is compiled to a program for a
/// backtracking machine that tries alternatives in order and quantifiers greedily, so it finds
/// the same match as ICU (Perl semantics); the tests hold it against `NSRegularExpression` on
/// every pattern of the table. Anything outside the dialect fails to compile (`init` returns
/// nil) rather than being guessed at.
struct DigitPattern: Sendable {
    /// One instruction of the matching machine.
    enum Instruction: Sendable, Equatable {
        /// Consume one digit in the set (bit d for digit d).
        case digit(UInt16)
        /// Try `first`, then on failure `second`.
        case split(Int, Int)
        case jump(Int)
        /// Record the input position in capture slot `n` (group g uses slots 2g and 2g+1).
        case save(Int)
        /// Succeed only at the end of the input.
        case end
        case match
    }

    /// A successful match at the start of the input.
    struct Match: Sendable, Equatable {
        /// How many digits the match covers.
        let length: Int
        /// Start and end of each capture group (index 0 is group 1); nil when it took no part.
        let groups: [Range<Int>?]

        /// libphonenumber's transform rule (`$1`, `9$1`, ...) applied to this match of `digits`:
        /// `$n` becomes group n's digits (nothing when it took no part), anything else is kept.
        func expand(_ template: String, in digits: [UInt8]) -> String {
            var out: [UInt8] = []
            var bytes = Array(template.utf8)[...]
            while let byte = bytes.popFirst() {
                if byte == UInt8(ascii: "$"), let next = bytes.first, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(next) {
                    bytes.removeFirst()
                    let index = Int(next - UInt8(ascii: "1"))
                    if index < groups.count, let range = groups[index] { out.append(contentsOf: digits[range]) }
                } else {
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    let program: [Instruction]
    /// The number of capture groups.
    let groupCount: Int

    /// Whether the pattern matches all of `digits` (ASCII digits only; anything else never matches).
    func matchesWhole(_ digits: [UInt8]) -> Bool {
        var machine = Machine(program: program, input: digits, whole: true, slots: 0)
        return machine.run(pc: 0, position: 0)
    }

    /// The match at the start of `digits`, as ICU's anchored `firstMatch` finds it.
    func matchPrefix(_ digits: [UInt8]) -> Match? {
        var machine = Machine(program: program, input: digits, whole: false, slots: 2 * groupCount)
        guard machine.run(pc: 0, position: 0) else { return nil }
        let groups = (0..<groupCount).map { g -> Range<Int>? in
            let start = machine.captures[2 * g], end = machine.captures[2 * g + 1]
            return start >= 0 && end >= start ? start..<end : nil
        }
        return Match(length: machine.matchEnd, groups: groups)
    }

    /// The backtracking machine: depth-first over `split`s, first alternative first.
    private struct Machine {
        let program: [Instruction]
        let input: [UInt8]
        let whole: Bool
        var captures: [Int]
        var matchEnd = 0

        init(program: [Instruction], input: [UInt8], whole: Bool, slots: Int) {
            self.program = program
            self.input = input
            self.whole = whole
            captures = Array(repeating: -1, count: slots)
        }

        mutating func run(pc start: Int, position start2: Int) -> Bool {
            var pc = start, position = start2
            while true {
                switch program[pc] {
                case .digit(let set):
                    guard position < input.count else { return false }
                    let d = Int(input[position]) &- 48
                    guard d >= 0, d <= 9, set & (1 << d) != 0 else { return false }
                    position += 1
                    pc += 1
                case .split(let first, let second):
                    if run(pc: first, position: position) { return true }
                    pc = second
                case .jump(let target):
                    pc = target
                case .save(let slot):
                    guard slot < captures.count else { pc += 1; continue }
                    let old = captures[slot]
                    captures[slot] = position
                    if run(pc: pc + 1, position: position) { return true }
                    captures[slot] = old
                    return false
                case .end:
                    guard position == input.count else { return false }
                    pc += 1
                case .match:
                    if whole, position != input.count { return false }
                    matchEnd = position
                    return true
                }
            }
        }
    }
}
