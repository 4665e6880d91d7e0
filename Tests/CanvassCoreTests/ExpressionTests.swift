// Expected values were checked against JavaRosa 5.1.0 (the jar inside ODK Validate, pyxform 4.5.0), driven from a
// small Java program through XPathParseTool.parseXPath(...).eval(...). Answers to the ambiguous cases:
//   round(-2.5) = -2, round(2.5) = 3, round(1.005, 2) = 1.01, round(-1.235, 2) = -1.23 (BigDecimal HALF_UP for x ≥ 0,
//   HALF_DOWN for x < 0), round(15, -1) = 20, round(2.345, 1.9) = 2.3
//   -7 mod 3 = -1, 7 mod -3 = 1, 5.5 mod 2 = 1.5, 1 mod 0 = NaN
//   sum() of nodes "1", "", "3" = 4 and of "abc" = 0 (values that are not numbers add nothing)
//   min()/max() skip NaN: min(1, '') = 1; with no number left they are NaN
//   selected-at('a b', 2) = '' and selected-at('a b', -1) = '' (out of range is empty, no error)
//   date('x') throws 'The value "x" can't be converted to a date.'; date('') = ''; date('2020-02-30') throws
//   number('1,5') = 1.5 (',' reads as '.'), number('1e3') = NaN, number('+5') = NaN, number(' 12 ') = 12
//   string(100 * 1.1) = "110" (within 1e-12 of an integer), string(12345678.9) = "1.23456789E7"
//   0.1 * 3 = 0.3 is true (= compares numbers within 1e-12); 'a' < 'b' is false (comparisons are numeric)
//   a reference to several nodes where one value is needed throws "This field is repeated … use indexed-repeat()"
//   number(now()) is the whole day number (not fractional); decimal-date-time() gives the fraction, in UTC
//   selected('a', 1) throws: the second argument must be a string
// ExpressionCorpusTests checks about 2,500 more against JavaRosa's own answers; the few deliberate
// differences are listed in CorpusMisses.

import Crypto
import Foundation
import Testing

@testable import CanvassCore

enum ExpressionFixture {
    static let utc = TimeZone(identifier: "UTC")!
    /// 2026-11-22T10:15:30.250Z, day number 20779.
    static let now = Date(timeIntervalSince1970: 1_795_342_530.25)

    static let fields: [String: [Value]] = [
        "age": [""], "n": ["5"], "name": ["Lan"], "choices": ["a b c"], "rep_x": ["1", "", "3"], "ys": ["1", "2"],
        "empty": [], "div": ["6"], "mod": ["4"], "quá-tuổi": ["yes"],
        "square": ["0 0 0 0;0 1 0 0;1 1 0 0;1 0 0 0;0 0 0 0"],
    ]

    static func context(current: String? = nil, position: Int? = nil,
                        timeZone: TimeZone = utc) -> EvaluationContext {
        EvaluationContext(
            lookup: { fields[$0] },
            current: current.map(Value.string),
            position: position,
            indexedRepeat: { field, path in path[0].index <= 3 ? .string("\(field)/\(path[0].repeatName)/\(path[0].index)") : nil },
            now: now,
            timeZone: timeZone
        )
    }

    static func evaluate(_ source: String, current: String? = nil, position: Int? = nil,
                         timeZone: TimeZone = utc) throws -> Value {
        try Expression(source).evaluate(context(current: current, position: position, timeZone: timeZone))
    }

    static func isNaN(_ value: Value) -> Bool {
        if case .number(let number) = value { return number.isNaN }
        return false
    }

    static func day(_ year: Int, _ month: Int, _ day: Int) -> Date {
        Date(timeIntervalSince1970: Double(ExpressionDateText.days(year: year, month: month, day: day)) * 86_400)
    }
}

/// Operators, coercions and functions of the ODK XPath dialect.
@Suite struct ExpressionTests {
    // MARK: - Operators

