import Foundation
import Testing

/// XLSForm's naming rules on the built binary: a name unique among its siblings only, and a field
/// whose name is used more than once known by its path in record, show, edit, conflicts, resolve,
/// validate and export (Tests/Fixtures/forms/household-names.yaml).
struct FieldNamingTests {
    static let form = CLI.fixture("forms/household-names.yaml")

    static let household = """
        {"_id": "h1", "village": "An Bình", "hh_no": 12, "head/name": "Nguyễn Văn Lan", "head/age": 44,
         "people": [{"name": "Trần Thị Hoa", "age": 40, "job": "nông dân"}, {"name": "Nguyễn Minh", "age": 70}],
         "children": [{"name": "Nguyễn An", "age": 9}]}
        """.replacingOccurrences(of: "\n", with: "") + "\n"

    func recorded() throws -> URL {
        let dir = try CLI.scratch()
        let record = try CLI.run(["record", Self.form, "--db", "a.canvass", "--surveyor", "lan", "--answers", "-", "--complete"],
                                 input: Self.household, in: dir)
        #expect(record.code == 0, "\(record.err)")
        return dir
    }

    @Test func aFieldWhoseNameIsUsedAgainIsStoredAndShownByItsPath() throws {
        let dir = try recorded()
        let show = try CLI.run(["show", "a.canvass", "h1", "--lang", "en"], in: dir)
        for line in ["  head/name = Nguyễn Văn Lan", "  head/age = 44", "  people[1]/name = Trần Thị Hoa", "  people[2]/age = 70",
                     "  people[1]/job = nông dân", "  children[1]/name = Nguyễn An", "  n_people = 3"] {
            #expect(show.out.contains(line + "  ") || show.out.contains(line + "\n"), "\(line)\n\(show.out)")
        }
        // What show --json and export give goes back into record as it is.
        let json = try #require(try CLI.json(try CLI.run(["show", "a.canvass", "h1", "--json"], in: dir).out) as? [String: Any])
        let answers = try #require(json["answers"] as? [String: Any])
        #expect(answers["head/name"] as? String == "Nguyễn Văn Lan")
        #expect((answers["people"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Trần Thị Hoa", "Nguyễn Minh"])
    }

    @Test func editNamesTheFieldByItsPathAndSaysWhichPathsANameHas() throws {
        let dir = try recorded()
        let edit = try CLI.run(["edit", "a.canvass", "h1", "--set", "head/age=45", "--set", "children[1]/age=10", "--as", "lan"], in: dir)
        #expect(edit.code == 0, "\(edit.err)")
        #expect(edit.out == "h1: 2 answers changed\n")
        let ambiguous = try CLI.run(["edit", "a.canvass", "h1", "--set", "age=45", "--as", "lan"], in: dir)
        #expect(ambiguous.code == 64)
        #expect(ambiguous.err.contains("'age' is the name of 3 fields of form household_names; give the one you mean by its path: head/age, people[N]/age, children[N]/age"))
        let invalid = try CLI.run(["edit", "a.canvass", "h1", "--set", "children[1]/age=30", "--as", "lan"], in: dir)
        #expect(invalid.out.contains("'children[1]/age': Dưới 18 tuổi"), "\(invalid.out)")
        let validate = try CLI.run(["validate", "a.canvass", "--json"], in: dir)
        let findings = try #require((try CLI.json(validate.out) as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(findings.map { "\($0["field"]!) \($0["code"]!)" } == ["children[1]/age constraint"])
    }

    @Test func aConflictOnSuchAFieldIsResolvedByItsPath() throws {
        let dir = try recorded()
        try CLI.run(["merge", "copy.canvass", "a.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "copy"])
        try CLI.run(["edit", "a.canvass", "h1", "--set", "people[1]/name=Trần Thị Hòa", "--as", "lan"], in: dir)
        try CLI.run(["edit", "copy.canvass", "h1", "--set", "people[1]/name=Trần Thị Hoà", "--as", "hoa"], in: dir)
        let merge = try CLI.run(["merge", "hub.canvass", "a.canvass", "copy.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "hub"])
        #expect(merge.out.hasSuffix("open conflicts 1, duplicate groups 0\n"), "\(merge.out)")
        let conflicts = try #require(try CLI.json(try CLI.run(["conflicts", "hub.canvass", "--json"], in: dir).out) as? [[String: Any]])
        #expect(conflicts.map { $0["field"] as? String } == ["people[1]/name"])
        let resolve = try CLI.run(["resolve", "hub.canvass", "h1", "people[1]/name", "--value", "Trần Thị Hòa", "--as", "sup"], in: dir)
        #expect(resolve.out == "h1 people[1]/name: resolved to Trần Thị Hòa\n", "\(resolve.err)")
        #expect(try CLI.run(["conflicts", "hub.canvass"], in: dir).code == 0)
    }

    @Test func exportsNameTheColumnsByPathWhereTheNameIsUsedAgain() throws {
        let dir = try recorded()
        let export = try CLI.run(["export", "a.canvass", "--format", "csv", "-o", "out"], in: dir)
        #expect(export.code == 0, "\(export.err)")
        let main = try String(contentsOf: dir.appendingPathComponent("out/household_names.csv"), encoding: .utf8)
        #expect(main.components(separatedBy: "\r\n").first?.hasSuffix(",village,hh_no,head/name,head/age,n_people,_conflicts") == true, "\(main)")
        let people = try String(contentsOf: dir.appendingPathComponent("out/household_names-people.csv"), encoding: .utf8)
        #expect(people.components(separatedBy: "\r\n").first == "_parent_id,_path,name,age,job")
        #expect(people.contains("h1,people[1],Trần Thị Hoa,40,nông dân"))
        let children = try String(contentsOf: dir.appendingPathComponent("out/household_names-children.csv"), encoding: .utf8)
        #expect(children.contains("h1,children[1],Nguyễn An,9"))
    }

    @Test func recordSaysWhichPathsANameHas() throws {
        let dir = try CLI.scratch()
        let result = try CLI.run(["record", Self.form, "--db", "a.canvass", "--surveyor", "lan", "--answers", "-"],
                                 input: #"{"village": "A", "hh_no": 1, "name": "Lan"}"# + "\n", in: dir)
        #expect(result.code == 1)
        #expect(result.err.contains("'name' is the name of several fields; write the one you mean by its path: head/name"), "\(result.err)")
    }

    @Test func aReferenceToANameUsedTwiceIsRefusedAsPyxformRefusesIt() throws {
        let dir = try CLI.scratch()
        let form = try String(contentsOfFile: Self.form, encoding: .utf8)
            .replacingOccurrences(of: "count(${people}) + count(${children})", with: "count(${people}) + ${age}")
        try form.write(to: dir.appendingPathComponent("f.yaml"), atomically: true, encoding: .utf8)
        let check = try CLI.run(["form", "check", "f.yaml"], in: dir)
        #expect(check.code == 1)
        #expect(check.out.contains("'n_people', calculation refers to ${age}, but 3 rows are named 'age' (head/age, people/age, children/age)"), "\(check.out)")
    }
}
