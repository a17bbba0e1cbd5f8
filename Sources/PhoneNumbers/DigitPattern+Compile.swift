extension DigitPattern {
    /// Compiles `pattern`; nil when it uses anything outside the dialect (see ``DigitPattern``).
    init?(_ pattern: String) {
        var parser = Parser(bytes: Array(pattern.utf8))
        guard let alternatives = parser.alternatives(), parser.atEnd else { return nil }
        var emitter = Emitter()
        emitter.emit(alternatives)
        emitter.program.append(.match)
        program = emitter.program
        groupCount = parser.groups
    }

    /// The parsed form: alternatives of sequences of quantified pieces.
    fileprivate indirect enum Node {
        case digits(UInt16)
        case end
        /// A group: its capture number (1-based) or nil, and its alternatives.
        case group(Int?, [[Piece]])
    }

    fileprivate struct Piece {
        var node: Node
        var min = 1
        var max = 1
    }

    private static let anyDigit: UInt16 = 0x3FF

    /// Recursive descent over the pattern's bytes.
    fileprivate struct Parser {
        let bytes: [UInt8]
        var index = 0
        var groups = 0

        var atEnd: Bool { index == bytes.count }

        private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        mutating func alternatives() -> [[Piece]]? {
            var result: [[Piece]] = []
            repeat {
                guard let sequence = sequence() else { return nil }
                result.append(sequence)
            } while take(UInt8(ascii: "|"))
            return result
        }

        private mutating func sequence() -> [Piece]? {
            var pieces: [Piece] = []
            while let byte = peek, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
                guard let node = atom() else { return nil }
                var piece = Piece(node: node)
                if take(UInt8(ascii: "?")) {
                    piece.min = 0
                } else if take(UInt8(ascii: "{")) {
                    guard let low = number() else { return nil }
                    piece.min = low
                    piece.max = low
                    if take(UInt8(ascii: ",")) {
                        guard let high = number(), high >= low else { return nil }
                        piece.max = high
                    }
                    guard take(UInt8(ascii: "}")) else { return nil }
                }
                // Lazy or possessive quantifiers, `*`, `+` and stacked quantifiers are not in the dialect.
                if let next = peek, [UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "*"), UInt8(ascii: "+")].contains(next) {
                    return nil
                }
                if case .end = piece.node, piece.min != 1 || piece.max != 1 { return nil }
                pieces.append(piece)
            }
            return pieces
        }

        private mutating func atom() -> Node? {
            guard let byte = peek else { return nil }
            index += 1
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .digits(1 << UInt16(byte - UInt8(ascii: "0")))
            case UInt8(ascii: "\\"):
                guard take(UInt8(ascii: "d")) else { return nil }
                return .digits(DigitPattern.anyDigit)
            case UInt8(ascii: "["):
                return digitClass()
            case UInt8(ascii: "$"):
                return .end
            case UInt8(ascii: "("):
                var capture: Int?
                if take(UInt8(ascii: "?")) {
                    guard take(UInt8(ascii: ":")) else { return nil }
                } else {
                    groups += 1
                    capture = groups
                }
                guard let inner = alternatives(), take(UInt8(ascii: ")")) else { return nil }
                return .group(capture, inner)
            default:
                return nil
            }
        }

        /// `[...]` after the `[`: digits, ranges and `\d`; no negation.
        private mutating func digitClass() -> Node? {
            var set: UInt16 = 0
            var first = true
            while let byte = peek, byte != UInt8(ascii: "]") || first {
                first = false
                index += 1
                if byte == UInt8(ascii: "\\") {
                    guard take(UInt8(ascii: "d")) else { return nil }
                    set |= DigitPattern.anyDigit
                    continue
                }
                guard let low = Self.digit(byte) else { return nil }
                if peek == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "]") {
                    index += 1
                    guard let next = peek, let high = Self.digit(next), high >= low else { return nil }
                    index += 1
                    for d in low...high { set |= 1 << UInt16(d) }
                } else {
                    set |= 1 << UInt16(low)
                }
            }
            guard take(UInt8(ascii: "]")), set != 0 else { return nil }
            return .digits(set)
        }

        private mutating func number() -> Int? {
            var value: Int?
            while let byte = peek, let d = Self.digit(byte) {
                index += 1
                value = (value ?? 0) * 10 + d
                if value! > 100 { return nil }
            }
            return value
        }

        private static func digit(_ byte: UInt8) -> Int? {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
        }
    }

    /// Turns the parsed form into machine instructions: `x{n,m}` is n copies of x followed by
    /// m-n nested optional copies; `a|b|c` is a chain of splits, first alternative first.
    fileprivate struct Emitter {
        var program: [Instruction] = []

        mutating func emit(_ alternatives: [[Piece]]) {
            var jumpsToEnd: [Int] = []
            for (i, sequence) in alternatives.enumerated() {
                let isLast = i == alternatives.count - 1
                var split = -1
                if !isLast {
                    split = program.count
                    program.append(.split(0, 0))
                }
                for piece in sequence { emit(piece) }
                if !isLast {
                    jumpsToEnd.append(program.count)
                    program.append(.jump(0))
                    program[split] = .split(split + 1, program.count)
                }
            }
            for jump in jumpsToEnd { program[jump] = .jump(program.count) }
        }

        private mutating func emit(_ piece: Piece) {
            for _ in 0..<piece.min { emit(piece.node) }
            var splits: [Int] = []
            for _ in piece.min..<piece.max {
                splits.append(program.count)
                program.append(.split(0, 0))
                emit(piece.node)
            }
            // Each optional copy may be skipped, which skips the rest too (greedy: taking it comes first).
            for split in splits { program[split] = .split(split + 1, program.count) }
        }

        private mutating func emit(_ node: Node) {
            switch node {
            case .digits(let set):
                program.append(.digit(set))
            case .end:
                program.append(.end)
            case .group(let capture, let alternatives):
                if let capture { program.append(.save(2 * (capture - 1))) }
                emit(alternatives)
                if let capture { program.append(.save(2 * (capture - 1) + 1)) }
            }
        }
    }
}
