import CanvassCore
import Testing

struct CSVTests {
    @Test func quotesOnlyWhatMustBeQuoted() {
        #expect(CSV.line(["a", "Nguyễn Văn An", "x,y", "say \"hi\"", "two\nlines", ""]) ==
            "a,Nguyễn Văn An,\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n")
    }

    @Test func parsesWhatItWritesAndExcelsVariants() throws {
        let rows = [["mã", "họ tên"], ["1", "Trần Thị \"Bé\", con"], ["2", "dòng\r\nhai"], ["", ""]]
        #expect(try CSV.parse(rows.map(CSV.line).joined()) == rows)
        // A byte order mark, LF endings and no final newline, as spreadsheets save them.
        #expect(try CSV.parse("\u{FEFF}a,b\n1,2") == [["a", "b"], ["1", "2"]])
    }

    @Test func brokenQuotesAreNamedByLine() {
        #expect(throws: CSV.Problem.self) { try CSV.parse("a,b\n1,\"open\n2,3\n") }
        do {
            _ = try CSV.parse("a,b\n1,x\"y\n")
            Issue.record("a stray quote should be refused")
        } catch {
            #expect(error.line == 2)
        }
    }
}
