import Foundation
import Testing

struct ExprCommandTests {
    @Test(arguments: [
        (["if(${age} >= 18, 'adult', 'minor')", "--set", "age=20"], #"{"type":"string","value":"adult"}"#),
        (["${age} >= 18", "--set", "age="], #"{"type":"boolean","value":false}"#),
        (["'10' = 10"], #"{"type":"boolean","value":true}"#),
        (["1 div 0"], #"{"type":"number","value":"Infinity"}"#),
        (["number('')"], #"{"type":"number","value":"NaN"}"#),
        (["date('2020-03-01') - date('2020-02-01')"], #"{"type":"number","value":29}"#),
        (["selected(${c}, 'tv')", "--set", "c=radio tv"], #"{"type":"boolean","value":true}"#),
        (["concat('Hà', ' ', 'Nội')"], #"{"type":"string","value":"Hà Nội"}"#),
    ])
    func evaluatesAsJSON(arguments: [String], expected: String) throws {
        let result = try CLI.run(["expr"] + arguments + ["--json"])
        #expect(result.code == 0)
        #expect(result.out == expected + "\n")
    }

    @Test func dashDashAllowsALeadingMinus() throws {
        let result = try CLI.run(["expr", "--", "-7 mod 3"])
        #expect(result.code == 0)
        #expect(result.out == "-1\n")
    }

    @Test func parseErrorExitsOneWithTheCaret() throws {
        let result = try CLI.run(["expr", "1 + (2"])
        #expect(result.code == 1)
        #expect(result.out == "")
        #expect(result.err.hasPrefix("error: line 1, column"))
        #expect(result.err.contains("  1 + (2\n"))
        #expect(result.err.contains("^"))
    }

    @Test func unknownReferenceIsAnError() throws {
        let result = try CLI.run(["expr", "${agee} + 1", "--set", "age=3"])
        #expect(result.code == 1)
        #expect(result.err.contains("agee"))
    }

    @Test func malformedSetIsAUsageError() throws {
        let result = try CLI.run(["expr", "1", "--set", "age"])
        #expect(result.code == 64)
        #expect(result.err.contains("--set 'age' must be name=value"))
    }
}
