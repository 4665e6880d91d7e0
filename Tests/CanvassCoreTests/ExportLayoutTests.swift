import CanvassCore
import Testing

struct ExportLayoutTests {
    static func form(version: String, extra: String) throws -> Form {
        try Repo.yaml("""
            form_id: hh
            version: "\(version)"
            survey:
              - {type: text, name: village}
              - {type: select_multiple channel, name: channels, label: "Kênh"}
            \(extra)
              - type: repeat
                name: members
                children:
                  - {type: text, name: member_name}
                  - {type: integer, name: age}
                  - {type: calculate, name: adult, calculation: "if(${age} >= 18, 1, 0)"}
            choices:
              channel:
                - {name: tv, label: {vi: "Truyền hình", en: "TV"}}
                - {name: loa, label: {vi: "Loa phát thanh", en: "Loudspeaker"}}
            """)
    }

    @Test func columnsAreTheUnionOfVersionsNewestFirst() throws {
        let old = try Self.form(version: "1", extra: "  - {type: text, name: old_only}")
        let new = try Self.form(version: "2", extra: "  - {type: integer, name: visits}")
        let layout = ExportLayout(versions: [old, new], labels: false, language: nil)
        #expect(layout.tables.map(\.name) == ["hh", "hh-members"])
        #expect(layout.tables[0].columns == ExportLayout.interviewColumns
            + ["village", "channels", "channels/tv", "channels/loa", "visits", "old_only", "_conflicts"])
        #expect(layout.tables[1].columns == ["_parent_id", "_path", "member_name", "age", "adult"])
    }

    @Test func rowsForAnInterviewAndItsRepeats() throws {
        let form = try Self.form(version: "1", extra: "")
        let engine = try FormEngine(form: form)
        let answers = engine.recalculated(["village": "Xã Đông Hội", "channels": "loa tv", "members": "2",
                                           "members[1]/member_name": "Nguyễn Văn An", "members[1]/age": "40",
                                           "members[2]/member_name": "Bé", "members[2]/age": "7"])
        let facts = ExportLayout.Interview(id: "i1", status: "completed", surveyor: "lan", device: "d", created: "c", updated: "u",
                                           formVersion: "1", conflicts: ["village"])
        let rows = ExportLayout(versions: [form], labels: false, language: nil).rows(facts, answers, engine: engine)
        #expect(rows.map(\.table) == [0, 1, 1])
        #expect(rows[0].cells.map(\.text) == ["i1", "completed", "lan", "d", "c", "u", "1", "Xã Đông Hội", "loa tv", "1", "1", "village"])
        #expect(rows[0].cells[9] == .number("1"))
        #expect(rows[1].cells == [.text("i1"), .text("members[1]"), .text("Nguyễn Văn An"), .number("40"), .text("1")])
        #expect(rows[2].cells.map(\.text) == ["i1", "members[2]", "Bé", "7", "0"])
        let labelled = ExportLayout(versions: [form], labels: true, language: "vi").rows(facts, answers, engine: engine)
        #expect(labelled[0].cells[8].text == "Loa phát thanh; Truyền hình")
    }
}
