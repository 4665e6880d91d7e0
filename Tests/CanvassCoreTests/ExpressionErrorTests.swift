import Foundation
import Testing

@testable import CanvassCore

/// The whole rendered error for `source`, whether parsing or evaluation failed; nil when it succeeds.
private func renderedError(_ source: String, current: String? = nil) -> String? {
    do {
        _ = try Expression(source).evaluate(ExpressionFixture.context(current: current))
        return nil
    } catch {
        return error.description
    }
}

/// Golden text of rendered parse and evaluation errors.
@Suite struct ExpressionErrorTests {
    // MARK: - Parse errors

    @Test(arguments: [
        ("${age} >= (18", """
        line 1, column 14: expected ')' to close '('
          ${age} >= (18
                       ^
        """),
        ("fo(1)", """
        line 1, column 1: unknown function 'fo'
          fo(1)
          ^
        """),
        ("if(1, 2)", """
        line 1, column 1: if() takes 3 arguments but was given 2
          if(1, 2)
          ^
        """),
        ("round(1, 2, 3)", """
        line 1, column 1: round() takes 1 or 2 arguments but was given 3
          round(1, 2, 3)
          ^
        """),
        ("today(1)", """
        line 1, column 1: today() takes no arguments but was given 1
          today(1)
          ^
        """),
        ("join()", """
        line 1, column 1: join() takes at least 1 argument but was given 0
          join()
          ^
        """),
        ("weighted-checklist(1, 2, 'yes')", """
        line 1, column 1: weighted-checklist() takes an even number of arguments, at least 4 but was given 3
          weighted-checklist(1, 2, 'yes')
          ^
        """),
        ("floor(1.5)", """
        line 1, column 1: floor() is not in ODK Collect (JavaRosa); use int() to drop the fraction, or round()
          floor(1.5)
          ^
        """),
        ("instance('households')/root/item", """
        line 1, column 1: instance() reads a secondary instance, which Canvass forms do not have; filter choices with choice_filter, or read a CSV beside the form with pulldata()
          instance('households')/root/item
          ^
        """),
        ("${a} | ${b}", """
        line 1, column 6: '|' (joining node-sets) does not work in ODK Collect; count or sum each field apart and add them
          ${a} | ${b}
               ^
        """),
        ("concat('abc, 1)", """
        line 1, column 8: unterminated string; add a closing '
          concat('abc, 1)
                 ^
        """),
        ("1 + * 2", """
        line 1, column 5: expected a value but found '*'
          1 + * 2
              ^
        """),
        ("1 +", """
        line 1, column 4: expected a value but the expression ended
          1 +
             ^
        """),
        ("${a} 2", """
        line 1, column 6: expected an operator but found '2'
          ${a} 2
               ^
        """),
        ("concat('a'", """
        line 1, column 11: expected ')' to close 'concat('
          concat('a'
                    ^
        """),
        ("age > 18", """
        line 1, column 1: unexpected name 'age'; refer to fields as ${age}
          age > 18
          ^
        """),
        ("${age > 1", """
        line 1, column 6: expected '}' to close '${'
          ${age > 1
               ^
        """),
        ("${}", """
        line 1, column 3: expected a field name after '${'
          ${}
            ^
        """),
        ("$age", """
        line 1, column 1: expected '{' after '$'; refer to fields as ${name}
          $age
          ^
        """),
        ("/data/age", """
        line 1, column 1: '/' starts an XPath path, which Canvass does not follow; refer to fields as ${name}
          /data/age
          ^
        """),
        ("1 ! 2", """
        line 1, column 3: unexpected character '!'; write != for 'not equal'
          1 ! 2
            ^
        """),
        (".. + 1", """
        line 1, column 1: '..' can only be used as position(..)
          .. + 1
          ^
        """),
        ("position(1)", """
        line 1, column 10: position() only accepts '..' as its argument
          position(1)
                   ^
        """),
        ("indexed-repeat('x', ${rep}, 1)", """
        line 1, column 16: indexed-repeat() needs a ${name} reference as argument 1
          indexed-repeat('x', ${rep}, 1)
                         ^
        """),
        ("1e3", """
        line 1, column 2: expected an operator but found 'e3'
          1e3
           ^
        """),
    ])
    func parseErrors(source: String, expected: String) {
        #expect(renderedError(source) == expected)
    }

    @Test func emptyExpression() {
        #expect(renderedError("") == "line 1, column 1: the expression is empty\n  \n  ^")
        #expect(renderedError("  \n ") == "line 1, column 1: the expression is empty\n    \n  ^")
    }

