import CanvassCore
import CanvassStore
import Foundation
import Testing

/// A form fixed without a new version: both definitions are kept, shown apart, and can be
/// marked equivalent when only their wording differs.
struct FormDefinitionTests {
    static var relabelled: Form {
        var form = StoreFixtures.form
        form.survey[0].label = .plain("Đơn vị")
        return form
    }

    static var retyped: Form {
        var form = StoreFixtures.form
        form.survey[4].type = FieldType(parsing: "integer")
        return form
    }

    func file(_ forms: [Form]) throws -> DataFile {
        let file = try DataFile(path: try StoreFixtures.scratch().appendingPathComponent("a.canvass").path, mode: .create,
                                environment: StoreFixtures.environment("f"))
        for (n, form) in forms.enumerated() {
            try file.write { writer in _ = try writer.createInterview(id: "i\(n)", form: form, surveyor: "lan", device: "d", mode: .bulk) }
        }
        return file
    }

    @Test func aChangedDefinitionIsKeptBesideTheFirstAndBothAreShownApart() throws {
        let (a, b) = (StoreFixtures.form, Self.relabelled)
        let file = try file([a, b])
        #expect(try file.otherDefinitions(of: a).map(\.sha256) == [b.sha256])
        let labels = try file.interviews().map(\.formVersion).sorted()
        #expect(labels == ["1~\(a.sha256.prefix(8))", "1~\(b.sha256.prefix(8))"].sorted())
        #expect(try file.definitions().map(\.interviews) == [1, 1])
    }

    @Test func definitionsMarkedEquivalentAreShownAsOneVersion() throws {
        let file = try file([StoreFixtures.form, Self.relabelled])
        let definitions = try file.definitions()
        try file.markEquivalent(try file.definition(named: definitions[1].label), definitions[0], author: "hoa")
        #expect(try file.interviews().map(\.formVersion) == ["1", "1"])
        #expect(try file.otherDefinitions(of: StoreFixtures.form).isEmpty)
    }

    @Test func definitionsThatDifferBeyondWordingCannotBeMarkedEquivalent() throws {
        let file = try file([StoreFixtures.form, Self.retyped])
        let definitions = try file.definitions()
        #expect(throws: StoreError.refused(path: file.path, reason: "\(definitions[0].label) and \(definitions[1].label) differ in more than wording: field 'comment' differs in its type, expressions or children; keep them apart")) {
            try file.markEquivalent(definitions[0], definitions[1], author: "hoa")
        }
        #expect(try file.interviews().map(\.formVersion).allSatisfy { $0.hasPrefix("1~") })
    }
}