    @Test(arguments: [
        ("1 + 2", Value.number(3)), ("5 - 7", .number(-2)), ("2 * 3", .number(6)), ("10 div 4", .number(2.5)),
        ("7 mod 3", .number(1)), ("-7 mod 3", .number(-1)), ("7 mod -3", .number(1)), ("5.5 mod 2", .number(1.5)),
        ("1 div 0", .number(.infinity)), ("-1 div 0", .number(-.infinity)), ("-'3'", .number(-3)), ("- -3", .number(3)),
        ("-2 * 3", .number(-6)), ("2 + 3 * 4", .number(14)), ("(2 + 3) * 4", .number(20)), ("10 - 2 - 3", .number(5)),
        ("8 div 2 div 2", .number(2)), ("2 * 3 + 4 mod 3", .number(7)), (".5 + 5.", .number(5.5)), ("1 + '2'", .number(3)),
        ("${div} div ${mod}", .number(1.5)), ("${div} mod ${mod} * 2", .number(4)),
        ("1 = 1", .boolean(true)), ("1 != 2", .boolean(true)), ("1 < 2", .boolean(true)), ("2 <= 2", .boolean(true)),
        ("3 > 2", .boolean(true)), ("2 >= 3", .boolean(false)), ("1 < 2 < 3", .boolean(true)), ("3 > 2 > 1", .boolean(false)),
        ("true() and false()", .boolean(false)), ("1 and 0", .boolean(false)), ("1 or 0", .boolean(true)),
        ("true() or 1 div 0", .boolean(true)), ("1 = 1 or 1 = 2 and 1 = 3", .boolean(true)),
        ("(1 = 1 or 1 = 2) and 1 = 3", .boolean(false)),
        ("1 = 1 = 1", .boolean(true)),
    ])
    func operators(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test(arguments: ["0 div 0", "1 mod 0", "'abc' + 1", "'' + ''", "${age} * 2"])
    func arithmeticGivesNaN(source: String) throws {
        #expect(ExpressionFixture.isNaN(try ExpressionFixture.evaluate(source)))
    }

    @Test func andOrDoNotEvaluateTheSkippedSide() throws {
        // ${nope} is unknown, so evaluating it would throw.
        #expect(try ExpressionFixture.evaluate("false() and ${nope}") == .boolean(false))
        #expect(try ExpressionFixture.evaluate("true() or ${nope}") == .boolean(true))
    }

    @Test func longChainsEvaluateWithoutDeepRecursion() throws {
        let source = Array(repeating: "1", count: 100_000).joined(separator: " + ")
        #expect(try ExpressionFixture.evaluate(source) == .number(100_000))
        let nested = String(repeating: "(", count: 200) + "7" + String(repeating: ")", count: 200)
        #expect(try ExpressionFixture.evaluate(nested) == .number(7))
    }

    // MARK: - Comparisons and coercions

    @Test(arguments: [
        ("${age} >= 18", Value.boolean(false)), ("${age} < 18", .boolean(false)), ("${age} = ''", .boolean(true)),
        ("'' = 0", .boolean(false)), ("'10' = 10", .boolean(true)), ("'10.0' = 10", .boolean(true)),
        ("'abc' = 'abc'", .boolean(true)), ("'a' != 'b'", .boolean(true)), ("'a' < 'b'", .boolean(false)),
        ("true() = 'false'", .boolean(true)), ("true() = 1", .boolean(true)), ("false() = ''", .boolean(true)),
        ("0.1 * 3 = 0.3", .boolean(true)), ("' 12 ' = 12", .boolean(true)), ("${n} = 5", .boolean(true)),
        ("${n} * 2", .number(10)), ("${name} = 'Lan'", .boolean(true)), ("${empty} = ''", .boolean(true)),
        ("(1 div 0) = (1 div 0)", .boolean(false)),  // inf - inf is NaN, not within 1e-12
        ("date('2020-03-01') > date('2020-02-01')", .boolean(true)), ("date('2020-03-01') = '2020-03-01'", .boolean(true)),
        ("date('2020-03-01') = 18322", .boolean(true)), ("date('2020-03-01') < '2020-03-02'", .boolean(false)),
        ("today() = now()", .boolean(true)), ("today() + 1", .number(20780)),
        ("date('2020-03-01') - date('2020-02-01')", .number(29)),
    ])
    func comparisonsAndCoercions(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test(arguments: [
        ("string(10.0)", "10"), ("string(0.1)", "0.1"), ("string(1.5)", "1.5"), ("string(-1.5)", "-1.5"),
        ("string(1 div 0)", "Infinity"), ("string(-1 div 0)", "-Infinity"), ("string(0 div 0)", "NaN"),
        ("string(100 * 1.1)", "110"), ("string(0.1 + 0.2)", "0.30000000000000004"), ("string(1 div 3)", "0.3333333333333333"),
        ("string(12345678.9)", "1.23456789E7"), ("string(0.0001)", "1.0E-4"), ("string(123456.789)", "123456.789"),
        // Beyond Java's int range JavaRosa prints a double (a calculate holds the digits: storedText).
        ("string(123456789012)", "1.23456789012E11"), ("string(2147483647)", "2147483647"),
        ("string(true())", "true"), ("string(false())", "false"), ("string(0 - 0)", "0"), ("string(${age})", ""),
        ("string(date('2026-11-22'))", "2026-11-22"), ("string(date(0))", "1970-01-01"), ("concat(1.0, ' ', .5)", "1 0.5"),
    ])
    func numbersAndValuesAsStrings(source: String, expected: String) throws {
        #expect(try ExpressionFixture.evaluate(source) == .string(expected))
    }

    @Test(arguments: [
        ("number('')", Double.nan), ("number('abc')", .nan), ("number(' 12 ')", 12), ("number('1,5')", 1.5),
        ("number('1e3')", .nan), ("number('+5')", .nan), ("number('-.5')", -0.5), ("number('5.')", 5),
        ("number('007')", 7), ("number(true())", 1), ("number(false())", 0), ("number(date('1970-01-02'))", 1),
        ("number(${n})", 5),
    ])
    func numberCoercion(source: String, expected: Double) throws {
        let value = try ExpressionFixture.evaluate(source)
        if expected.isNaN {
            #expect(ExpressionFixture.isNaN(value))
        } else {
            #expect(value == .number(expected))
        }
    }

    @Test func valueAccessors() {
        let utc = ExpressionFixture.utc
        #expect(Value.string("").number.isNaN)
        #expect(Value.boolean(true).number == 1)
        #expect(Value.date(ExpressionFixture.day(1970, 1, 2)).number(in: utc) == 1)
        // JavaRosa counts a date-time as the whole day it falls on.
        #expect(Value.dateTime(ExpressionFixture.now).number(in: utc) == 20779)
        #expect(Value.dateTime(ExpressionFixture.now).number(in: TimeZone(identifier: "Pacific/Kiritimati")!) == 20780)
        #expect(Value.number(10).string == "10")
        #expect(Value.date(ExpressionFixture.day(2026, 11, 22)).string == "2026-11-22")
        // string() of a date-time is its local day, as in JavaRosa; what a calculate holds is the whole of it.
        #expect(Value.dateTime(ExpressionFixture.now).string(in: utc) == "2026-11-22")
        #expect(Value.dateTime(ExpressionFixture.now).string(in: TimeZone(identifier: "America/New_York")!) == "2026-11-22")
        #expect(Value.dateTime(ExpressionFixture.now).storedText(for: .calculate, timeZone: TimeZone(identifier: "America/New_York")!)
                == "2026-11-22T05:15:30.250-05:00")
        #expect(Value.nodeset(["a", "b"]).string == "a")
        #expect(Value.nodeset([]).string == "")
        #expect([Value.string(""), .string("x"), .number(0), .number(.nan), .number(-2), .boolean(false)].map(\.boolean)
                == [false, true, false, false, true, false])
        #expect([Value.nodeset([]), .nodeset([""]), .nodeset(["x"]), .nodeset(["", ""])].map(\.boolean)
                == [false, false, true, true])
        #expect([Value.number(1), .string("a"), .boolean(true), .date(ExpressionFixture.now), .dateTime(ExpressionFixture.now), .nodeset(["1"])]
                .map(\.jsonType) == ["number", "string", "boolean", "date", "date", "string"])
    }

    @Test func referencesEvaluateToTheirNodes() throws {
        #expect(try ExpressionFixture.evaluate("${n}") == .string("5"))
        #expect(throws: ExpressionError.self) { try ExpressionFixture.evaluate("${ys}") }  // two values where one is needed
        #expect(try ExpressionFixture.evaluate("${empty}") == .string(""))
        #expect(try ExpressionFixture.evaluate("${quá-tuổi}") == .string("yes"))
        #expect(try ExpressionFixture.evaluate(".", current: "42") == .string("42"))
        #expect(try ExpressionFixture.evaluate(". > 18", current: "42") == .boolean(true))
        #expect(try ExpressionFixture.evaluate(".") == .string(""))
    }

    // MARK: - Expression API

    @Test func expressionMetadata() throws {
        let expression = try Expression("if(${a} > ${b}, ${a}, indexed-repeat(${c}, ${rep}, position(..))) and . != ''")
        #expect(expression.references == ["a", "b", "c", "rep"])
        #expect(expression.usesCurrent)
        #expect(try Expression("${x} + 1").usesCurrent == false)
        #expect(try Expression("once(uuid())").usesCurrent)
        #expect(expression.description == expression.source)
        #expect(try Expression("1+1") == Expression("1+1"))
        #expect(try Expression("1+1") != Expression("1 + 1"))
        #expect(try Set([Expression("1"), Expression("1"), Expression("2")]).count == 2)
    }

    @Test func curlyQuotesReadAsStraightQuotes() throws {
        let expression = try Expression("concat(\u{2018}a\u{2019}, \u{201C}b\u{201D})")
        #expect(expression.source == "concat(\u{2018}a\u{2019}, \u{201C}b\u{201D})")
        #expect(try expression.evaluate(ExpressionFixture.context()) == .string("ab"))
    }

    @Test func vietnameseText() throws {
        #expect(try ExpressionFixture.evaluate("concat('Xin chào ', ${name})") == .string("Xin chào Lan"))
        #expect(try ExpressionFixture.evaluate("string-length('Việt Nam')") == .number(8))
        #expect(try ExpressionFixture.evaluate("substr('Người dùng', 0, 5)") == .string("Người"))
        #expect(try ExpressionFixture.evaluate("'Người' = 'Người'") == .boolean(true))
        #expect(try ExpressionFixture.evaluate("regex('Hà Nội', '[\\p{L} ]+')") == .boolean(true))
    }

    // MARK: - Functions

    @Test(arguments: [
        // if, coalesce, once, boolean functions
        ("if(true(), 'a', 'b')", Value.string("a")), ("if('', 'a', 'b')", .string("b")),
        ("if(true(), 'ok', ${nope})", .string("ok")), ("coalesce('', 'b')", .string("b")),
        ("coalesce('a', 'b')", .string("a")), ("coalesce(${age}, 'x')", .string("x")), ("coalesce(0, 'x')", .number(0)),
        ("true()", .boolean(true)), ("false()", .boolean(false)), ("not(0)", .boolean(true)),
        ("not('false')", .boolean(false)), ("not(not(1))", .boolean(true)), ("boolean('false')", .boolean(true)),
        ("boolean('')", .boolean(false)), ("boolean(0 div 0)", .boolean(false)), ("boolean(${age})", .boolean(false)),
        ("boolean(${n})", .boolean(true)), ("boolean-from-string('true')", .boolean(true)),
        ("boolean-from-string('1')", .boolean(true)), ("boolean-from-string('yes')", .boolean(false)),
        // choices
        ("selected('a b c', 'b')", .boolean(true)), ("selected('a b c', 'd')", .boolean(false)),
        ("selected('a bc', 'b')", .boolean(false)), ("selected(${choices}, ' c ')", .boolean(true)),
        ("count-selected('a b')", .number(2)), ("count-selected('')", .number(0)), ("count-selected(' a  b ')", .number(2)),
        ("selected-at('a b', 1)", .string("b")), ("selected-at('a b', 0)", .string("a")), ("selected-at('a b', 2)", .string("")),
        ("selected-at('a b', -1)", .string("")), ("selected-at('a b', 0.7)", .string("a")),
        ("jr:choice-name('yes', '${q}')", .string("yes")),
        // text
        ("string-length('héllo')", .number(5)), ("string-length(12)", .number(2)), ("string-length(${age})", .number(0)),
        ("string-length('😀')", .number(2)),  // UTF-16 units, as Java counts
        ("regex('abc', 'a.c')", .boolean(true)), ("regex('abc', 'b')", .boolean(false)), ("regex('ab', 'a|b')", .boolean(false)),
        ("regex('ab', 'a|ab')", .boolean(true)), ("regex('123', '\\d+')", .boolean(true)), ("regex('', '.*')", .boolean(true)),
        ("regex('ABC', '(?i)abc')", .boolean(true)), ("regex(5, '5')", .boolean(true)),
        ("concat('a', 1, true())", .string("a1true")), ("concat()", .string("")), ("concat(${rep_x})", .string("13")),
        ("substr('hello', 1, 3)", .string("el")), ("substr('hello', 1)", .string("ello")), ("substr('hello', -1)", .string("o")),
        ("substr('hello', 3, 1)", .string("")), ("substr('hello', 2, 99)", .string("llo")),
        ("substr('hello', -3, -1)", .string("ll")), ("substr('hello', 9)", .string("")), ("substr('hello', 1.7, 3.2)", .string("el")),
        ("contains('abc', 'b')", .boolean(true)), ("contains('abc', 'd')", .boolean(false)), ("contains('abc', '')", .boolean(true)),
        ("starts-with('abc', 'ab')", .boolean(true)), ("starts-with('abc', 'b')", .boolean(false)),
        ("ends-with('abc', 'bc')", .boolean(true)), ("ends-with('abc', 'b')", .boolean(false)),
        ("join(', ', ${rep_x})", .string("1, , 3")), ("join('-', 'a', ${n})", .string("a-5")),
        ("translate('abc', 'ab', 'AB')", .string("ABc")), ("translate('abc', 'abc', 'A')", .string("A")),
        ("normalize-space('  a   b  ')", .string("a b")), ("string(${n})", .string("5")),
        // numbers
        ("int(3.7)", .number(3)), ("int(-3.7)", .number(-3)), ("int('3.9')", .number(3)), ("number('12')", .number(12)),
        ("round(2.5)", .number(3)), ("round(-2.5)", .number(-2)), ("round(-1.5)", .number(-1)), ("round(-0.5)", .number(0)),
        ("round(0.49999999999999994)", .number(0)), ("round(1.2345, 2)", .number(1.23)), ("round(1.005, 2)", .number(1.01)),
        ("round(-1.235, 2)", .number(-1.23)), ("round(-2.5, 0)", .number(-2)), ("round(2.5, 0)", .number(3)),
        ("round(15, -1)", .number(20)), ("round(2.345, 1.9)", .number(2.3)), ("round(9.995, 2)", .number(10)),
        ("round(1 div 0, 2)", .number(.infinity)),
        ("abs(-3)", .number(3)), ("pow(2, 10)", .number(1024)),
        ("pow(0, 0)", .number(1)), ("sqrt(16)", .number(4)), ("min(1, 2)", .number(1)), ("min(${rep_x})", .number(1)),
        ("min(3, 'a', 1)", .number(1)), ("max(2, '10')", .number(10)), ("max(${ys})", .number(2)),
        ("max(-1, -2)", .number(-1)),  // JavaRosa: 4.9E-324 (CorpusMisses)
        // node-sets and repeats
        ("count(${rep_x})", .number(3)), ("count(${n})", .number(1)), ("count(${empty})", .number(0)),
        ("count-non-empty(${rep_x})", .number(2)), ("sum(${rep_x})", .number(4)), ("sum(${ys})", .number(3)),
        ("sum(${name})", .number(0)), ("sum(${empty})", .number(0)),
        ("indexed-repeat(${x}, ${rep}, 2)", .string("x/rep/2")), ("indexed-repeat(${x}, ${rep}, 1 + 1.9)", .string("x/rep/2")),
        ("indexed-repeat(${x}, ${rep}, 9)", .string("")),
        // dates
        ("date('2020-2-3')", .date(ExpressionFixture.day(2020, 2, 3))), ("date(0)", .date(ExpressionFixture.day(1970, 1, 1))),
        ("date(1.5)", .date(ExpressionFixture.day(1970, 1, 2))), ("date(-1.5)", .date(ExpressionFixture.day(1969, 12, 31))),
        ("date(today() + 1)", .date(ExpressionFixture.day(2026, 11, 23))), ("date('')", .string("")),
        // Text with a time keeps it, as JavaRosa's date() does; its day is 2020-03-02 in UTC.
        ("date('2020-03-01T23:30:00-05:00')", .dateTime(Date(timeIntervalSince1970: 1_583_123_400))),
        ("today()", .date(ExpressionFixture.day(2026, 11, 22))), ("now()", .dateTime(ExpressionFixture.now)),
        ("date-time(0.5)", .dateTime(Date(timeIntervalSince1970: 43_200))),
        ("date-time('2020-01-01T10:00:00Z')", .dateTime(Date(timeIntervalSince1970: 1_577_872_800))),
        ("decimal-date-time('1970-01-01T12:00:00Z')", .number(0.5)), ("decimal-date-time('1970-01-01T12:00:00')", .number(0.5)),
        ("decimal-date-time('1970-01-01T12:00:00.000+02:00')", .number(10.0 / 24)),
        ("decimal-date-time(date('1970-01-03'))", .number(2)), ("decimal-date-time('')", .string("")),
        ("format-date('2020-01-05', '%Y %y %m %n %d %e %H %h %M %S %3 %a %b')",
         .string("2020 20 01 1 05 5 00 0 00 00 000 Sun Jan")),
        ("format-date('2020-01-05T13:04:05.123Z', '%Y %y %m %n %d %e %H %h %M %S %3 %a %b')",
         .string("2020 20 01 1 05 5 13 13 04 05 123 Sun Jan")),
        ("format-date(date('2020-03-09'), '%a %e %b, 100%%')", .string("Mon 9 Mar, 100%")),
        ("format-date-time('2020-01-05T13:04:05.123+02:00', '%H:%M')", .string("11:04")),
        ("format-date(18000.5, '%Y-%m-%d %H')", .string("2019-04-14 12")), ("format-date('', '%Y')", .string("")),
        ("format-date(0 div 0, '%Y')", .string("")), ("format-date(now(), '%H:%M:%S.%3')", .string("10:15:30.250")),
        ("string(now())", .string("2026-11-22")),  // the day only, as JavaRosa
    ])
    func functions(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test(arguments: ["int('')", "round('')", "round('', 2)", "sqrt(-1)", "pow('', 2)", "abs('')", "max('')", "max()",
                      "min(${empty})", "log(-1)", "number('')", "date(0 div 0)", "asin(2)", "decimal-time(0 div 0)"])
    func functionsGivingNaN(source: String) throws {
        #expect(ExpressionFixture.isNaN(try ExpressionFixture.evaluate(source)))
    }

    @Test func functionsReadingTheContext() throws {
        #expect(try ExpressionFixture.evaluate("position(..)", position: 2) == .number(2))
        #expect(try ExpressionFixture.evaluate("position()", position: 3) == .number(3))
        #expect(try ExpressionFixture.evaluate("once(3)") == .number(3))
        #expect(try ExpressionFixture.evaluate("once(3)", current: "7") == .string("7"))
        #expect(try ExpressionFixture.evaluate("once(concat('a', 'b'))", current: "") == .string("ab"))
        let kiritimati = TimeZone(identifier: "Pacific/Kiritimati")!  // UTC+14: already 2026-11-23 there
        #expect(try ExpressionFixture.evaluate("today()", timeZone: kiritimati) == .date(ExpressionFixture.day(2026, 11, 23)))
        #expect(try ExpressionFixture.evaluate("string(now())", timeZone: kiritimati) == .string("2026-11-23"))
        let newYork = TimeZone(identifier: "America/New_York")!
        #expect(try ExpressionFixture.evaluate("decimal-date-time(date('1970-01-02'))", timeZone: newYork) == .number(29.0 / 24))
        #expect(try ExpressionFixture.evaluate("format-date(0.5, '%H')", timeZone: newYork) == .string("07"))
    }

    @Test(arguments: [
        // Logic and selects
        ("checklist(1, 2, 'yes', '', 'x')", Value.boolean(true)), ("checklist(-1, 1, 'yes', 'yes')", .boolean(false)),
        ("checklist(0, 0)", .boolean(true)), ("weighted-checklist(2, 3, 'yes', 2, '', 5)", .boolean(true)),
        ("weighted-checklist(2, 3, 'yes', 1, '', 5)", .boolean(false)), ("depend(1, ${n})", .number(1)),
        ("is-selected('a b', 'b')", .boolean(true)), ("boolean-from-string('TRUE')", .boolean(true)),
        // Text and encodings
        ("substring-before('a-b-c', '-')", .string("a")), ("substring-after('a-b-c', '-')", .string("b-c")),
        ("substring-before('abc', 'x')", .string("")), ("substring-after('abc', '')", .string("abc")),
        ("digest('abc', 'SHA-256')", .string("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")),
        ("digest('abc', 'md5', 'hex')", .string("900150983cd24fb0d6963f7d28e17f72")),
        ("digest('Hài lòng', 'SHA-1', 'hex')", .string("525c3ad0651844777b5396081c5d300c045176f8")),
        ("base64-decode('SGVsbG8gVmnhu4d0IE5hbQ==')", .string("Hello Việt Nam")), ("base64-decode('YWI')", .string("")),
        ("base64-decode('YW Jj')", .string("abc")), ("extract-signed('', '')", .string("")),
        ("regex('é', '^\\w$')", .boolean(false)),  // Java's \w is ASCII
        ("regex('١٢', '^\\d+$')", .boolean(false)), ("regex('', '')", .boolean(true)),
        // Math
        ("exp(0)", .number(1)), ("exp10(2)", .number(100)), ("log(1)", .number(0)), ("log10(1000)", .number(3)),
        ("sin(0)", .number(0)), ("cos(0)", .number(1)), ("tan(0)", .number(0)), ("asin(1)", .number(Double.pi / 2)),
        ("acos(1)", .number(0)), ("atan(0)", .number(0)), ("atan2(1, 1)", .number(Double.pi / 4)), ("pi()", .number(Double.pi)),
        ("round(15 div (sqrt(cos(atan(30 div 100)))), 2)", .number(15.33)),
        // Dates
        ("decimal-time('1970-01-01T18:00:00Z')", .number(0.75)), ("decimal-time(0.25)", .number(0.25)),
        ("decimal-time('')", .string("")), ("format-date('2024-12-31', '%W')", .string("1")),
        ("format-date('2024-12-28', '%W')", .string("52")),
        // Geography: one degree of latitude on JavaRosa's sphere, the unit square's area, a point in it
        ("round(distance('0 0', '1 0'), 3)", .number(111_318.845)), ("round(distance('0 0;1 0'), 6)", .number(111_318.845021)),
        ("round(area(${square}), 0)", .number(12_390_941_585)), ("enclosed-area(${n})", .number(0)),
        ("geofence('0.5 0.5', ${square})", .boolean(true)), ("geofence('1.5 0.5', ${square})", .boolean(false)),
        ("intersects('0 0;1 1;1 0;0 1;0 0')", .boolean(true)), ("intersects(${square})", .boolean(false)),
        ("intersects('0 0;0 1;0 2')", .boolean(false)), ("intersects('0 0;2 0;1 0;1 5')", .boolean(true)),
        // The form and its files
        ("version()", .string("2026.1")), ("pulldata('prices', 'price', 'item', 'rice')", .string("12000")),
        ("pulldata('prices.csv', 'price', 'item', 'salt')", .string("")),
    ])
    func moreFunctions(source: String, expected: Value) throws {
        var context = ExpressionFixture.context()
        context.formVersion = "2026.1"
        context.dataFile = { $0 == "prices" ? [["item": "rice", "price": "12000"], ["item": "rice", "price": "1"]] : nil }
        #expect(try Expression(source).evaluate(context) == expected)
    }

    @Test func randomAndUUIDFollowTheirSource() throws {
        var context = ExpressionFixture.context()
        context.random = RandomSource(seed: 7)
        let first = try Expression("concat(random(), ' ', uuid(), ' ', uuid(6))").evaluate(context)
        context.random = RandomSource(seed: 7)
        #expect(try Expression("concat(random(), ' ', uuid(), ' ', uuid(6))").evaluate(context) == first)
        let parts = first.string.split(separator: " ")
        #expect(Double(parts[0]).map { $0 >= 0 && $0 < 1 } == true)
        #expect(parts[1].range(of: #"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#, options: .regularExpression) != nil)
        #expect(parts[2].range(of: #"^[0-9A-Z]{6}$"#, options: .regularExpression) != nil)
        // A seeded randomize() is a permutation of its nodes, the same each time (ExpressionCorpusTests
        // checks JavaRosa's order for several seeds).
        let shuffled = try Expression("join(',', randomize(${rep_x}, 42))").evaluate(context)
        #expect(shuffled == (try Expression("join(',', randomize(${rep_x}, 42))").evaluate(context)))
        #expect(shuffled.string.split(separator: ",", omittingEmptySubsequences: false).sorted() == ["", "1", "3"])
    }

    @Test func extractSignedReturnsTheMessageOfAValidSignature() throws {
        let key = Curve25519.Signing.PrivateKey()
        let message = Data("hộ 12, xã An Bình".utf8)
        let signed = try key.signature(for: message) + message
        let publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        var context = ExpressionFixture.context()
        context.lookup = { name in
            switch name {
            case "content": return [.string(signed.base64EncodedString())]
            case "key": return [.string(publicKey)]
            case "other": return [.string(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString())]
            default: return nil
            }
        }
        #expect(try Expression("extract-signed(${content}, ${key})").evaluate(context) == .string("hộ 12, xã An Bình"))
        #expect(try Expression("extract-signed(${content}, ${other})").evaluate(context) == .string(""))
    }

    @Test func uuidIsRandomAndWellFormed() throws {
        let first = try ExpressionFixture.evaluate("uuid()").string
        let second = try ExpressionFixture.evaluate("uuid()").string
        #expect(first != second)
        #expect(try ExpressionFixture.evaluate("regex(uuid(), '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')")
                == .boolean(true))
    }

    @Test func everyFunctionIsCovered() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let missing = ExpressionFunction.allCases.filter { !source.contains("\($0.rawValue)(") }
        #expect(missing.isEmpty)
    }
}

