import Foundation
import Testing

struct ExprCommandTests {
    @Test(arguments: [
        (["if(${age} >= 18, 'adult', 'minor')", "--set", "age=20"], #"{"stored":"adult","type":"string","value":"adult"}"#),
        (["${age} >= 18", "--set", "age="], #"{"stored":"0","type":"boolean","value":false}"#),
        (["'10' = 10"], #"{"stored":"1","type":"boolean","value":true}"#),
        (["1 div 0"], #"{"stored":"Infinity","type":"number","value":"Infinity"}"#),
        // NaN is what an empty calculation holds: nothing.
        (["number('')"], #"{"stored":null,"type":"number","value":"NaN"}"#),
        (["date('2020-03-01') - date('2020-02-01')"], #"{"stored":"29","type":"number","value":29}"#),
        (["selected(${c}, 'tv')", "--set", "c=radio tv"], #"{"stored":"1","type":"boolean","value":true}"#),
        (["concat('Hà', ' ', 'Nội')"], #"{"stored":"Hà Nội","type":"string","value":"Hà Nội"}"#),
        // A field's type makes its value a number or a date, as in ODK Collect.
        (["${birth} + 1", "--set", "birth:date=2024-02-29"], #"{"stored":"19783","type":"number","value":19783}"#),
        (["${birth} + 1", "--set", "birth=2024-02-29"], #"{"stored":null,"type":"number","value":"NaN"}"#),
        (["${n} = '05'", "--set", "n:integer=5"], #"{"stored":"1","type":"boolean","value":true}"#),
        ([". <= today()", "--set", ".:date=2026-02-28"], #"{"stored":"1","type":"boolean","value":true}"#),
        (["round(15 div (sqrt(cos(atan(${slope} div 100)))), 2)", "--set", "slope:integer=30"], #"{"stored":"15.33","type":"number","value":15.33}"#),
        (["round(distance(${a}, ${b}) div 1000, 1)", "--set", "a=21.0285 105.8542", "--set", "b=10.7769 106.7009"],
         #"{"stored":"1144.8","type":"number","value":1144.8}"#),
        (["digest('0123456789', 'SHA-256', 'hex')"], #"{"stored":"84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882","type":"string","value":"84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882"}"#),
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

    @Test func todayIsTheLocalDay() throws {
        // 23:30 UTC on 28 February is 06:30 on 1 March in Vietnam (UTC+7): the interview belongs to that morning.
        let vietnam = try CLI.run(["expr", "concat(today(), ' ', format-date-time(now(), '%H:%M'))"],
                                  environment: ["CANVASS_NOW": "2026-02-28T23:30:00Z", "TZ": "Asia/Ho_Chi_Minh"])
        #expect(vietnam.out == "2026-03-01 06:30\n")
        let utc = try CLI.run(["expr", "concat(today(), ' ', format-date-time(now(), '%H:%M'))"],
                              environment: ["CANVASS_NOW": "2026-02-28T23:30:00Z"])
        #expect(utc.out == "2026-02-28 23:30\n")
        let stored = try CLI.run(["expr", "now()", "--json"], environment: ["CANVASS_NOW": "2026-02-28T23:30:00Z", "TZ": "Asia/Ho_Chi_Minh"])
        #expect(stored.out == #"{"stored":"2026-03-01T06:30:00.000+07:00","type":"date","value":"2026-03-01"}"# + "\n")
    }

    @Test func randomAndUUIDRepeatUnderAFixedClock() throws {
        let first = try CLI.run(["expr", "concat(random(), ' ', uuid())"])
        let second = try CLI.run(["expr", "concat(random(), ' ', uuid())"])
        #expect(first.code == 0)
        #expect(first.out == second.out)
        let other = try CLI.run(["expr", "concat(random(), ' ', uuid())"], environment: ["CANVASS_NOW": "2026-03-02T08:00:00Z"])
        #expect(other.out != first.out)
    }

    @Test func unknownTypeInSetIsAUsageError() throws {
        let result = try CLI.run(["expr", "${a}", "--set", "a:number=3"])
        #expect(result.code == 64)
        #expect(result.err.contains("'number' is not a field type"))
    }

    @Test func malformedSetIsAUsageError() throws {
        let result = try CLI.run(["expr", "1", "--set", "age"])
        #expect(result.code == 64)
        #expect(result.err.contains("--set 'age' must be name=value or name:type=value"))
    }
}