    @Test func multiLineExpressionShowsTheOffendingLineOnly() {
        #expect(renderedError("if(${age} > 18,\n   'adult'\n   'child')") == """
        line 3, column 4: expected ',' or ')' in the arguments of if() but found the string 'child'
             'child')
             ^
        """)
    }

    @Test func columnsCountCharactersAndKeepTabs() {
        // '😀' is two UTF-16 units but one Character.
        #expect(renderedError("'😀' + #") == """
        line 1, column 7: unexpected character '#'
          '😀' + #
                ^
        """)
        #expect(renderedError("concat('Người', ~)") == """
        line 1, column 17: unexpected character '~'
          concat('Người', ~)
                          ^
        """)
        #expect(renderedError("\t(1") == "line 1, column 4: expected ')' to close '('\n  \t(1\n  \t  ^")
    }

    @Test func curlyQuotedStringIsShownAsWritten() {
        #expect(renderedError("\u{2018}abc") == """
        line 1, column 1: unterminated string; add a closing '
          \u{2018}abc
          ^
        """)
    }

    @Test func nestingIsLimited() throws {
        let limit = ExpressionParser.maxDepth
        let ok = String(repeating: "(", count: limit) + "1" + String(repeating: ")", count: limit)
        #expect(try Expression(ok).evaluate(ExpressionFixture.context()) == .number(1))
        let minus = String(repeating: "-", count: limit) + "1"
        #expect(try Expression(minus).evaluate(ExpressionFixture.context()) == .number(1))

        // Far past the limit: must throw, not overflow the stack.
        let deep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        let error = try #require(throws: ExpressionError.self) { try Expression(deep) }
        #expect(error.message == "expression is nested too deeply")
        #expect((error.line, error.column) == (1, limit + 1))
        #expect(error.description == "line 1, column \(limit + 1): expression is nested too deeply\n  \(deep)\n  "
                + String(repeating: " ", count: limit) + "^")

        let calls = String(repeating: "abs(", count: limit + 1) + "1" + String(repeating: ")", count: limit + 1)
        #expect(throws: ExpressionError(message: "expression is nested too deeply", source: calls, line: 1,
                                        column: 4 * limit + 4)) { try Expression(calls) }
    }

    // MARK: - Evaluation errors

    @Test(arguments: [
        ("${agee} > 18", """
        line 1, column 1: unknown reference ${agee}
          ${agee} > 18
          ^
        """),
        ("regex(${name}, '[a-')", """
        line 1, column 16: invalid regular expression '[a-'
          regex(${name}, '[a-')
                         ^
        """),
        ("${ys} + 1", """
        line 1, column 1: ${ys} has 2 values here (one per repeat instance); use indexed-repeat() to pick one
          ${ys} + 1
          ^
        """),
        ("1 = 1 and string(${rep_x})", """
        line 1, column 18: ${rep_x} has 3 values here (one per repeat instance); use indexed-repeat() to pick one
          1 = 1 and string(${rep_x})
                           ^
        """),
        ("date('x')", """
        line 1, column 6: the value "x" can't be converted to a date
          date('x')
               ^
        """),
        ("format-date('2020-02-30', '%Y')", """
        line 1, column 13: the value "2020-02-30" can't be converted to a date
          format-date('2020-02-30', '%Y')
                      ^
        """),
        ("format-date(1 div 0, '%Y')", """
        line 1, column 13: the value "Infinity" is out of range for a date
          format-date(1 div 0, '%Y')
                      ^
        """),
        ("format-date(today(), '%Q')", """
        line 1, column 22: the format-date() pattern has an unknown code '%Q'
          format-date(today(), '%Q')
                               ^
        """),
        ("format-date(today(), 'at 5%')", """
        line 1, column 22: the format-date() pattern ends with a lone '%'
          format-date(today(), 'at 5%')
                               ^
        """),
        ("selected(${choices}, 1)", """
        line 1, column 22: the second argument of selected() must be in quotes, like '1'
          selected(${choices}, 1)
                               ^
        """),
        ("count(5)", """
        line 1, column 7: count() needs a ${name} reference
          count(5)
                ^
        """),
        ("digest('abc', 'SHA-3')", """
        line 1, column 15: digest() knows MD5, SHA-1, SHA-256, SHA-384 and SHA-512, not 'SHA-3'
          digest('abc', 'SHA-3')
                        ^
        """),
        ("distance('21 105', 'north')", """
        line 1, column 20: distance() was given 'north', which is not a location (latitude longitude [altitude accuracy])
          distance('21 105', 'north')
                             ^
        """),
        ("pulldata('prices', 'price', 'item', 'rice')", """
        line 1, column 10: pulldata() reads 'prices.csv' beside the form, and there is none; put the file next to the form
          pulldata('prices', 'price', 'item', 'rice')
                   ^
        """),
    ])
    func evaluationErrors(source: String, expected: String) {
        #expect(renderedError(source) == expected)
    }

    @Test func errorFields() throws {
        let error = try #require(throws: ExpressionError.self) {
            try Expression("1 +\n  ${agee}").evaluate(ExpressionFixture.context())
        }
        #expect(error == ExpressionError(message: "unknown reference ${agee}", source: "1 +\n  ${agee}", line: 2, column: 3))
    }
}