/// round()'s shortcut must agree with the decimal method wherever it answers.
struct RoundShortcutTests {
    @Test func shortcutAgreesWithTheDecimalMethod() {
        var random = SplitMix64(seed: 20261122)
        var answered = 0
        for _ in 0..<200_000 {
            let magnitude = pow(10, Double(Int(random.next(below: 16)) - 4))
            let value = (Double(random.next(below: 1 << 53)) / Double(1 << 53) - 0.3) * magnitude
            // Values with few decimals hit the halves the shortcut must leave alone.
            let short = (value * 1000).rounded() / 1000
            for candidate in [value, short] {
                let places = Int(random.next(below: 8))
                guard let fast = ExpressionNumberText.fastRound(candidate, places: places) else { continue }
                answered += 1
                let exact = ExpressionNumberText.decimalRound(candidate, places: places)
                #expect(fast == exact && fast.sign == exact.sign, "round(\(candidate), \(places)): \(fast) != \(exact)")
                if fast != exact { return }
            }
        }
        #expect(answered > 300_000)
        #expect(ExpressionNumberText.fastRound(1.005, places: 2) == nil)
        // Large values: the error of x·10^places grows with it (found in review).
        #expect(ExpressionNumberText.round(9243110296.175, places: 2) == ExpressionNumberText.decimalRound(9243110296.175, places: 2))
        #expect(ExpressionNumberText.round(1598389.18605, places: 4) == ExpressionNumberText.decimalRound(1598389.18605, places: 4))
    }
}
